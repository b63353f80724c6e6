"""How debt-lints codes are named inside each host, derived from the registry.

flake8 uses the codes as they are (``DL201``). pylint needs message ids of its
own shape (:func:`pylint_message_id`); bandit takes the code as its test id.
The id table in ``docs/plugins.md`` (:func:`id_table`) and the bandit entry
points of ``pyproject.toml`` (:func:`bandit_entry_points`) are written by
``python -m debt_lints.devtools.generate``. Nothing here imports a host.
"""

from __future__ import annotations

from debt_lints.core.model import Rule, Severity

#: The code every host uses when debt-lints itself could not check a file (a bug
#: in debt-lints, or an unusable configuration). Never a rule's code: a test
#: keeps it free in the registry.
PLUGIN_ERROR_CODE = "DL000"
PLUGIN_ERROR_SYMBOL = "debt-lints-plugin-error"

#: The checker id (the two middle digits) of every debt-lints pylint message.
#: pylint keeps 01-50 for itself; 51 is pylint-django's; 55, 56, 60-63 and 90
#: are used by pylint's own extensions; 91-99 are crowded by small plugins.
PYLINT_CHECKER_ID = "74"

#: The pylint message category follows the rule's severity.
PYLINT_CATEGORY = {Severity.ERROR: "E", Severity.WARNING: "W", Severity.INFO: "C"}


def pylint_message_id(code: str, severity: Severity = Severity.ERROR) -> str:
    """The pylint message id of a debt-lints code: ``DL201`` -> ``E7421``.

    The two last digits are the code's family (its first digit) and its
    number within the family (its last digit), so the id never changes while
    the code does not. A code whose middle digit is not 0 has no id yet: the
    registry meta-test fails and the scheme must be extended (never changed).
    """
    digits = code[2:]
    if len(digits) != 3 or not digits.isdigit() or digits[1] != "0":
        raise ValueError(f"{code}: no pylint message id (the scheme covers DLx0y)")
    return f"{PYLINT_CATEGORY[severity]}{PYLINT_CHECKER_ID}{digits[0]}{digits[2]}"


#: Rules the hosts report themselves: a file flake8 or pylint cannot parse is
#: their E999 / E0001, and they run no plugin on it.
HOST_REPORTED: frozenset[str] = frozenset({"DL001"})


def pylint_rules() -> tuple[type[Rule], ...]:
    """The rules that are pylint messages: all but those pylint reports itself.

    DL001 is left out: pylint reports a file it cannot parse as
    ``syntax-error`` (E0001) and runs no checker on it. DL002 (reported by the
    engine, not by a visitor) is a message like any other.
    """
    from debt_lints.engine.registry import all_rules

    return tuple(rule for rule in all_rules() if rule.code not in HOST_REPORTED)


def bandit_rules() -> tuple[type[Rule], ...]:
    """The rules that are bandit tests: those with security metadata."""
    from debt_lints.engine.registry import all_rules

    return tuple(rule for rule in all_rules() if rule.security is not None)


def bandit_test_name(rule: type[Rule]) -> str:
    """The bandit plugin name: the rule name with ``_`` (``# nosec`` splits names on ``-``)."""
    return rule.name.replace("-", "_")


def bandit_entry_points() -> str:
    """The ``bandit.plugins`` entry points, one per bandit test, as ``pyproject.toml`` lines."""
    return "".join(
        f'{bandit_test_name(rule)} = "debt_lints.adapters.bandit:{bandit_test_name(rule)}"\n'
        for rule in bandit_rules()
    )


def id_table() -> str:
    """The Markdown table of every code's name in each host."""
    from debt_lints.engine.registry import all_rules

    rows = [
        "| code | flake8 | pylint id | pylint symbol | bandit test (severity, confidence, CWE) |",
        "| --- | --- | --- | --- | --- |",
        f"| {PLUGIN_ERROR_CODE} | {PLUGIN_ERROR_CODE} | {pylint_message_id(PLUGIN_ERROR_CODE)}"
        f" | `{PLUGIN_ERROR_SYMBOL}` | - |",
    ]
    pylint = set(pylint_rules())
    for rule in all_rules():
        if rule in pylint:
            pylint_id, symbol = pylint_message_id(rule.code, rule.severity), f"`{rule.name}`"
        else:
            pylint_id, symbol = "-", "- (reported by pylint itself)"
        flake8 = "- (E999)" if rule.code in HOST_REPORTED else rule.code
        bandit = "-"
        if rule.security is not None:
            sec = rule.security
            bandit = (
                f"{rule.code} `{bandit_test_name(rule)}` ({sec.bandit_severity},"
                f" {sec.confidence}, CWE-{sec.cwe})"
            )
        rows.append(f"| {rule.code} | {flake8} | {pylint_id} | {symbol} | {bandit} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    # The former command, kept as an alias of the one generator (which also
    # writes the other generated files). By name: the generator is a layer above.
    import runpy
    import sys

    # Its positional argument (a directory, a file) no longer applies; flags pass on.
    sys.argv[1:] = [arg for arg in sys.argv[1:] if arg.startswith("-")]
    print("note: the command is now python -m debt_lints.devtools.generate", file=sys.stderr)
    runpy.run_module("debt_lints.devtools.generate", run_name="__main__", alter_sys=True)
