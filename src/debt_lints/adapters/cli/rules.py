"""``debt-lints rules`` and ``debt-lints rule CODE``."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    p = sub.add_parser("rules", help="list the rule catalogue")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=list_rules)
    q = sub.add_parser("rule", help="print one rule's documentation")
    q.add_argument("rule", metavar="CODE_OR_NAME")
    q.set_defaults(func=show_rule)


def list_rules(args: argparse.Namespace) -> int:
    from debt_lints.adapters.cli import write_stdout
    from debt_lints.engine.registry import all_rules

    rules = all_rules()
    if args.format == "json":
        import json

        data = [
            {
                "code": r.code,
                "name": r.name,
                "summary": r.summary,
                "severity": r.severity.value,
                "family": r.family(),
            }
            for r in rules
        ]
        write_stdout(json.dumps(data, indent=2) + "\n")
        return 0
    width = max(len(r.name) for r in rules)
    # Through write_stdout: a reader that went away (``| head``) is no failure.
    write_stdout("".join(f"{r.code}  {r.name:<{width}}  {r.summary}\n" for r in rules))
    return 0


def show_rule(args: argparse.Namespace) -> int:
    from debt_lints.adapters.cli import UsageError, write_stdout
    from debt_lints.docs import render_rule
    from debt_lints.engine.registry import lookup

    rule = lookup(args.rule)
    if rule is None:
        raise UsageError(f"unknown rule {args.rule!r} (see 'debt-lints rules')")
    # The page without the note addressed to whoever edits docs/rules/.
    write_stdout(render_rule(rule, generated_note=False))
    return 0
