"""The command line and the host plugins (flake8, pylint, bandit, LSP): thin."""
