from __future__ import annotations

import ast
import keyword
import re
from collections import deque
from typing import TYPE_CHECKING, NamedTuple

from debt_lints.analysis.context import (
    TEST_FILES,
    FileContext,
    ProjectView,
    option_globs,
    split_lines,
)
from debt_lints.analysis.patterns import call_arg
from debt_lints.analysis.semantic import model_of
from debt_lints.core.model import (
    Applicability,
    Calls,
    Edit,
    Finding,
    Fix,
    Option,
    Requirement,
    Rule,
    Severity,
)
from debt_lints.core.record import replace

if TYPE_CHECKING:
    from debt_lints.core.settings import Settings

DEPRECATED_IMPORTS = Option(
    name="deprecated-imports",
    kind="str-map",
    default={},
    help="Deprecated modules: old module -> replacement module ('' for none).",
    form="module-names",
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
    nothing. `test-files` (shared with DL301 and DL401) says which files are
    tests: a deprecated module's own test, and a test of its deprecation
    warning, go with it (see *Known limits*).

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
    importing other parts of that same deprecated package.

    What goes away with the module that imports it is not reported:

    * a deprecated module's import of another deprecated module, when the
      importer has no replacement (it is deleted, its imports with it), the
      imported module has none (nothing to import instead while the importer
      lives), or both have the same one (`glib2reactor` built on
      `gtk2reactor`, both replaced by `gireactor`: the fix would make the
      replacement import itself). Two old copies with different
      replacements (the demo's old `config_loader` importing the old
      `path_manager`) are still reported: the code moved to the one
      replacement must import the other;
    * the test of a deprecated module, judged as that module: a file of
      `test-files` named `test_<name>.py` or `<name>_test.py` (`tests_`,
      `_tests`, a leading `_`) importing a deprecated module whose last
      part is `<name>` or ends it (`test_extension_statsmailer.py`). When
      the replacement has the same name (`main_pc_code.utils.path_manager`
      moved to `common.utils.path_manager`), the name does not say which is
      tested: only a test inside the old module's top-level package is its
      own; `common/tests/test_path_manager.py` importing the old path of the
      live utility is reported;
    * a test of the deprecation itself: in a `test-files` file, an import
      inside `with pytest.deprecated_call()`, `pytest.warns(...)` or
      `assertWarns(...)` of a deprecation category, or in a test function
      that checks its warnings by a call (trial's `flushWarnings`,
      `self.assertWarns(DeprecationWarning, f)`), or one whose names are
      used only there. Silencing the warning (`warnings.catch_warnings()`)
      is not a check: that import is reported.

    * the test a deprecated module names as its own in its first lines
      (`# -*- test-case-name: web.test.test_xml -*-`, the Emacs file
      variable Twisted's trial reads; several names separated by commas):
      `test_xml.py` testing `microdom` is microdom's test, and the
      deprecated helpers it imports with no replacement go with it. Asked of
      the project index, so a host that checks a file alone does not see it
      (and does not report those imports), and only for imports of modules
      with no replacement: an import with a replacement keeps its finding
      and its fix.

    A test named after something else that no header names, or tied to its
    module only by its classes' names (`MicroDOMTests`), is not seen as the
    module's test and is reported. Dynamic imports are matched when the
    name is a literal, or an f-string or `+` concatenation whose literal
    start is already a deprecated package (`f"main_pc_code.utils.{name}"`);
    `mock.patch("a.b.C")` and other strings that merely name a module are
    not imports and are not reported.

    `check --fix` rewrites the import to its replacement (see
    `docs/fixes.md`): safe only when proven (the replacement gives the very
    objects the old module gave, and no import cycle is added), unsafe when
    that cannot be shown (the fix's message says why), and not offered when
    the replacement does not exist or lacks a name, when the fix would make
    a module import itself (the message says which), when other names of a
    `from` statement would have to move, when a plain `import a.b` shares
    `a` with other uses, or for an import found only through an import root.
    """

    code = "DL101"
    evidence = (b"import",)
    wanted_calls = Calls(names=_CALL_NAMES, imported=True)
    name = "deprecated-import"
    summary = "a deprecated module is imported instead of its replacement"
    message = "module is deprecated; import its replacement instead"
    severity = Severity.WARNING
    options = (DEPRECATED_IMPORTS, TEST_FILES)
    fixes = True

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
        self._tests = option_globs(settings, TEST_FILES)

    # --- import statements ---------------------------------------------------------

    def visit_Import(self, node: ast.Import, ctx: FileContext) -> None:
        if not self.deprecated or self._tests_deprecation(node, ctx):
            return
        for alias in node.names:
            match = self.match(alias.name, ctx)
            if match is not None:
                self._report(alias, match, ctx, _import_fix(alias, match, ctx))
            else:
                self._maybe_elsewhere(alias.name, alias, ctx)

    def visit_ImportFrom(self, node: ast.ImportFrom, ctx: FileContext) -> None:
        if not self.deprecated or self._tests_deprecation(node, ctx):
            return
        base = ctx.resolve_from(node)
        if not base:
            return
        module_match = self.match(base, ctx)
        if module_match is not None:
            self._report(node, module_match, ctx, self._from_fix(node, module_match, ctx))
        elif not node.level and self._maybe_elsewhere(base, node, ctx):
            return
        # The deprecated module the statement imports from, reported or not (a module
        # that goes with this file's own is deprecated all the same).
        base_key = self._longest_key(base)
        for alias in node.names:
            if alias.name == "*":
                continue
            match = self.match(f"{base}.{alias.name}", ctx)
            # A name under a deprecated module is covered by the statement's
            # finding unless a more specific entry lists it (`a` and `a.b`).
            if match is not None and (base_key is None or len(match.key) > len(base_key)):
                fix = _submodule_fix(node, alias, match, ctx) if module_match is None else None
                self._report(alias, match, ctx, fix)
            elif match is None and module_match is None and not node.level:
                self._maybe_elsewhere(f"{base}.{alias.name}", alias, ctx)

    def _from_fix(self, node: ast.ImportFrom, match: _Match, ctx: FileContext) -> Fix | None:
        """The statement's fix, unless one of its names has a more specific entry."""
        for alias in node.names:
            inner = self.match(f"{match.module}.{alias.name}", ctx)
            if inner is not None and inner.key != match.key:
                return None
        return _from_fix(node, match, ctx)

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
        if name not in _DUNDER_IMPORT and name != _IMPORT_MODULE:
            return
        if self._tests_deprecation(node, ctx):
            return
        if name == _IMPORT_MODULE:
            self._check_import_module(node, ctx)
        else:
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
            self._report(arg, match, ctx, _dynamic_fix(arg, match, ctx, dunder=False))
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
            fix = _dynamic_fix(arg, module_match, ctx, dunder=True) if level == 0 else None
            self._report(arg, module_match, ctx, fix)
        elif not level:
            self._maybe_elsewhere(module, arg, ctx)
        # __import__("a", fromlist=["b"]) imports the submodule a.b too.
        fromlist = call_arg(call, 3, "fromlist")
        if not isinstance(fromlist, (ast.List, ast.Tuple)):
            return
        for item in fromlist.elts:
            if isinstance(item, ast.Constant) and isinstance(item.value, str):
                match = self.match(f"{module}.{item.value}", ctx)
                module_key = self._longest_key(module)
                if match is not None and (module_key is None or len(match.key) > len(module_key)):
                    self._report(item, match, ctx)

    def _report(
        self, node: ast.AST, match: _Match, ctx: FileContext, fix: Fix | None = None
    ) -> None:
        """Report ``match`` at ``node``. In a test file, the import of a module with no
        replacement waits for the project index: a deprecated module the file imports may
        name it as its test in its ``test-case-name`` header (:meth:`settle`)."""
        candidates = self._header_candidates(ctx) if not match.replacement else ()
        if candidates:
            ctx.defer(node, [ctx.relpath, _TEST_CASE_NAME, *candidates], _message(match))
        else:
            ctx.report(node, _message(match), fix=fix)

    def _header_candidates(self, ctx: FileContext) -> tuple[str, ...]:
        """The deprecated modules a test file imports, whose header may name it as their
        test (``()`` outside ``test-files``)."""
        memo_key = f"{self.code}:header-candidates"
        cached = ctx.memo.get(memo_key)
        if isinstance(cached, tuple):
            return cached
        found: tuple[str, ...] = ()
        if ctx.tree is not None and ctx.in_files(TEST_FILES.name, self._tests):
            found = tuple(
                dict.fromkeys(m for m in _imported_modules(ctx) if self._owner_of(m) is not None)
            )
        ctx.memo[memo_key] = found
        return found

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
        owner = self._test_owner(ctx)
        ctx.defer(node, [ctx.relpath, module, *(owner or ())])
        return True

    def settle(self, question: object, finding: Finding, project: ProjectView) -> Finding | None:
        """Report the import when the file it reaches is a deprecated module; drop a test
        file's import that goes with the deprecated module whose header names the file."""
        if (
            isinstance(question, list)
            and len(question) >= 3
            and question[1] == _TEST_CASE_NAME
            and all(isinstance(part, str) for part in question)
        ):
            importer, _, *candidates = question
            names = set(project.names_of(importer))
            for module in candidates:
                target = project.file_of(module)
                if target is not None and names & _test_case_names(project, target):
                    return None  # the deprecated module's own test: it goes with it
            return finding
        if not (
            isinstance(question, list)
            and len(question) in (2, 4)
            and all(isinstance(part, str) for part in question)
        ):
            return None
        relpath, written, *test_owner = question
        target = project.file_of(written)
        if target is None:
            return None
        own = project.names_of(relpath)
        owners = [owner for owner in map(self._owner_of, own) if owner is not None]
        if len(test_owner) == 2:
            owners.append((test_owner[0], test_owner[1]))
        for name in project.names_of(target):
            key = self._longest_key(name)
            if key is None or any(n == key or n.startswith(key + ".") for n in own):
                continue
            new = self.deprecated[key]
            match = _Match(key, name, new + name[len(key) :] if new else "")
            if any(_goes_with(owner, match) for owner in owners):
                continue
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
        found = _Match(key, module, replacement)
        owner = self._owner(ctx)
        if owner is not None and _goes_with(owner, found):
            return None
        return found

    # --- importers that go with what they import -------------------------------------

    def _owner_of(self, module: str) -> tuple[str, str] | None:
        """``(module, its replacement)`` when ``module`` is deprecated, else ``None``."""
        key = self._longest_key(module)
        if key is None:
            return None
        new = self.deprecated[key]
        return module, new + module[len(key) :] if new else ""

    def _owner(self, ctx: FileContext) -> tuple[str, str] | None:
        """The deprecated module this file goes with: itself, or the subject of its test."""
        if ctx.module:
            own = self._owner_of(ctx.module)
            if own is not None:
                return own
        return self._test_owner(ctx)

    def _test_owner(self, ctx: FileContext) -> tuple[str, str] | None:
        """The deprecated module a test file is the test of, and its replacement.

        A test file (``test-files``) named ``test_<name>.py`` or ``<name>_test.py``
        (``tests_``/``_tests`` too, a leading ``_`` ignored) whose ``<name>`` is the
        last part of a deprecated module it imports, or ends with ``_<last part>``
        (``test_extension_statsmailer.py`` for ``extensions.statsmailer``). When the
        replacement has that name too (a module moved elsewhere), the name does not
        say which one is tested: the test is the old module's only when it lives in
        the old module's top-level package and not in the replacement's.
        """
        memo_key = f"{self.code}:test-owner"
        if memo_key in ctx.memo:
            cached = ctx.memo[memo_key]
            return cached if isinstance(cached, tuple) else None
        found: tuple[str, str] | None = None
        subject = _test_subject(ctx.relpath)
        if subject and ctx.tree is not None and ctx.in_files(TEST_FILES.name, self._tests):
            for module in _imported_modules(ctx):
                owner = self._owner_of(module)
                last = module.rpartition(".")[2]
                if owner is None or not (subject == last or subject.endswith("_" + last)):
                    continue
                replacement = owner[1]
                if replacement.rpartition(".")[2] == last:
                    here = (ctx.module or "").partition(".")[0]
                    if here != module.partition(".")[0] or here == replacement.partition(".")[0]:
                        continue
                found = owner
                break
        ctx.memo[memo_key] = found if found is not None else False
        return found

    def _tests_deprecation(self, node: ast.AST, ctx: FileContext) -> bool:
        """A test's import of what it checks the deprecation warning of: the import sits
        where the test expects the warning, or every use of the names it binds does."""
        if not ctx.in_files(TEST_FILES.name, self._tests) or not self._may_match(node, ctx):
            return False
        model = model_of(ctx)
        if model is None:
            return False
        if model.expects_deprecation(node):
            return True
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            return False
        uses = model.import_uses(node)
        return bool(uses) and all(model.expects_deprecation(use) for use in uses)

    def _may_match(self, node: ast.AST, ctx: FileContext) -> bool:
        """Whether an import statement may import a deprecated module (a cheap test on
        the first parts, before the semantic model is asked anything)."""
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [ctx.resolve_from(node) or ""]
        else:
            return True
        return any(
            head in self.roots or head in self.tail_heads
            for head in (name.partition(".")[0] for name in names)
        )

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


def _goes_with(owner: tuple[str, str], match: _Match) -> bool:
    """Whether an import of ``match`` goes away with the deprecated ``owner`` importing it.

    The owner (a deprecated module, or the test of one) is deleted with no successor, the
    module it imports has none either, or both have the same one (the fix would make
    the successor import itself); the owner's own module, too. An import that the
    owner's successor must rewrite (two old copies with different replacements, the
    demo's shape) stays debt.
    """
    module, replacement = owner
    if match.module == module or match.module.startswith(module + "."):
        return True
    return not replacement or not match.replacement or replacement == match.replacement


#: The settle question of an import a test file makes of a module with no replacement.
_TEST_CASE_NAME = "test-case-name"
#: Emacs file variables on a module's first lines, where trial reads ``test-case-name``.
_FILE_VARIABLES = re.compile(r"-\*-(.*?)-\*-")


def _test_case_names(project: ProjectView, relpath: str) -> set[str]:
    """The test modules a module names as its tests: ``test-case-name`` among the Emacs
    file variables of its first two lines (``# -*- test-case-name: pkg.test.test_x -*-``),
    as Twisted's trial reads them; several names are separated by commas."""
    parsed = project.parsed(relpath)
    if parsed is None:
        return set()
    names: set[str] = set()
    for line in parsed[1].lines[:2]:
        for block in _FILE_VARIABLES.findall(line):
            for variable in block.split(";"):
                key, sep, value = variable.partition(":")
                if sep and key.strip() == _TEST_CASE_NAME:
                    names.update(v.strip() for v in value.split(",") if v.strip())
    return names


def _test_subject(relpath: str) -> str:
    """``name`` of a ``test_name.py`` / ``name_test.py`` file, else ``""``."""
    stem = relpath.rpartition("/")[2]
    for suffix in (".pyi", ".py"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    else:
        return ""
    stem = stem.lstrip("_")
    for prefix in ("tests_", "test_"):
        if stem.startswith(prefix):
            return stem[len(prefix) :].strip("_")
    for suffix in ("_tests", "_test"):
        if stem.endswith(suffix):
            return stem[: -len(suffix)].strip("_")
    return ""


def _imported_modules(ctx: FileContext) -> list[str]:
    """Every module the file's import statements may import, module-level ones first
    (``from a import b`` may import ``a.b``)."""
    out: list[str] = []
    assert ctx.tree is not None
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.Import):
            out.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ctx.resolve_from(node)
            if base:
                out.append(base)
                out.extend(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return out


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


# --- fixes ------------------------------------------------------------------------
#
# Every fix is a set of exact text edits at positions the parser gave and the
# source text confirms (the text at the position is what the edit expects to
# replace); anything else gets no fix. Import statements are never moved,
# merged, split or reordered, and nothing between the edited names (comments,
# parentheses, line breaks) is touched. Whether a fix is safe depends on the
# replacement module, which is another file: the rule states what the fix
# requires (:class:`Requirement`) and ``debt_lints.fixes`` decides.

_IMPORT_KEYWORD = re.compile(r"\bimport\b")
_LITERAL = re.compile(r"^([rRuU]?)('''|\"\"\"|'|\")(.*)\2$", re.DOTALL)
_SPACE = " \t\f\\\r\n"


def _plain(value: str) -> bool:
    """``value`` can go into code or a string literal as it is: a dotted name, nothing to escape.

    The configuration checks this when it is loaded; the fixes check it
    again, since a fix must only ever change a name, never the program's structure.
    """
    return bool(value) and all(
        part.isidentifier() and not keyword.iskeyword(part) for part in value.split(".")
    )


def _fix(
    edits: list[Edit],
    replacement: str,
    deprecated: str,
    names: tuple[str, ...] | None,
    *,
    node: ast.AST,
    ctx: FileContext,
    star: bool = False,
) -> Fix:
    """The fix, unsafe until ``debt_lints.fixes`` proves otherwise from what it requires."""
    return Fix(
        tuple(edits),
        Applicability.UNSAFE,
        f"import {replacement} instead of {deprecated}",
        Requirement(
            replacement,
            names,
            deprecated,
            importer=ctx.module or "",
            at_import_time=ctx.enclosing_function(node) is None,
            star=star,
        ),
    )


def _position(start_line: int, start_col: int, text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of ``text[offset]``, where ``text`` starts at (line, col 0-based)."""
    parts = split_lines(text[:offset])
    if not parts:
        return start_line, start_col + 1
    if parts[-1].endswith(("\n", "\r")):
        return start_line + len(parts), 1
    base = start_col if len(parts) == 1 else 0
    return start_line + len(parts) - 1, base + len(parts[-1]) + 1


def _span_edit(
    node: ast.AST, text: str, span: tuple[int, int], content: str, ctx: FileContext
) -> Edit:
    """An edit of ``text[span[0]:span[1]]``, ``text`` being ``node``'s source."""
    start, end = span
    line = node.lineno  # type: ignore[attr-defined]  # statements and aliases have positions
    col = ctx.char_column(line, node.col_offset)  # type: ignore[attr-defined]  # as above
    first = _position(line, col, text, start)
    last = _position(line, col, text, end)
    return Edit(first[0], first[1], last[0], last[1], content)


def _from_module_edit(node: ast.ImportFrom, new: str, ctx: FileContext) -> Edit | None:
    """Replace the ``..pkg.mod`` of ``from ..pkg.mod import x`` with ``new``."""
    text = ctx.source_of(node)
    if text is None or not text.startswith("from"):
        return None
    keyword = _IMPORT_KEYWORD.search(text, 4)
    if keyword is None:
        return None
    part = text[4 : keyword.start()]
    core = part.strip(_SPACE)
    written = "".join(ch for ch in core if ch not in _SPACE)
    if not core or written != "." * node.level + (node.module or ""):
        return None
    start = 4 + len(part) - len(part.lstrip(_SPACE))
    return _span_edit(node, text, (start, start + len(core)), new, ctx)


def _alias_name_edit(alias: ast.alias, content: str, ctx: FileContext) -> Edit | None:
    """Replace the imported name of ``alias`` (``a.b`` in ``import a.b as c``)."""
    text = ctx.source_of(alias)
    if text is None or not text.startswith(alias.name):
        return None
    rest = text[len(alias.name) :]
    if rest and rest[0] not in _SPACE:
        return None
    return _span_edit(alias, text, (0, len(alias.name)), content, ctx)


def _literal_edit(node: ast.AST, value: str, new: str, ctx: FileContext) -> Edit | None:
    """Replace the text of the string literal ``node`` (exactly ``value``, no escapes)."""
    text = ctx.source_of(node)
    if text is None:
        return None
    match = _LITERAL.match(text)
    if match is None or match.group(3) != value:
        return None
    start = len(match.group(1)) + len(match.group(2))
    return _span_edit(node, text, (start, start + len(value)), new, ctx)


class _Names:
    """How a module uses its names, for the fixes of plain and aliased imports."""

    def __init__(self, tree: ast.AST) -> None:
        self.parents: dict[ast.AST, ast.AST] = {}
        #: Loads of each name.
        self.loads: dict[str, list[ast.Name]] = {}
        #: Names bound by anything but an import (assignments, parameters, defs ...).
        self.bound: set[str] = set()
        #: Local name -> what each import binding it binds (``import a.c`` -> ``a``: "a").
        self.imported: dict[str, list[str]] = {}
        #: Modules imported as ``import a.b`` (no ``as``).
        self.plain: set[str] = set()
        #: How many star imports the module has.
        self.stars = 0
        parents = self.parents
        ast_type, context_type = ast.AST, ast.expr_context
        # One breadth-first pass (ast.walk's order) that records the parents as it
        # goes: half the work of ast.walk plus ast.iter_child_nodes.
        queue = deque([tree])
        while queue:
            node = queue.popleft()
            for field_name in node._fields:
                value = getattr(node, field_name, None)
                if type(value) is list:
                    for item in value:
                        if isinstance(item, ast_type):
                            parents[item] = node
                            queue.append(item)
                elif isinstance(value, ast_type) and not isinstance(value, context_type):
                    parents[value] = node
                    queue.append(value)
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Load):
                    self.loads.setdefault(node.id, []).append(node)
                else:
                    self.bound.add(node.id)
            elif isinstance(node, ast.arg):
                self.bound.add(node.arg)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.bound.add(node.name)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                self.bound.update(node.names)
            elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
                self.bound.add(node.name)
            elif isinstance(node, ast.MatchMapping) and node.rest:
                self.bound.add(node.rest)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.imported.setdefault(alias.asname, []).append("=" + alias.name)
                    else:
                        self.plain.add(alias.name)
                        head = alias.name.partition(".")[0]
                        self.imported.setdefault(head, []).append(head)
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name != "*":
                        local = alias.asname or alias.name
                        self.imported.setdefault(local, []).append("from")
                    else:
                        self.stars += 1

    @classmethod
    def of(cls, ctx: FileContext) -> _Names | None:
        if ctx.tree is None:
            return None
        names = ctx.memo.get(DeprecatedImport.code)
        if not isinstance(names, _Names):
            names = cls(ctx.tree)
            ctx.memo[DeprecatedImport.code] = names
        return names

    def free_names(self) -> tuple[str, ...]:
        """Names the module reads but binds nowhere (nor are builtins): a star import's."""
        import builtins

        return tuple(
            sorted(
                name
                for name in self.loads
                if name not in self.bound
                and name not in self.imported
                and not hasattr(builtins, name)
                and name not in {"__file__", "__name__", "__doc__", "__spec__", "__package__"}
            )
        )

    def attribute_uses(self, name: str) -> tuple[str, ...] | None:
        """Attributes read from ``name`` (``c.x`` -> ``x``); ``None`` when used otherwise."""
        out: list[str] = []
        for load in self.loads.get(name, ()):
            parent = self.parents.get(load)
            if not isinstance(parent, ast.Attribute) or parent.value is not load:
                return None
            out.append(parent.attr)
        return tuple(dict.fromkeys(out))

    def called(self, name: str) -> bool:
        """Whether the module calls ``name`` (``name(...)``): a module never is callable."""
        for load in self.loads.get(name, ()):
            parent = self.parents.get(load)
            if isinstance(parent, ast.Call) and parent.func is load:
                return True
        return False

    def chain(self, load: ast.Name, depth: int) -> ast.AST | None:
        """The attribute chain of ``depth`` more parts on ``load`` (``a`` -> ``a.b.c``)."""
        node: ast.AST = load
        for _ in range(depth):
            parent = self.parents.get(node)
            if not isinstance(parent, ast.Attribute) or parent.value is not node:
                return None
            node = parent
        return node


def _dotted(node: ast.AST) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _import_fix(alias: ast.alias, match: _Match, ctx: FileContext) -> Fix | None:
    """``import a.b as c`` -> ``import x.y as c``; ``import a.b`` also rewrites ``a.b.`` uses."""
    new = match.replacement
    if not _plain(new):
        return None
    names = _Names.of(ctx)
    if names is None:
        return None
    name_edit = _alias_name_edit(alias, new, ctx)
    if name_edit is None:
        return None
    if alias.asname:
        return _fix(
            [name_edit], new, match.module, names.attribute_uses(alias.asname), node=alias, ctx=ctx
        )
    module = match.module
    head, new_head = module.partition(".")[0], new.partition(".")[0]
    if head in names.bound or new_head in names.bound:
        return None  # a local of the same name: the references cannot be told apart
    if new_head != head and any(b != new_head for b in names.imported.get(new_head, ())):
        return None  # the new top-level name is already bound to something else
    depth = module.count(".")
    # A chain `a.b.c.f` belongs to the longest module imported as `import a.b.c`.
    longer = [m for m in names.plain if m.startswith(module + ".")]
    edits = [name_edit]
    used: list[str] = []
    whole = False
    other_head_use = False
    for load in names.loads.get(head, ()):
        chain = names.chain(load, depth)
        if chain is None or _dotted(chain) != module:
            other_head_use = True
            continue
        parent = names.parents.get(chain)
        attr = parent.attr if isinstance(parent, ast.Attribute) and parent.value is chain else None
        if attr is not None and any(
            m == f"{module}.{attr}" or m.startswith(f"{module}.{attr}.") for m in longer
        ):
            continue
        if ctx.source_of(chain) != module:
            return None  # `a . b` or a chain across lines: not an exact text edit
        edits.append(ctx.edit(chain, new))
        if attr is None:
            whole = True
        else:
            used.append(attr)
    if other_head_use and not any(
        b == head and m != module for m in names.plain for b in (m.partition(".")[0],)
    ):
        return None  # the file uses `a` for more than `a.b`, and only this import binds it
    requirement = None if whole else tuple(dict.fromkeys(used))
    return _fix(edits, new, module, requirement, node=alias, ctx=ctx)


def _from_fix(node: ast.ImportFrom, match: _Match, ctx: FileContext) -> Fix | None:
    """``from a.b import n`` (or ``from .b import n``) -> ``from x.y import n``."""
    if not _plain(match.replacement):
        return None
    edit = _from_module_edit(node, match.replacement, ctx)
    if edit is None:
        return None
    imported = [a.name for a in node.names]
    if "*" in imported:
        # The names the star import gives the file: those it uses and binds nowhere else.
        used = _Names.of(ctx)
        free = used.free_names() if used is not None and used.stars == 1 else None
        return _fix([edit], match.replacement, match.module, free, node=node, ctx=ctx, star=True)
    return _fix([edit], match.replacement, match.module, tuple(imported), node=node, ctx=ctx)


def _submodule_fix(
    node: ast.ImportFrom, alias: ast.alias, match: _Match, ctx: FileContext
) -> Fix | None:
    """``from a import b`` (``a.b`` deprecated) -> ``from x import y as b``.

    Only for a statement importing that one name: the others would have to
    move to a statement of their own.
    """
    new = match.replacement
    if not _plain(new) or len(node.names) != 1:
        return None
    parent, _, last = new.rpartition(".")
    local = alias.asname or alias.name
    renamed = last if alias.asname or last == local else f"{last} as {local}"
    # What the file reads through the module's name (`app.start_instance`):
    # the new module must define it too.
    used = _Names.of(ctx)
    if used is not None and used.called(local):
        # `from celery import task` then `@task()`: what the file imports is a
        # callable the package defines, not the module; binding the replacement
        # module to that name would call a module.
        return None
    attributes = used.attribute_uses(local) if used is not None else None
    if parent:
        module_edit = _from_module_edit(node, parent, ctx)
        name_edit = _alias_name_edit(alias, renamed, ctx)
        if module_edit is None or name_edit is None:
            return None
        return _fix([module_edit, name_edit], new, match.module, attributes, node=node, ctx=ctx)
    # A top-level replacement: `from os import path` -> `import ospath2 as path`.
    text = ctx.source_of(node)
    keyword = _IMPORT_KEYWORD.search(text, 4) if text and text.startswith("from") else None
    if text is None or keyword is None or text[keyword.end() :].lstrip(_SPACE).startswith("("):
        return None
    head_edit = _span_edit(node, text, (0, keyword.end()), "import", ctx)
    name_edit = _alias_name_edit(
        alias, new if alias.asname or new == local else f"{new} as {local}", ctx
    )
    if name_edit is None or _from_module_edit(node, parent or new, ctx) is None:
        return None
    return _fix([head_edit, name_edit], new, match.module, attributes, node=node, ctx=ctx)


def _dynamic_fix(arg: ast.AST, match: _Match, ctx: FileContext, dunder: bool) -> Fix | None:
    """``import_module("a.b")`` -> ``import_module("x.y")``.

    ``__import__("a.b")`` returns the top-level package, so the code after it
    reaches ``a.b`` by attribute: that fix is never safe.
    """
    value = arg.value if isinstance(arg, ast.Constant) else None
    if not _plain(match.replacement) or not isinstance(value, str):
        return None
    edit = _literal_edit(arg, value, match.replacement, ctx)
    if edit is None:
        return None
    if dunder:
        return Fix(
            (edit,), Applicability.UNSAFE, f"import {match.replacement} instead of {match.module}"
        )
    return _fix([edit], match.replacement, match.module, None, node=arg, ctx=ctx)
