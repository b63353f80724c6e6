# Nothing imports this module, and it is not an entry point either (tools/*.py is,
# so it is): the clean case of DL602.
def helper():
    return "/home/"
