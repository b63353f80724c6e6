"""Looking for ``[tool.debt-lints]`` parses no ``pyproject.toml`` that cannot hold it.

``could_hold_our_table`` must be sound: every spelling TOML allows for the table
(or for a misspelling the configuration refuses) passes it, so that skipping the
parse of a file it rejects changes nothing but the time.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debt_lints import config
from debt_lints.config import TABLE, ConfigError, could_hold_our_table, find_config

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: The names :func:`debt_lints.config._tool_table` answers to: ours, and the
#: misspellings it refuses with a message.
NAMES = (TABLE, *config._MISSPELLINGS)

SPELLINGS = [
    '[tool.debt-lints]\nselect = ["DL2"]\n',
    '[tool."debt-lints"]\nselect = ["DL2"]\n',
    "[tool.'debt-lints']\nselect = ['DL2']\n",
    '[ tool . "debt-lints" . typing ]\npackages = ["x"]\n',
    'tool.debt-lints.select = ["DL2"]\n',
    'tool."debt-lints".select = ["DL2"]\n',
    '[tool]\ndebt-lints = { select = ["DL2"] }\n',
    'tool = { debt-lints = { select = ["DL2"] } }\n',
    'tool = { "debt-lints" = {} }\n',
    '[tool."\\u0064ebt-lints"]\nselect = ["DL2"]\n',
    '[tool."d\\u0065\\u0062t-lints"]\n',
    '[tool."\\U00000064\\U00000065\\U00000062\\U00000074-lints"]\n',
    'tool."\\u0064ebt-lints" = {}\n',
    "[[tool.debt-lints]]\n",  # an array of tables: refused by the configuration, not skipped
    "[tool.debt_lints]\n",
    "[tool.Debt-Lints]\n",
    "[tool.debtlints]\n",
    "[tool.debt-lint]\n",
    "[tool.debt_lint]\n",
]


def our_key(text: str) -> bool:
    tool = tomllib.loads(text).get("tool")
    return isinstance(tool, dict) and any(name in tool for name in NAMES)


@pytest.mark.parametrize("text", SPELLINGS)
def test_every_spelling_of_the_table_may_hold_it(text: str) -> None:
    assert our_key(text)  # TOML reads each as the table (or a refused misspelling)
    assert could_hold_our_table(text.encode("utf-8"))


OTHERS = [
    "",
    '[project]\nname = "demo"\ndependencies = ["requests"]\n\n[tool.ruff]\nline-length = 100\n',
    '[tool.black]\nline-length = 100\n[tool."ruff".lint]\nselect = ["E"]\n',
    "[tool.d-lints]\nx = 1\n",
]


@pytest.mark.parametrize("text", OTHERS)
def test_a_file_without_the_name_or_an_escape_cannot_hold_it(text: str) -> None:
    assert not our_key(text)
    assert not could_hold_our_table(text.encode("utf-8"))


def _escaped(char: str, how: int) -> str:
    return (char, f"\\u{ord(char):04x}", f"\\U{ord(char):08X}")[how]


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(NAMES),
    escapes=st.lists(st.integers(0, 2), min_size=12, max_size=12),
    form=st.sampled_from(
        [
            "[tool.{key}]\nx = 1\n",
            "tool.{key}.x = 1\n",
            "[tool]\n{key} = {{ x = 1 }}\n",
            "tool = {{ {key} = {{ x = 1 }} }}\n",
        ]
    ),
)
def test_any_escaped_spelling_of_the_table_may_hold_it(
    name: str, escapes: list[int], form: str
) -> None:
    """A quoted key may escape any of its characters: each spelling that TOML reads
    as the table's name passes the check."""
    key = '"' + "".join(_escaped(c, how) for c, how in zip(name, escapes, strict=False)) + '"'
    text = form.format(key=key)
    assert our_key(text), text
    assert could_hold_our_table(text.encode("utf-8")), text


@pytest.fixture()
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The TOML texts parsed from here on (the parser is spied on, not replaced)."""
    seen: list[str] = []
    real = tomllib.loads

    def spy(text: str, **kwargs: object) -> dict[str, object]:
        seen.append(text)
        return real(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tomllib, "loads", spy)
    return seen


def test_finding_the_configuration_parses_only_a_file_that_may_hold_it(
    tmp_path: Path, parses: list[str]
) -> None:
    top = '[tool."debt-lints"]\nselect = ["DL2"]\n'
    (tmp_path / "pyproject.toml").write_text(top, encoding="utf-8")
    package = tmp_path / "packages" / "one"
    package.mkdir(parents=True)
    (package / "pyproject.toml").write_text(OTHERS[1], encoding="utf-8")
    assert find_config(package) == tmp_path.resolve() / "pyproject.toml"
    assert parses == [top]


@pytest.mark.parametrize(
    ("text", "ours"),
    [
        ('[project]\nname = "demo"\n[broken\n', False),
        ('[project]\ndependencies = ["debt-lints"]\n[broken\n', False),
        ('[tool."debt-lints"]\nselect = ["DL2"\n', True),
    ],
    ids=["another-tool", "mentions-us-elsewhere", "ours"],
)
def test_a_broken_file_is_an_error_only_when_it_may_be_ours(
    tmp_path: Path, text: str, ours: bool
) -> None:
    """As before the check: a broken file that names the table is a clear error, one
    that does not is another tool's (skipped, parsed or not)."""
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    if ours:
        with pytest.raises(ConfigError, match=r"pyproject\.toml: invalid TOML: "):
            find_config(tmp_path)
    else:
        assert find_config(tmp_path) is None
