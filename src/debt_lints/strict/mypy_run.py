"""Running ``mypy --strict`` in-process and turning its errors into findings.

mypy is imported only here, only when the typing gate runs. Every error
becomes a :class:`~debt_lints.core.model.Finding` with code ``mypy[<error-code>]``,
the enclosing scope and the offending line's text as its line-independent
identity, so strict-typing debt lives in the same baseline as lint debt.
"""

from __future__ import annotations

import ast
import bisect
import json
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from debt_lints.analysis.context import FUNCTIONS, module_name_for
from debt_lints.config import Config, ConfigError, display_path
from debt_lints.core.model import Finding, Severity
from debt_lints.core.source import SourceProblem, decode_python, read_bytes
from debt_lints.engine.walk import PYTHON_SUFFIXES, parse_python
from debt_lints.running.files import iter_files
from debt_lints.strict.settings import TypingSettings

if TYPE_CHECKING:
    from debt_lints.strict.trust import MypySetup

MYPY_CODE_PREFIX = "mypy["


class MypyUnavailable(ConfigError):
    """mypy is not installed or cannot be configured: like a configuration
    problem, the CLI reports it in one line with exit status 2."""


@dataclass
class ModuleInfo:
    """One Python module of the typing targets."""

    relpath: str
    module: str
    path: str
    functions: int = 0
    annotated: int = 0
    #: ``False`` for a file that does not parse: mypy cannot check it.
    parsed: bool = True
    errors: int = 0
    #: The file that has this module's name too (mypy checked that one instead).
    clash: str = ""

    @property
    def strict_clean(self) -> bool:
        return self.parsed and self.errors == 0 and not self.clash


@dataclass
class TypingRun:
    """The outcome of one strict-typing run."""

    findings: list[Finding] = field(default_factory=list)
    modules: dict[str, ModuleInfo] = field(default_factory=dict)
    #: Problems of the run itself (mypy crashed, a blocking error), one line each.
    problems: list[str] = field(default_factory=list)

    def by_display_path(self) -> dict[str, ModuleInfo]:
        """Modules by the path their findings are printed with."""
        return {display_path(info.path): info for info in self.modules.values()}

    def strict_clean_modules(self) -> list[str]:
        return sorted(m.module for m in self.modules.values() if m.strict_clean and m.module)


def mypy_code(error_code: str) -> str:
    return f"{MYPY_CODE_PREFIX}{error_code}]"


def is_typing_code(code: str) -> bool:
    return code.startswith(MYPY_CODE_PREFIX)


# --- the modules ------------------------------------------------------------------


class _Scopes:
    """Innermost function or class around a line, from one parse of the file."""

    def __init__(self, tree: ast.AST) -> None:
        spans: list[tuple[int, int, int, str]] = []
        stack: list[tuple[ast.AST, str]] = [(tree, "")]
        while stack:
            node, prefix = stack.pop()
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (*FUNCTIONS, ast.ClassDef)):
                    name = f"{prefix}.{child.name}" if prefix else child.name
                    start = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                    end = child.end_lineno or child.lineno
                    spans.append((start, -end, len(spans), name))
                    stack.append((child, name))
                else:
                    stack.append((child, prefix))
        spans.sort()
        self._spans = spans
        self._starts = [s[0] for s in spans]

    def at(self, line: int) -> str:
        best = ""
        best_size = None
        # Spans are few per file; scan those that start at or before the line.
        for start, neg_end, _, name in self._spans[: bisect.bisect_right(self._starts, line)]:
            end = -neg_end
            if start <= line <= end and (best_size is None or end - start <= best_size):
                best, best_size = name, end - start
        return best


def _annotation_counts(tree: ast.AST) -> tuple[int, int]:
    """(functions, fully annotated functions) as ``--strict`` would judge them."""
    total = annotated = 0
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, in_class = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, FUNCTIONS):
                total += 1
                if _fully_annotated(child, in_class):
                    annotated += 1
                stack.append((child, False))
            elif isinstance(child, ast.ClassDef):
                stack.append((child, True))
            else:
                # ``if`` blocks and the like inside a class body are still the class body.
                stack.append((child, in_class))
    return total, annotated


def _fully_annotated(fn: ast.FunctionDef | ast.AsyncFunctionDef, method: bool) -> bool:
    args = fn.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    if method and params and not _is_staticmethod(fn):
        params = params[1:]  # self / cls need no annotation
    extras = [a for a in (args.vararg, args.kwarg) if a is not None]
    if any(p.annotation is None for p in [*params, *extras]):
        return False
    if fn.returns is not None:
        return True
    # mypy accepts an __init__ without a return annotation when an argument is annotated.
    return fn.name == "__init__" and bool(params or extras)


def _is_staticmethod(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in fn.decorator_list)


def collect_modules(
    paths: Sequence[str], config: Config
) -> tuple[dict[str, ModuleInfo], dict[str, _Scopes], dict[str, list[str]]]:
    """The Python modules under ``paths`` with their annotation counts and scopes."""
    modules: dict[str, ModuleInfo] = {}
    scopes: dict[str, _Scopes] = {}
    lines: dict[str, list[str]] = {}
    for source in iter_files(paths, config):
        if not source.relpath.endswith(PYTHON_SUFFIXES):
            continue
        module, _ = module_name_for(source.relpath)
        info = ModuleInfo(source.relpath, module, source.path)
        modules[source.relpath] = info
        data = read_bytes(source.path, config.max_file_size, root=config.root)
        text = decode_python(data) if isinstance(data, bytes) else data
        tree = parse_python(text, source.path) if isinstance(text, str) else text
        if isinstance(tree, SourceProblem) or not isinstance(text, str):
            info.parsed = False
            continue
        info.functions, info.annotated = _annotation_counts(tree)
        scopes[source.relpath] = _Scopes(tree)
        lines[source.relpath] = text.splitlines()
    return modules, scopes, lines


# --- running mypy -----------------------------------------------------------------


@contextmanager
def _mypy_environment(root: Path) -> Iterator[None]:
    """Run mypy from the project root, with ``src/`` and ``lib/`` as package bases.

    That matches how debt-lints names modules (``src/pkg/m.py`` is ``pkg.m``).
    mypy reads both the working directory and ``MYPYPATH`` from the process,
    so they are set for the call and restored after it.
    """
    import sys

    old_cwd = os.getcwd()
    old_path = os.environ.get("MYPYPATH")
    # mypy sets this to the directory of the configuration it read: a
    # temporary one, gone after the run.
    old_config_dir = os.environ.get("MYPY_CONFIG_FILE_DIR")
    # mypy raises the interpreter's recursion limit for its own run; the rest
    # of the process (the engine's own depth guards) must keep the usual one.
    old_limit = sys.getrecursionlimit()
    bases = [str(root / d) for d in ("src", "lib") if (root / d).is_dir()]
    if old_path:
        bases.append(old_path)
    os.chdir(root)
    if bases:
        os.environ["MYPYPATH"] = os.pathsep.join(bases)
    try:
        yield
    finally:
        sys.setrecursionlimit(old_limit)
        os.chdir(old_cwd)
        for name, value in (("MYPYPATH", old_path), ("MYPY_CONFIG_FILE_DIR", old_config_dir)):
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


#: What mypy reads instead of a module that does not parse: every name is
#: ``Any``, as for a missing module, and nothing in it can stop the run.
SHADOW_SOURCE = "from typing import Any\n\n\ndef __getattr__(name: str) -> Any: ...\n"


def mypy_arguments(
    files: Sequence[str],
    setup: MypySetup,
    config: Config,
    shadowed: Sequence[str] = (),
    shadow: str = "",
    *,
    config_file: str = "",
) -> list[str]:
    """The command line given to mypy (paths relative to the project root).

    ``shadowed`` are the modules that do not parse: mypy reads ``shadow``
    instead of each of them when another module imports it, since one syntax
    error anywhere mypy reads stops its whole run. ``config_file`` is the
    configuration debt-lints wrote (empty: none at all).
    """
    shadows = [arg for rel in shadowed for arg in ("--shadow-file", rel, shadow)]
    return [
        "--strict",
        f"--config-file={config_file}",
        "--show-error-codes",
        "--show-column-numbers",
        "--hide-error-context",
        "--no-error-summary",
        "--no-pretty",
        "--output=json",
        # Module names from the path under the project root: copied utility
        # modules with the same file name in several folders stay distinct.
        "--explicit-package-bases",
        f"--cache-dir={config.root / '.debt-lints-cache' / 'mypy'}",
        *shadows,
        # Checked against the allow-list, spelled in full: never an argument file.
        *setup.flags,
        *files,
    ]


def _confine_mypy_cache(root: Path) -> None:
    """Make ``.debt-lints-cache/mypy`` real directories holding no link, before mypy writes.

    mypy writes its cache by path; a link the repository committed there (the
    cache directory itself, a version directory, a ``.meta.json``) would make
    it write outside the root. Links and special files are removed, never
    followed (:mod:`debt_lints.core.safefs`).
    """
    import stat

    from debt_lints.core.safefs import Dir, NotConfined, open_chain

    def scrub(directory: Dir, depth: int) -> None:
        for name, info in list(directory.entries()):
            if stat.S_ISDIR(info.st_mode) and depth < 64:
                with directory.subdir(name) as child:
                    scrub(child, depth + 1)
            elif not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
                directory.unlink(name)

    try:
        with open_chain(root, [".debt-lints-cache", "mypy"], create=True, heal=True) as top:
            scrub(top, 0)
    except (OSError, NotConfined) as exc:
        raise MypyUnavailable(f"{root / '.debt-lints-cache' / 'mypy'}: unusable: {exc}") from None


def run_typing(paths: Sequence[str], config: Config, settings: TypingSettings) -> TypingRun:
    """Run mypy in strict mode over the parseable modules under ``paths``."""
    try:
        from mypy import api as mypy_api
    except ImportError as exc:
        raise MypyUnavailable("mypy is not installed: pip install 'debt-lints[typing]'") from exc
    modules, scopes, lines = collect_modules(paths, config)
    run = TypingRun(modules=modules)
    files = sorted(rel for rel, info in modules.items() if info.parsed)
    if not files:
        return run
    if settings.mypy_config is not None and not settings.mypy_config.is_file():
        raise MypyUnavailable(f"mypy-config {settings.mypy_config} does not exist")
    from debt_lints.strict.trust import check_mypy_trust

    setup = check_mypy_trust(
        settings.flags,
        settings.mypy_config,
        config.root,
        paths,
        allow_local=settings.allow_local_plugins,
    )
    _confine_mypy_cache(config.root)
    # Files that do not parse are not given to mypy (they are DL001 findings)
    # and are shadowed by an all-``Any`` module for the modules that import them.
    broken = sorted(rel for rel, info in modules.items() if not info.parsed)
    import tempfile

    for relpath, other in _module_clashes(files, modules).items():
        files.remove(relpath)
        run.findings.append(_clash(modules[relpath], other, config))
    with tempfile.TemporaryDirectory(prefix="debt-lints-mypy-") as tmp:
        shadow = os.path.join(tmp, "shadow.py")
        with open(shadow, "w", encoding="utf-8") as fh:
            fh.write(SHADOW_SOURCE)
        written = ""
        if setup.config_text is not None:
            # mypy reads the configuration debt-lints wrote, outside the
            # repository, never the repository's own (strict/trust.py).
            written = os.path.join(tmp, "mypy.ini")
            with open(written, "w", encoding="utf-8") as fh:
                fh.write(setup.config_text)
        # mypy stops at the first clash of module names it finds and checks
        # nothing (legacy trees often have both ``x.py`` and ``x/``): each one
        # becomes a finding on the file left out, and mypy runs on the rest.
        for _ in range(MAX_CLASH_ROUNDS):
            arguments = mypy_arguments(files, setup, config, broken, shadow, config_file=written)
            with _mypy_environment(config.root):
                try:
                    stdout, stderr, status = mypy_api.run(arguments)
                except Exception as exc:  # mypy itself crashed outside its own handler
                    run.problems.append(f"mypy crashed: {type(exc).__name__}: {exc}")
                    return run
            clashes = _reported_clashes(stdout, files, modules) if status == 2 else {}
            if not clashes:
                break
            for relpath, other in clashes.items():
                files.remove(relpath)
                run.findings.append(_clash(modules[relpath], other, config))
    for raw_line in stdout.splitlines():
        raw = raw_line.strip()
        if not raw.startswith("{"):
            if raw:
                run.problems.append(f"mypy: {raw}")
            continue
        try:
            item = json.loads(raw)
        except json.JSONDecodeError:
            run.problems.append(f"mypy: unreadable output line: {raw[:200]}")
            continue
        finding = _finding(item, modules, scopes, lines, config)
        if finding is not None:
            run.findings.append(finding)
    if status == 2 or "INTERNAL ERROR" in stderr or "Traceback" in stderr:
        tail = [ln for ln in stderr.strip().splitlines() if ln.strip()]
        where = next((ln for ln in tail if "error: INTERNAL ERROR" in ln), tail[0] if tail else "")
        if not where:
            # A blocking error (mypy exits 2) is reported on stdout, as a finding.
            where = next((f.message for f in run.findings if f.severity is Severity.ERROR), "")
        run.problems.append(f"mypy failed (exit {status}): {where or 'no message'}")
    run.findings.sort(key=Finding.sort_key)
    return run


#: Clashes of module names handled one mypy run at a time, at most this many runs.
MAX_CLASH_ROUNDS = 20
DUPLICATE_MODULE_CODE = "duplicate-module"
_DUPLICATE_RE = re.compile(r'^Duplicate module named "([^"]+)" \(also at "([^"]+)"\)')


def _is_package(relpath: str) -> bool:
    return relpath.rsplit("/", 1)[-1] in ("__init__.py", "__init__.pyi")


def _module_clashes(files: Sequence[str], modules: dict[str, ModuleInfo]) -> dict[str, str]:
    """Files left out because another file has their module name -> that file.

    Python imports a package before a module of the same name, so the
    package stays; between two modules, the first in sorted order stays.
    """
    by_name: dict[str, list[str]] = {}
    for relpath in files:
        name = modules[relpath].module
        if name:
            by_name.setdefault(name, []).append(relpath)
    out: dict[str, str] = {}
    for group in by_name.values():
        if len(group) < 2:
            continue
        keep = min(group, key=lambda rel: (not _is_package(rel), rel))
        out.update({rel: keep for rel in group if rel != keep})
    return out


def _reported_clashes(
    stdout: str, files: Sequence[str], modules: dict[str, ModuleInfo]
) -> dict[str, str]:
    """The clashes mypy stopped at (module names it derives differently from ours)."""
    out: dict[str, str] = {}
    for raw in stdout.splitlines():
        if not raw.startswith("{"):
            continue
        try:
            item = json.loads(raw)
        except json.JSONDecodeError:
            continue
        match = _DUPLICATE_RE.match(str(item.get("message", "")))
        file = item.get("file")
        if match is None or not isinstance(file, str):
            continue
        reported, other = Path(file).as_posix(), Path(match.group(2)).as_posix()
        pair = [p for p in (reported, other) if p in files and p in modules]
        if len(pair) < 2:
            continue
        keep = min(pair, key=lambda rel: (not _is_package(rel), rel))
        drop = next(p for p in pair if p != keep)
        out[drop] = keep
    return out


def _clash(info: ModuleInfo, other: str, config: Config) -> Finding:
    """The finding on a file mypy cannot check because ``other`` has its module name."""
    info.errors += 1
    info.clash = other
    return Finding(
        path=display_path(config.root / info.relpath),
        line=1,
        column=1,
        code=mypy_code(DUPLICATE_MODULE_CODE),
        end_line=1,
        end_column=1,
        name=DUPLICATE_MODULE_CODE,
        message=(
            f'module "{info.module}" is also {other}, which Python imports instead; '
            "mypy checks one file per module name, so this one was not type-checked "
            "(rename one of them)"
        ),
        severity=Severity.ERROR,
        scope="",
        snippet=f"duplicate module {info.module}",
    )


def _finding(
    item: dict[str, object],
    modules: dict[str, ModuleInfo],
    scopes: dict[str, _Scopes],
    lines: dict[str, list[str]],
    config: Config,
) -> Finding | None:
    if item.get("severity") != "error":
        return None  # notes belong to the error before them
    file = item.get("file")
    line = item.get("line")
    if not isinstance(file, str) or not isinstance(line, int):
        return None
    relpath = Path(file).as_posix()
    info = modules.get(relpath)
    if info is None or not info.parsed:
        return None  # outside the targets (a stub, a followed import), or shadowed
    info.errors += 1
    column = item.get("column")
    end_line = item.get("end_line")
    end_column = item.get("end_column")
    code = item.get("code") or "misc"
    message = item.get("message")
    source_lines = lines.get(relpath, [])
    text = source_lines[line - 1] if 1 <= line <= len(source_lines) else ""
    return Finding(
        path=display_path(config.root / relpath),
        line=max(line, 1),
        column=(column + 1) if isinstance(column, int) and column >= 0 else 1,
        code=mypy_code(str(code)),
        end_line=end_line if isinstance(end_line, int) and end_line > 0 else max(line, 1),
        end_column=(end_column + 1) if isinstance(end_column, int) and end_column >= 0 else 1,
        name=str(code),
        message=str(message),
        severity=Severity.ERROR,
        scope=scopes[relpath].at(line) if relpath in scopes else "",
        snippet=" ".join(text.split())[:300],
    )
