"""``debt_lints.pylint``, the name users give their host: the plugin is
``debt_lints.adapters.pylint``."""

from debt_lints.adapters.pylint import *  # noqa: F403
from debt_lints.adapters.pylint import register  # noqa: F401
