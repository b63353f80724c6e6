"""Rules of this family; see the package docstring of debt_lints.checkers."""
