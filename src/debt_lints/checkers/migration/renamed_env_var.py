from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from debt_lints.analysis.context import FileContext
from debt_lints.analysis.fallbacks import env_fallback
from debt_lints.analysis.patterns import ENV_CALL_NAMES, EnvAccess, env_accesses
from debt_lints.core.model import Applicability, Calls, Edit, Fix, Option, Rule, Severity

if TYPE_CHECKING:
    from debt_lints.core.settings import Settings

RENAMED_ENV_VARS = Option(
    name="renamed-env-vars",
    kind="str-map",
    default={},
    help="Environment variables that were renamed: old name -> new name.",
    form="env-var-names",
)
RENAMED_ENV_VARS_FALLBACK = Option(
    name="renamed-env-vars-fallback",
    kind="bool",
    default=False,
    help="During the rollout: fix reads to take the new name, falling back to the old one.",
)


class RenamedEnvVar(Rule):
    """
    ## What it does
    Flags every read or write of an environment variable listed in
    `renamed-env-vars` under its old name: `os.environ[...]` (read, assignment,
    `del`), `os.environ.get`, `setdefault`, `pop` and `update`,
    `os.environ |= {...}`, `os.getenv`, `os.putenv`, `os.unsetenv` and
    `"X" in os.environ`, also through `from os import environ, getenv` and
    aliases such as `import os as o`. The finding points at the string that
    names the variable.

    ## Why is this debt
    The audit found the same setting under two names (`MAIN_PC_IP` on the
    main PC, `MAINPC_IP` elsewhere) and asked for one naming style with a
    fallback mapping during the rollout. Every agent that still reads the old
    name silently falls back to its default when only the new name is set,
    which in a distributed system means connecting to the wrong host. Once
    the rollout is over the old names can only be removed when nothing reads
    them any more.

    ## Example
    ```python
    import os

    MAIN_PC_IP = os.environ.get("MAIN_PC_IP", "192.168.100.16")
    ```

    ## Use instead
    ```python
    import os

    MAIN_PC_IP = os.environ.get("MAINPC_IP", "192.168.100.16")
    ```

    ## Options
    `renamed-env-vars` maps each old name to its new name. With no entries
    (the default) the rule reports nothing.

    ```toml
    [tool.debt-lints]
    renamed-env-vars = { MAIN_PC_IP = "MAINPC_IP", PC2_IP_ADDRESS = "PC2_IP" }
    ```

    `check --fix --unsafe-fixes` renames the variable in the literal (unsafe:
    every deployment must set the new name first). During the rollout, set
    `renamed-env-vars-fallback` to `true`: the fix of a read is then safe and
    reads the new name, falling back to the old one
    (`os.environ.get("MAINPC_IP", os.environ.get("MAIN_PC_IP", "d"))`, the
    same with `os.getenv`; `os.environ["MAIN_PC_IP"]`, which would raise
    before the new name is tried, gets the unsafe rename), and a fallback
    read of the old name is not reported while the option is on: a read of
    the old name that runs only where the new one was read and found
    missing or empty, whatever its spelling (`os.environ.get("MAINPC_IP")
    or os.environ.get("MAIN_PC_IP")`; `ip = os.getenv("MAINPC_IP")` then
    `ip = ip or os.getenv("MAIN_PC_IP")` or `if ip is None: ip = ...`;
    after `if ip: return ip`), and the deprecation notice's membership
    test in that branch (`if ip is None and "MAIN_PC_IP" in os.environ:
    log.warning(...)`). The old name read alone, or read first with the new
    name as its fallback, is still reported. Turn the option off when the
    rollout ends and the fallbacks are reported again, without a fix: a
    fallback is deleted, not renamed (renamed, the deprecation notice's
    branch would be dead code).

    ## Known limits
    Only names written as string literals at the access are matched: a name
    held in a variable or built at run time (`os.getenv(f"{machine}_IP")`,
    `for name in NAMES: os.getenv(name)`) and project helpers that wrap the
    environment (`env_loader.get("MAIN_PC_IP")`) are not followed. A copy of
    the environment (`env = os.environ.copy(); env["MAIN_PC_IP"] = ...`, for
    a child process) is a plain dict and is not reported. A name merely
    mentioned in a string (a log message, a docstring) is not an access.
    Environment references inside YAML, Dockerfiles or shell scripts are not
    checked. Without `renamed-env-vars-fallback`, the compatibility shim that
    deliberately reads the old name as a fallback during the rollout is
    reported too: mark it with `# noqa: DL103` so that it is the one place
    left to delete. With it, a fallback is seen in the function that reads
    the new name: a guard in a caller (`def old(): return
    os.getenv("MAIN_PC_IP")` called where the new name is missing), a new
    value that went through another call first (`os.getenv("MAINPC_IP",
    "").strip() or os.getenv("MAIN_PC_IP")`), a `self` attribute, or a
    name the new value reaches on one path only (`ip = None`, then `if
    use_env: ip = os.getenv("MAINPC_IP")`) leave the old read reported.
    """

    code = "DL103"
    evidence = (b"env",)
    wanted_calls = Calls(names=ENV_CALL_NAMES, imported=True)
    name = "renamed-env-var"
    summary = "an environment variable is used under its old, renamed name"
    message = "environment variable was renamed; use its new name"
    severity = Severity.WARNING
    options = (RENAMED_ENV_VARS, RENAMED_ENV_VARS_FALLBACK)
    fixes = True

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        # An entry mapping a name to itself renames nothing.
        self.renamed = {
            old: new for old, new in settings.str_map(RENAMED_ENV_VARS.name).items() if old != new
        }
        self.fallback = settings.flag(RENAMED_ENV_VARS_FALLBACK.name)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        self._check(node, ctx)

    def visit_Subscript(self, node: ast.Subscript, ctx: FileContext) -> None:
        self._check(node, ctx)

    def visit_Compare(self, node: ast.Compare, ctx: FileContext) -> None:
        self._check(node, ctx)

    def visit_AugAssign(self, node: ast.AugAssign, ctx: FileContext) -> None:
        self._check(node, ctx)

    def _check(self, node: ast.AST, ctx: FileContext) -> None:
        if not self.renamed:
            return
        for access in env_accesses(node, ctx):
            if access.name is None:
                continue
            new = self.renamed.get(access.name)
            if new is None:
                continue
            fallback = access.kind == "read" and env_fallback(node, new, ctx)
            if self.fallback and fallback:
                continue  # the rollout's fallback mapping, which the option asks for
            ctx.report(
                access.node,
                f"{access.name} was renamed; use {new}",
                # A fallback is deleted when the rollout ends, not renamed: the new name
                # read where it is missing (a deprecation notice's branch) is dead code.
                fix=None if fallback else self.fix(node, access, new, ctx),
            )

    def fix(self, node: ast.AST, access: EnvAccess, new: str, ctx: FileContext) -> Fix | None:
        """Rename the literal (unsafe); with the fallback option, a read falls back (safe)."""
        if self.fallback and access.kind == "read":
            fallback = _fallback_fix(node, access, new, ctx)
            if fallback is not None:
                return fallback
        assert access.name is not None
        edit = _literal_edit(access.node, access.name, new, ctx)
        if edit is None:
            return None
        return Fix((edit,), Applicability.UNSAFE, f"use {new} instead of {access.name}")


_LITERAL = re.compile(r"^([rRuU]?)('|\")(.*)\2$")
#: What a new name must be to be written into code (as ``config.FORMS`` checks it).
_ENV_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _literal_edit(node: ast.AST, value: str, new: str, ctx: FileContext) -> Edit | None:
    """Replace the characters of a one-line string literal that is exactly ``value``."""
    text = ctx.source_of(node)
    match = _LITERAL.match(text) if text is not None else None
    if match is None or match.group(3) != value or "\\" in value or not _plain(new):
        return None
    edit = ctx.edit(node, "")
    start = edit.column + len(match.group(1)) + 1
    return Edit(edit.line, start, edit.line, start + len(value), new)


def _plain(name: str) -> bool:
    """``name`` goes into any string literal as it is (the configuration checks it too)."""
    return _ENV_VAR_NAME.match(name) is not None


def _read_call(node: ast.AST | None, ctx: FileContext) -> bool:
    """``os.environ.get(...)`` or ``os.getenv(...)`` (through aliases)."""
    if not isinstance(node, ast.Call):
        return False
    name = ctx.resolve(node.func) or ""
    return name in {"os.environ.get", "os.getenv"}


def _fallback_fix(node: ast.AST, access: EnvAccess, new: str, ctx: FileContext) -> Fix | None:
    """Wrap the read: ``get("NEW", <the old read, unchanged>)``."""
    if _read_call(node, ctx) and isinstance(node, ast.Call):
        if len(node.args) + len(node.keywords) > 2 or node.keywords:
            return None
        head = ctx.source_of(node.func)
        if head is None or "\n" in head or "\r" in head:
            return None
        if not _plain(new):
            return None
        before = f"{head}({new!r}, "
    else:
        return None
    quote = ctx.source_of(access.node) or "'"
    if quote.lstrip("rRuU").startswith('"'):
        before = before.replace(repr(new), '"' + new + '"')
    edits = (ctx.insert_before(node, before), ctx.edit(node, ")", at_end=True))
    return Fix(edits, Applicability.SAFE, f"read {new}, falling back to {access.name}")
