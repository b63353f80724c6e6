from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from debt_lints.context import FileContext
from debt_lints.model import Option, Rule, Severity
from debt_lints.patterns import env_accesses

if TYPE_CHECKING:
    from debt_lints.settings import Settings

RENAMED_ENV_VARS = Option(
    name="renamed-env-vars",
    kind="str-map",
    default={},
    help="Environment variables that were renamed: old name -> new name.",
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

    ## Known limits
    Only names written as string literals at the access are matched: a name
    held in a variable or built at run time (`os.getenv(f"{machine}_IP")`,
    `for name in NAMES: os.getenv(name)`) and project helpers that wrap the
    environment (`env_loader.get("MAIN_PC_IP")`) are not followed. A copy of
    the environment (`env = os.environ.copy(); env["MAIN_PC_IP"] = ...`, for
    a child process) is a plain dict and is not reported. A name merely
    mentioned in a string (a log message, a docstring) is not an access.
    Environment references inside YAML, Dockerfiles or shell scripts are not
    checked. The compatibility shim that deliberately reads the old name as a
    fallback during the rollout is reported too: mark it with
    `# noqa: DL103` so that it is the one place left to delete.
    """

    code = "DL103"
    name = "renamed-env-var"
    summary = "an environment variable is used under its old, renamed name"
    message = "environment variable was renamed; use its new name"
    severity = Severity.WARNING
    options = (RENAMED_ENV_VARS,)

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        # An entry mapping a name to itself renames nothing.
        self.renamed = {
            old: new for old, new in settings.str_map(RENAMED_ENV_VARS.name).items() if old != new
        }

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
            if new is not None:
                ctx.report(access.node, f"{access.name} was renamed; use {new}")
