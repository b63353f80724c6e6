"""The container facts DL202 asks: what a repository's Dockerfiles create, per build context.

The scanner (``created_directories``), the per-file answer (``container_paths``:
the definitions in the folders above a file), and how the answer reaches every
way of checking a file: a whole run, a warm run from the cache after a
Dockerfile changed, one file on the command line, a host plugin's session.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from debt_lints.adapters.cli import main
from debt_lints.analysis.containers import (
    container_paths,
    created_directories,
    is_definition,
)
from debt_lints.config import load_config
from debt_lints.engine.registry import lookup
from debt_lints.hosts.session import HostSession
from debt_lints.running.runner import run


def dirs(text: str) -> tuple[str, ...]:
    return created_directories(textwrap.dedent(text))


# --- the scanner ------------------------------------------------------------------


def test_env_values_expand_earlier_variables_and_path_lists_count_piece_by_piece() -> None:
    found = dirs(
        """\
        FROM ubuntu:24.04
        ENV MAMBA_ROOT_PREFIX=/opt/conda
        ENV PATH=$MAMBA_ROOT_PREFIX/bin:$PATH
        ENV IPP_DISABLE_JS=1
        ENV PIP_CACHE_DIR=/tmp/pip-cache \\
            VIRTUAL_ENV=/srv/env \\
            OLD_FORM_IS_NOT=/nowhere
        ENV LEGACY /usr/local/legacy
        ARG TOOLS=${MAMBA_ROOT_PREFIX:-/unused}/tools
        ARG FALLBACK=${UNSET:-/var/fallback}
        ARG UNKNOWN=$UNSET/below
        """
    )
    assert found == (
        "/opt/conda",
        "/opt/conda/bin",
        "/tmp/pip-cache",
        "/srv/env",
        "/nowhere",
        "/usr/local/legacy",
        "/opt/conda/tools",
        "/var/fallback",
    )


def test_workdir_copy_add_and_volume_name_folders_relative_ones_joined() -> None:
    found = dirs(
        """\
        ARG APP_HOME=/app
        WORKDIR ${APP_HOME}
        COPY requirements.txt .
        WORKDIR src
        COPY --chown=app:app --chmod=0600 etc/ /etc/service/
        ADD ["static/", "assets/"]
        VOLUME ["/app/uploads", "/models"]
        VOLUME /cache/a /cache/b
        """
    )
    assert found == (
        "/app",
        "/app/src",
        "/etc/service",
        "/app/src/assets",
        "/app/uploads",
        "/models",
        "/cache/a",
        "/cache/b",
    )


def test_run_mkdir_targets_and_the_homes_of_created_users() -> None:
    found = dirs(
        """\
        RUN useradd -m -s /bin/bash -N ciuser
        RUN mkdir ~/.ssh && mkdir -p -m 0700 /var/lib/state /run/sshd; mkdir relative
        RUN useradd -r -m -d /srv/builder builder
        RUN useradd --create-home --base-dir /users tester
        RUN useradd nohome
        RUN useradd -M -d /srv/never never
        RUN adduser --disabled-password --gecos "" worker \\
            # a comment inside the continued instruction
            && adduser -D -h /var/lib/alpine alpine
        RUN adduser existing staff
        RUN adduser --system daemon
        RUN sudo VAR=1 mkdir /opt/sudoed
        """
    )
    assert found == (
        "/home/ciuser",
        "/var/lib/state",
        "/run/sshd",
        "/srv/builder",
        "/users/tester",
        "/home/worker",
        "/var/lib/alpine",
        "/opt/sudoed",
    )


def test_one_component_counts_only_when_no_system_has_it() -> None:
    found = dirs(
        """\
        WORKDIR /
        ENV HOME=/root
        VOLUME /data /home /opt /srv /mnt /tmp
        RUN mkdir /io
        """
    )
    assert found == ("/data", "/io")


def test_heredoc_bodies_and_the_escape_directive() -> None:
    heredoc = dirs(
        """\
        RUN <<EOF
        mkdir /from/heredoc
        WORKDIR /not/an/instruction
        EOF
        WORKDIR /after/heredoc
        """
    )
    assert heredoc == ("/after/heredoc",)
    escaped = created_directories(
        "# escape=`\nFROM mcr.microsoft.com/windows\nENV TOOLS=/opt/tools `\n    CACHE=/opt/cache\n"
    )
    assert escaped == ("/opt/tools", "/opt/cache")


def test_bad_text_gives_what_it_can_and_never_raises() -> None:
    assert dirs("RUN mkdir '/unbalanced\nENV X=\nCOPY\nVOLUME [1, 2]\n") == ()
    assert created_directories("\0\ufeff" * 10) == ()
    # An exec form nested past the JSON decoder's depth is no list (it raised
    # RecursionError, an internal error of DL202 on every file of the context).
    deep = "[" * 100_000 + "]" * 100_000
    assert created_directories(f"VOLUME {deep}\nWORKDIR /srv/app\n") == ("/srv/app",)


def test_definition_names() -> None:
    for name in ("Dockerfile", "dockerfile", "Containerfile", "Dockerfile.dev", "api.Dockerfile"):
        assert is_definition(name), name
    for name in ("win_base_Dockerfile", "Dockerfile_template", "docker-compose.yaml"):
        assert not is_definition(name), name


# --- the per-file answer ----------------------------------------------------------


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_a_file_sees_the_definitions_of_the_folders_above_it(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "Dockerfile": "WORKDIR /app\n",
            "ci/ssh/Dockerfile": "ENV MAMBA_ROOT_PREFIX=/opt/conda\n",
            "ci/ssh/sub/x.py": "",
            "ci/other/x.py": "",
        },
    )
    inside = container_paths(tmp_path, "ci/ssh/sub/x.py")
    assert inside.definitions == ("Dockerfile", "ci/ssh/Dockerfile")
    assert inside.covers("/opt/conda/bin/python3") and inside.covers("/opt/conda")
    assert inside.covers("/app/config.yaml")
    assert not inside.covers("/opt/condarc") and not inside.covers("/opt")
    assert not inside.covers("/opt/conda/../../home/jdoe")
    other = container_paths(tmp_path, "ci/other/x.py")
    assert other.definitions == ("Dockerfile",)
    assert not other.covers("/opt/conda/bin/python3")
    assert other.digest != inside.digest


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_link_is_never_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    _write(outside, {"Dockerfile": "WORKDIR /srv/outside\n", "dir/Dockerfile": "WORKDIR /srv/d\n"})
    root = tmp_path / "proj"
    _write(root, {"a/x.py": "", "real/b/x.py": ""})
    os.symlink(outside / "Dockerfile", root / "a" / "Dockerfile")
    os.symlink(outside / "dir", root / "linked")
    assert container_paths(root, "a/x.py").directories == ()
    # A file reached through a linked folder: the folder is not listed either.
    assert container_paths(root, "linked/x.py").directories == ()


# --- every way of checking a file -------------------------------------------------

CONFIG = 'c.remote_python = "/opt/conda/bin/python3"\nc.data = "/home/jdoe/data"\n'
SSH_IMAGE = "FROM ubuntu:24.04\nENV MAMBA_ROOT_PREFIX=/opt/conda\n"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "proj"
    _write(
        root,
        {
            "pyproject.toml": '[tool.debt-lints]\nselect = ["DL202"]\n',
            "ci/ssh/Dockerfile": SSH_IMAGE,
            "ci/ssh/ipcluster_config.py": CONFIG,
        },
    )
    monkeypatch.chdir(root)
    return root


def _lines(root: Path, *, cache: bool = True, paths: tuple[str, ...] = (".",)) -> list[int]:
    config = load_config(start=root)
    rule = lookup("DL202")
    assert rule is not None
    result = run(list(paths), config, [rule], cache=cache)
    assert not result.internal_errors
    return [f.line for f in result.findings]


def test_editing_the_dockerfile_changes_a_warm_run(project: Path) -> None:
    assert _lines(project) == [2]
    assert _lines(project) == [2]  # warm: answered from the cache
    (project / "ci/ssh/Dockerfile").write_text("FROM ubuntu:24.04\n", encoding="utf-8")
    assert _lines(project) == [1, 2]
    (project / "ci/ssh/Dockerfile").write_text(SSH_IMAGE, encoding="utf-8")
    assert _lines(project) == [2]
    (project / "ci/ssh/Dockerfile").unlink()
    assert _lines(project) == [1, 2]
    # A definition that appears in a folder above the file counts too.
    (project / "Dockerfile").write_text("ENV PREFIX=/opt/conda\n", encoding="utf-8")
    assert _lines(project) == [2]


def test_one_file_on_the_command_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--no-cache", "--output-format", "concise", "ci/ssh/ipcluster_config.py"])
    out = capsys.readouterr().out
    assert code == 1
    assert "ipcluster_config.py:2:" in out and "ipcluster_config.py:1:" not in out


def test_a_host_session_checking_one_file(project: Path) -> None:
    """flake8, pylint and the language server check one file through a session."""
    session = HostSession(cwd=project)
    target = "ci/ssh/ipcluster_config.py"
    assert [f.line for f in session.check(CONFIG, target).findings] == [2]
    # The language server's session lives on: an edited Dockerfile shows on the next check.
    (project / "ci/ssh/Dockerfile").write_text("FROM ubuntu:24.04\n", encoding="utf-8")
    assert [f.line for f in session.check(CONFIG, target).findings] == [1, 2]


def test_the_text_alone_is_judged_without_the_repository(project: Path) -> None:
    """The engine given a text and no root (the single-file fixture harness) reports
    both: without the repository it cannot know the image."""
    from debt_lints.core.settings import Settings
    from debt_lints.engine.walk import RuleSet, check_source

    rule = lookup("DL202")
    assert rule is not None
    result = check_source(
        CONFIG, "ipcluster_config.py", "ci/ssh/ipcluster_config.py", RuleSet([rule], Settings())
    )
    assert [f.line for f in result.findings] == [1, 2]
