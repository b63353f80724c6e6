# Backup of system_config.py taken before the PC2 split (audit: remove these backups).
import os

SYSTEM_CONFIG = {
    "main_pc": {"ip": "192.168.1.27", "agents_dir": "agents"},
    "pc2": {"ip": "192.168.1.2", "agents_dir": "pc2_code/agents"},
    "zmq_request_timeout": 5000,
}


def load_system_config():
    print "Loading system config from", os.path.abspath(__file__)
    return SYSTEM_CONFIG
