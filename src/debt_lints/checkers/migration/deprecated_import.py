from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from debt_lints.context import FileContext, ProjectView
from debt_lints.model import Finding, Option, Rule, Severity
from debt_lints.patterns import call_arg

if TYPE_CHECKING:
    from debt_lints.settings import Settings

DEPRECATED_IMPORTS = Option(
    name="deprecated-imports",
    kind="str-map",
    default={},
    help="Deprecated modules: old module -> replacement module ('' for none).",
)

_IMPORT_MODULE = "importlib.import_module"
_DUNDER_IMPORT = frozenset({"__import__", "builtins.__import__", "importlib.__import__"})
#: Attribute names of the calls above (``importlib.import_module``).
_CALL_NAMES = frozenset({"import_module", "__import__"})


class _Match(NamedTuple):
    #: The configured deprecated module that matched (the longest prefix).
    key: str
    #: The module as imported, and what to import instead ("" when none).
    module: str
    replacement: str


class DeprecatedImport(Rule):
    """
    ## What it does
    Flags every import of a module listed in `deprecated-imports`, or of any
    submodule of it, and names the replacement: `import a.b`,
    `import a.b as x`, `import a.b.c`, `from a.b import c`, `from a import b`
    when `a.b` is deprecated, relative imports (resolved from the file's
    place in the project), `importlib.import_module("a.b")` (also
    `import_module(".b", "a")` and `import_module(".b", __package__)`), and
    `__import__("a.b")`. A submodule's message names the matching submodule
    of the replacement (`a.b.c` -> `x.c`). When both `a` and `a.b` are
    listed, the longest match wins.

    `import a.b` and `from a import b` are reported at the imported name
    (`a.b`, `b`), so that `from a import b, c` points at `b` only;
    `from a.b import c, d` is reported once, at the statement.

    ## Why is this debt
    The audit found two to three copies of the core utilities
    (`main_pc_code/utils/path_manager.py` next to `common/utils/path_manager.py`,
    the config loaders, the env loaders ...) and planned to keep the `common`
    versions, leave backward-compatible shims in place of the old modules,
    rewrite the imports, then delete the old directories. The shims can only
    be deleted when nothing imports them any more; without a check, new code
    keeps importing the old copies and the duplicates never go away.

    ## Example
    ```python
    from main_pc_code.utils.path_manager import PathManager

    LOG_DIR = PathManager.get_logs_dir()
    ```

    ## Use instead
    ```python
    from common.utils.path_manager import PathManager

    LOG_DIR = PathManager.get_logs_dir()
    ```

    ## Options
    `deprecated-imports` maps each deprecated module (a dotted name; its
    submodules are deprecated with it) to the module that replaces it. An
    empty replacement means the module has none: the message then asks to
    remove the import. With no entries (the default) the rule reports
    nothing.

    ```toml
    [tool.debt-lints]
    # ... other settings ...

    [tool.debt-lints.deprecated-imports]
    "main_pc_code.utils.path_manager" = "common.utils.path_manager"
    "main_pc_code.utils.env_loader" = "common_utils.env_loader"
    "pc2_code.utils.config_loader" = "common.config_manager"
    ```

    ## Known limits
    An import is matched by what it reaches, through the project index: with
    `import-roots = [".", "main_pc_code"]`, `import utils.path_manager` in
    any file is the deprecated `main_pc_code.utils.path_manager` when that is
    the first root holding `utils/path_manager.py` (a copy at the repository
    root would shadow it, as at run time). Only spellings that end like a
    configured module are looked up, and only in the project's own files: a
    name that reaches no project file is matched as written. Relative imports
    resolve from the file's own package (the directory layout); one that
    climbs above the top-level package is ignored (it fails at run time).
    Modules reached only through a symbolic link are not followed, and `.pth`
    files, `sys.path` changes made at run time and installed packages are not
    import roots (list the directories in `import-roots`).
    Imports under `if TYPE_CHECKING:` and fallback imports in
    `try: ... except ImportError:` are reported too: they still tie the code
    to the module that is going away; put `# noqa: DL101` on a fallback that
    is meant to stay until the rollout ends. A file inside a deprecated
    package (the old implementation or its shim) is not reported for
    importing other parts of that same deprecated package. Dynamic imports are matched when the
    name is a literal, or an f-string or `+` concatenation whose literal
    start is already a deprecated package (`f"main_pc_code.utils.{name}"`);
    `mock.patch("a.b.C")` and other strings that merely name a module are
    not imports and are not reported.
    """

    code = "DL101"
    name = "deprecated-import"
    summary = "a deprecated module is imported instead of its replacement"
    message = "module is deprecated; import its replacement instead"
    severity = Severity.WARNING
    options = (DEPRECATED_IMPORTS,)

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        table: dict[str, str] = {}
        for raw_old, raw_new in settings.str_map(DEPRECATED_IMPORTS.name).items():
            old, new = raw_old.strip(), raw_new.strip()
            if old and old != new:
                table[old] = new
        #: Deprecated module -> replacement, looked up by full dotted name.
        self.deprecated = table
        #: First components of every key: most imports are rejected by one set lookup.
        self.roots = frozenset(key.partition(".")[0] for key in table)
        #: Trailing parts of every key (``utils.path_manager`` of
        #: ``main_pc_code.utils.path_manager``): an import spelled so may reach
        #: the deprecated module through an import root; the index decides.
        self.tails = frozenset(
            key.split(".", i)[-1] for key in table for i in range(1, key.count(".") + 1)
        )
        self.tail_heads = frozenset(tail.partition(".")[0] for tail in self.tails)

    # --- import statements ---------------------------------------------------------

    def visit_Import(self, node: ast.Import, ctx: FileContext) -> None:
        if not self.deprecated:
            return
        for alias in node.names:
            match = self.match(alias.name, ctx)
            if match is not None:
                ctx.report(alias, _message(match))
            else:
                self._maybe_elsewhere(alias.name, alias, ctx)

    def visit_ImportFrom(self, node: ast.ImportFrom, ctx: FileContext) -> None:
        if not self.deprecated:
            return
        base = ctx.resolve_from(node)
        if not base:
            return
        module_match = self.match(base, ctx)
        if module_match is not None:
            ctx.report(node, _message(module_match))
        elif not node.level and self._maybe_elsewhere(base, node, ctx):
            return
        for alias in node.names:
            if alias.name == "*":
                continue
            match = self.match(f"{base}.{alias.name}", ctx)
            # A name under a deprecated module is covered by the statement's
            # finding unless a more specific entry lists it (`a` and `a.b`).
            if match is not None and (
                module_match is None or len(match.key) > len(module_match.key)
            ):
                ctx.report(alias, _message(match))
            elif match is None and module_match is None and not node.level:
                self._maybe_elsewhere(f"{base}.{alias.name}", alias, ctx)

    # --- importlib.import_module and __import__ ---------------------------------------

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if not self.deprecated:
            return
        func = node.func
        # Most calls are method calls: reject them on the attribute name before
        # resolving. A bare name may be an alias (`import_module as load`).
        if isinstance(func, ast.Attribute) and func.attr not in _CALL_NAMES:
            return
        name = ctx.resolve(func)
        if name == _IMPORT_MODULE:
            self._check_import_module(node, ctx)
        elif name in _DUNDER_IMPORT:
            self._check_dunder_import(node, ctx)

    def _check_import_module(self, call: ast.Call, ctx: FileContext) -> None:
        arg = call_arg(call, 0, "name")
        module = _static_module(arg)
        if arg is None or module is None:
            return
        if module.startswith("."):
            package = _package_value(call_arg(call, 1, "package"), ctx)
            module = _resolve_name(module, package) if package else None
            if module is None:
                return
        match = self.match(module, ctx)
        if match is not None:
            ctx.report(arg, _message(match))
        else:
            self._maybe_elsewhere(module, arg, ctx)

    def _check_dunder_import(self, call: ast.Call, ctx: FileContext) -> None:
        arg = call_arg(call, 0, "name")
        module = _static_module(arg)
        if arg is None or module is None:
            return
        level_arg = call_arg(call, 4, "level")
        level: object = 0
        if level_arg is not None:
            level = level_arg.value if isinstance(level_arg, ast.Constant) else None
        if not isinstance(level, int) or isinstance(level, bool) or level < 0:
            return  # a level computed at run time, or one that raises ValueError
        if level > 0:
            resolved = ctx.resolve_relative(module, level)
            if resolved is None:
                return
            module = resolved
        if not module:
            return
        module_match = self.match(module, ctx)
        if module_match is not None:
            ctx.report(arg, _message(module_match))
        elif not level:
            self._maybe_elsewhere(module, arg, ctx)
        # __import__("a", fromlist=["b"]) imports the submodule a.b too.
        fromlist = call_arg(call, 3, "fromlist")
        if not isinstance(fromlist, (ast.List, ast.Tuple)):
            return
        for item in fromlist.elts:
            if isinstance(item, ast.Constant) and isinstance(item.value, str):
                match = self.match(f"{module}.{item.value}", ctx)
                if match is not None and (
                    module_match is None or len(match.key) > len(module_match.key)
                ):
                    ctx.report(item, _message(match))

    # --- through the import roots (settled by the project index) -----------------------

    def _maybe_elsewhere(self, module: str, node: ast.AST, ctx: FileContext) -> bool:
        """Defer ``module`` when its spelling is the tail of a deprecated module's name.

        ``utils.path_manager`` may be ``main_pc_code.utils.path_manager`` when
        ``main_pc_code`` is an import root; which file it reaches is for the
        project index to say (:meth:`settle`).
        """
        if module.partition(".")[0] not in self.tail_heads:
            return False
        candidate = module
        while candidate not in self.tails:
            cut = candidate.rfind(".")
            if cut < 0:
                return False
            candidate = candidate[:cut]
        ctx.defer(node, [ctx.relpath, module])
        return True

    def settle(self, question: object, finding: Finding, project: ProjectView) -> Finding | None:
        """Report the import when the file it reaches is a deprecated module."""
        if not (isinstance(question, list) and len(question) == 2):
            return None
        relpath, written = question
        if not (isinstance(relpath, str) and isinstance(written, str)):
            return None
        target = project.file_of(written)
        if target is None:
            return None
        own = project.names_of(relpath)
        for name in project.names_of(target):
            key = self._longest_key(name)
            if key is None or any(n == key or n.startswith(key + ".") for n in own):
                continue
            new = self.deprecated[key]
            match = _Match(key, name, new + name[len(key) :] if new else "")
            return replace(finding, message=_message(match, written))
        return None

    # --- lookup --------------------------------------------------------------------

    def match(self, module: str, ctx: FileContext) -> _Match | None:
        """The longest deprecated prefix of ``module``, walking its dotted parts.

        One dictionary lookup per component of ``module``, whatever the size
        of the configuration. ``None`` when nothing matches, or when the file
        being checked sits inside a deprecated module that also contains
        ``module`` (the old package importing its own parts).
        """
        key = self._longest_key(module)
        if key is None:
            return None
        own = self._longest_key(ctx.module) if ctx.module else None
        while own is not None:
            if module == own or module.startswith(own + "."):
                return None
            cut = own.rfind(".")
            own = self._longest_key(own[:cut]) if cut > 0 else None
        new = self.deprecated[key]
        replacement = new + module[len(key) :] if new else ""
        return _Match(key, module, replacement)

    def _longest_key(self, module: str) -> str | None:
        if module.partition(".")[0] not in self.roots:
            return None
        candidate = module
        while candidate not in self.deprecated:
            cut = candidate.rfind(".")
            if cut < 0:
                return None
            candidate = candidate[:cut]
        return candidate


def _message(match: _Match, written: str = "") -> str:
    """What matched, and what to do; ``written`` is the spelling when it differs."""
    module = match.module
    if written and written != module:
        module = f"{written} (that is, {module})"
    if not match.replacement:
        return f"{module} is deprecated and has no replacement; remove the import"
    return f"{module} is deprecated; import {match.replacement} instead"


def _static_module(node: ast.AST | None) -> str | None:
    """The module a dynamic import names: a literal, or the literal start of a built name.

    For ``f"a.b.{name}"`` or ``"a.b." + name`` the known part is ``a.b``:
    every module the call can import is inside it.
    """
    if isinstance(node, ast.Constant):
        return _valid(node.value) if isinstance(node.value, str) else None
    prefix: str | None = None
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            if len(node.values) == 1:  # an f-string without placeholders
                return _valid(first.value)
            prefix = first.value
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = node.left
        while isinstance(left, ast.BinOp) and isinstance(left.op, ast.Add):
            left = left.left
        if isinstance(left, ast.Constant) and isinstance(left.value, str):
            prefix = left.value
    if prefix is None or prefix.startswith("."):
        return None
    known = prefix.rpartition(".")[0]
    return _valid(known) if known else None


def _valid(name: str) -> str | None:
    """``name`` if it is a well-formed module name (leading dots allowed), else ``None``."""
    dotted = name.lstrip(".")
    if dotted and not all(part.isidentifier() for part in dotted.split(".")):
        return None
    return name


def _package_value(node: ast.AST | None, ctx: FileContext) -> str | None:
    """The ``package`` argument of ``import_module``: a literal or this file's own package."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        if node.id == "__package__":
            return ctx.package
        if node.id == "__name__" and ctx.is_package:
            return ctx.module
    if node is not None and ctx.dotted(node) == "__spec__.parent":
        return ctx.package
    return None


def _resolve_name(name: str, package: str) -> str | None:
    """``importlib.util.resolve_name``, without importing anything."""
    level = len(name) - len(name.lstrip("."))
    bits = package.rsplit(".", level - 1)
    if len(bits) < level:
        return None
    rest = name[level:]
    return f"{bits[0]}.{rest}" if rest else bits[0]
