"""One definition of test code: ``is_test_path`` (DL201) is the ``test-files`` default
(DL101, DL301, DL401)."""

from __future__ import annotations

import pytest

from debt_lints.analysis.context import TEST_FILES, is_test_path, path_matches


@pytest.mark.parametrize(
    ("relpath", "expected"),
    [
        ("tests/test_api.py", True),
        ("pkg/api_test.py", True),
        ("conftest.py", True),
        ("app/tests.py", True),  # Django's per-app test module
        ("src/pkg/test/fakes.py", True),
        ("nameko/testing/pytest.py", True),  # a test-support package: a pytest plugin
        ("numpy/testing/_private/utils.py", True),
        ("pkg/attesting.py", False),
        ("pkg/testing_utils.py", False),  # a module, not a test-support package
        ("pkg/contest.py", False),
        ("pkg/server.py", False),
    ],
)
def test_test_code_is_one_definition(relpath: str, expected: bool) -> None:
    default = TEST_FILES.default
    assert isinstance(default, tuple)
    assert is_test_path(relpath) is expected
    assert path_matches(relpath, default) is expected
