"""A warm run reuses the whole-repository findings when nothing they depend on changed.

The cache keeps the DL6 findings with a digest of their inputs (every
file's content digest, the pyproject.toml files, the configuration, the
rules) and the directory listings the import resolution read (issue 27,
step 3). A warm run with nothing changed must not build the repository; any
change to an input must give the findings a fresh build gives.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from debt_lints import repo
from debt_lints.adapters.cli import main
from debt_lints.running import cache


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "proj"
    (root / "app").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.debt-lints]\n", encoding="utf-8")
    (root / "app" / "__init__.py").write_text("", encoding="utf-8")
    (root / "app" / "main.py").write_text(
        "import app.used\n\nif __name__ == '__main__':\n    app.used.run()\n", encoding="utf-8"
    )
    (root / "app" / "used.py").write_text("def run():\n    return 1\n", encoding="utf-8")
    (root / "app" / "orphan.py").write_text("def helper():\n    return 2\n", encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setattr(cache, "RACY_NS", 0)  # stat keys trusted at once
    return root


def check(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    main(["check", "--jobs", "1", "--select", "DL602", "--output-format", "concise", *args])
    out, _ = capsys.readouterr()
    return sorted(line for line in out.splitlines() if "DL602" in line)


def no_build(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the repository builds of the next runs."""
    builds: list[int] = []
    real = repo.repository_for

    def counted(*args: object, **kwargs: object) -> object:
        builds.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(repo, "repository_for", counted)
    return builds


def test_warm_run_with_nothing_changed_reuses_the_findings(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = check(capsys, "--no-cache")
    assert any("orphan.py" in line for line in fresh)
    assert check(capsys) == fresh  # cold: builds and stores
    builds = no_build(monkeypatch)
    assert check(capsys) == fresh
    assert check(capsys) == fresh
    assert builds == []


def test_a_changed_file_rebuilds_and_its_findings_follow(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    check(capsys)
    builds = no_build(monkeypatch)
    main_py = project / "app" / "main.py"
    main_py.write_text(main_py.read_text(encoding="utf-8") + "import app.orphan\n", "utf-8")
    after = check(capsys)
    assert builds == [1]
    assert not any("orphan.py" in line for line in after)
    assert after == check(capsys, "--no-cache")
    assert check(capsys) == after and builds == [1, 1]  # --no-cache built once more


def test_a_module_appearing_where_an_import_looked_rebuilds(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # app.extra does not exist: `import app.extra` reaches nothing. An excluded file
    # is no checked file (no content digest), but the import now reaches it.
    (project / "pyproject.toml").write_text(
        '[tool.debt-lints]\nexclude = ["app/extra.py"]\n', encoding="utf-8"
    )
    (project / "app" / "orphan.py").write_text("import app.extra\n", encoding="utf-8")
    (project / "app" / "lonely.py").write_text("X = 1\n", encoding="utf-8")
    check(capsys)  # stores the memo
    builds = no_build(monkeypatch)
    (project / "app" / "extra.py").write_text("import app.lonely\n", encoding="utf-8")
    after = check(capsys)
    assert builds == [1]
    assert after == check(capsys, "--no-cache")


def test_the_map_still_gets_the_repository(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    check(capsys)
    check(capsys)
    main(["map", "--format", "json"])
    out, _ = capsys.readouterr()
    assert "app.orphan" in out


@pytest.mark.parametrize("metadata", ["PKG-INFO", "setup.cfg"])
def test_changed_packaging_metadata_rebuilds(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    metadata: str,
) -> None:
    """What ships and what a lockstep companion shares come from the packaging metadata
    beside ``pyproject.toml`` too: a sdist's ``PKG-INFO``, ``setup.cfg``."""
    (project / "app" / "orphan.py").rename(project / "app" / "_orphan.py")
    (project / "setup.py").write_text("from setuptools import setup\nsetup()\n", "utf-8")
    release = {
        "PKG-INFO": "Metadata-Version: 2.4\nName: app\nVersion: 3.1.0\n",
        "setup.cfg": "[metadata]\nname = app\nversion = 3.1.0\n[options]\npackages = app\n",
    }[metadata]
    (project / metadata).write_text(release, "utf-8")
    (project / "setup.cfg").write_text(
        (project / "setup.cfg").read_text("utf-8") if metadata == "setup.cfg" else "", "utf-8"
    )
    before = check(capsys)
    assert any("_orphan.py" in line for line in before)  # private: judged
    companion = "Requires-Dist: engine<3.1.1,>=3.1.0\n"
    if metadata == "setup.cfg":
        companion = "install_requires = engine ==3.1.*\n"
    (project / metadata).write_text(release + companion, "utf-8")
    after = check(capsys)
    assert after == check(capsys, "--no-cache")
    assert not any("_orphan.py" in line for line in after)  # the companion's too
