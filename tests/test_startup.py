"""Start-up: a one-file check loads the engine, the rules and one format, nothing else.

Each run is a real ``debt-lints check`` in a fresh process, which lists the
modules it imported (``sys.modules`` at exit) on stderr; no timing is asserted.
``python -X importtime`` would not do: it misses every module imported through
``importlib.import_module`` (the sub-commands, the rules, the formats).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

#: What a one-file check that finds nothing fixable, with no baseline file and
#: no ``--typing``, has no use for.
NOT_NEEDED = (
    "debt_lints.baseline.gate",
    "debt_lints.baseline.store",
    "debt_lints.baseline.matching",
    "debt_lints.fixes.session",
    "debt_lints.fixes.fixer",
    "debt_lints.fixes.edits",
    "debt_lints.strict.mypy_run",
    "debt_lints.strict.mypy_config",
    "debt_lints.report",
    "debt_lints.adapters.lsp",
    "debt_lints.hosts",
    "debt_lints.recovery",
    "debt_lints.analysis.yamlwalk",
    "debt_lints.formats.sarif",
    "debt_lints.formats.json_format",
    "debt_lints.formats.junit",
    "debt_lints.formats.github",
    # The resolution of the project index (the walk extracts facts only), the
    # migration map's check (the run does not cover the configuration file), the
    # typing settings (no typing table to validate), the baseline's coverage.
    "debt_lints.index.project",
    "debt_lints.index.roots",
    "debt_lints.index.mapcheck",
    "debt_lints.index.environment",
    "debt_lints.strict",
    "debt_lints.baseline.coverage",
    "pkgutil",
    "traceback",
    # The whole-repository rules' model and machinery: no DL6 rule is selected.
    "debt_lints.analysis.repograph",
    "debt_lints.repo",
    # ``.gitignore`` rules: no folder is walked.
    "debt_lints.core.gitignore",
    # The other sub-commands: only ``check`` is built and parsed.
    "debt_lints.adapters.cli.baseline",
    "debt_lints.adapters.cli.clean",
    "debt_lints.adapters.cli.lsp",
    "debt_lints.adapters.cli.map",
    "debt_lints.adapters.cli.ratchet",
    "debt_lints.adapters.cli.report",
    "debt_lints.adapters.cli.rules",
    "debt_lints.adapters.cli.shims",
    "debt_lints.adapters.cli.strict_typing",
    "yaml",
    "mypy",
    "libcst",
    "pygls",
)

SOURCE = """\
import socket


def ping(host):
    conn = socket.create_connection((host, 80))  # an unclosed socket: DL501
    conn.send(b"ping")
    return "localhost"
"""


#: Runs ``python -m debt_lints ARGS`` and prints the modules it imported, last.
LISTING = """\
import atexit, runpy, sys

atexit.register(lambda: print("MODULES", *sorted(sys.modules), file=sys.stderr))
sys.argv = ["debt-lints", *sys.argv[1:]]
runpy.run_module("debt_lints", run_name="__main__", alter_sys=True)
"""


def imported(args: list[str], cwd: Path) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", LISTING, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    listing = done.stderr.splitlines()[-1].split()
    assert listing[0] == "MODULES", done.stderr[-2000:]
    names = set(listing[1:])
    assert "debt_lints.engine.walk" in names, done.stderr[-2000:]
    return names


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    (tmp_path / "one.py").write_text(SOURCE, encoding="utf-8")
    return tmp_path


#: What the second run, whose cache is up to date, has no use for either: the
#: first makes the per-user key and writes the cache (under random temporary names).
NOT_NEEDED_WARM = ("secrets",)


@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["cache", "no-cache"])
def test_a_one_file_check_imports_only_what_it_uses(project: Path, cache: list[str]) -> None:
    for run in range(2):  # the second run reads the cache the first one wrote
        names = imported(["check", "one.py", *cache], project)
        unused = NOT_NEEDED + (NOT_NEEDED_WARM if run else ())
        heavy = sorted(
            name for name in names if any(name == n or name.startswith(n + ".") for n in unused)
        )
        assert heavy == []


#: Standard modules a one-file check has no use for: argparse imports :mod:`shutil`
#: (and with it the compression modules) for the terminal's width of help it never prints;
#: every class on the path is a :class:`debt_lints.core.record.Record`, not a dataclass
#: (``@dataclass`` compiles each class's methods at import, and :mod:`dataclasses`
#: imports :mod:`inspect`); a file without a coding cookie or a noqa comment needs no
#: :mod:`tokenize`.
NOT_NEEDED_STDLIB = ("shutil", "bz2", "lzma", "dataclasses", "inspect", "tokenize")


def imported_bare(args: list[str], cwd: Path) -> set[str]:
    """:func:`imported` without ``site``, whose ``.pth`` files may import anything first."""
    import debt_lints

    src = str(Path(debt_lints.__file__).resolve().parent.parent)
    done = subprocess.run(
        [sys.executable, "-S", "-c", LISTING, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": src},
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    listing = done.stderr.splitlines()[-1].split()
    assert listing[0] == "MODULES", done.stderr[-2000:]
    return set(listing[1:])


#: What a check answered from the cache has no use for either: OpenSSL's hashes (the
#: cache's BLAKE2b and digest comparison need neither ``hashlib`` nor ``hmac``); the
#: first run makes the per-user key with ``secrets``, which imports them.
NOT_NEEDED_STDLIB_WARM = ("hashlib", "hmac", "_hashlib")


@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["cache", "no-cache"])
def test_a_one_file_check_imports_no_unused_standard_module(
    project: Path, cache: list[str]
) -> None:
    for run in range(2):  # the second run reads the cache the first one wrote
        names = imported_bare(["check", "one.py", *cache], project)
        assert "debt_lints.engine.walk" in names
        unused = NOT_NEEDED_STDLIB + (NOT_NEEDED_STDLIB_WARM if run or cache else ())
        assert sorted(n for n in unused if n in names) == []


def test_a_one_file_check_of_a_container_path_loads_no_openssl(project: Path) -> None:
    """DL202 reads the Dockerfile above a file (``analysis.containers``): its digest is
    BLAKE2b from ``core.digest``, so checking the file loads none of OpenSSL's hashes."""
    (project / "Dockerfile").write_text("FROM python\nWORKDIR /srv/app\n", encoding="utf-8")
    (project / "paths.py").write_text('DATA = "/srv/app/data.db"\n', encoding="utf-8")
    names = imported_bare(["check", "--no-cache", "paths.py"], project)
    assert "debt_lints.analysis.containers" in names
    assert sorted(n for n in ("hashlib", "_hashlib") if n in names) == []


def debt_lints(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "debt_lints", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def rule_modules(names: set[str]) -> list[str]:
    return sorted(n for n in names if n.startswith("debt_lints.checkers.") and n.count(".") == 3)


@pytest.mark.parametrize("baseline", [False, True], ids=["no-baseline", "baseline"])
def test_a_check_answered_from_the_cache_imports_no_rule(project: Path, baseline: bool) -> None:
    """Rules are imported to check a file, never to read its findings from the cache
    (nor for the baseline, which needs their codes only)."""
    if baseline:
        done = debt_lints(["baseline", "create"], project)
        assert done.returncode == 0, done.stderr
    first = imported(["check", "one.py"], project)  # ``baseline create`` wrote the cache
    assert rule_modules(first) == [] if baseline else rule_modules(first) != []
    assert rule_modules(imported(["check", "one.py"], project)) == []
    (project / "one.py").write_text(SOURCE + "# changed\n", encoding="utf-8")
    again = imported(["check", "one.py"], project)  # a changed file is checked again
    assert "debt_lints.checkers.resources.unclosed_socket" in again


#: A file with the evidence of DL501 (``socket``) and DL101 (``import``) only, and a
#: ``noqa`` naming DL301, whose evidence (``localhost``, ``127.``, ``::1``) it lacks.
FEW_RULES = """\
import socket


def ping(host):
    conn = socket.create_connection((host, 80))
    conn.send(b"ping")  # noqa: DL301
"""


@pytest.mark.parametrize("cache", [[], ["--no-cache"]], ids=["cache", "no-cache"])
def test_a_one_file_check_imports_only_the_rules_the_file_has_evidence_for(
    project: Path, cache: list[str]
) -> None:
    """The other selected rules are not imported, and still count as selected: the
    noqa naming DL301 is reported unused (DL002), as when every rule is imported."""
    (project / "one.py").write_text(FEW_RULES, encoding="utf-8")
    names = imported(["check", "one.py", *cache], project)
    assert rule_modules(names) == [
        "debt_lints.checkers.general.missing_replacement",
        "debt_lints.checkers.general.syntax_error",
        "debt_lints.checkers.general.unused_noqa",
        "debt_lints.checkers.migration.deprecated_import",
        "debt_lints.checkers.resources.unclosed_socket",
    ]
    done = debt_lints(["check", "--no-cache", "--output-format", "json", "one.py"], project)
    found = [(f["code"], f["line"], f["message"]) for f in json.loads(done.stdout)]
    assert found == [
        ("DL501", 5, found[0][2]),
        ("DL002", 6, "unused noqa code DL301: nothing on this line reports it; remove it"),
    ]


#: A handler kept by a class whose base comes from another module: DL502 defers its
#: finding to the project phase, which reads ``base.py`` to settle it.
DEFERRING = """\
import logging

from base import Agent


class Child(Agent):
    def __init__(self, path):
        super().__init__()
        self.file_handler = logging.FileHandler(path)
        self.logger.addHandler(self.file_handler)
"""


def test_settling_a_deferred_finding_imports_only_the_rule_that_deferred_it(
    project: Path,
) -> None:
    (project / "one.py").write_text(DEFERRING, encoding="utf-8")
    (project / "base.py").write_text("class Agent:\n    pass\n", encoding="utf-8")
    names = imported(["check", "--no-cache", "one.py"], project)
    assert rule_modules(names) == [
        "debt_lints.checkers.general.missing_replacement",
        "debt_lints.checkers.general.syntax_error",
        "debt_lints.checkers.general.unused_noqa",
        "debt_lints.checkers.migration.deprecated_import",
        "debt_lints.checkers.resources.unclosed_log_handler",
    ]
    done = debt_lints(["check", "--no-cache", "--output-format", "json", "one.py"], project)
    assert [(f["code"], f["line"]) for f in json.loads(done.stdout)] == [("DL502", 9)]


def test_a_baseline_file_is_still_read(project: Path) -> None:
    """The lazy import is not a skipped gate: with a baseline file, the gate runs."""
    done = debt_lints(["baseline", "create"], project)
    assert done.returncode == 0, done.stderr
    assert "debt_lints.baseline.gate" in imported(["check", "one.py"], project)
    again = debt_lints(["check", "one.py"], project)
    assert again.returncode == 0, again.stdout + again.stderr


SELECTION = """\
import sys
from pathlib import Path

from debt_lints.config import ConfigError, load_config
from debt_lints.discovery import enabled_rules

config = load_config(Path(sys.argv[1]))
print(",".join(rule.code for rule in enabled_rules(config)))
try:
    load_config(Path(sys.argv[2]))
except ConfigError as exc:
    print(exc)
print(",".join(sorted(m for m in sys.modules if m.startswith("debt_lints.checkers."))))
"""


def test_configuration_and_selection_import_only_the_selected_rules(tmp_path: Path) -> None:
    """Options and codes are validated from the generated catalogue: no rule is imported
    for it, and selecting rules imports those rules' modules alone."""
    good = tmp_path / "good"
    good.mkdir()
    (good / "pyproject.toml").write_text(
        '[tool.debt-lints]\nselect = ["DL301"]\nextend-test-files = ["checks"]\n'
        'deprecated-imports = { "imp" = "importlib" }\n',
        encoding="utf-8",
    )
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "pyproject.toml").write_text('[tool.debt-lints]\nselect = ["DL9"]\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", SELECTION, str(good), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    codes, problem, modules = done.stdout.splitlines()
    assert codes == "DL301"
    assert "unknown rule code or prefix 'DL9'" in problem
    rules = {name for name in modules.split(",") if name.count(".") == 3}
    assert rules == {"debt_lints.checkers.network.hardcoded_loopback"}


def test_the_catalogue_loads_the_registry_rules() -> None:
    from debt_lints.engine.registry import all_options, all_rules, catalogue, declared_options, load

    assert sorted(catalogue()) == [rule.code for rule in all_rules()]
    for rule in all_rules():
        assert load(rule.code) is rule
        name, module, opt_in, evidence, options = catalogue()[rule.code]
        assert (name, module, opt_in) == (rule.name, rule.__module__, rule.opt_in)
        assert evidence == rule.evidence
        assert options == tuple(option.name for option in rule.options)
    assert declared_options() == all_options()
    # Whole-repository rules are found from the catalogue's opt_in flag (the runner
    # imports no other rule to find them): every one of them must be opt_in.
    from debt_lints.analysis.project_rule import ProjectRule

    assert all(rule.opt_in for rule in all_rules() if issubclass(rule, ProjectRule))


def test_the_typing_table_is_still_validated_by_check(project: Path) -> None:
    """Its validation is skipped (and its module not imported) only when there is no table."""
    (project / "pyproject.toml").write_text(
        "[tool.debt-lints]\n[tool.debt-lints.typing]\npackges = ['x']\n", encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "debt_lints", "check", "--no-cache", "one.py"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "unknown key 'packges' in [tool.debt-lints.typing]" in done.stderr


#: Imports the modules with module-level patterns and lists the patterns their
#: import compiled (a one-file check uses few of them, on most files none).
COMPILED_AT_IMPORT = """\
import re, sys

compiled = []
compile = re.compile


def counting(pattern, flags=0):
    caller = sys._getframe(1)
    name = caller.f_globals["__name__"]
    if caller.f_code.co_name == "<module>" and name.startswith("debt_lints"):
        compiled.append(name)
    return compile(pattern, flags)


re.compile = counting
import debt_lints.analysis.context, debt_lints.analysis.literals, debt_lints.analysis.packaging
import debt_lints.analysis.semantic, debt_lints.config, debt_lints.core.model
import debt_lints.core.source, debt_lints.engine.noqa, debt_lints.formats.full
import debt_lints.index.extract

print(" ".join(compiled))
"""


#: Runs ``python -m debt_lints ARGS`` and prints the debt_lints modules that called
#: ``compile`` (code generated at run time), last.
COMPILING = """\
import atexit, builtins, runpy, sys

callers = []
compile = builtins.compile


def counting(*args, **kwargs):
    callers.append(sys._getframe(1).f_globals.get("__name__", "?"))
    return compile(*args, **kwargs)


builtins.compile = counting
atexit.register(lambda: print("COMPILED", *sorted(set(callers)), file=sys.stderr))
sys.argv = ["debt-lints", *sys.argv[1:]]
runpy.run_module("debt_lints", run_name="__main__", alter_sys=True)
"""


#: The bind address follows ``self.host``: the semantic model walks the whole class.
SERVER = """
class Server:
    def __init__(self):
        self.host = "0.0.0.0"

    def start(self, sock):
        sock.bind((self.host, 80))
        sock.listen()
"""


def test_a_one_file_check_generates_no_code(project: Path) -> None:
    """The walks' generated steps cost more to compile than they save on one file."""
    (project / "one.py").write_text(SOURCE * 40 + SERVER, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", COMPILING, "check", "--no-cache", "one.py"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    listing = done.stderr.splitlines()[-1].split()
    assert listing[0] == "COMPILED", done.stderr[-2000:]
    assert [name for name in listing[1:] if name.startswith("debt_lints")] == []
    assert "DL501" in done.stdout
    assert "DL302" in done.stdout


#: Runs ``python -m debt_lints ARGS`` with an object that says when the interpreter's
#: teardown frees it, and an ``atexit`` handler that says when it runs.
TEARDOWN = """\
import atexit, os, runpy, sys, types


class Noisy:
    def __del__(self):
        os.write(2, b"TORN DOWN\\n")


held = types.ModuleType("held")
held.noisy = Noisy()
sys.modules["held"] = held
atexit.register(lambda: print("AT EXIT", file=sys.stderr))
sys.argv = ["debt-lints", *sys.argv[1:]]
runpy.run_module("debt_lints", run_name="__main__", alter_sys=True)
"""


@pytest.mark.parametrize(("args", "status"), [([], 1), (["--exit-zero"], 0)])
def test_the_command_ends_without_tearing_the_interpreter_down(
    project: Path, args: list[str], status: int
) -> None:
    """Freeing every object of the run costs a one-file check a tenth of its time: the
    process ends without it, its status, output and ``atexit`` handlers as before."""
    done = subprocess.run(
        [sys.executable, "-c", TEARDOWN, "check", "--no-cache", *args, "one.py"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == status, done.stderr
    assert "DL501" in done.stdout and done.stdout.endswith("Found 2 findings\n")
    assert done.stderr.splitlines() == ["AT EXIT"]


#: A thread of the caller's that is no daemon: a normal exit waits for it.
WAITING = """\
import runpy, sys, threading, time


def late():
    time.sleep(0.5)
    print("THREAD DONE", file=sys.stderr, flush=True)


threading.Thread(target=late).start()
sys.argv = ["debt-lints", *sys.argv[1:]]
runpy.run_module("debt_lints", run_name="__main__", alter_sys=True)
"""


def test_a_running_thread_that_is_no_daemon_gets_a_normal_exit(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", WAITING, "check", "--no-cache", "--exit-zero", "one.py"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == ["THREAD DONE"]


def test_the_engine_and_analysis_compile_no_pattern_at_import() -> None:
    done = subprocess.run(
        [sys.executable, "-c", COMPILED_AT_IMPORT], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # One pattern stays re.compile: DL202 would read it as a Windows path elsewhere.
    assert done.stdout.split() == ["debt_lints.analysis.literals"]
