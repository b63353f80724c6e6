"""Shared test set-up. ``tests`` is a package, so pytest puts the repository
root on the import path and ``from tests.fixtures import ...`` works."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sample_project import make_sample_project

#: Rule fixtures are code for the rules to check (their test files and conftest.py
#: included), never tests to run.
collect_ignore_glob = ["fixtures/*"]


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample project (:mod:`tests.sample_project`), as the current directory."""
    monkeypatch.chdir(tmp_path)
    return make_sample_project(tmp_path)


@pytest.fixture(autouse=True)
def _private_user_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test's per-user cache key lives in a folder of its own, never in the real HOME."""
    folder = tmp_path_factory.mktemp("user-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture(autouse=True)
def _not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests behave alike on a laptop and in CI: ``CI`` (which turns on ``--ci``) is unset.

    A test of the CI behaviour sets it itself.
    """
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture(params=["generated", "general"])
def walk_steps(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The walks with their generated steps, and with the general loop they start with
    (:data:`debt_lints.analysis.nodes.GENERATE_AFTER`): each test runs with both."""
    from debt_lints.analysis import nodes

    monkeypatch.setattr(nodes, "GENERATE_AFTER", 0 if request.param == "generated" else 1 << 62)
    return str(request.param)
