"""Where a path comes from, and the texts it can take.

Answers *where the folder an expression names comes from*
(:meth:`PathModel.path_sources`: the caller, the working directory, the command
line or a setting, the code's own location, a literal, a tool's location,
``sys.path``, another module), *which texts a path can take*
(:meth:`PathModel.path_texts`), and *which module value a path is*
(:meth:`PathModel.imported_value`, :meth:`PathModel.module_path_sources`).
"""

from __future__ import annotations

import ast
import re
from itertools import product

from debt_lints.analysis.data_dirs import data_dir_attribute, is_data_dir_call, is_dirs_object
from debt_lints.analysis.literals import (
    BELOW_ROOT,
    DEFAULT_ABSOLUTE_PATH_ROOTS,
    HOLE,
    ROOT,
    WINDOWS,
    PathRoots,
    last_name,
)
from debt_lints.analysis.nodes import walk
from debt_lints.analysis.patterns import env_accesses
from debt_lints.analysis.semantic.bindings import _imported
from debt_lints.analysis.semantic.commandline import _namespace_dict
from debt_lints.analysis.semantic.imports import ImportModel
from debt_lints.analysis.semantic.values import _MAX_TEXTS, ValueModel
from debt_lints.core.lazy import lazy_pattern

#: Paths are built in many small steps (``str(Path(p).resolve().parent)``): a longer chain.
_MAX_PATH_DEPTH = 40


# --- where a path comes from (path_sources) ----------------------------------------------------
#: The caller chooses: a parameter.
FROM_CALLER = "caller"
#: The working directory: ``os.getcwd()``, ``""``, ``"."``.
FROM_CWD = "cwd"
#: The command line or a setting: ``sys.argv[1:]``, ``parse_args()``, ``os.environ``.
FROM_INPUT = "input"
#: The name of a class whose instances hold the user's settings (``Config``,
#: ``AppSettings``, ``ServerOptions``, ``Configuration``).
_SETTINGS_CLASS_RE = lazy_pattern(r"(?:Config|Configuration|Settings|Options|Conf)$")
#: The code's own location: ``__file__``, ``sys.argv[0]``.
FROM_LAYOUT = "layout"
#: A path written in the code: relative (``"../.."``, ``"lib"``, ``os.pardir``) or
#: into one machine's folders (``"/home/me/app"``, ``"/srv/app"``, ``"C:\\Users\\me"``).
FROM_LITERAL = "literal"
#: A tool's configuration or data location written in the code, one any machine
#: of its OS may have and that never holds a checkout of the code: a system
#: data or configuration folder (``"/usr/share/app"``, ``"/etc/app"``, a package
#: manager's prefix such as MacPorts' ``/opt/local``), a dot-folder or the
#: configuration folders of any user's home (``"~/.app"``, ``Path.home() / ".app"``,
#: ``"~/Library/Application Support/App"``), a place an environment variable
#: names (``"%AppData%\\app"``, ``"$XDG_DATA_HOME/app"``). A folder written into
#: the home folder (``"~/monorepo/lib"``) or another absolute folder
#: (``"/opt/app/lib"``, ``"C:\\Tools\\lib"``) is :data:`FROM_LITERAL`.
FROM_LOCATION = "location"
#: A folder the program asks the platform for its own data (appdirs' and platformdirs'
#: ``user_data_dir("app")``, ``site_data_dir``, ``PlatformDirs("app").user_config_dir``):
#: filled at run time, never a checkout of the code (:mod:`.data_dirs`).
FROM_DATA_DIR = "data dir"
#: ``sys.path`` itself: an entry taken from it, a copy of it.
FROM_SYS_PATH = "sys.path"
#: Another module's value or a call the model cannot follow.
FROM_OTHER = "other"
_NAMED_SOURCES = {
    "os.getcwd": FROM_CWD,
    "os.getcwdb": FROM_CWD,
    "pathlib.Path.cwd": FROM_CWD,
    "pathlib.Path.home": FROM_LOCATION,
    "os.curdir": FROM_CWD,
    "os.pardir": FROM_LITERAL,
    "sys.path": FROM_SYS_PATH,
    "sys.argv": FROM_INPUT,
}
#: The start of a written path that names a place of any user or machine: ``~``,
#: ``$VAR``, ``${VAR}``, ``%VAR%``.
_ANY_USER_RE = lazy_pattern(r"~|\$\{?[A-Za-z_]|%[A-Za-z_]\w*%")
#: The folders DL202 calls machine-specific by default (``/home``, ``/srv``, ``/mnt`` ...).
_MACHINE_ROOTS = PathRoots(DEFAULT_ABSOLUTE_PATH_ROOTS)


def _fixed_place(text: str) -> bool:
    """Whether a written path names a place any machine of its OS may have (see
    :data:`FROM_LOCATION`): not relative, and not below one machine's folders
    (``/home/me``, ``/srv/app``, ``C:\\Users\\me``); a vendor's folder below ``/opt``
    is a fixed place, as DL202 treats it when the code looks for it."""
    if _ANY_USER_RE.match(text):
        return True
    if not (text[:1] in ("/", "\\") or text[1:2] == ":"):
        return False
    kind = _MACHINE_ROOTS.classify(text)
    if kind in (ROOT, BELOW_ROOT):
        return text.startswith("/opt/")
    if kind == WINDOWS:
        return "/users/" not in text.lower().replace("\\", "/")
    return True


#: Environment variables that name a user's home: the folder below them decides.
_HOME_VARS = frozenset({"HOME", "USERPROFILE", "HOMEPATH"})
_ENV_PLACE_RE = lazy_pattern(r"\$\{?([A-Za-z_]\w*)\}?|%([A-Za-z_]\w*)%")
#: Configuration and data folders of a home: a dot-folder (``~/.tool``, ``~/.config``,
#: ``~/.local/share``), macOS' ``~/Library/Application Support`` and Windows' ``AppData``.
_HOME_CONFIG_RE = lazy_pattern(
    r"\.[^./]|Library/(Application Support|Preferences)/[^/]|AppData/[^/]"
)
#: A package manager's own prefix, which only packaged software fills: MacPorts,
#: Fink, Homebrew, Solaris' companion software, pkgsrc, Nix.
_PACKAGE_PREFIXES = ("/opt/local", "/sw", "/opt/homebrew", "/opt/sfw", "/usr/pkg", "/nix")
#: System configuration and data folders of a tool: ``share`` and ``etc`` below
#: ``/``, ``/usr``, ``/usr/local`` or a vendor's ``/opt/<vendor>``, macOS'
#: ``/Library/Application Support``, Windows' ``ProgramData``, and anything in a
#: package manager's own prefix.
_SYSTEM_CONFIG_RE = lazy_pattern(
    r"(/usr|/usr/local|/opt/[^/]+)?/(share|etc)/[^/]"
    r"|/Library/(Application Support|Preferences)/[^/]"
    rf"|({'|'.join(map(re.escape, _PACKAGE_PREFIXES))})/[^/]"
    r"|[A-Za-z]:/ProgramData/[^/]",
    re.IGNORECASE,
)


def _tool_place(text: str) -> bool:
    """Whether a written path (``/`` or ``\\`` separated, unknown parts
    :data:`HOLE`) is a tool's configuration or data location (see
    :data:`FROM_LOCATION`): what the home folder or a system prefix holds is
    judged by the folder below it, which must be known."""
    text = text.replace("\\", "/")
    env = _ENV_PLACE_RE.match(text)
    if env is not None:
        name = (env.group(1) or env.group(2)).upper()
        if name not in _HOME_VARS:
            return True  # %AppData%, $XDG_CONFIG_HOME, a variable the user sets
        rest = text[env.end() :]
    elif text.startswith("~"):
        rest = text[1:]
        if not rest.startswith("/"):
            rest = rest.partition("/")[2]  # ~user/...
    else:
        return _SYSTEM_CONFIG_RE.match(text) is not None
    return _HOME_CONFIG_RE.match(rest.lstrip("/")) is not None


#: Calls that give the path of their only argument (or its receiver), unchanged as a place.
_SAME_PLACE = frozenset(
    {
        "str",
        "os.fspath",
        "os.fsdecode",
        *(
            f"{m}.{n}"
            for m in ("os.path", "posixpath", "ntpath")
            for n in ("expanduser", "expandvars", "abspath", "normpath", "realpath")
        ),
    }
)
_SAME_PLACE_METHODS = frozenset({"expanduser", "resolve", "absolute", "as_posix"})
_PATH_CLASSES = frozenset(
    {f"pathlib.{c}" for c in ("Path", "PurePath", "PosixPath", "WindowsPath", "PurePosixPath")}
)


def _join_place(base: str, part: str) -> str:
    if part[:1] in ("/", "\\", "~") or part[1:2] == ":":
        return part  # os.path.join("a", "/b") is "/b"
    if not base:
        return part
    return base.rstrip("/\\") + "/" + part


#: Builtins and library calls that build a path (or a list of paths) from their arguments.
_PATH_BUILDERS = frozenset(
    {
        "str",
        "list",
        "tuple",
        "sorted",
        "reversed",
        "filter",
        "os.fspath",
        "os.fsdecode",
        "copy.copy",
        "copy.deepcopy",
    }
)


def _climbs(node: ast.AST) -> bool:
    """A joined part that leaves the base: ``".."``, ``"../lib"``, ``os.pardir``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return ".." in node.value.replace("\\", "/").split("/")
    return isinstance(node, ast.Attribute) and node.attr == "pardir"


class PathModel(ImportModel, ValueModel):
    """Where a path comes from, and the texts it can take."""

    # --- where a path comes from ------------------------------------------------------------------

    def _settings_object(self, holder: ast.expr) -> bool:
        """``holder`` is only ever an instance of a configuration class the program
        makes (``self.cfg = Config()``, also in a base class of this file;
        ``settings = Settings(...)``; ``None`` until then): its attributes are the
        user's settings, whatever their defaults."""
        values: list[ast.AST] = list(self.origins(holder))
        cls = self._self_class(holder) if isinstance(holder, ast.Attribute) else None
        if cls is not None and isinstance(holder, ast.Attribute):
            values = [
                v
                for c in self._same_file_lineage(cls)
                for v in self.attribute_values(c, holder.attr)
            ]
        values = [
            v
            for v in values
            if v is not holder and not (isinstance(v, ast.Constant) and v.value is None)
        ]
        return bool(values) and all(
            isinstance(v, ast.Call) and bool(_SETTINGS_CLASS_RE.search(last_name(v.func) or ""))
            for v in values
        )

    def _same_file_lineage(self, cls: ast.ClassDef) -> list[ast.ClassDef]:
        """``cls`` and the bases of it this module defines at its top level, nearest first."""
        defined = {n.name: n for n in self.tree.body if isinstance(n, ast.ClassDef)}
        out = [cls]
        for current in out:
            if len(out) > _MAX_PATH_DEPTH:
                break
            for base in current.bases:
                found = defined.get(base.id) if isinstance(base, ast.Name) else None
                if found is not None and found not in out:
                    out.append(found)
        return out

    def path_sources(self, node: ast.expr) -> frozenset[str]:
        """Where the folder (or folders) ``node`` names comes from, followed in this file.

        :data:`FROM_CALLER` a parameter (the caller chooses; its default and this
        file's arguments are followed too), :data:`FROM_CWD` the working directory
        (``os.getcwd()``, ``""``, ``"."``, ``os.curdir``), :data:`FROM_INPUT` the
        command line (``sys.argv[1:]``, ``parse_args()``) or a setting,
        :data:`FROM_LAYOUT` the code's own location (``__file__``, ``sys.argv[0]``),
        :data:`FROM_LITERAL` a relative path written in the code (``"../.."``,
        ``os.pardir``), :data:`FROM_LOCATION` a fixed place written in the code (an
        absolute path, ``~``, ``Path.home()``, ``%AppData%``, ``$HOME``),
        :data:`FROM_SYS_PATH` an entry or copy of ``sys.path`` itself, and
        :data:`FROM_OTHER` what the model cannot follow (another module's name,
        an unknown call). A path built by joining is judged by its base: the
        first part of ``os.path.join``, ``+``, ``/`` or an f-string; a later
        part adds :data:`FROM_LITERAL` only when it climbs (``".."``).
        """
        out: set[str] = set()
        self._path_sources(node, out, 0, set())
        if FROM_LOCATION in out and not self.tool_place(node):
            # A fixed place at its base, but not a tool's configuration or data
            # location as a whole (``~/monorepo/lib``, ``/opt/app/lib``).
            out = (out - {FROM_LOCATION}) | {FROM_LITERAL}
        return frozenset(out or {FROM_OTHER})

    def imported_value(self, node: ast.expr) -> tuple[str, str] | None:
        """``(module, NAME)`` when ``node`` reads a name another module binds: a name
        only an import binds here (``from pkg.globals import sys_path``) or an attribute
        of an imported module (``pkg_globals.sys_path``); ``None`` otherwise."""
        if isinstance(node, ast.Name):
            defs = self.reaching(node)
            if not defs or any(d.kind != "import" for d in defs):
                return None
        elif not (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, (ast.Name, ast.Attribute))
            and _imported(node, self.ctx)
        ):
            return None
        qualified = self._qualified(node)
        if qualified is None:
            return None
        module, _, name = qualified.rpartition(".")
        return module, name

    def module_path_sources(self, name: str) -> frozenset[str] | None:
        """What :meth:`path_sources` says of the value this module binds to ``name`` at
        its top level, where it is bound once (``sys_path = sys.path[:]``: what was on
        the path already); ``None`` when it is not bound there exactly once."""
        bindings = self.top_level_bindings(name)
        if len(bindings) != 1 or not isinstance(bindings[0], ast.Assign):
            return None
        return self.path_sources(bindings[0].value)

    def tool_place(self, node: ast.expr) -> bool:
        """Whether every fixed place the folder ``node`` may name, written whole
        (joined parts, ``~`` and ``Path.home()`` included, through names,
        parameters and loops) is a tool's configuration or data location (see
        :data:`FROM_LOCATION`); ``False`` when no such place can be written out."""
        places = [t for t in self.path_texts(node) if _fixed_place(t.replace(HOLE, "x"))]
        return bool(places) and all(_tool_place(t) for t in places)

    def path_texts(self, node: ast.expr) -> tuple[str, ...]:
        """The paths the folder (or folders) ``node`` names, written out: joined
        with ``/`` (``os.path.join``, ``/``, ``+``, f-strings), ``Path.home()`` as
        ``~``, unknown parts :data:`HOLE`; a parameter by its default and this
        file's arguments, a loop variable by the items it loops over, a
        setting by its default."""
        return tuple(dict.fromkeys(self._path_texts(node, 0, frozenset())))

    def _path_texts(self, node: ast.AST, depth: int, seen: frozenset[int]) -> list[str]:
        if depth > _MAX_PATH_DEPTH or id(node) in seen:
            return [HOLE]
        key = (id(node), "path_texts")
        cached = self._memo.get(key)
        if cached is None:
            cached = self._memo[key] = self._path_texts_of(node, depth + 1, seen | {id(node)})
        return cached  # type: ignore[return-value]  # only lists of str are stored

    def _path_texts_of(self, node: ast.AST, deeper: int, seen: frozenset[int]) -> list[str]:
        texts = self._path_texts
        ctx = self.ctx
        if isinstance(node, ast.Constant):
            return [node.value] if isinstance(node.value, str) else [HOLE]
        if isinstance(node, ast.Name):
            out: list[str] = []
            for d in self.reaching(node):
                if d.kind == "assign" and d.value is not None:
                    out += texts(d.value, deeper, seen)
                elif d.kind == "param":
                    passed = [d.value] if d.value is not None else []
                    for value in [*passed, *self._arguments(d)]:
                        out += texts(value, deeper, seen)
                elif isinstance(d.node, (ast.For, ast.AsyncFor, ast.comprehension)):
                    out += texts(d.node.iter, deeper, seen)
            return _bounded(out or [HOLE])
        if isinstance(node, ast.Attribute):
            cls = self._self_class(node)
            if cls is None:
                return [HOLE]
            out = []
            for assigned in self.attribute_values(cls, node.attr):
                out += texts(assigned, deeper, seen) if isinstance(assigned, ast.expr) else [HOLE]
            return _bounded(out or [HOLE])
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            out = []
            for elt in node.elts:
                out += texts(elt, deeper, seen)
            return _bounded(out)
        if isinstance(node, ast.Starred):
            return texts(node.value, deeper, seen)
        if isinstance(node, ast.IfExp):
            return _bounded(texts(node.body, deeper, seen) + texts(node.orelse, deeper, seen))
        if isinstance(node, ast.BoolOp):
            out = []
            for value in node.values:
                out += texts(value, deeper, seen)
            return _bounded(out)
        if isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            return texts(node.elt, deeper, seen)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Div)):
            left, right = texts(node.left, deeper, seen), texts(node.right, deeper, seen)
            if isinstance(node.op, ast.Add) and (
                self._a_list(node.left) or self._a_list(node.right)
            ):
                return _bounded(left + right)  # sysdirs + [topdir]: the items of both
            if isinstance(node.op, ast.Add):
                return _bounded([a + b for a, b in product(left, right)])
            return _bounded([_join_place(a, b) for a, b in product(left, right)])
        if isinstance(node, ast.JoinedStr):
            pieces = [
                texts(v.value, deeper, seen)
                if isinstance(v, ast.FormattedValue)
                else [str(getattr(v, "value", HOLE))]
                for v in node.values
            ]
            return _bounded(["".join(c) for c in product(*pieces)])
        if not isinstance(node, ast.Call):
            return [HOLE]
        found = self.setting(node)
        if found is not None:
            default = found[1]
            return [HOLE, *(texts(default, deeper, seen) if default is not None else [])]
        name = ctx.resolve(node.func) or ""
        func = node.func
        if name == "pathlib.Path.home":
            return ["~"]
        args = [a.value if isinstance(a, ast.Starred) else a for a in node.args]
        if name in _SAME_PLACE and len(args) == 1:
            return texts(args[0], deeper, seen)
        joins = name in _PATH_CLASSES or name in {
            f"{m}.join" for m in ("os.path", "posixpath", "ntpath")
        }
        parts: list[ast.expr] = []
        if joins:
            parts = args
        elif isinstance(func, ast.Attribute) and not _imported(func, ctx):
            if func.attr in _SAME_PLACE_METHODS and not args:
                return texts(func.value, deeper, seen)
            if func.attr == "joinpath":
                parts = [func.value, *args]
        if parts:
            out = [""]
            for part in parts:
                out = _bounded(
                    [_join_place(a, b) for a, b in product(out, texts(part, deeper, seen))]
                )
            return out
        functions: list[ast.AST] = []
        if isinstance(func, ast.Name):
            # A function of this scope or an enclosing one (SCons's nested ``homedir(d)``).
            functions = [d.node for d in self.reaching(func) if d.kind == "function"]
        if not functions:
            functions = [f for f in [self.function_of(node)] if f is not None]
        out = []
        for function in functions:
            for r in walk(function):
                if (
                    isinstance(r, ast.Return)
                    and r.value is not None
                    and self.scope_of(r).node is function
                ):
                    out += texts(r.value, deeper, seen)
        return _bounded(out or [HOLE])

    def _a_list(self, node: ast.expr) -> bool:
        """``[topdir]``, or a name only lists are assigned to (``sysdirs``)."""
        if isinstance(node, (ast.List, ast.Tuple, ast.ListComp)):
            return True
        if isinstance(node, ast.Name):
            defs = self.reaching(node)
            return bool(defs) and all(
                d.kind == "assign" and isinstance(d.value, (ast.List, ast.Tuple, ast.ListComp))
                for d in defs
            )
        return False

    def _path_sources(self, node: ast.AST, out: set[str], depth: int, seen: set[int]) -> None:
        if id(node) in seen:
            return  # a loop: its other ways in are followed already
        if depth > _MAX_PATH_DEPTH:
            out.add(FROM_OTHER)
            return
        seen.add(id(node))
        follow = self._path_sources
        deeper = depth + 1
        ctx = self.ctx
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str) and node.value in {"", ".", "./"}:
                out.add(FROM_CWD)
            elif isinstance(node.value, str) and _fixed_place(node.value):
                out.add(FROM_LOCATION)
            elif isinstance(node.value, (str, bytes)):
                out.add(FROM_LITERAL)
            return
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                out.add(FROM_LAYOUT)
                return
            defs = self.reaching(node)
            if not defs:
                out.add(FROM_OTHER)
            for d in defs:
                if d.kind == "assign" and d.value is not None:
                    follow(d.value, out, deeper, seen)
                elif d.kind == "param":
                    # The caller's choice, unless this file's callers (or the
                    # default) visibly pass a path of the code's own: what the
                    # model cannot follow there stays the caller's choice.
                    out.add(FROM_CALLER)
                    passed: set[str] = set()
                    for value in [d.value, *self._arguments(d)]:
                        if value is not None:
                            follow(value, passed, deeper, seen)
                    out.update(passed - {FROM_OTHER})
                elif isinstance(d.node, (ast.For, ast.AsyncFor, ast.comprehension)):
                    follow(d.node.iter, out, deeper, seen)
                elif isinstance(d.node, ast.Assign):
                    follow(d.node.value, out, deeper, seen)  # a, b = os.path.split(path)
                else:
                    out.add(FROM_OTHER)
            return
        if isinstance(node, ast.Attribute):
            if node.attr in {"__file__", "__path__", "__spec__"}:
                out.add(FROM_LAYOUT)
                return
            name = ctx.resolve(node)
            if name in _NAMED_SOURCES:
                out.add(_NAMED_SOURCES[name])
                return
            if data_dir_attribute(node) and any(
                isinstance(o, ast.Call) and is_dirs_object(o, ctx) for o in self.origins(node.value)
            ):
                out.add(FROM_DATA_DIR)  # PlatformDirs("app").user_data_dir
                return
            cls = self._self_class(node)
            if cls is not None:
                values = self.attribute_values(cls, node.attr)
                if not values:
                    out.add(FROM_OTHER)
                for assigned in values:
                    if isinstance(assigned, (ast.For, ast.AsyncFor)):
                        follow(assigned.iter, out, deeper, seen)
                    elif isinstance(assigned, ast.expr):
                        follow(assigned, out, deeper, seen)
                    else:
                        out.add(FROM_OTHER)
                return
            if _imported(node, ctx):
                out.add(FROM_OTHER)  # another module's value
                return
            if self._settings_object(node.value):
                out.add(FROM_INPUT)  # self.cfg.chdir, self.cfg = Config(): a setting
                return
            follow(node.value, out, deeper, seen)  # options.include_dir, path.parent
            return
        if isinstance(node, ast.Subscript):
            if ctx.resolve(node.value) == "sys.argv":
                first = isinstance(node.slice, ast.Constant) and node.slice.value == 0
                out.add(FROM_LAYOUT if first else FROM_INPUT)
                return
            if any(a.kind == "read" for a in env_accesses(node, ctx)):
                out.add(FROM_INPUT)
                return
            follow(node.value, out, deeper, seen)
            return
        if isinstance(node, ast.Call):
            self._call_sources(node, out, deeper, seen)
            return
        if isinstance(node, ast.BinOp):
            follow(node.left, out, deeper, seen)
            if _climbs(node.right):
                out.add(FROM_LITERAL)
            return
        if isinstance(node, ast.JoinedStr):
            if node.values:
                head = node.values[0]
                follow(
                    head.value if isinstance(head, ast.FormattedValue) else head,
                    out,
                    deeper,
                    seen,
                )
            if any(_climbs(v) for v in node.values[1:]):
                out.add(FROM_LITERAL)
            return
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            for elt in node.elts:
                follow(elt, out, deeper, seen)
            return
        if isinstance(node, ast.Starred):
            follow(node.value, out, deeper, seen)
            return
        if isinstance(node, ast.IfExp):
            follow(node.body, out, deeper, seen)
            follow(node.orelse, out, deeper, seen)
            return
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                follow(value, out, deeper, seen)
            return
        if isinstance(node, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            follow(node.elt, out, deeper, seen)
            return
        out.add(FROM_OTHER)

    def _call_sources(self, call: ast.Call, out: set[str], depth: int, seen: set[int]) -> None:
        follow = self._path_sources
        ctx = self.ctx
        found = self.setting(call)
        if found is not None:
            out.add(FROM_INPUT)
            default = found[1]
            if default is not None:
                # A setting the code gives a default: a default into the code's own
                # layout or a written folder (``os.environ.get("MAIN_PC_CODE",
                # "/opt/ai_system/main_pc_code")``) is where it is found unless set.
                passed: set[str] = set()
                follow(default, passed, depth, seen)
                if FROM_LOCATION in passed and not self.tool_place(default):
                    passed.add(FROM_LITERAL)
                out.update(passed & {FROM_LAYOUT, FROM_LITERAL})
            return
        if is_data_dir_call(call, ctx):
            out.add(FROM_DATA_DIR)
            return
        name = ctx.resolve(call.func) or ""
        if name in _NAMED_SOURCES:
            out.add(_NAMED_SOURCES[name])
            return
        if name.startswith("sys.path."):
            out.add(FROM_SYS_PATH)  # sys.path.copy(), sys.path.pop(0): what is already there
            return
        if name.startswith("os.environ."):
            out.add(FROM_INPUT)  # os.environ.copy(): the environment the user started it in
            return
        if _namespace_dict(call):
            follow(call.args[0], out, depth, seen)  # vars(args): what the namespace holds
            return
        func = call.func
        last = last_name(func) or ""
        if last in {"parse_args", "parse_known_args"}:
            out.add(FROM_INPUT)
            return
        if (
            name in _PATH_BUILDERS
            or name.startswith(("os.path.", "posixpath.", "ntpath.", "pathlib."))
            or (isinstance(func, ast.Attribute) and not _imported(func, ctx))
        ):
            # A path built from its arguments (a method: from its receiver): the
            # base decides, a joined part only when it climbs.
            parts: list[ast.expr] = []
            if isinstance(func, ast.Attribute) and not _imported(func, ctx):
                parts.append(func.value)  # a method: its receiver is the path, not its options
            else:
                parts.extend(a.value if isinstance(a, ast.Starred) else a for a in call.args)
            if last == "join" and name.startswith(("os.path.", "posixpath.", "ntpath.")):
                base, rest = parts[:1], parts[1:]
                if any(_climbs(p) for p in rest):
                    out.add(FROM_LITERAL)
                parts = base
            for part in parts:
                follow(part, out, depth, seen)
            return
        function = self.function_of(call)
        if function is not None:
            returns = [
                r.value
                for r in walk(function)
                if isinstance(r, ast.Return)
                and r.value is not None
                and self.scope_of(r).node is function
            ]
            if not returns:
                out.add(FROM_OTHER)
            for value in returns:
                follow(value, out, depth, seen)
            return
        out.add(FROM_OTHER)


def _bounded(texts: list[str]) -> list[str]:
    out = list(dict.fromkeys(texts))
    return out if len(out) <= _MAX_TEXTS else [*out[: _MAX_TEXTS - 1], HOLE]
