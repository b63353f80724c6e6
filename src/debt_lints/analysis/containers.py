"""The directories a container image has: what the repository's container definitions create.

A path inside a container image is the same on every run of that image: it is
not one developer's machine. A ``Dockerfile`` (or ``Containerfile``,
``*.Dockerfile``, ``Dockerfile.*``, ``*.containerfile``) builds its image from
its *build context*, its own folder and everything below it, so the code in
that folder is the code the image runs, and the absolute directories the
definition creates or names are fixed paths of that image.

This module reads them, as data, line by line (continuation lines joined,
comments and heredoc bodies left out; no shell is run and nothing is imported):

- ``ENV`` and ``ARG`` values that are absolute paths (``$VAR`` and ``${VAR}``
  expanded from the earlier ``ENV``/``ARG`` of the same file, ``${VAR:-word}``
  too; a value with ``:`` is a path list, each absolute piece counts:
  ``PATH=$MAMBA_ROOT_PREFIX/bin:$PATH``);
- ``WORKDIR`` (a relative one joined to the previous), the destination of
  ``COPY`` and ``ADD`` (relative ones joined to the ``WORKDIR``), ``VOLUME``;
- in ``RUN``: the targets of ``mkdir``, and the home of a user that
  ``useradd -m NAME`` or ``adduser NAME`` creates (``/home/NAME``, or its
  ``-d``/``--home-dir``/``--home``/``-h`` folder, or ``-b BASE/NAME``).

A directory counts when it has at least two components (``/opt/conda``,
``/home/ciuser``), or one component that no Linux system has by itself
(``/app``, ``/workspace``, ``/data``: a folder the image made for itself).
``/``, and the standard top-level folders (``/home``, ``/opt``, ``/srv``,
``/mnt``, ``/root``, ``/usr`` ...) alone, never count: every machine has them,
so a path below them is not the image's by that alone.

The repository fact is computed lazily, per file asked: the definitions in the
folders above the file (its own included, up to the root), listed through
:class:`~debt_lints.analysis.packaging.FileTree` (links left out) and read
through :mod:`debt_lints.core.safefs` (never following a link, at most
:data:`MAX_BYTES`); each definition is parsed once per content (memoised on
its stat). A file checked alone sees the same answer as in a whole run.
:data:`INPUT_KEY` names the answer's digest in a file's cached result: a
cached result whose digest differs from the current one is checked again
(a definition edited, added or removed).
"""

from __future__ import annotations

import os
import posixpath
import re
import shlex
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from debt_lints.analysis.packaging import FileTree
from debt_lints.core.digest import blake2b
from debt_lints.core.record import FrozenRecord

if TYPE_CHECKING:
    from debt_lints.analysis.context import FileContext

#: The name of the container facts among a file's repository inputs (its cache entry).
INPUT_KEY = "containers"
#: Container definitions larger than this are not read.
MAX_BYTES = 1024 * 1024
#: Top-level folders of a Linux filesystem (FHS, and what distributions add):
#: every machine has them, so one of them alone is no folder of the image's own.
_SYSTEM_TOP = frozenset(
    {
        *("bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "media"),
        *("mnt", "opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var"),
        *("nix", "snap", "Users", "Volumes", "Library", "Applications", "System", "private"),
    }
)
#: Where a shell command ends and the next begins.
_COMMAND_SPLIT = re.compile(r"&&|\|\||[;|&\n]")
_VARIABLE = re.compile(r"\$(?:\{(\w+)(?:(:?[-+])([^}]*))?\}|(\w+))")
_HEREDOC = re.compile(r"<<-?\s*[\"']?(\w+)[\"']?")
_DIRECTIVE = re.compile(r"#\s*escape\s*=\s*(\S)", re.IGNORECASE)
#: ``useradd``/``adduser`` options that take a value (the next word).
_USERADD_VALUED = frozenset(
    {"-b", "-c", "-d", "-e", "-f", "-g", "-G", "-k", "-K", "-p", "-P", "-R", "-s", "-u"}
)
_ADDUSER_VALUED = frozenset({"-h", "-g", "-s", "-G", "-u", "-k"})
#: Their long options that take a value (the next word).
_LONG_VALUED = frozenset(
    {
        *("--comment", "--expiredate", "--inactive", "--gid", "--groups", "--skel", "--key"),
        *("--password", "--root", "--prefix", "--shell", "--uid", "--selinux-user", "--gecos"),
        *("--ingroup", "--firstuid", "--lastuid", "--firstgid", "--lastgid", "--conf"),
        *("--add-extra-groups", "--extrausers"),
    }
)


def is_definition(name: str) -> bool:
    """Whether a file name is a container definition's (case ignored)."""
    lower = name.lower()
    return (
        lower in ("dockerfile", "containerfile")
        or lower.startswith(("dockerfile.", "containerfile."))
        or lower.endswith((".dockerfile", ".containerfile"))
    )


def counts(directory: str) -> bool:
    """Whether an absolute directory is specific enough to be the image's own."""
    parts = [p for p in directory.split("/") if p]
    if not parts or not directory.startswith("/"):
        return False
    return len(parts) >= 2 or parts[0] not in _SYSTEM_TOP


def _instructions(text: str) -> list[tuple[str, str]]:
    """``(INSTRUCTION, arguments)`` pairs, continuation lines joined, comments and
    heredoc bodies left out; the ``escape`` parser directive is honoured."""
    lines = text.splitlines()
    escape = "\\"
    for line in lines:
        stripped = line.strip()
        if not stripped.startswith("#"):
            break
        found = _DIRECTIVE.match(stripped)
        if found:
            escape = found.group(1)
    out: list[tuple[str, str]] = []
    pending: list[str] = []
    heredoc: str | None = None
    for line in lines:
        if heredoc is not None:
            if line.strip() == heredoc:
                heredoc = None
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue  # comments and blank lines, also inside a continued instruction
        if stripped.endswith(escape):
            pending.append(stripped[: -len(escape)])
            continue
        pending.append(stripped)
        joined = " ".join(pending)
        pending = []
        word, _, rest = joined.partition(" ")
        out.append((word.upper(), rest.strip()))
        found = _HEREDOC.search(rest)
        if found:
            heredoc = found.group(1)
    if pending:
        joined = " ".join(pending)
        word, _, rest = joined.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text, comments=False, posix=True)
    except ValueError:  # an unbalanced quote: whitespace will do
        return text.split()


def _expand(value: str, known: dict[str, str]) -> str | None:
    """``value`` with ``$VAR``/``${VAR}``/``${VAR:-word}``/``${VAR:+word}`` expanded from
    ``known``; ``None`` when a variable is not known."""
    missing = False

    def one(match: re.Match[str]) -> str:
        nonlocal missing
        name = match.group(1) or match.group(4)
        operator, word = match.group(2), match.group(3) or ""
        current = known.get(name)
        if operator is not None and operator.endswith("-"):
            return current if current else word
        if operator is not None and operator.endswith("+"):
            return word if current else ""
        if current is None:
            missing = True
            return ""
        return current

    expanded = _VARIABLE.sub(one, value)
    return None if missing else expanded


def _json_list(text: str) -> list[str] | None:
    if not text.startswith("["):
        return None
    import json  # only an exec-form instruction (``VOLUME ["/data"]``) needs it

    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # not JSON; nested past the decoder's depth
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def _assignments(rest: str, instruction: str) -> list[tuple[str, str]]:
    """The ``NAME=value`` pairs of an ``ENV`` or ``ARG`` (``ENV NAME value``, the old form)."""
    words = _words(rest)
    if instruction == "ENV" and words and "=" not in words[0]:
        return [(words[0], " ".join(words[1:]))]
    pairs = []
    for word in words:
        name, sep, value = word.partition("=")
        if sep:
            pairs.append((name, value))
    return pairs


def _absolute(path: str, base: str | None) -> str | None:
    if not path or "$" in path:
        return None
    if not path.startswith("/"):
        if base is None:
            return None
        path = posixpath.join(base, path)
    normal = posixpath.normpath(path)
    return "/" + normal.lstrip("/")


def _run_directories(script: str, known: dict[str, str], workdir: str | None) -> list[str]:
    """What ``mkdir`` creates and the homes ``useradd -m``/``adduser`` make, in a ``RUN``."""
    out: list[str] = []
    for command in _COMMAND_SPLIT.split(script):
        words = _words(command)
        while words and (("=" in words[0] and not words[0].startswith("-")) or words[0] == "sudo"):
            words = words[1:]  # VAR=value prefixes, sudo
        if not words:
            continue
        program = words[0].rpartition("/")[2]
        args = [_expand(w, known) for w in words[1:]]
        given = [a for a in args if a is not None]
        if program == "mkdir":
            skip = False
            for arg in given:
                if skip:
                    skip = False
                elif arg in ("-m", "--mode"):
                    skip = True
                elif not arg.startswith("-"):
                    out.append(arg if arg.startswith("/") else posixpath.join(workdir or "", arg))
        elif program == "useradd":
            out.extend(_useradd_home(given))
        elif program == "adduser":
            out.extend(_adduser_home(given))
    return out


def _useradd_home(args: Sequence[str]) -> list[str]:
    create, home, base, names = False, None, "/home", []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-m", "--create-home"):
            create = True
        elif arg in ("-M", "--no-create-home"):
            create = False
        elif arg in ("-d", "--home-dir", "--home"):
            home = args[i + 1] if i + 1 < len(args) else None
            i += 1
        elif arg.startswith(("--home-dir=", "--home=")):
            home = arg.partition("=")[2]
        elif arg in ("-b", "--base-dir"):
            base = args[i + 1] if i + 1 < len(args) else base
            i += 1
        elif arg in _USERADD_VALUED or (
            arg.startswith("--") and "=" not in arg and arg in _LONG_VALUED
        ):
            i += 1
        elif arg.startswith("-") and len(arg) > 2 and not arg.startswith("--"):
            # Bundled short flags (-mN, -rm): a create flag among them counts.
            create = create or "m" in arg[1:]
        elif not arg.startswith("-"):
            names.append(arg)
        i += 1
    if not create or len(names) != 1:
        return []
    return [home or posixpath.join(base, names[0])]


def _adduser_home(args: Sequence[str]) -> list[str]:
    home, names, create = None, [], True
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("--home", "-h"):
            home = args[i + 1] if i + 1 < len(args) else None
            i += 1
        elif arg.startswith("--home="):
            home = arg.partition("=")[2]
        elif arg in ("--no-create-home", "-H"):
            create = False
        elif arg == "--system" and home is None:
            create = False  # a system user's home is /nonexistent unless --home names one
        elif arg in _ADDUSER_VALUED or (
            arg.startswith("--") and "=" not in arg and arg in _LONG_VALUED
        ):
            i += 1
        elif not arg.startswith("-"):
            names.append(arg)
        i += 1
    if home is not None:
        create = True
    if not create or len(names) != 1:
        return []  # two names: an existing user added to a group
    return [home or posixpath.join("/home", names[0])]


def created_directories(text: str) -> tuple[str, ...]:
    """The absolute directories a container definition creates or names, in order,
    those specific enough to be the image's own (:func:`counts`)."""
    known: dict[str, str] = {}
    workdir: str | None = None
    found: list[str] = []
    for instruction, rest in _instructions(text):
        if instruction in ("ENV", "ARG"):
            for name, raw in _assignments(rest, instruction):
                value = _expand(raw, known)
                if value is None:
                    # The pieces that are known still name folders (PATH=/x/bin:$PATH).
                    pieces = [_expand(p, known) for p in raw.split(":")]
                    found.extend(p for p in pieces if p and p.startswith("/"))
                    continue
                known[name] = value
                found.extend(p for p in value.split(":") if p.startswith("/"))
        elif instruction == "WORKDIR":
            value = _expand(rest.strip().strip("\"'"), known)
            where = _absolute(value or "", workdir)
            if where is not None:
                workdir = where
                found.append(where)
        elif instruction in ("COPY", "ADD"):
            words = _json_list(rest) or [w for w in _words(rest) if not w.startswith("--")]
            if len(words) >= 2:
                value = _expand(words[-1], known)
                if value is not None:
                    found.append(
                        value if value.startswith("/") else posixpath.join(workdir or "", value)
                    )
        elif instruction == "VOLUME":
            for word in _json_list(rest) or _words(rest):
                value = _expand(word, known)
                if value is not None:
                    found.append(value)
        elif instruction == "RUN":
            found.extend(_run_directories(rest, known, workdir))
    out: dict[str, None] = {}
    for raw in found:
        where = _absolute(raw, None)
        if where is not None and counts(where):
            out[where] = None
    return tuple(out)


class ContainerPaths(FrozenRecord):
    """The directories the container definitions of a file's build contexts create."""

    __slots__ = ("definitions", "directories")
    #: Root-relative paths of the definitions whose build context holds the file.
    definitions: tuple[str, ...]
    #: Their directories (:func:`created_directories`), sorted.
    directories: tuple[str, ...]

    def __init__(self, definitions: tuple[str, ...], directories: tuple[str, ...]) -> None:
        _set = object.__setattr__  # frozen: as @dataclass(frozen=True) sets fields
        _set(self, "definitions", definitions)
        _set(self, "directories", directories)

    def covers(self, path: str) -> bool:
        """Whether ``path`` is one of the directories or lies below one (by components)."""
        if not path.startswith("/") or not self.directories:
            return False
        normal = "/" + posixpath.normpath(path).lstrip("/")
        return any(normal == d or normal.startswith(d + "/") for d in self.directories)

    @property
    def digest(self) -> str:
        """What a file's result depends on: the directories, by their text."""
        material = "\0".join(self.directories).encode("utf-8", "surrogatepass")
        return blake2b(material, digest_size=12).hexdigest()


#: Parsed definitions by ``(real path, stat key)``: each content is parsed once per process.
_PARSED: dict[tuple[str, int, int, int, int], tuple[str, ...]] = {}
_PARSED_MAX = 512


def _parsed(root: Path, relpath: str) -> tuple[str, ...]:
    from debt_lints.core import safefs
    from debt_lints.core.source import SourceProblem, decode_python

    where = root / relpath
    try:
        info = os.stat(where, follow_symlinks=False)
    except OSError:
        return ()
    key = (os.fspath(where), info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    known = _PARSED.get(key)
    if known is not None:
        return known
    directory, _, name = relpath.rpartition("/")
    parts = [p for p in directory.split("/") if p]
    try:
        with safefs.open_chain(root, parts, create=False, heal=False) as folder:
            data = folder.read_regular(name, MAX_BYTES)
    except (OSError, ValueError, safefs.NotConfined):
        data = None
    found: tuple[str, ...] = ()
    if data is not None:
        text = decode_python(data)
        if not isinstance(text, SourceProblem):
            found = created_directories(text)
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
    _PARSED[key] = found
    return found


def _folders(relpath: str) -> Iterable[str]:
    """The folders whose build context holds ``relpath``: the root, then down to its own."""
    parts = relpath.split("/")[:-1]
    yield "."
    for end in range(1, len(parts) + 1):
        yield "/".join(parts[:end])


def container_paths(root: Path, relpath: str, tree: FileTree | None = None) -> ContainerPaths:
    """What the container definitions whose build context holds ``relpath`` create.

    ``relpath`` is relative to ``root`` (``/``-separated); ``tree`` shares the
    folder listings between the files of one run. Never raises: a folder or a
    definition that cannot be read gives nothing.
    """
    tree = tree or FileTree(root)
    definitions: list[str] = []
    directories: set[str] = set()
    for folder in _folders(relpath):
        try:
            entries = tree.listing(folder)
        except (OSError, ValueError):
            entries = None
        if entries is None:
            break  # not a real folder below the root (a link): nothing below is either
        for name in sorted(entries):
            if entries[name] is False and is_definition(name):
                where = name if folder == "." else f"{folder}/{name}"
                definitions.append(where)
                directories.update(_parsed(root, where))
    return ContainerPaths(tuple(definitions), tuple(sorted(directories)))


def image_paths(ctx: FileContext) -> ContainerPaths | None:
    """The container facts of the file being checked (:func:`container_paths`), asked
    once per file; ``None`` when the file's root is not known (its text checked alone,
    under another name). The answer's digest goes to ``ctx.inputs``: a cached result
    of the file is checked again when it changes."""
    if ctx.root is None:
        return None
    found = ctx.memo.get(INPUT_KEY)
    if not isinstance(found, ContainerPaths):
        found = container_paths(Path(ctx.root), ctx.relpath)
        ctx.memo[INPUT_KEY] = found
        ctx.inputs[INPUT_KEY] = found.digest
    return found
