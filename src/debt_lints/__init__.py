"""debt-lints: lint rules that turn a technical-debt audit into an enforced clean-up.

Importing this package is cheap: the engine, YAML and the host plugins load
only when a command needs them.
"""

__version__ = "0.2.0"
