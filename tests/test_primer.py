"""The primer's offline part: run, labels, review, report, diff, fix check, recall.

The real corpus is downloaded, so it is not part of the test suite; these
tests run the same code on a committed mini-corpus (``tests/data/primer``:
two small projects as folders instead of pinned sdists).
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import shutil
import subprocess
import sys
import tarfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

# bench/ sits beside tests/ at the root pytest puts on sys.path (tests/ is a package).
from bench.primer import __main__ as primer
from bench.primer.corpus import PrimerError, Project, fetch, load_corpus, unpack
from bench.primer.findings import Record, read_snapshot
from bench.primer.labels import SAMPLE_SIZE, load_labels, required

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "primer"


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = primer.main(list(args))
    return status, out.getvalue(), err.getvalue()


def table(out: str, title: str) -> dict[str, list[str]]:
    """The rows of the report's table under ``## title``, by first cell."""
    rows: dict[str, list[str]] = {}
    inside = False
    for line in out.splitlines():
        if line.startswith("## "):
            inside = line == f"## {title}"
        elif inside and line.startswith("| "):
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows[cells[0]] = cells
    return rows


def corpus_args(corpus: Path, data: Path) -> list[str]:
    return [
        "--corpus",
        str(corpus / "corpus.toml"),
        "--data",
        str(data),
        "--labels",
        str(data / "labels"),
    ]


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The mini-corpus (a copy) and the data folder of one `run` on it."""
    base = tmp_path_factory.mktemp("primer")
    corpus = base / "corpus"
    shutil.copytree(MINI, corpus)
    data = base / "data"
    status, _, err = cli(*corpus_args(corpus, data), "run")
    assert status == 0, err
    return corpus, data


@pytest.fixture
def run_copy(ran: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the run's corpus and data, for tests that change them."""
    corpus, data = ran
    shutil.copytree(corpus, tmp_path / "corpus")
    shutil.copytree(data, tmp_path / "data")
    return tmp_path / "corpus", tmp_path / "data"


def test_snapshot_is_sorted_keyed_and_complete(ran: tuple[Path, Path]) -> None:
    _, data = ran
    lines = (data / "snapshot.jsonl").read_text(encoding="utf-8").splitlines()
    records = [Record.from_dict(json.loads(line)) for line in lines]
    found = {(r.project, r.path, r.code) for r in records}
    assert ("alpha", "app/main.py", "DL302") in found
    assert ("alpha", "app/main.py", "DL101") in found
    assert ("beta", "tools/report.py", "DL502") in found
    # Every finding carries the baseline's identity (a 16-hex-digit hash).
    assert all(len(r.hash) == 16 for r in records)
    # Stable, diff-friendly order: project, file, position.
    order = [(r.project, r.path, r.line, r.column) for r in records]
    assert order == sorted(order)
    # Fixes are recorded with their applicability.
    assert {r.code: r.fix for r in records if r.project == "alpha"}["DL101"] == "safe"


def test_run_again_writes_the_same_bytes(run_copy: tuple[Path, Path]) -> None:
    corpus, data = run_copy
    before = (data / "snapshot.jsonl").read_bytes()
    status, _, err = cli(*corpus_args(corpus, data), "run", "--only", "beta", "--no-fix-check")
    assert status == 0, err
    assert (data / "snapshot.jsonl").read_bytes() == before


def test_label_report_and_precision(run_copy: tuple[Path, Path]) -> None:
    corpus, data = run_copy
    records = {r.code: r for r in read_snapshot(data / "snapshot.jsonl") if r.project == "alpha"}
    verdicts = {"DL302": "true", "DL301": "false", "DL201": "true", "DL202": "debatable"}
    for code, verdict in verdicts.items():
        record = records[code]
        status, _, err = cli(
            *corpus_args(corpus, data), "label", "alpha", record.hash[:8], verdict, f"{code} reason"
        )
        assert status == 0, err
    labels = load_labels(data / "labels", "alpha")
    assert {lb.verdict for lb in labels.values()} == {"true", "false", "debatable"}
    status, out, _ = cli(*corpus_args(corpus, data), "report")
    assert status == 0
    # project, findings, required labelled, true, false, debatable, precision, strict
    assert table(out, "Per project")["alpha"] == ["alpha", "5", "4/5", "2", "1", "1", "67%", "50%"]
    assert table(out, "Per rule")["DL301"][3:] == ["0", "1", "0", "0%", "0%"]


def test_review_lists_only_unlabelled_findings(run_copy: tuple[Path, Path]) -> None:
    corpus, data = run_copy
    status, out, _ = cli(*corpus_args(corpus, data), "review", "--project", "beta")
    assert status == 0
    assert "tools/report.py:9:15 DL502" in out
    assert ">    9 |     handler = logging.FileHandler" in out  # the code frame
    record = next(r for r in read_snapshot(data / "snapshot.jsonl") if r.code == "DL502")
    cli(*corpus_args(corpus, data), "label", "beta", record.hash, "true", "never closed")
    status, out, _ = cli(*corpus_args(corpus, data), "review", "--project", "beta")
    assert "DL502" not in out
    assert "DL301" in out


def test_the_same_line_in_two_functions_is_labelled_by_scope(run_copy: tuple[Path, Path]) -> None:
    # errbot's plugin_manager.py has `sys.path.append(entry)` in two functions: one
    # path and hash, two identities; --path alone cannot tell them apart.
    corpus, data = run_copy
    snapshot = data / "snapshot.jsonl"
    record = next(r for r in read_snapshot(snapshot) if r.code == "DL502")
    twin = json.loads(record.to_json())
    twin["scope"] = "other_function"
    twin["line"] = record.line + 40
    with snapshot.open("a", encoding="utf-8") as out:
        out.write(json.dumps(twin, sort_keys=True) + "\n")
    args = [*corpus_args(corpus, data), "label", "beta", record.hash, "true", "never closed"]
    status, _, err = cli(*args, "--path", record.path)
    assert status != 0
    assert "2 findings have a hash" in err and "--scope" in err
    status, _, err = cli(*args, "--path", record.path, "--scope", "other_function")
    assert status == 0, err
    labels = load_labels(data / "labels", "beta")
    assert [key[1][2] for key in labels] == ["other_function"]
    status, out, _ = cli(*corpus_args(corpus, data), "review", "--project", "beta")
    assert f"--path {record.path} --scope {record.scope}" in out
    assert "other_function" not in out


def test_labels_survive_line_moves_and_diff_sees_no_change(run_copy: tuple[Path, Path]) -> None:
    corpus, data = run_copy
    record = next(r for r in read_snapshot(data / "snapshot.jsonl") if r.code == "DL302")
    cli(*corpus_args(corpus, data), "label", "alpha", record.hash, "true", "binds everything")
    main = corpus / "alpha" / "app" / "main.py"
    main.write_text('"""Moved down by a docstring."""\n\n' + main.read_text(encoding="utf-8"))
    status, out, _ = cli(*corpus_args(corpus, data), "diff", "--only", "alpha")
    assert (status, out.strip()) == (0, "No change: the findings are the snapshot's.")
    cli(*corpus_args(corpus, data), "run", "--only", "alpha", "--no-fix-check")
    moved = next(r for r in read_snapshot(data / "snapshot.jsonl") if r.code == "DL302")
    assert moved.line == record.line + 2
    status, out, _ = cli(*corpus_args(corpus, data), "report")
    assert table(out, "Per rule")["DL302"][3:6] == ["1", "0", "0"]


def test_diff_shows_what_appeared_and_disappeared_with_verdicts(
    run_copy: tuple[Path, Path],
) -> None:
    corpus, data = run_copy
    record = next(
        r
        for r in read_snapshot(data / "snapshot.jsonl")
        if (r.project, r.code) == ("beta", "DL301")
    )
    cli(*corpus_args(corpus, data), "label", "beta", record.hash, "false", "a test default")
    report = corpus / "beta" / "tools" / "report.py"
    text = report.read_text(encoding="utf-8").replace('"127.0.0.1"', 'os.environ["STATS_HOST"]')
    report.write_text(text + '\nBACKUP = "/mnt/backup"\n', encoding="utf-8")
    status, out, _ = cli(*corpus_args(corpus, data), "diff", "--only", "beta")
    assert status == 1
    assert "## DL301: +0 -1" in out
    assert "- beta tools/report.py:5 [false]" in out
    assert "## DL202: +1 -0" in out
    assert "+ beta tools/report.py:13 [unlabelled] hard-coded path '/mnt/backup'" in out


def test_fix_check_counts_and_expected_unused_module(ran: tuple[Path, Path]) -> None:
    _, data = ran
    checks = {c["project"]: c for c in map(json.loads, (data / "fixcheck.jsonl").open())}
    alpha = checks["alpha"]
    assert (alpha["safe"], alpha["unsafe"], alpha["refused"], alpha["files_changed"]) == (
        1,
        0,
        0,
        1,
    )
    assert alpha["broken"] == []
    # The fix moved the last importer off app.legacy: it is unused now, as intended.
    assert [e.split(":")[0] for e in alpha["expected"]] == ["app/legacy.py"]


def test_fix_check_reports_broken_fixes(tmp_path: Path) -> None:
    from bench.primer.fixcheck import run_fix_check

    corpus = tmp_path / "corpus"
    shutil.copytree(MINI, corpus)
    config = corpus / "configs" / "alpha.toml"
    # The replacement lacks the name the import takes, and a fix that does not compile.
    (corpus / "alpha" / "app" / "core.py").write_text("def other():\n    pass\n")
    config.write_text('[deprecated-imports]\n"app.legacy" = "app.core"\n', encoding="utf-8")
    pristine = corpus / "alpha"
    copy = tmp_path / "copy"
    shutil.copytree(pristine, copy)
    before = [
        Record("alpha", "app/main.py", "DL101", "", "h" * 16, 4, 1, "deprecated", "unsafe"),
    ]
    fixes = [
        {
            "path": "app/main.py",
            "line": 4,
            "fix": {"requires": {"module": "app.core", "names": ["greet"], "deprecated": ""}},
        }
    ]
    (copy / "app" / "main.py").write_text("from app.core import greet\nif True\n", encoding="utf-8")
    result = run_fix_check("alpha", pristine, copy, config, before, fixes)
    text = "\n".join(result.broken)
    assert "app/main.py: does not compile" in text
    assert "app/main.py:4: takes greet from app.core, which lacks it" in text


def test_recall_candidates_sample_and_labels(run_copy: tuple[Path, Path]) -> None:
    corpus, data = run_copy
    candidates = [json.loads(line) for line in (data / "candidates.jsonl").open()]
    # `sock` is returned to the caller: DL501 rightly says nothing; the scan lists it.
    cand = next(c for c in candidates if c["code"] == "DL501")
    assert (cand["project"], cand["path"], cand["line"]) == ("alpha", "app/main.py", 12)
    status, out, _ = cli(*corpus_args(corpus, data), "review", "--recall")
    assert status == 0
    assert "app/main.py:12 DL501 not reported" in out
    cli(
        *corpus_args(corpus, data),
        "label",
        "alpha",
        cand["hash"],
        "silent",
        "returned to the caller",
    )
    _, out, _ = cli(*corpus_args(corpus, data), "review", "--recall")
    assert "DL501" not in out
    _, out, _ = cli(*corpus_args(corpus, data), "report")
    assert table(out, "Recall (candidate scan)")["DL501"] == ["DL501", "1", "1", "1/1", "0", "1"]


@pytest.mark.parametrize(
    ("line", "candidate"),
    [
        ("curve_secretkey = self.curve_secretkey", True),  # CURVE keys, as before
        ("sock.setsockopt(zmq.CURVE_SERVERKEY, key)", True),
        ("SECRET_KEY = 'shhh, secret'", True),  # an application secret bound to a literal
        ('JWT_SECRET = "secret"', True),
        ('    secret_key: str = "changeme"', True),
        ('app.config["SECRET_KEY"] = "dev"', True),
        ('DEV_SECRETS = {"jwt_secret": "abc"}', True),
        ('def __init__(self, router, secret="secret"):', True),
        ('client = Client(api_key="sk-123")', True),
        ('ACCESS_TOKEN = b"0123456789abcdef"', True),
        ('token = os.getenv("API_TOKEN", "dev-token")', True),
        ('os.environ.setdefault("SESSION_KEY", "x")', True),
        ('SECRET_KEY = ""', False),  # empty: no key
        ('SECRET_KEY = os.environ["SECRET_KEY"]', False),  # no literal
        ("if secret_key == 'x':", False),  # a comparison
        ('routing_key = "celery"', False),  # KEY with no qualifier
        ('password = "hunter2"', False),  # passwords are bandit's (B105)
        ('value = config.get("timeout", "30")', False),
    ],
)
def test_recall_pattern_of_dl401(line: str, candidate: bool) -> None:
    from bench.primer.recall import PATTERNS

    assert (PATTERNS["DL401"].search(line) is not None) is candidate


def test_recall_scan_of_dl401_leaves_test_files_out(tmp_path: Path) -> None:
    from bench.primer.recall import scan

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "settings.py").write_text(
        "SECRET_KEY = 'shhh, secret'\nAPI_TOKEN = ''\n", encoding="utf-8"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "helpers.py").write_text("SECRET_KEY = 'fake'\n", encoding="utf-8")
    (tmp_path / "test_app.py").write_text("API_KEY = 'fake'\n", encoding="utf-8")
    missed, counts = scan("gamma", tmp_path, None, [])
    assert [(c.path, c.line) for c in missed if c.code == "DL401"] == [("app/settings.py", 1)]
    assert counts["DL401"] == 1
    reported = [Record("gamma", "app/settings.py", "DL401", "", "h" * 16, 1, 1, "secret")]
    missed, counts = scan("gamma", tmp_path, None, reported)
    assert not [c for c in missed if c.code == "DL401"] and counts["DL401"] == 1


def test_required_is_the_seeded_sample_of_a_big_rule() -> None:
    records = [
        Record("p", f"m{i:03}.py", "DL301", "", f"{i:016x}", i, 1, "loopback") for i in range(40)
    ]
    records.append(Record("p", "x.py", "DL302", "", "f" * 16, 1, 1, "bind"))
    shuffled = list(records)
    random.Random(1).shuffle(shuffled)
    chosen = required(shuffled)
    dl301 = [r for r in chosen if r.code == "DL301"]
    assert len(dl301) == SAMPLE_SIZE
    ordered = sorted((r for r in records if r.code == "DL301"), key=lambda r: r.key)
    assert dl301 == random.Random(7).sample(ordered, SAMPLE_SIZE)
    assert [r.code for r in chosen].count("DL302") == 1
    assert required(records) == chosen  # the order findings arrive in does not matter


def test_bad_label_file_is_one_clear_line(run_copy: tuple[Path, Path]) -> None:
    corpus, data = run_copy
    (data / "labels").mkdir(exist_ok=True)
    (data / "labels" / "alpha.jsonl").write_text(
        '{"path": "app/main.py", "code": "DL301", "scope": "", "hash": "x", '
        '"verdict": "maybe", "reason": "r"}\n',
        encoding="utf-8",
    )
    status, _, err = cli(*corpus_args(corpus, data), "report")
    assert status == 2
    assert "alpha.jsonl: label 1: verdict 'maybe' is not one of true, false, debatable" in err
    assert "Traceback" not in err


def test_sdist_checksum_and_unsafe_archive_are_refused(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (cache / "sdists").mkdir(parents=True)
    member = tmp_path / "src" / "payload.py"
    member.parent.mkdir()
    member.write_text("x = 1\n")
    archive = cache / "sdists" / "evil-1.0.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        tf.add(member, arcname="../payload.py")
    project = Project(name="evil", version="1.0", sha256="0" * 64, sdist=archive.name)
    with pytest.raises(PrimerError, match=r"sha256 of .* corpus\.toml pins 0000"):
        fetch(project, cache, download=False)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    pinned = Project(name="evil", version="1.0", sha256=digest, sdist=archive.name)
    with pytest.raises(PrimerError, match="cannot unpack"):
        unpack(pinned, cache, tmp_path / "out", download=False)
    assert not (tmp_path / "payload.py").exists()
    assert not (tmp_path / "out").exists()


def test_fetch_builds_only_the_project_from_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `--no-binary :all:` also builds the build dependencies from source, and
    # ipykernel's chain reaches one with no sdist: only the project's own sdist
    # is forced, its build backend may come as a wheel.
    payload = b"an sdist"
    calls: list[list[str]] = []

    def fake_run(argv: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        calls.append(argv)
        dest = Path(argv[argv.index("--dest") + 1])
        (dest / "ipykernel-7.4.0.tar.gz").write_bytes(payload)
        return subprocess.CompletedProcess(argv, 0, "", "")

    monkeypatch.setattr("bench.primer.corpus.subprocess.run", fake_run)
    project = Project(
        name="ipykernel",
        version="7.4.0",
        sha256=hashlib.sha256(payload).hexdigest(),
        sdist="ipykernel-7.4.0.tar.gz",
    )
    got = fetch(project, tmp_path / "cache")
    assert got.read_bytes() == payload
    [argv] = calls
    assert argv[argv.index("--no-binary") + 1] == "ipykernel"
    assert ":all:" not in argv
    assert argv[-1] == "ipykernel==7.4.0"


def test_fetch_bounds_the_build_dependencies_when_the_corpus_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ryu's setup.py needs a setuptools older than the one pip would install to
    # prepare its metadata; corpus.toml's build-constraints bound it.
    payload = b"an sdist"
    envs: list[dict[str, str] | None] = []

    def fake_run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        env = kwargs.get("env")
        assert env is None or isinstance(env, dict)
        envs.append(env)
        dest = Path(argv[argv.index("--dest") + 1])
        (dest / f"{argv[-1].replace('==', '-')}.tar.gz").write_bytes(payload)
        return subprocess.CompletedProcess(argv, 0, "", "")

    monkeypatch.setattr("bench.primer.corpus.subprocess.run", fake_run)
    digest = hashlib.sha256(payload).hexdigest()
    corpus = tmp_path / "corpus.toml"
    corpus.write_text(
        '[[project]]\nname = "ryu"\nversion = "4.34"\nsdist = "ryu-4.34.tar.gz"\n'
        f'sha256 = "{digest}"\nbuild-constraints = ["setuptools<58"]\n\n'
        '[[project]]\nname = "rq"\nversion = "3.0.0"\nsdist = "rq-3.0.0.tar.gz"\n'
        f'sha256 = "{digest}"\n',
        encoding="utf-8",
    )
    ryu, rq = load_corpus(corpus)
    assert ryu.build_constraints == ("setuptools<58",)
    assert rq.build_constraints == ()
    fetch(ryu, tmp_path / "cache")
    fetch(rq, tmp_path / "cache")
    constrained, plain = envs
    assert plain is None
    assert constrained is not None
    assert Path(constrained["PIP_CONSTRAINT"]).read_text(encoding="utf-8") == "setuptools<58\n"
    corpus.write_text(
        corpus.read_text(encoding="utf-8").replace('["setuptools<58"]', '"setuptools<58"'),
        encoding="utf-8",
    )
    with pytest.raises(PrimerError, match="build-constraints is not a list"):
        load_corpus(corpus)


def test_the_command_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.primer", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for command in ("run", "review", "label", "diff", "report"):
        assert command in done.stdout


def test_fix_check_follows_attributes_of_a_rebound_module(tmp_path: Path) -> None:
    from bench.primer.fixcheck import _missing_attributes

    pristine, copy = tmp_path / "before", tmp_path / "after"
    for tree in (pristine, copy):
        shutil.copytree(MINI / "alpha", tree)
        (tree / "app" / "legacy.py").write_text(
            "from app.core import greet\n\nVERSION = 1\n", encoding="utf-8"
        )
    (pristine / "app" / "use.py").write_text(
        "from app import legacy\n\nprint(legacy.greet, legacy.VERSION)\n", encoding="utf-8"
    )
    # What a fix of `from app import legacy` writes: the same name, another module.
    (copy / "app" / "use.py").write_text(
        "from app import core as legacy\n\nprint(legacy.greet, legacy.VERSION)\n",
        encoding="utf-8",
    )
    # And a name that was a function, rebound to a package, then called.
    (pristine / "app" / "deco.py").write_text(
        "from app.core import greet\n\ngreet('x')\n", encoding="utf-8"
    )
    (copy / "app" / "deco.py").write_text("import app as greet\n\ngreet('x')\n", encoding="utf-8")
    broken = _missing_attributes(pristine, copy, None, ["app/use.py", "app/deco.py"])
    assert broken == [
        "app/use.py:3: legacy.VERSION: app.core does not define VERSION",
        "app/deco.py:3: greet(...) calls the module app",
    ]


def test_report_of_a_subset_and_of_an_earlier_snapshot(run_copy: tuple[Path, Path]) -> None:
    corpus, data = run_copy
    record = next(r for r in read_snapshot(data / "snapshot.jsonl") if r.code == "DL502")
    cli(*corpus_args(corpus, data), "label", "beta", record.hash, "true", "never closed")
    status, out, err = cli(*corpus_args(corpus, data), "report", "--only", "beta")
    assert status == 0, err
    assert set(table(out, "Per project")) == {"project", "beta", "all"}  # header, rows, total
    assert out.startswith("# Primer: 1 projects")
    # An earlier snapshot (here: beta's DL502 alone), read with today's labels.
    earlier = data / "earlier.jsonl"
    earlier.write_text(
        "".join(
            line + "\n"
            for line in (data / "snapshot.jsonl").read_text(encoding="utf-8").splitlines()
            if '"DL502"' in line
        ),
        encoding="utf-8",
    )
    status, out, err = cli(*corpus_args(corpus, data), "report", "--snapshot", str(earlier))
    assert status == 0, err
    assert table(out, "Per rule")["all"][1:6] == ["1", "1/1", "1", "0", "0"]
    status, _, err = cli(*corpus_args(corpus, data), "report", "--only", "gamma")
    assert status == 2 and "not in the corpus: gamma" in err
    status, _, err = cli(*corpus_args(corpus, data), "report", "--snapshot", str(data / "no.jsonl"))
    assert status == 2 and "no such snapshot" in err
