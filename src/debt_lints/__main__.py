"""``python -m debt_lints``."""

import os
import sys

# With ``-m`` Python puts the current directory first on ``sys.path``, so a
# checked repository holding its own ``argparse.py``, ``json.py`` or ``yaml.py``
# would run as soon as debt-lints imports that name. Never import from the tree
# being checked (pip's ``__main__`` does the same).
try:
    _cwd = os.getcwd()
except OSError:  # the current directory was removed
    _cwd = ""
if sys.path and sys.path[0] in ("", _cwd):
    del sys.path[0]  # removes the checked tree from the path, adds nothing

# Imported only now, after the sys.path fix, on purpose.
from debt_lints.adapters.cli import console

console()
