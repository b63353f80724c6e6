"""Documentation rendered from the registry and the configuration declarations.

The rule pages of ``docs/rules/``, the README's rules table and the
configuration reference (``docs/configuration.md``). Nothing here writes a
file: ``python -m debt_lints.devtools.generate`` (:mod:`debt_lints.devtools.generate`) does,
and its test fails when a committed file differs from what is rendered here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from debt_lints.core.model import DOC_SECTIONS, Option, Rule

if TYPE_CHECKING:
    from debt_lints.config import Key

#: The command that writes every generated file (:mod:`debt_lints.devtools.generate`).
GENERATE_COMMAND = "python -m debt_lints.devtools.generate"
GENERATED_NOTE = (
    f"<!-- Generated from the rule's docstring by `{GENERATE_COMMAND}`. Do not edit. -->"
)


def sections(rule: type[Rule]) -> dict[str, str]:
    """The ``## Section`` bodies of a rule's docstring, by title."""
    out: dict[str, str] = {}
    current: str | None = None
    buf: list[str] = []
    for line in rule.doc().splitlines():
        match = re.match(r"^## (.+?)\s*$", line)
        if match:
            if current is not None:
                out[current] = "\n".join(buf).strip()
            current, buf = match.group(1), []
        elif current is not None:
            buf.append(line)
    if current is not None:
        out[current] = "\n".join(buf).strip()
    return out


def code_blocks(text: str) -> list[str]:
    """The fenced code blocks of a documentation section."""
    return [m.group(2) for m in re.finditer(r"```(\w*)\n(.*?)```", text, re.S)]


def render_rule(rule: type[Rule], *, generated_note: bool = True) -> str:
    """One rule's page (``generated_note``: the do-not-edit comment of ``docs/rules/``)."""
    lines = [
        f"# {rule.code} {rule.name}",
        "",
        *([GENERATED_NOTE, ""] if generated_note else []),
        f"*{rule.summary}*",
        "",
        f"- Severity: {rule.severity.value}",
        f"- Family: {rule.family()}",
        f"- Message: `{rule.message}`",
    ]
    if rule.security is not None:
        lines.append(
            f"- Security: CWE-{rule.security.cwe}, bandit severity {rule.security.bandit_severity},"
            f" confidence {rule.security.confidence}"
        )
    if rule.options:
        lines.append(
            "- Options: "
            + ", ".join(f"[`{o.name}`](../configuration.md#{o.name})" for o in rule.options)
        )
    lines.append("")
    body = sections(rule)
    for title in DOC_SECTIONS:
        lines.extend([f"## {title}", "", body.get(title, "").strip() or "None.", ""])
    return "\n".join(lines).rstrip() + "\n"


def render_index() -> str:
    from debt_lints.engine.registry import RETIRED, all_rules

    lines = [
        "# Rules",
        "",
        GENERATED_NOTE,
        "",
        "| code | name | severity | summary |",
        "| --- | --- | --- | --- |",
    ]
    for rule in all_rules():
        lines.append(
            f"| [{rule.code}]({rule.code}.md) | `{rule.name}` "
            f"| {rule.severity.value} | {rule.summary} |"
        )
    if RETIRED:
        lines.extend(["", "## Retired codes", "", "| code | former name |", "| --- | --- |"])
        lines.extend(f"| {code} | `{name}` |" for code, name in sorted(RETIRED.items()))
    return "\n".join(lines) + "\n"


def expected_pages() -> dict[str, str]:
    """File name -> content of every generated page."""
    from debt_lints.engine.registry import all_rules

    pages = {f"{rule.code}.md": render_rule(rule) for rule in all_rules()}
    pages["index.md"] = render_index()
    return pages


def rules_table() -> str:
    """The README's table of every rule: code (linked to its page), name, summary."""
    from debt_lints.engine.registry import all_rules

    rows = ["| code | name | what it flags |", "| --- | --- | --- |"]
    rows.extend(
        f"| [{rule.code}](docs/rules/{rule.code}.md) | `{rule.name}` | {rule.summary} |"
        for rule in all_rules()
    )
    return "\n".join(rows) + "\n"


#: How the reference names an option's ``kind``; another kind is shown as it is spelled.
OPTION_TYPES = {"str-map": "table of strings", "str-list": "array of strings", "bool": "boolean"}


def render_configuration(feature_tables: Mapping[str, Sequence[Key]]) -> str:
    """The configuration reference: every key, its type, default, meaning and readers.

    Top-level keys come from :data:`debt_lints.config.KEYS`, rule options from
    the rules' :class:`Option` declarations (two rules may share one), and the
    keys of each feature sub-table (``typing``) from ``feature_tables``.
    """
    from debt_lints.config import KEYS, TABLE
    from debt_lints.engine.registry import all_options, all_rules

    lines = [f"### Top-level keys of `[tool.{TABLE}]`", ""]
    for key in sorted(KEYS, key=lambda k: k.name):
        lines.extend(_key_entry(key))
    lines.extend(
        [
            "### Rule options",
            "",
            "Each read by the rules named; the rule's page shows it at work.",
            "",
        ]
    )
    readers: dict[str, list[type[Rule]]] = {}
    for rule in all_rules():
        for option in rule.options:
            readers.setdefault(option.name, []).append(rule)
    for name, option in sorted(all_options().items()):
        lines.extend(_option_entry(option, readers[name]))
    for table, keys in sorted(feature_tables.items()):
        lines.extend([f"### `[tool.{TABLE}.{table}]`", ""])
        if not keys:
            lines.extend(["Accepted as a table; no key of it is read yet.", ""])
        for key in sorted(keys, key=lambda k: k.name):
            lines.extend(_key_entry(key, level="####"))
    return "\n".join(lines).rstrip() + "\n"


def _key_entry(key: Key, level: str = "####") -> list[str]:
    return [
        f"{level} `{key.name}`",
        "",
        _sentence(key.help),
        "",
        f"- Type: {key.type}",
        f"- Default: {_code_or_words(key.default)}",
        "",
    ]


def _option_entry(option: Option, rules: Sequence[type[Rule]]) -> list[str]:
    from debt_lints.config import FORMS

    lines = [
        f"#### `{option.name}`",
        "",
        _sentence(option.help),
        "",
        f"- Type: {OPTION_TYPES.get(option.kind, option.kind)}"
        + (f" ({FORMS[option.form][1]})" if option.form in FORMS else ""),
        f"- Default: {option.auto_help}"
        if option.auto is not None
        else f"- Default: `{_toml(option.default)}`",
        "- Read by: "
        + ", ".join(f"[{rule.code}](rules/{rule.code}.md) `{rule.name}`" for rule in rules),
    ]
    if option.extendable:
        lines.append(f"- `extend-{option.name}` adds to the list instead of replacing it")
    return [*lines, ""]


def _sentence(text: str) -> str:
    """A help text as a sentence: capitalised, full stop, without a trailing ``(DL202)``."""
    text = re.sub(r"\s*\((?:DL\d{3}(?:,\s*)?)+\)\s*$", "", text.strip())
    if not text:
        return "Undocumented."
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _code_or_words(default: str) -> str:
    """A default: its TOML value in backticks (``[]``, ``"x"``, ``10`` and a gloss); words as is."""
    if default[:1] in '["{':
        return f"`{default}`"
    number, _, gloss = default.partition(" ")
    if number.isdigit():
        return f"`{number}` {gloss}".rstrip()
    return default


def _toml(value: object) -> str:
    """A default value written as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        import json

        return json.dumps(value)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_toml(str(k))} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return "[" + ", ".join(_toml(v) for v in items) + "]"
    return str(value)


if __name__ == "__main__":
    # The former command, kept as an alias of the one generator (which also
    # writes the other generated files). By name: the generator is a layer above.
    import runpy
    import sys

    # Its positional argument (a directory, a file) no longer applies; flags pass on.
    sys.argv[1:] = [arg for arg in sys.argv[1:] if arg.startswith("-")]
    print("note: the command is now python -m debt_lints.devtools.generate", file=sys.stderr)
    runpy.run_module("debt_lints.devtools.generate", run_name="__main__", alter_sys=True)
