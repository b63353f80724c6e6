import logging
import os

DATA = "/home/beta/data"
STATS_HOST = "127.0.0.1"


def setup():
    handler = logging.FileHandler(os.path.join(DATA, "report.log"))
    logging.getLogger("beta").addHandler(handler)
    return "http://" + STATS_HOST
