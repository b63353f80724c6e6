"""The single walk, noqa bookkeeping and the one registry of rules."""
