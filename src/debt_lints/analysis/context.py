"""Per-file state that the engine builds during its single walk.

Rules receive a :class:`FileContext`: it resolves names through the
module's imports, knows each node's parent, tells docstrings from values,
and turns a node into a :class:`~debt_lints.core.model.Finding`.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Protocol

from debt_lints.core.lazy import lazy_pattern
from debt_lints.core.model import Edit, Finding, Fix, Option, Rule
from debt_lints.core.record import Record, replace
from debt_lints.core.settings import Settings

# Python ends a line at \r\n, \r or \n only; str.splitlines() also splits at
# form feeds, \x1c-\x1e, \x85 and \u2028, which would shift every line number
# after one of them. YAML also ends lines at \x85, \u2028 and \u2029.
_PYTHON_LINE_RE = lazy_pattern(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_YAML_LINE_RE = lazy_pattern(
    r"[^\r\n\x85\u2028\u2029]*(?:\r\n|[\r\n\x85\u2028\u2029])|[^\r\n\x85\u2028\u2029]+\Z"
)


def split_lines(text: str, yaml: bool = False) -> list[str]:
    """``text`` cut into lines (ends kept) exactly where Python (or YAML) counts lines."""
    if yaml:
        return _YAML_LINE_RE.findall(text)
    # str.splitlines() is three times faster than the expression, and right unless
    # it split where Python does not: each such split adds a line (one that ends
    # the text only ends its last line, as Python has it), so equal counts mean
    # equal lines.
    lines = text.splitlines(True)
    ends = text.count("\n")
    if "\r" in text:
        ends += text.count("\r") - text.count("\r\n")
    if len(lines) == ends + (text[-1:] not in ("\n", "\r", "")):
        return lines
    return _PYTHON_LINE_RE.findall(text)


def printable(text: str) -> str:
    """``text`` with lone surrogates (undecodable file names, ``"\\udcff"``) escaped.

    Such characters cannot be written to a UTF-8 stream or file; a finding
    must never make the report itself fail.
    """
    if text.isascii():
        return text
    try:
        # Undecodable bytes of a file name come back as the bytes (\xff).
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # other lone surrogates: \ud800
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


#: What a terminal or a CI log would act on instead of showing: C0 and C1
#: control characters (ESC, CSI, BEL, newlines that start a forged line or a
#: GitHub workflow command), DEL, Unicode line and paragraph separators and
#: the bidirectional overrides that reorder what is shown (Trojan Source).
_UNSAFE_RE = lazy_pattern("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_safe(text: str, *, line_start: bool = True) -> str:
    """``text`` made safe to print on one line of a terminal or a CI log.

    Everything a repository or its baseline controls (file names, scopes,
    reasons, messages quoting its source) goes through this before it is
    written to standard output or standard error in a human-read format:
    control characters become visible ``\\xNN`` escapes, so a name holding
    ``"\\n::error ...::"`` or an ESC sequence can neither forge a line nor
    drive the terminal. Lone surrogates are escaped as by :func:`printable`.
    ``line_start``: the text may begin a line, so a leading ``::`` (after
    spaces), which GitHub Actions would run as a workflow command (a file
    named ``::error file=x.py::...``), starts with ``\\x3a`` instead.
    """
    text = printable(text)
    if not text.isprintable():
        text = _UNSAFE_RE.sub(_escape_char, text)
    if line_start and text.lstrip(" ").startswith("::"):
        spaces = len(text) - len(text.lstrip(" "))
        text = f"{text[:spaces]}\\x3a{text[spaces + 1 :]}"
    return text


#: Bytes git prints as C escapes in a quoted path (``quote_c_style``).
_GIT_ESCAPES = {7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r"}


def git_quoted(name: str) -> str:
    """``name`` as git prints a path in a diff header: as is, or C-quoted.

    A name holding a double quote, a backslash, a control character or a
    byte outside ASCII is put in double quotes with those escaped (``\\n``,
    ``\\"``, octal ``\\303\\251`` for UTF-8 bytes), as ``git diff`` does with
    ``core.quotePath``: a file name can neither split a header line nor
    carry an escape sequence.
    """
    try:
        raw = name.encode("utf-8", "surrogateescape")  # undecodable file names: their bytes
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogatepass")
    if all(0x20 <= byte < 0x7F and byte not in (0x22, 0x5C) for byte in raw):
        return name
    out = []
    for byte in raw:
        if byte in _GIT_ESCAPES:
            out.append(_GIT_ESCAPES[byte])
        elif byte in (0x22, 0x5C):
            out.append("\\" + chr(byte))
        elif byte < 0x20 or byte >= 0x7F:
            out.append(f"\\{byte:03o}")
        else:
            out.append(chr(byte))
    return '"' + "".join(out) + '"'


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def private_part(relpath: str) -> str | None:
    """The first component of ``relpath`` private by its name (``_impl``, ``_vendor/``),
    or ``None``: a module whose dotted name has no such part is public by PEP 8's
    naming. ``__init__.py`` and ``__main__.py`` are not private."""
    parts = relpath.replace("\\", "/").split("/")
    stem = parts[-1].rpartition(".")[0] or parts[-1]
    for part in [*parts[:-1], stem]:
        if part.startswith("_") and not (part.startswith("__") and part.endswith("__")):
            return part
    return None


def module_name_for(relpath: str) -> tuple[str, bool]:
    """Dotted module name for a root-relative path, and whether it is a package.

    ``src/`` and ``lib/`` prefixes are dropped, as with src layouts.
    """
    parts = relpath.split("/")
    if parts and parts[0] in {"src", "lib"} and len(parts) > 1:
        parts = parts[1:]
    last = parts[-1]
    for suffix in (".pyi", ".py"):
        if last.endswith(suffix):
            last = last[: -len(suffix)]
            break
    is_package = last == "__init__"
    parts = parts[:-1] if is_package else [*parts[:-1], last]
    return ".".join(p for p in parts if p and p != "."), is_package


#: Files where tests keep their fakes and start their own servers (pytest's and unittest's
#: discovery names, the folders that hold them, and ``testing`` packages of test support:
#: fixtures, fakes and pytest plugins, ``numpy.testing``, ``nameko.testing``): a rule
#: option several rules share, and by its default the one definition of test code
#: (:func:`is_test_path`).
TEST_FILES = Option(
    "test-files",
    "str-list",
    ("test_*.py", "*_test.py", "tests.py", "conftest.py", "tests", "test", "testing"),
    "globs of test files and test-support packages: fake keys and servers the test "
    "starts are expected there (DL301, DL401), a deprecated module's own test goes "
    "with it (DL101); a glob matches a base name, a parent folder or the relative path",
    extendable=True,
)
#: Sample code written to run on one machine (documentation listings, example scripts).
EXAMPLE_FILES = Option(
    "example-files",
    "str-list",
    ("examples", "example", "docs", "doc"),
    "globs of example and documentation code, written to run on one machine (DL301); "
    "a glob matches a base name, a parent folder or the relative path",
    extendable=True,
)


def option_globs(settings: Settings, option: Option) -> tuple[str, ...]:
    """The globs of a ``str-list`` path option: the configured ones, else its default.

    Settings built without the configuration layer (host plugins, tests) may
    lack the option; an explicit empty list turns it off.
    """
    if option.name in settings.as_dict():
        return settings.str_list(option.name)
    default = option.default
    assert isinstance(default, tuple)
    return default


@lru_cache(maxsize=64)
def _glob_re(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(fnmatch.translate(p.rstrip("/")) for p in patterns))


def path_matches(relpath: str, patterns: tuple[str, ...]) -> bool:
    """Whether a root-relative ``/`` path, its base name or one of its parent folders
    matches a glob (the ``exclude`` semantics of flake8 and ruff)."""
    compiled = _glob_re(patterns)
    if compiled is None:
        return False
    if compiled.match(relpath) is not None:
        return True
    return any(compiled.match(part) is not None for part in relpath.split("/"))


def is_test_path(relpath: str) -> bool:
    """Whether ``relpath`` is test code by the ``test-files`` option's default (the one
    definition of test code every rule shares): a ``test_*.py``, ``*_test.py``,
    ``tests.py`` or ``conftest.py`` file, or any module under a ``test``, ``tests`` or
    ``testing`` folder (helpers, fixtures and pytest plugins of the tests included)."""
    default = TEST_FILES.default
    assert isinstance(default, tuple)
    return path_matches(relpath.replace("\\", "/"), default)


class YamlScalar(Record):
    """One scalar value of a YAML document, with where it is."""

    __slots__ = (
        "column",
        "end_column",
        "end_line",
        "key",
        "key_path",
        "line",
        "plain",
        "tag",
        "value",
    )
    value: str
    #: The mapping key this value belongs to (last path element), or ``""``.
    key: str
    #: Dotted key path (``services.redis.host``, list items as ``[0]``).
    key_path: str
    tag: str
    #: ``True`` for plain (unquoted) scalars.
    plain: bool
    line: int
    column: int
    end_line: int
    end_column: int

    def __init__(  # noqa: PLR0917  # the positional signature the dataclass had
        self,
        value: str,
        key: str,
        key_path: str,
        tag: str,
        plain: bool,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
    ) -> None:
        self.value = value
        self.key = key
        self.key_path = key_path
        self.tag = tag
        self.plain = plain
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column


#: First item of a deferred question that may withdraw a finding already reported
#: (:meth:`FileContext.report_unless`); the rule's own question follows it.
WITHDRAW = "withdraw-unless-confirmed"


class ProjectView(Protocol):
    """What a rule may ask about the rest of the repository when it settles a deferred finding.

    Implemented by :class:`debt_lints.index.Project` (the project index); rules
    see only this protocol, so they never depend on the layers above them.
    Paths are relative to the configuration root, with ``/``.
    """

    def file_of(self, name: str) -> str | None:
        """The project file ``import name`` runs, under the import roots."""
        ...

    def names_of(self, relpath: str) -> tuple[str, ...]:
        """The dotted names of a file, one per import root that holds it."""
        ...

    def absolute(self, relpath: str, module: str, level: int) -> str | None:
        """A relative import in ``relpath`` made absolute (``None``: above the top)."""
        ...

    def base_classes(self, relpath: str, name: str) -> tuple[tuple[tuple[str, str], ...], bool]:
        """The project classes ``name`` (defined at top level in ``relpath``) inherits from.

        ``((relpath, class name), ...)`` nearest first, the class itself
        excluded, every base followed through any module; the flag is
        ``False`` when some base cannot be followed to a project class (an
        installed package, a file that does not parse, a computed base).
        Bases from the standard library and builtins are not listed and do
        not clear the flag.
        """
        ...

    def class_of(self, relpath: str, dotted: str) -> tuple[str, str] | None:
        """``(relpath, name)`` of the top-level project class ``dotted`` names in ``relpath``.

        A bare name is a class of ``relpath`` itself; a dotted one is followed
        through the project's modules and re-exports; ``None`` when the name
        does not lead to a project class.
        """
        ...

    def external_bases(self, relpath: str, dotted: str) -> tuple[str, ...] | None:
        """The bases from outside the project of the project class ``dotted`` names in
        ``relpath`` and of every project class it inherits from, through any module.

        Dotted names as their modules import them (``logging.FileHandler``,
        ``logging.handlers.TimedRotatingFileHandler``, an installed package's class);
        a bare name is a class of ``relpath`` itself; ``None`` when ``dotted`` names
        no project class.
        """
        ...

    def function_of(self, relpath: str, dotted: str) -> tuple[str, str] | None:
        """``(relpath, name)`` of the module-level project function ``dotted`` names in ``relpath``.

        A bare name is a function of ``relpath`` itself; ``None`` when the name
        does not lead to a project function.
        """
        ...

    def parsed(self, relpath: str) -> tuple[ast.Module, FileContext] | None:
        """The file parsed, with a context whose imports and parents are known."""
        ...

    def runs_once_at_start(self, relpath: str, qualname: str) -> bool:
        """Whether the function ``qualname`` (``f`` or ``C.f``) of ``relpath`` runs only
        while a program starts, once per process: a program the packaging installs, a
        framework's command, or a function every use of which in the repository is a
        direct call in such code (``__main__`` blocks, its own module's top level)."""
        ...

    def loopback_listeners(self, relpath: str, sources: Sequence[str]) -> tuple[str, ...]:
        """The files near ``relpath`` (the tree of its top-level folder; the root's own
        files for a file at the root), itself excluded, whose own listeners on
        loopback take their port from one of ``sources`` (``env:NAME``,
        ``config:SECTION/KEY`` or ``config:KEY``, ``const:module.NAME``,
        ``argv:SCRIPT:N``); a configuration key with no section matches the key
        in any section, and a script's argument the arguments the project's
        command lines give the same value (the files' launch links)."""
        ...

    def calls_from_own_state(self, relpath: str, name: str, position: int, keyword: str) -> bool:
        """Whether the project calls the module-level function or class ``name`` of
        ``relpath`` and every use of it anywhere is a call whose argument for the
        parameter (``position``-th, ``-1`` keyword only, or ``keyword=``) is read back
        from a file the caller's file writes with this machine's pid or own port (a
        lock file: whoever wrote it runs here)."""
        ...


class FileContext:
    """What rules may ask about the file being checked."""

    def __init__(self, path: str, relpath: str, text: str, module: str | None = None) -> None:
        #: Path as printed.
        self.path = printable(path)
        #: Path relative to the project root, with ``/``.
        self.relpath = relpath
        self.text = text
        self.lines = split_lines(text)
        if module is None:
            self.module, self.is_package = module_name_for(relpath)
        else:
            self.module = module
            self.is_package = relpath.endswith(("__init__.py", "__init__.pyi"))
        #: Local name -> fully qualified name, from every import in the module.
        self.aliases: dict[str, str] = {}
        self.parents: dict[ast.AST, ast.AST] = {}
        self.findings: list[Finding] = []
        #: Findings that need the project index to decide (:meth:`defer`), with their question.
        self.deferred: list[tuple[Finding, object]] = []
        #: Set by the engine while a rule's visitor runs, for ``report``.
        self.current_rule: type[Rule] | None = None
        #: The node whose visitors are running (set by the engine), for ``report``.
        self.current_node: ast.AST | None = None
        self._stmt_first_lines: dict[int, int] = {}
        #: The module's whole tree (set by the engine), for rules that build fixes.
        self.tree: ast.Module | None = None
        #: Per-file facts a rule computes once and reuses (keys: the rule's code).
        self.memo: dict[str, object] = {}
        #: Lines (1-based, inclusive) whose text the tree does not hold whole: the file
        #: did not parse and recovery replaced, blanked or dropped them (set by the engine).
        self.lost_lines: tuple[tuple[int, int], ...] = ()
        #: The folder ``relpath`` is relative to, when the caller knows it (set by the
        #: engine from :attr:`RuleSet.root`): repository facts are read below it.
        self.root: str | None = None
        #: Repository facts other than this file that the findings were decided with
        #: (name -> digest of the answer): cached with the findings, which are checked
        #: again when an answer changes (:mod:`debt_lints.analysis.containers`).
        self.inputs: dict[str, str] = {}

    def close(self) -> None:
        """The file is done: drop what rules memoised on it, closing what can be closed.

        A memoised analysis that refers back to this context or to the tree
        (the semantic model does both, and its scopes and bindings refer to
        each other) would otherwise keep the whole tree alive until the cyclic
        collector finds it; closed, it is freed as soon as the engine lets go.
        """
        memo, self.memo = self.memo, {}
        for value in memo.values():
            close = getattr(value, "close", None)
            if callable(close):
                close()

    def in_files(self, option: str, patterns: tuple[str, ...]) -> bool:
        """Whether this file matches the path globs of ``option`` (:func:`path_matches`),
        asked once per file."""
        key = "paths:" + option
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = path_matches(self.relpath, patterns)
        return found is True

    # --- names ------------------------------------------------------------------

    def add_import(self, node: ast.Import | ast.ImportFrom) -> None:
        """Record the names an import statement binds (called by the engine)."""
        self.aliases.update(self.import_bindings(node))

    def import_bindings(self, node: ast.Import | ast.ImportFrom) -> dict[str, str]:
        """The names an import statement binds, each with the qualified name it binds."""
        out: dict[str, str] = {}
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    out[alias.asname] = alias.name
                else:
                    root = alias.name.split(".", 1)[0]
                    out[root] = root
            return out
        base = self.resolve_from(node)
        if base is None:
            return out
        for alias in node.names:
            if alias.name == "*":
                continue
            out[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name
        return out

    def resolve_from(self, node: ast.ImportFrom) -> str | None:
        """Absolute module of a ``from ... import``; relative levels resolved from the file."""
        if not node.level:
            return node.module or ""
        return self.resolve_relative(node.module or "", node.level)

    @property
    def package(self) -> str:
        """The package relative imports start from (``__package__`` at run time).

        The module itself for an ``__init__.py``, else its parent; ``""`` for a
        top-level module.
        """
        if self.is_package:
            return self.module
        return self.module.rpartition(".")[0]

    def resolve_relative(self, name: str, level: int) -> str | None:
        """Absolute name of ``name`` imported with ``level`` leading dots from this file.

        ``from ..utils import x`` in ``main_pc_code/agents/a.py`` is
        ``resolve_relative("utils", 2)`` = ``main_pc_code.utils``; in
        ``main_pc_code/agents/__init__.py`` the package is ``main_pc_code.agents``
        itself. ``None`` when the import climbs above the top-level package (an
        ``ImportError`` at run time), or when ``level`` is not positive.
        """
        if level <= 0:
            return name or None
        package = self.package.split(".") if self.package else []
        # Like importlib._bootstrap._resolve_name: level 1 is the package
        # itself, each further dot one package up; going past the top fails.
        if level > len(package):
            return None
        base = package[: len(package) - (level - 1)]
        if name:
            base.append(name)
        return ".".join(base)

    def dotted(self, node: ast.AST) -> str | None:
        """``a.b.c`` for a chain of attributes on a name, as written; else ``None``."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        parts.append(node.id)
        return ".".join(reversed(parts))

    def resolve(self, node: ast.AST) -> str | None:
        """The qualified name an expression refers to, through the imports.

        ``z.Context`` with ``import zmq as z`` is ``zmq.Context``; ``getenv``
        with ``from os import getenv`` is ``os.getenv``. A chain rooted in a
        name that no import binds is returned as written (``open``,
        ``self.sock.close``).
        """
        dotted = self.dotted(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        target = self.aliases.get(head)
        if target is None:
            return dotted
        return f"{target}.{rest}" if rest else target

    def call_name(self, call: ast.Call) -> str | None:
        return self.resolve(call.func)

    # --- tree ----------------------------------------------------------------------

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(node)

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        current = self.parents.get(node)
        while current is not None:
            yield current
            current = self.parents.get(current)

    def enclosing_function(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        for anc in self.ancestors(node):
            if isinstance(anc, FUNCTIONS):
                return anc
        return None

    def text_lost_in(self, node: ast.stmt) -> bool:
        """Whether the file did not parse and recovery lost text of ``node`` (a def, a class).

        Lost text may have done anything: closed an attribute whose receiver
        was replaced (``${PLACEHOLDER}.ctx.destroy(0)``), or held a whole
        method. A lost range counts when it meets the node's lines (its
        decorators included), or when it comes right after the node's last
        recovered line (only blank lines, comments or lost lines between) and
        holds a line indented deeper than the node's header: the rest of a
        class or function that recovery could not keep in it.
        """
        if not self.lost_lines:
            return False
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
        last = node.end_lineno or node.lineno
        header = self._indent_width(node.lineno)
        for start, end in sorted(self.lost_lines):
            if end < first:
                continue
            if start <= last:
                return True
            if not all(
                not self.line_code(i) or any(a <= i <= b for a, b in self.lost_lines)
                for i in range(last + 1, start)
            ):
                return False  # a statement the tree holds comes first: not the node's
            if any(
                self.line_code(i) and self._indent_width(i) > header for i in range(start, end + 1)
            ):
                return True
        return False

    def _indent_width(self, line: int) -> int:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return len(text[: len(text) - len(text.lstrip(" \t\f"))].expandtabs(8))

    def line_code(self, line: int) -> str:
        """Line ``line`` (1-based) stripped, ``""`` when blank or a comment alone."""
        text = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        return "" if text.startswith("#") else text

    def enclosing_class(self, node: ast.AST) -> ast.ClassDef | None:
        for anc in self.ancestors(node):
            if isinstance(anc, ast.ClassDef):
                return anc
        return None

    def enclosing_statement(self, node: ast.AST) -> ast.stmt | None:
        if isinstance(node, ast.stmt):
            return node
        for anc in self.ancestors(node):
            if isinstance(anc, ast.stmt):
                return anc
        return None

    def is_docstring(self, node: ast.AST) -> bool:
        """A string that is a statement on its own: a docstring or a bare string.

        Such strings are documentation or disabled code, never values.
        """
        return isinstance(node, ast.Constant) and isinstance(self.parents.get(node), ast.Expr)

    def scope_name(self, node: ast.AST) -> str:
        """Qualified name of the functions and classes around ``node`` (``""`` at top level)."""
        names = [
            anc.name if not isinstance(anc, ast.Lambda) else "<lambda>"
            for anc in self.ancestors(node)
            if isinstance(anc, _SCOPES)
        ]
        if isinstance(node, _SCOPES) and not isinstance(node, ast.Lambda):
            names.insert(0, node.name)
        return ".".join(reversed(names))

    # --- positions and reporting ---------------------------------------------------

    def char_column(self, line: int, byte_col: int) -> int:
        """Convert ``ast``'s UTF-8 byte offset into a 0-based character offset."""
        if 1 <= line <= len(self.lines):
            text = self.lines[line - 1]
            if text.isascii():
                return byte_col
            return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="replace"))
        return byte_col

    def segment(self, node: ast.AST) -> str:
        """The source text of ``node`` (best effort, whitespace folded per line, capped)."""
        line = getattr(node, "lineno", None)
        end_line = getattr(node, "end_lineno", None)
        col = getattr(node, "col_offset", None)
        end_col = getattr(node, "end_col_offset", None)
        if line is None or end_line is None or col is None or end_col is None:
            return ""
        chunk = self.lines[line - 1 : end_line]
        if not chunk:
            return ""
        encoded = [c.encode("utf-8") for c in chunk]
        if len(encoded) == 1:
            raw = encoded[0][col:end_col]
        else:
            raw = encoded[0][col:] + b"".join(encoded[1:-1]) + encoded[-1][:end_col]
        # Whitespace is folded within each line, but line breaks stay: a comment
        # inside a multi-line expression must end at its line, or it would swallow
        # the rest of the snippet when the baseline drops comments.
        text = raw.decode("utf-8", errors="replace")
        folded = (" ".join(part.split()) for part in text.splitlines())
        return "\n".join(part for part in folded if part)[:300]

    # --- source text and edits (for fixes) -----------------------------------------

    def source_of(self, node: ast.AST) -> str | None:
        """The exact source text of ``node``, or ``None`` when it has no position."""
        line = getattr(node, "lineno", None)
        end_line = getattr(node, "end_lineno", None)
        col = getattr(node, "col_offset", None)
        end_col = getattr(node, "end_col_offset", None)
        if line is None or end_line is None or col is None or end_col is None:
            return None
        if not 1 <= line <= end_line <= len(self.lines):
            return None
        start = self.char_column(line, col)
        end = self.char_column(end_line, end_col)
        lines: list[str] = self.lines
        line, end_line = int(line), int(end_line)
        if line == end_line:
            return lines[line - 1][start:end]
        chunk = [lines[line - 1][start:], *lines[line : end_line - 1]]
        return "".join(chunk) + lines[end_line - 1][:end]

    def edit(self, node: ast.AST, content: str, *, at_end: bool = False) -> Edit:
        """An edit replacing ``node``'s text with ``content``.

        ``at_end`` makes an insertion at the node's end instead; an empty
        node range (``col == end``) with content inserts at its start.
        """
        line = getattr(node, "end_lineno" if at_end else "lineno", 1)
        col = getattr(node, "end_col_offset" if at_end else "col_offset", 0)
        end_line = getattr(node, "end_lineno", line)
        end_col = getattr(node, "end_col_offset", col)
        start = self.char_column(line, col) + 1
        if at_end:
            return Edit(line, start, line, start, content)
        return Edit(line, start, end_line, self.char_column(end_line, end_col) + 1, content)

    def insert_before(self, node: ast.AST, content: str) -> Edit:
        """An edit inserting ``content`` just before ``node``."""
        line = getattr(node, "lineno", 1)
        start = self.char_column(line, getattr(node, "col_offset", 0)) + 1
        return Edit(line, start, line, start, content)

    def report(
        self,
        node: ast.AST,
        message: str | None = None,
        rule: type[Rule] | None = None,
        fix: Fix | None = None,
    ) -> None:
        """Record a finding of the running rule at ``node`` (with ``fix``, when it has one)."""
        rule = rule or self.current_rule
        assert rule is not None, "report() outside a rule visitor needs rule="
        self._record_ancestry(node)
        line = getattr(node, "lineno", 1) or 1
        col = getattr(node, "col_offset", 0) or 0
        end_line = getattr(node, "end_lineno", None) or line
        end_col = getattr(node, "end_col_offset", None)
        end_col = col if end_col is None else end_col
        self.findings.append(
            Finding(
                path=self.path,
                line=line,
                column=self.char_column(line, col) + 1,
                code=rule.code,
                end_line=end_line,
                end_column=self.char_column(end_line, end_col) + 1,
                name=rule.name,
                message=printable(message or rule.message),
                severity=rule.severity,
                scope=self.scope_name(node),
                snippet=self.segment(node),
                fix=fix,
            )
        )
        stmt = self.enclosing_statement(node)
        if stmt is not None:
            self._stmt_first_lines[line] = min(self._stmt_first_lines.get(line, line), stmt.lineno)

    def defer(self, node: ast.AST, question: object, message: str | None = None) -> None:
        """Record a finding that only the rest of the repository can confirm.

        ``question`` (JSON-ready data) goes with the finding; once every
        file's facts are known, the rule's ``settle(question, finding,
        project)`` returns the finding to report (possibly with another
        message) or ``None``. Without a project (a file checked alone) a
        deferred finding is not reported: it is what one file cannot prove.
        """
        self.report(node, message)
        self.deferred.append((self.findings.pop(), question))

    def report_unless(self, node: ast.AST, question: object, message: str | None = None) -> None:
        """Record a finding that the rest of the repository may withdraw.

        The finding is reported as by :meth:`report`; once every file's facts
        are known, the rule's ``settle(question, finding, project)`` is asked
        too, and returning ``None`` withdraws it (:func:`~debt_lints.index.settle.settle`).
        Without a project (a file checked alone) it stays: what one file shows
        is debt until the others prove otherwise.
        """
        self.report(node, message)
        self.deferred.append((replace(self.findings[-1]), [WITHDRAW, question]))

    def _record_ancestry(self, node: ast.AST) -> None:
        """Make sure ``node``'s parents are known before its scope and statement are asked.

        The engine records a node's parent when it reaches the parent, after
        the parent's own visitors ran: a finding at a literal inside the call
        being visited would otherwise get no scope and no statement (and a
        ``# noqa`` on the statement's first line would miss it). The visited
        subtree is recorded once, on the first such finding.
        """
        root = self.current_node
        if root is None or node is root or node in self.parents:
            return
        parents = self.parents
        for parent in ast.walk(root):
            for child in ast.iter_child_nodes(parent):
                parents[child] = parent

    def report_yaml(self, scalar: YamlScalar, message: str | None = None) -> None:
        rule = self.current_rule
        assert rule is not None
        self.findings.append(
            Finding(
                path=self.path,
                line=scalar.line,
                column=scalar.column,
                code=rule.code,
                end_line=scalar.end_line,
                end_column=scalar.end_column,
                name=rule.name,
                message=printable(message or rule.message),
                severity=rule.severity,
                scope=printable(scalar.key_path),
                snippet=printable(scalar.value[:300]),
            )
        )

    def statement_first_line(self, line: int) -> int:
        """First line of the statement a finding on ``line`` belongs to (for ``# noqa``)."""
        return self._stmt_first_lines.get(line, line)
