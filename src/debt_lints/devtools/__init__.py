"""Contributor tools: the generator of every generated file, the rule scaffold."""
