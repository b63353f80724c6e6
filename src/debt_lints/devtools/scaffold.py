"""A new rule in two files.

``python -m debt_lints.devtools.scaffold DL503 blocking-context-term resources``

Writes the rule's module under ``src/debt_lints/checkers/<family>/`` (its
docstring in the six documentation sections) and its fixture under
``tests/fixtures/rules/`` (cases that are flagged, ``# expect:`` beside them,
and clean ones), both in the project's style and both passing the suite's
meta-tests as written: the placeholder rule flags calls of
``legacy.blocking_call``, to be replaced by what the new rule looks for.
The code, the name and the family are checked against the registry first,
and no existing file is ever overwritten. Then ``python -m debt_lints.devtools.generate``
writes the rule's page and its rows in the README and the id table.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from debt_lints.core.model import CODE_RE, NAME_RE

FAMILY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
CHECKERS_DIR = "src/debt_lints/checkers"
FIXTURES_DIR = "tests/fixtures/rules"


class ScaffoldError(Exception):
    """The code, name or family cannot be used, or a file is already there."""


@dataclass(frozen=True)
class Plan:
    """What the scaffold writes: root-relative path -> content, in order."""

    files: tuple[tuple[str, str], ...]


def class_name(name: str) -> str:
    """``blocking-context-term`` -> ``BlockingContextTerm``."""
    return "".join(part.capitalize() for part in name.split("-"))


def validate(code: str, name: str, family: str, root: Path, new_family: bool = False) -> None:
    """Raise :class:`ScaffoldError` unless ``code name family`` can be a new rule in ``root``.

    The code is ``DLxyz`` with a pylint message id (``y`` is 0), free in the
    registry (not a rule's, not reserved, not retired) and in the range of
    its family; the name is kebab-case and free; the family is an existing
    package of ``checkers/`` (or, with ``new_family``, a new one whose range
    no other family uses).
    """
    from debt_lints.engine.registry import RESERVED, RETIRED, all_rules
    from debt_lints.hosts.plugin_ids import pylint_message_id

    if not CODE_RE.match(code):
        raise ScaffoldError(f"{code!r}: a code is DL and three digits (DL503)")
    try:
        pylint_message_id(code)
    except ValueError:
        raise ScaffoldError(
            f"{code}: the middle digit must be 0 (codes are DLx0y; pylint ids cover no others)"
        ) from None
    if not NAME_RE.match(name):
        raise ScaffoldError(f"{name!r}: a name is kebab-case, naming the debt (sys-path-injection)")
    if not FAMILY_RE.match(family):
        raise ScaffoldError(f"{family!r}: a family is a package name (resources)")
    rules = all_rules()
    for rule in rules:
        if rule.code == code:
            raise ScaffoldError(f"{code} is taken by {rule.name}")
        if rule.name == name:
            raise ScaffoldError(f"{name} is taken by {rule.code}")
    if code in RESERVED:
        raise ScaffoldError(f"{code} is reserved: {RESERVED[code]}")
    if code in RETIRED:
        raise ScaffoldError(f"{code} is retired (was {RETIRED[code]}) and is never reused")
    package = root / CHECKERS_DIR / family
    if new_family:
        if package.exists():
            raise ScaffoldError(f"{package}: the family exists; leave out --new-family")
        owners = sorted({r.family() for r in rules if r.code[2] == code[2]})
        if owners:
            raise ScaffoldError(f"{code}: DL{code[2]}xx belongs to {', '.join(owners)}")
        return
    if not (package / "__init__.py").is_file():
        families = sorted(p.name for p in (root / CHECKERS_DIR).iterdir() if p.is_dir())
        families = [f for f in families if not f.startswith("__")]
        raise ScaffoldError(
            f"no family {family!r} (one of {', '.join(families)}; --new-family starts one)"
        )
    ranges = sorted({r.code[2] for r in rules if r.family() == family})
    if ranges and code[2] not in ranges:
        raise ScaffoldError(
            f"{code}: family {family} numbers its rules "
            + ", ".join(f"DL{digit}xx" for digit in ranges)
        )


def plan(code: str, name: str, family: str, new_family: bool = False) -> Plan:
    """The files of a new rule (and of a new family's package)."""
    module = name.replace("-", "_")
    files: list[tuple[str, str]] = []
    if new_family:
        files.append((f"{CHECKERS_DIR}/{family}/__init__.py", _FAMILY_INIT))
    files.append((f"{CHECKERS_DIR}/{family}/{module}.py", _module(code, name)))
    files.append((f"{FIXTURES_DIR}/{code}_{module}.py", _fixture(code, name)))
    return Plan(tuple(files))


def write(plan: Plan, root: Path) -> list[str]:
    """Create the planned files; none may exist (checked for all before writing any)."""
    existing = [relpath for relpath, _ in plan.files if (root / relpath).exists()]
    if existing:
        raise ScaffoldError(f"{', '.join(existing)}: already there; nothing was written")
    written = []
    for relpath, content in plan.files:
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: a file created since the check above is not overwritten either.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
        written.append(relpath)
    return written


def _module(code: str, name: str) -> str:
    return (
        _MODULE.replace("__CODE__", code)
        .replace("__NAME__", name)
        .replace("__CLASS__", class_name(name))
    )


def _fixture(code: str, name: str) -> str:
    return _FIXTURE.replace("__CODE__", code).replace("__NAME__", name)


_FAMILY_INIT = '"""Rules of this family; see the package docstring of debt_lints.checkers."""\n'

# The rule as scaffolded: a working rule (it flags calls of one qualified name)
# so that the meta-tests, the fixture and the hosts' parity pass before the
# contributor has written a line; every TODO says what to replace.
_MODULE = '''from __future__ import annotations

import ast

from debt_lints.analysis.context import FileContext
from debt_lints.core.model import Rule, Severity

# TODO: what the rule looks for. As scaffolded: calls of these qualified names,
# resolved through the imports (`import legacy as lg; lg.blocking_call()` counts).
_CALLS = frozenset({"legacy.blocking_call"})
#: Their last names, to leave every other call before resolving anything.
_SHORT_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in _CALLS)


class __CLASS__(Rule):
    """
    ## What it does
    TODO: what the rule flags, precisely. As scaffolded: every call of
    `legacy.blocking_call`, through any import alias.

    ## Why is this debt
    TODO: what goes wrong because of it, and what the audit found.

    ## Example
    ```python
    import legacy


    def handle(request):
        return legacy.blocking_call(request)
    ```

    ## Use instead
    ```python
    import legacy


    def handle(request):
        return legacy.call(request, timeout=5)
    ```

    ## Options
    None.

    ## Known limits
    TODO: what the rule cannot see, and what it assumes.
    """

    code = "__CODE__"
    name = "__NAME__"
    summary = "TODO: legacy.blocking_call is called"
    message = "TODO: say what is wrong and what to do instead"
    severity = Severity.WARNING
    #: TODO: words every file the rule reports on contains (a file without
    #: any never runs it); ``None`` when any file may concern the rule.
    evidence = (b"blocking_call",)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        func = node.func
        short = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if short not in _SHORT_NAMES and short not in ctx.aliases:
            return  # most calls are none of these: decide before resolving
        if ctx.resolve(func) in _CALLS:
            ctx.report(node)
'''

_FIXTURE = """# __CODE__ __NAME__. TODO: replace these cases with the rule's own.
import legacy
import legacy as lg
from legacy import blocking_call
from legacy import blocking_call as wait_for


# --- what the rule flags: every call, through any import alias -----------------------
def flagged(request):
    legacy.blocking_call(request)  # expect: __CODE__
    lg.blocking_call(request)  # expect: __CODE__
    blocking_call(request)  # expect: __CODE__
    return wait_for(request)  # expect: __CODE__


# --- clean: other calls of the module, a method of the same name on another
# object, the function named but not called, the call's text in a string -------------
def clean(request, client):
    legacy.call(request, timeout=5)
    client.blocking_call(request)
    callback = legacy.blocking_call
    log = "legacy.blocking_call(request)"
    return callback, log
"""


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m debt_lints.devtools.scaffold CODE NAME FAMILY [--new-family] [--root DIR]``."""
    from debt_lints.devtools.generate import default_root

    parser = argparse.ArgumentParser(
        prog="python -m debt_lints.devtools.scaffold",
        description="Write a new rule's module and fixture.",
    )
    parser.add_argument("code", help="the new code, DLx0y (DL503)")
    parser.add_argument("name", help="the new name, kebab-case (blocking-context-term)")
    parser.add_argument("family", help="the package under checkers/ (resources)")
    parser.add_argument("--new-family", action="store_true", help="start a new family package")
    parser.add_argument("--root", type=Path, default=None, help="the checkout (default: ours)")
    args = parser.parse_args(argv)
    root: Path = args.root or default_root()
    code, name, family = args.code.upper(), args.name, args.family
    try:
        validate(code, name, family, root, args.new_family)
        written = write(plan(code, name, family, args.new_family), root)
    except (ScaffoldError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for relpath in written:
        print(f"wrote {relpath}")
    if args.new_family:
        print(f"then: add {family} (DL{code[2]}xx) to the families in {CHECKERS_DIR}/__init__.py")
    print(
        "next: replace the TODOs (the rule, its doc, the fixture's cases);"
        " add a case to examples/legacy-monorepo and its count to EXPECTED in"
        " tests/test_demo.py; run python -m debt_lints.devtools.generate (see CONTRIBUTING.md)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
