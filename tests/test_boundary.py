"""One repository boundary: no code under ``src/`` opens a file another way (issue 28).

Every read of a file the repository controls goes through
:mod:`debt_lints.core.boundary` (regular files only, never blocking, size
capped, never through a link out of the root). This meta-test finds every call
that opens or reads a file directly (``open()``, ``os.open()``,
``Path.open()``/``read_text()``/``read_bytes()``, ``os.fdopen()``) and fails
unless it is in the boundary module or on the allow-list below, with the
reason it may.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "debt_lints"

#: The module that is the boundary.
BOUNDARY = "core/boundary.py"

#: ``(module, function, call)``: the direct opens that are not reads of a
#: repository file through a path, and why each may stay.
ALLOWED: dict[tuple[str, str, str], str] = {
    ("core/safefs.py", "Dir.open_regular", "os.open"): (
        "confined below a directory descriptor opened with O_NOFOLLOW one component at a "
        "time; the name itself is opened with O_NOFOLLOW|O_NONBLOCK and checked with fstat"
    ),
    ("core/safefs.py", "Dir.open_regular", "os.fdopen"): "the descriptor opened just above",
    ("core/safefs.py", "Dir.replace", "os.open"): (
        "creates a new temporary (O_CREAT|O_EXCL|O_NOFOLLOW) below a confined directory"
    ),
    ("core/safefs.py", "Dir.replace", "os.fdopen"): "the temporary created just above",
    ("core/safefs.py", "Dir.open_lock", "os.open"): (
        "a lock file, O_NOFOLLOW|O_NONBLOCK below a confined directory, checked with fstat"
    ),
    ("core/safefs.py", "Dir.subdir", "os.open"): "a directory descriptor, O_NOFOLLOW",
    ("core/safefs.py", "open_root", "os.open"): (
        "the project root the user chose, as a directory descriptor"
    ),
    ("core/atomic.py", "atomic_write_bytes", "os.fdopen"): (
        "writes a new temporary created with mkstemp (never an existing file)"
    ),
    ("core/atomic.py", "atomic_write_bytes", "os.open"): "a directory, opened to fsync it",
    ("baseline/lock.py", "_exclusive_create", "os.open"): (
        "creates a new lock file with O_CREAT|O_EXCL (never reads an existing one)"
    ),
    ("baseline/merge.py", "_read", "read_text"): (
        "git's merge driver: git hands over the three versions as temporary files it wrote"
    ),
    ("strict/mypy_run.py", "run_typing", "open"): (
        "writes debt-lints' shadow module into a fresh temporary directory of its own"
    ),
    ("running/cachetrust.py", "_read_key", "os.open"): (
        "the per-user cache key outside the repository: O_NOFOLLOW|O_NONBLOCK, then fstat "
        "checks a regular file owned by the user with mode 0600"
    ),
    ("running/cachetrust.py", "_read_key", "os.fdopen"): "the descriptor opened just above",
    ("running/cachetrust.py", "_create_key", "os.open"): (
        "creates a new temporary for the per-user key (O_CREAT|O_EXCL, mode 0600) in the "
        "user's cache folder, outside the repository"
    ),
    ("running/cachetrust.py", "_create_key", "os.fdopen"): "the temporary created just above",
    ("adapters/cli/check.py", "write_output", "open"): (
        "streams into the special file (/dev/null, a FIFO) the user names with --output-file"
    ),
    ("adapters/cli/__init__.py", "silence", "os.open"): "os.devnull",
    ("adapters/cli/__init__.py", "silence", "os.fdopen"): "os.devnull",
    ("adapters/cli/__init__.py", "_open_missing_streams", "open"): "os.devnull",
    ("devtools/scaffold.py", "write", "os.open"): (
        "creates a new rule module in debt-lints' own checkout (O_CREAT|O_EXCL|O_NOFOLLOW)"
    ),
    ("devtools/scaffold.py", "write", "os.fdopen"): "the file created just above",
    ("devtools/generate.py", "_read", "read_text"): (
        "reads debt-lints' own generated documentation, never a checked repository"
    ),
}

_OPENERS = {"open", "read_text", "read_bytes", "fdopen"}


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name) and func.id == "open":
        return "open"
    if isinstance(func, ast.Attribute) and func.attr in _OPENERS:
        owner = func.value
        if isinstance(owner, ast.Name) and owner.id in ("os", "io"):
            return f"{owner.id}.{func.attr}"
        if isinstance(owner, ast.Name) and owner.id == "boundary":
            return None  # the boundary itself
        if isinstance(owner, ast.Name) and owner.id == "self" and func.attr == "open":
            return None  # a method of one of our own classes (pylint's reporter)
        return func.attr
    return None


def direct_opens() -> dict[tuple[str, str, str], int]:
    """Every direct open under ``src/``: ``(module, function, call)`` -> line."""
    found: dict[tuple[str, str, str], int] = {}
    for path in sorted(SRC.rglob("*.py")):
        module = path.relative_to(SRC).as_posix()
        if module == BOUNDARY:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))

        def visit(node: ast.AST, scope: str, module: str = module) -> None:
            for child in ast.iter_child_nodes(node):
                inner = scope
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    inner = f"{scope}.{child.name}" if scope else child.name
                if isinstance(child, ast.Call):
                    name = _call_name(child)
                    if name is not None:
                        found.setdefault((module, scope, name), child.lineno)
                visit(child, inner)

        visit(tree, "")
    return found


def test_every_file_read_goes_through_the_boundary() -> None:
    stray = {
        f"{module}:{line} {function}: {call}()"
        for (module, function, call), line in direct_opens().items()
        if (module, function, call) not in ALLOWED
    }
    assert not stray, (
        "read repository files with debt_lints.core.boundary.read_bytes (or add the call to "
        "ALLOWED with the reason it is not a repository read):\n" + "\n".join(sorted(stray))
    )


def test_the_allow_list_holds_no_stale_entry() -> None:
    found = direct_opens()
    stale = sorted(key for key in ALLOWED if key not in found)
    assert not stale, f"allowed but no longer in the code (remove them): {stale}"


def test_the_meta_test_sees_a_stray_open(tmp_path: Path) -> None:
    tree = ast.parse("def f(p):\n    return p.read_text(), open(p)\n")
    calls = [_call_name(n) for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert sorted(c for c in calls if c) == ["open", "read_text"]
