"""Output people read: the code frame, the summary line, colour, -q, --statistics,
the selection options, usage errors, ``rule`` pages and configuration typos."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.formats.style import use_color
from debt_lints.formats.summary import Counts, summary_line

MESSAGE = "sys.path is modified at runtime; install the package (pip install -e .) instead"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _no_colour_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "CI"):
        monkeypatch.delenv(name, raising=False)


def test_the_default_output_is_ruffs_full_format(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["check"], capsys)
    assert code == 1
    assert out == (
        f"pkg/bad.py:2:1: DL201 {MESSAGE}\n"
        "  |\n"
        "1 | import sys\n"
        "2 | sys.path.insert(0, 'vendor/x')\n"
        "  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ DL201\n"
        "  |\n"
        "\n"
        "Found 1 finding\n"
    )


def test_concise_and_the_former_text_spelling(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    concise = run(["check", "--output-format", "concise"], capsys)[1]
    assert concise == f"pkg/bad.py:2:1: DL201 {MESSAGE}\nFound 1 finding\n"
    assert run(["check", "--format", "text"], capsys)[1] == concise
    assert run(["check", "--format=concise"], capsys)[1] == concise


def test_a_clean_run_says_so(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "pkg/good.py"], capsys)[:2] == (0, "All checks passed!\n")


def test_summary_line_counts_the_baseline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["baseline", "create"]) == 0
    (project / "pkg" / "new.py").write_text("import sys\nsys.path.append('x')\n", "utf-8")
    capsys.readouterr()
    code, out, err = run(["check", "--output-format", "concise"], capsys)
    assert code == 1
    assert out.splitlines()[-1] == "Found 1 finding (1 known in the baseline)"
    assert "matched the baseline" in err


def test_summary_line_is_built_from_counts() -> None:
    assert summary_line(Counts(43, 2631, baseline_in_use=True)) == (
        "Found 43 findings (2,631 known in the baseline)"
    )
    assert summary_line(Counts(1)) == "Found 1 finding"
    assert summary_line(Counts(0, 0, baseline_in_use=True)) == (
        "All checks passed! (0 known in the baseline)"
    )


def test_quiet_prints_the_findings_only(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["baseline", "create"]) == 0
    (project / "pkg" / "new.py").write_text("import sys\nsys.path.append('x')\n", "utf-8")
    capsys.readouterr()
    code, out, err = run(["check", "-q", "--output-format", "concise"], capsys)
    assert code == 1
    assert out.splitlines() == [f"pkg/new.py:2:1: DL201 {MESSAGE}"]
    assert err == ""
    assert run(["check", "--quiet", "pkg/good.py"], capsys)[1:] == ("", "")


def test_statistics_prints_only_the_table(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt in ("full", "concise"):
        code, out, _ = run(["check", "--statistics", "--output-format", fmt], capsys)
        assert code == 1
        assert out.splitlines() == ["     1  DL201  sys-path-injection"]


def test_colour_on_a_terminal_and_by_the_environment() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert use_color(Tty(), {}) is True
    assert use_color(io.StringIO(), {}) is False
    assert use_color(None, {}) is False  # --output-file
    assert use_color(io.StringIO(), {"FORCE_COLOR": "1"}) is True
    assert use_color(Tty(), {"NO_COLOR": "1"}) is False
    assert use_color(Tty(), {"NO_COLOR": "1", "FORCE_COLOR": "1"}) is False
    assert use_color(Tty(), {"NO_COLOR": ""}) is True  # set but empty: not set
    assert use_color(Tty(), {"TERM": "dumb"}) is False


def test_force_color_paints_the_report(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    out = run(["check"], capsys)[1]
    assert "\x1b[1;31mDL201\x1b[0m" in out and "\x1b[1mpkg/bad.py\x1b[0m" in out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run(["check"], capsys)[1]
    monkeypatch.delenv("NO_COLOR")
    # Machine formats never get colour.
    assert "\x1b[" not in run(["check", "--output-format", "json"], capsys)[1]


def test_the_frame_shows_no_terminal_escapes_from_the_source(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pkg" / "bad.py").write_text(
        "import sys\nsys.path.insert(0, '\x1b[2Jx')  # \x1b]0;pwned\x07\n", encoding="utf-8"
    )
    out = run(["check", "pkg/bad.py"], capsys)[1]
    frame = out.split("\n", 1)[1]
    assert "\x1b" not in frame and "\x07" not in frame
    assert "2 | sys.path.insert(0, '\ufffd[2Jx')" in frame


def test_multi_line_findings_and_tabs_keep_the_carets_aligned(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pkg" / "bad.py").write_text(
        "import sys\nif True:\n\tsys.path.insert(\n\t\t0, 'x'\n\t)\n", encoding="utf-8"
    )
    lines = run(["check", "pkg/bad.py"], capsys)[1].splitlines()
    assert lines[4:7] == [
        "3 |     sys.path.insert(",
        "  |     ^^^^^^^^^^^^^^^^ DL201",
        "4 |         0, 'x'",
    ]


def test_exclude_and_extend_exclude_on_the_command_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["check", "-q", "--extend-exclude", "bad.py"], capsys)[:2] == (0, "")
    assert run(["check", "-q", "--exclude", "pkg"], capsys)[:2] == (0, "")
    # --exclude replaces the defaults: a checked-in virtualenv is then checked.
    (project / "venv").mkdir()
    (project / "venv" / "site.py").write_text("import sys\nsys.path.append('v')\n", "utf-8")
    assert "venv/site.py" not in run(["check", "-q"], capsys)[1]
    out = run(["check", "-q", "--exclude", "pkg"], capsys)[1]
    assert out.startswith("venv/site.py:2:1: DL201")


def test_extend_select_adds_to_the_configured_select(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text('[tool.debt-lints]\nselect = ["DL3"]\n', "utf-8")
    assert run(["check", "-q"], capsys)[:2] == (0, "")
    code, out, _ = run(["check", "-q", "--extend-select", "DL201"], capsys)
    assert code == 1 and out.startswith("pkg/bad.py:2:1: DL201")
    code, _, err = run(["check", "--extend-select", "DL9"], capsys)
    assert code == 2 and "--extend-select" in err and "DL9" in err


def test_an_unknown_option_prints_the_commands_usage(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", "--frobnicate", "pkg"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: debt-lints check ")
    assert "debt-lints check: error: unrecognized arguments: --frobnicate" in err
    with pytest.raises(SystemExit):
        main(["baseline", "create", "--frobnicate"])
    assert capsys.readouterr().err.startswith("usage: debt-lints baseline create ")


def test_rule_output_starts_with_the_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "DL201"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# DL201 sys-path-injection\n\n*")
    assert "Generated" not in out and "Do not edit" not in out


@pytest.mark.parametrize(
    ("key", "meant"),
    [
        ("exlude", "exclude"),
        ("extend_exclude", "extend-exclude"),
        ("per-file-ignore", "per-file-ignores"),
    ],
)
def test_a_mistyped_key_says_did_you_mean(
    project: Path, capsys: pytest.CaptureFixture[str], key: str, meant: str
) -> None:
    (project / "pyproject.toml").write_text(f"[tool.debt-lints]\n{key} = []\n", "utf-8")
    code, _, err = run(["check"], capsys)
    assert code == 2
    assert f"unknown key {key!r}" in err
    assert f"did you mean {meant!r}?" in err


# --- adoption frictions (issue 26, item 12) ------------------------------------------------


def test_an_underscore_table_is_an_error_naming_the_right_spelling(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.debt_lints]\nselect = ["DL3"]\n', encoding="utf-8"
    )
    code, out, err = run(["check"], capsys)
    assert (code, out) == (2, "")
    assert err == (
        "debt-lints: error: pyproject.toml: [tool.debt_lints] is not read: "
        "the table is [tool.debt-lints] (with a hyphen); rename it\n"
    )


def test_configuration_errors_name_the_file_as_findings_do(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pkg" / "pyproject.toml").write_text(
        "[tool.debt-lints]\nselectt = []\n", encoding="utf-8"
    )
    code, _, err = run(["check"], capsys)
    assert code == 2
    assert err.startswith("debt-lints: error: pkg/pyproject.toml: unknown key 'selectt'"), err
    assert str(project) not in err


def test_clean_names_the_cache_as_findings_name_files(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["check"], capsys)[0] == 1
    (project / "pkg" / "sub").mkdir()
    (project / "pkg" / "sub" / "x.py").write_text("", encoding="utf-8")
    import os

    os.chdir(project / "pkg")
    assert run(["clean"], capsys) == (0, "", "removed ../.debt-lints-cache\n")


def test_no_all_checks_passed_above_a_stale_baseline_in_ci(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["baseline", "create"]) == 0
    (project / "pkg" / "bad.py").write_text("import sys\n", encoding="utf-8")
    capsys.readouterr()
    code, out, err = run(["check", "--ci"], capsys)
    assert code == 4
    assert "All checks passed" not in out
    assert out == "The baseline is stale (0 known in the baseline; 1 stale entry below)\n"
    assert "the baseline is stale: 1 entry no longer matches" in err
    # Locally the same run prunes and passes.
    assert run(["check"], capsys)[:2] == (0, "All checks passed! (0 known in the baseline)\n")


def test_statistics_with_json_output(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    (project / "pkg" / "more.py").write_text(
        "import sys\nsys.path.append('a')\nsys.path.append('b')\nHOST = 'localhost'\n",
        encoding="utf-8",
    )
    code, out, _ = run(["check", "--statistics", "--output-format", "json"], capsys)
    assert code == 1
    assert json.loads(out) == [
        {"code": "DL201", "name": "sys-path-injection", "count": 3, "fixable": 0},
        {"code": "DL301", "name": "hardcoded-loopback", "count": 1, "fixable": 0},
    ]


def test_a_code_frame_for_standard_input(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The frame shows what was checked (the editor's buffer), not the file on disk."""
    buffer = "import sys\n\nsys.path.append('lib')\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(buffer.encode())))
    code, out, _ = run(["check", "-", "--stdin-filename", "pkg/bad.py"], capsys)
    assert code == 1
    assert out == (
        f"pkg/bad.py:3:1: DL201 {MESSAGE}\n"
        "  |\n"
        "1 | import sys\n"
        "2 |\n"
        "3 | sys.path.append('lib')\n"
        "  | ^^^^^^^^^^^^^^^^^^^^^^ DL201\n"
        "  |\n"
        "\n"
        "Found 1 finding\n"
    )
