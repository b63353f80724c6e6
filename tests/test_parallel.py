"""Parallel checking: the same output whatever ``--jobs``, and no fault in a worker is fatal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from debt_lints.adapters.cli import EXIT_INTERNAL, EXIT_INTERRUPTED, main
from debt_lints.config import load_config
from debt_lints.running import runner
from debt_lints.running.runner import RunResult, enabled_rules, run

BAD = "import sys\nsys.path.insert(0, '/srv/app')\n"

needs_fork = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the tests patch workers through fork"
)


def make_corpus(root: Path, files: int = 60) -> None:
    (root / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    for i in range(files):
        package = root / f"pkg{i % 4}"
        package.mkdir(exist_ok=True)
        body = "import os\n" + "x = os.getcwd()\n" * (i % 7) + BAD * (i % 3)
        (package / f"mod{i:03}.py").write_text(body, encoding="utf-8")
    (root / "pkg0" / "broken.py").write_text("def f(:\n", encoding="utf-8")
    (root / "pkg1" / "latin.py").write_bytes(b"x = '\xe9'\n")


@pytest.fixture()
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(root: Path, jobs: int, cache: bool = False) -> RunResult:
    config = load_config(start=root)
    return run([str(root)], config, enabled_rules(config), jobs=jobs, cache=cache)


def spy_workers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record how many workers each parallel run asked for."""
    started: list[int] = []
    real = runner._start_workers

    def spy(context: Any, spec: Any, jobs: int) -> list[Any]:
        workers = real(context, spec, jobs)
        started.append(len(workers))
        return workers

    monkeypatch.setattr(runner, "_start_workers", spy)
    return started


def summary(result: RunResult) -> tuple[object, ...]:
    return (
        [(f, f.scope, f.snippet) for f in result.findings],
        [str(e) for e in result.internal_errors],
    )


def test_same_results_whatever_jobs(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = spy_workers(monkeypatch)
    serial = check(corpus, jobs=1)
    assert started == []
    assert len(serial.findings) > 40
    for jobs in (2, 4):
        assert summary(check(corpus, jobs=jobs)) == summary(serial)
    assert started == [2, 4]


def test_cli_output_identical_for_jobs_1_2_4(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = set()
    for jobs in ("1", "2", "4"):
        code = main(["check", "--no-cache", "--format", "json", "--jobs", jobs])
        outputs.add((code, capsys.readouterr().out))
    assert len(outputs) == 1


def test_parallel_fills_the_cache(corpus: Path) -> None:
    cold = check(corpus, jobs=2, cache=True)
    warm = check(corpus, jobs=2, cache=True)
    assert (cold.checked, warm.checked, warm.cached) == (len(cold.files), 0, len(cold.files))
    assert summary(cold) == summary(warm) == summary(check(corpus, jobs=1))


def test_few_files_stay_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_corpus(tmp_path, files=3)
    started = spy_workers(monkeypatch)
    check(tmp_path, jobs=4)
    assert started == []


def test_jobs_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--jobs", "0"])
    assert "positive number" in capsys.readouterr().err


def test_default_jobs_follows_affinity() -> None:
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    assert runner.default_jobs() == (expected or os.cpu_count() or 1)


def test_worker_specification_is_picklable(corpus: Path) -> None:
    """What a worker receives survives pickling (``forkserver``, ``spawn``)."""
    import pickle

    config = load_config(start=corpus)
    rules = enabled_rules(config)
    other = config.with_overrides(ignore=("DL2",))
    codes = tuple(r.code for r in rules)
    spec = runner._Spec.of([(config, codes), (other, codes[:1])], want_digest=True)
    spec = pickle.loads(pickle.dumps(spec))
    rebuilt, ruleset = spec.plans[0].rebuild()
    assert rebuilt == config
    assert sorted(r.code for r in ruleset.rule_types) == sorted(r.code for r in rules)
    assert spec.plans[1].rebuild()[0] == other


def test_forkserver_gives_the_same_results(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no forkserver here")
    serial = check(corpus, jobs=1)
    monkeypatch.setattr(runner, "_mp_context", lambda: multiprocessing.get_context("forkserver"))
    started = spy_workers(monkeypatch)
    assert summary(check(corpus, jobs=2)) == summary(serial)
    assert started == [2]


# --- faults -------------------------------------------------------------------------


def test_no_multiprocessing_falls_back_to_one_process(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = check(corpus, jobs=1)

    def unavailable() -> Any:
        raise ImportError("No module named '_multiprocessing'")

    monkeypatch.setattr(runner, "_mp_context", unavailable)
    assert summary(check(corpus, jobs=2)) == summary(serial)


def test_pool_creation_failure_falls_back(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    serial = check(corpus, jobs=1)
    context = multiprocessing.get_context("fork")

    class NoProcesses:
        def __getattr__(self, name: str) -> Any:
            return getattr(context, name)

        def Process(self, *args: Any, **kwargs: Any) -> Any:
            raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(runner, "_mp_context", NoProcesses)
    started = spy_workers(monkeypatch)
    assert summary(check(corpus, jobs=2)) == summary(serial)
    assert started == [0]


def kill_worker_on(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make a worker SIGKILL itself when it starts on file ``name``.

    This lives in the test only: the patched function is inherited by forked
    workers, and production code has no hook a user could trigger.
    """
    parent = os.getpid()
    real = runner._check_item

    def deadly(item: Any, *args: Any) -> Any:
        if os.getpid() != parent and item.relpath.endswith(name):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(item, *args)

    monkeypatch.setattr(runner, "_check_item", deadly)


@needs_fork
@pytest.mark.parametrize("cache", [False, True], ids=["no-cache", "cache"])
def test_killed_worker(corpus: Path, monkeypatch: pytest.MonkeyPatch, cache: bool) -> None:
    victim = "pkg2/mod014.py"
    expected = check(corpus, jobs=1)
    original = runner._check_item
    kill_worker_on(monkeypatch, victim)
    started = time.monotonic()
    result = check(corpus, jobs=2, cache=cache)
    assert time.monotonic() - started < 60  # generous: the point is "no hang"
    # The file being checked is reported; every other file is still checked.
    assert [(e.path, e.rule) for e in result.internal_errors] == [(victim, "worker")]
    assert "killed by SIGKILL" in result.internal_errors[0].detail
    assert [f for f in result.findings if f.path != victim] == [
        f for f in expected.findings if f.path != victim
    ]
    assert not [f for f in result.findings if f.path == victim]
    if cache:
        # The victim was not cached: a healthy rerun checks it (and only it).
        monkeypatch.setattr(runner, "_check_item", original)
        again = check(corpus, jobs=1, cache=True)
        assert again.checked == 1
        assert summary(again) == summary(expected)


@needs_fork
def test_killed_worker_exit_status(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    kill_worker_on(monkeypatch, "pkg1/mod005.py")
    assert main(["check", "--no-cache", "--jobs", "2"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "pkg1/mod005.py: internal error in worker: the worker process died" in err


@needs_fork
def test_every_worker_killed(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """All workers die: the rest of the run happens in this process."""
    expected = check(corpus, jobs=1)
    parent = os.getpid()
    real = runner._check_item

    def deadly(item: Any, *args: Any) -> Any:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(item, *args)

    monkeypatch.setattr(runner, "_check_item", deadly)
    result = check(corpus, jobs=2)
    blamed = {e.path for e in result.internal_errors}
    assert len(blamed) == 2
    assert [f for f in result.findings if f.path not in blamed] == [
        f for f in expected.findings if f.path not in blamed
    ]


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return False
    return "\nState:\tZ" not in status


def _start_busy_run(root: Path) -> tuple[subprocess.Popen[str], list[int]]:
    """A CLI run with two workers busy on large files, and the workers' ids."""
    make_corpus(root, files=40)
    big = "import os\n" + "".join(f"v{i} = os.path.join('a', 'b')\n" for i in range(20_000))
    for i in range(40):
        (root / "pkg3" / f"big{i}.py").write_text(big, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "debt_lints", "check", "--no-cache", "--jobs", "2"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        workers = _children(proc.pid)
    if proc.poll() is not None:
        pytest.skip("the run ended before it could be interrupted")
    assert len(workers) == 2
    return proc, workers


def _gone(pids: list[int], timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not [pid for pid in pids if _running(pid)]:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_ctrl_c_stops_workers_and_exits_130(tmp_path: Path) -> None:
    proc, workers = _start_busy_run(tmp_path)
    try:
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == EXIT_INTERRUPTED
    assert "Traceback" not in err
    assert _gone(workers, timeout=5)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_workers_exit_when_the_main_process_is_killed(tmp_path: Path) -> None:
    proc, workers = _start_busy_run(tmp_path)
    try:
        proc.kill()  # SIGKILL: no handler, no clean-up in the main process
        proc.wait()
        assert _gone(workers)
    finally:
        for pid in workers:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)


def test_no_cyclic_collection_while_a_run_lasts(corpus: Path) -> None:
    """What a run keeps grows with every file: the collector does not walk it
    during the run (in this process, the phases after the files included), and
    is on again afterwards."""
    import gc

    (corpus / "pkg2" / "copy_a.py").write_text("def f():\n    return 1\n" * 40, encoding="utf-8")
    (corpus / "pkg3" / "copy_b.py").write_text("def f():\n    return 1\n" * 40, encoding="utf-8")
    config = load_config(start=corpus)
    rules = [*enabled_rules(config), *enabled_rules(config.with_overrides(select=("DL6",)))]
    collections: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    assert gc.isenabled()
    gc.collect()
    gc.callbacks.append(seen)
    try:
        result = run([str(corpus)], config, rules, jobs=1)
    finally:
        gc.callbacks.remove(seen)
    assert result.repository is not None  # the whole-repository phase ran too
    assert collections == []
    assert gc.isenabled()


@needs_fork
def test_a_worker_answers_a_batch_with_one_message(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This process's time is serial: it wakes up once per batch, not once per file."""
    expected = check(corpus, jobs=1)
    batches: list[int] = []
    messages: list[int] = []
    real_batches, real_receive = runner._batches, runner._receive

    def counted_batches(todo: Any, workers: int) -> Any:
        made = real_batches(todo, workers)
        batches.extend(len(batch) for batch in made)
        return made

    def counted_receive(worker: Any, outcomes: list[Any]) -> bool:
        before = len(outcomes)
        answered = real_receive(worker, outcomes)
        if answered:
            messages.append(len(outcomes) - before)
        return answered

    monkeypatch.setattr(runner, "_batches", counted_batches)
    monkeypatch.setattr(runner, "_receive", counted_receive)
    result = check(corpus, jobs=2)
    assert summary(result) == summary(expected)
    assert sorted(messages) == sorted(batches)
    assert len(messages) < sum(batches) == len(result.files)


@needs_fork
def test_forked_workers_take_the_rule_sets_built_before_the_fork(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rule modules are imported and the rule sets built once, in this process:
    a forked worker starts with them instead of importing and building its own."""
    expected = check(corpus, jobs=1)
    log = corpus / "rebuilt.log"
    real = runner._Plan.rebuild

    def logged(plan: Any) -> Any:
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return real(plan)

    monkeypatch.setattr(runner._Plan, "rebuild", logged)
    started = spy_workers(monkeypatch)
    result = check(corpus, jobs=2)
    assert started == [2]
    assert summary(result) == summary(expected)
    assert log.read_text(encoding="utf-8").split() == [str(os.getpid())]


def test_no_path_is_matched_without_per_file_ignores(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without ``per-file-ignores`` no file's path is matched against globs, and the
    syntax error's note is still added."""
    from debt_lints.config import Config

    expected = check(corpus, jobs=1)
    assert any("Python" in f.message for f in expected.findings if f.code == "DL001")

    def no_globs(self: Config, relpath: str) -> tuple[str, ...]:
        raise AssertionError("per-file-ignores matched without any")

    monkeypatch.setattr(Config, "ignored_codes_for", no_globs)
    assert summary(check(corpus, jobs=1)) == summary(expected)
