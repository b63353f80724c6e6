"""Every ``debt-lints`` command the documentation shows parses, and runs (issue 26).

The README and ``docs/`` show commands in code blocks and inline; an option
renamed or removed left them wrong without a test noticing. As ruff and
pylint check their documentation's snippets, this module collects every
command and:

- parses each with the real parser (fast): no unknown option, no bad choice;
- runs each command of a shell code block on a copy of the demo (slow: some
  run mypy), which must not end in a usage error (exit 2);
- checks that the README's Usage block lists every option of ``check --help``
  and every sub-command.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from debt_lints.adapters.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "legacy-monorepo"
DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]
SHELL_LANGUAGES = {"sh", "shell", "bash", "console"}

_FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```", re.S | re.M)
_INLINE = re.compile(r"`(debt-lints [^`\n]+)`")
_SUBSTITUTION = re.compile(r'"?\$\([^()]*\)"?')
_OPERATOR = re.compile(r"\s(?:&&|\|\||\||>|<|;)\s")


@dataclass(frozen=True)
class DocCommand:
    """One ``debt-lints`` command shown in a documentation file."""

    where: str  # "docs/x.md:12"
    words: tuple[str, ...]  # after "debt-lints"
    #: From a shell code block: shown to be run as written.
    runnable: bool
    #: Inline in prose (`` `debt-lints check --ci` ``): often a fragment.
    inline: bool = False

    def __str__(self) -> str:
        return f"{self.where}: debt-lints {shlex.join(self.words)}"


def _subcommands() -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


def _synopsis(text: str) -> str:
    """A usage synopsis as a command: every optional ``[...]`` part given (``[PATH
    ...]`` once), the first of ``a|b`` alternatives, the first of ``--a / --b``."""
    text = re.sub(r"\s\.\.\.(?=\])", "", text).replace("[", " ").replace("]", " ")
    text = re.sub(r"(?<=\S)(?:\|[^\s|]+)+", "", text)
    return re.sub(r"\s/\s--\S+", "", text)


def _commands_in(
    text: str, where: str, runnable: bool, names: set[str], inline: bool = False
) -> list[DocCommand]:
    out = []
    # A command substitution ("$(git merge-base origin/main HEAD)") is one word.
    text = _SUBSTITUTION.sub(" SUBSTITUTION ", text)
    for segment in _OPERATOR.split(_synopsis(text)):
        try:
            words = shlex.split(segment, comments=True)
        except ValueError:
            continue
        if len(words) < 2 or words[0] != "debt-lints":
            continue
        if words[1] not in names and not words[1].startswith("--"):
            continue  # prose such as "debt-lints = {...}"
        out.append(DocCommand(where, tuple(words[1:]), runnable, inline))
    return out


def _block_lines(language: str, body: str) -> list[tuple[int, str]]:
    """The command lines of a code block (offset in the block, text), with
    backslash continuations joined; in a console block only ``$`` lines (and a
    synopsis's indented continuation lines) are commands, the rest is output."""
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    last_was_synopsis = False
    for offset, raw in enumerate(body.splitlines()):
        line = raw.strip()
        if pending is not None:
            start, text = pending
            text = f"{text} {line.removesuffix(chr(92)).strip()}"
            pending = (start, text) if line.endswith("\\") else None
            if pending is None:
                out.append((start, text))
            continue
        if language == "console":
            if line.startswith("$ "):
                line = line[2:]
            elif last_was_synopsis and raw[:1].isspace() and line.startswith("["):
                start, text = out[-1]
                out[-1] = (start, f"{text} {line}")
                continue
            else:
                last_was_synopsis = False
                continue
            last_was_synopsis = "[" in line
        if line.endswith("\\"):
            pending = (offset, line.removesuffix("\\").strip())
        else:
            out.append((offset, line))
    return out


def documented_commands() -> list[DocCommand]:
    names = _subcommands()
    found: list[DocCommand] = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT).as_posix()
        blocks = []
        for match in _FENCE.finditer(text):
            first = text.count("\n", 0, match.start(2)) + 1
            language = match.group(1).lower()
            blocks.append((match.start(), match.end()))
            for offset, line in _block_lines(language, match.group(2)):
                found += _commands_in(
                    line, f"{rel}:{first + offset}", language in SHELL_LANGUAGES, names
                )
        for match in _INLINE.finditer(text):
            if any(start <= match.start() < end for start, end in blocks):
                continue
            line = text.count("\n", 0, match.start()) + 1
            found += _commands_in(match.group(1), f"{rel}:{line}", False, names, inline=True)
    return found


COMMANDS = documented_commands()


def test_the_documentation_shows_commands() -> None:
    """The collector finds what it is meant to find (else the tests below check nothing)."""
    shown = {str(c).split(": ", 1)[1] for c in COMMANDS}
    assert "debt-lints check examples/legacy-monorepo" in shown  # README, after "&&"
    assert "debt-lints report --format markdown --base SUBSTITUTION" in shown  # a yaml block
    assert "debt-lints check --changed-since origin/main" in shown  # a console block
    assert "debt-lints check --format github" in shown  # inline, first alternative
    assert sum(c.runnable for c in COMMANDS) >= 10
    assert len(COMMANDS) >= 60


def _parse(words: tuple[str, ...]) -> str | None:
    """What the real parser says about ``words``: ``None`` when they parse."""
    parser = build_parser()
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            _, unknown = parser.parse_known_args(list(words))
    except SystemExit as exc:
        return None if exc.code == 0 else err.getvalue().strip() or f"exit {exc.code}"
    return f"unrecognized arguments: {' '.join(unknown)}" if unknown else None


@pytest.mark.parametrize("command", [c for c in COMMANDS if not c.inline], ids=str)
def test_every_documented_command_parses(command: DocCommand) -> None:
    words = tuple(_runnable(command.words))
    assert _parse(words) is None, f"{command}: {_parse(words)}"


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.inline], ids=str)
def test_every_option_named_inline_exists(command: DocCommand) -> None:
    """Prose names a command and an option (`debt-lints check --config`), not
    always a whole command line: each option must be one of that command's."""
    parser = _command_parser(command.words)
    known = _visible_options(parser) | {"--version"}
    named = {w.split("=", 1)[0] for w in command.words if w.startswith("--")}
    assert not named - known, f"{command}: no such option {sorted(named - known)}"


def _command_parser(words: tuple[str, ...]) -> argparse.ArgumentParser:
    parser = build_parser()
    for word in words:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs or word not in subs[0].choices:
            break
        parser = subs[0].choices[word]
    return parser


def test_a_removed_option_in_the_docs_would_fail() -> None:
    assert _parse(("check", "--no-such-option")) == "unrecognized arguments: --no-such-option"
    assert _parse(("report", "--format", "pdf"))
    assert _parse(("check", "--fix", "--no-unsafe-fixes", ".")) is None


def _usage_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Usage\n", 1)[1].split("\n## ", 1)[0]
    match = _FENCE.search(section)
    assert match is not None
    return match.group(2)


def _visible_options(parser: argparse.ArgumentParser) -> set[str]:
    return {
        option
        for action in parser._actions
        if action.help != argparse.SUPPRESS
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }


def test_the_readme_usage_lists_every_check_option_and_command() -> None:
    block = _usage_block()
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    check = sub.choices["check"]
    mentioned = set(re.findall(r"--[a-z][a-z-]*", block))
    uncommented = "\n".join(line.split("#", 1)[0] for line in block.splitlines())
    # an alias (--format for --output-format) counts as its option
    missing = {
        action.option_strings[-1]
        for action in check._actions
        if action.help != argparse.SUPPRESS
        and action.option_strings
        and "--help" not in action.option_strings
        and not mentioned & set(action.option_strings)
    }
    assert not missing, f"the README's Usage block lacks {sorted(missing)}"
    unknown = set(re.findall(r"--[a-z][a-z-]*", uncommented)) - _all_options(parser)
    assert not unknown, f"the README's Usage block shows options no command has: {unknown}"
    listed = set(re.findall(r"^debt-lints ([a-z]+)", block, re.M))
    assert not set(sub.choices) - listed, f"not in the Usage block: {set(sub.choices) - listed}"


def _all_options(parser: argparse.ArgumentParser) -> set[str]:
    out = {"--version"}
    stack = [parser]
    while stack:
        current = stack.pop()
        out |= _visible_options(current)
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                stack.extend(action.choices.values())
    return out


# Placeholders in runnable commands, and what stands for them on the demo.
_PLACEHOLDERS = {"REF": "HEAD", "SUBSTITUTION": "HEAD", "PATH": ".", "N": "2"}


def _runnable(words: tuple[str, ...]) -> list[str]:
    out = []
    for index, word in enumerate(words):
        value = _PLACEHOLDERS.get(word, word)
        if word == "FILE":
            value = {"--config": "pyproject.toml", "--baseline": "debt-lints-baseline.json"}.get(
                words[index - 1], "out.txt"
            )
        out.append(value)
    return out


@pytest.fixture(scope="module")
def demo_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo as a git repository with a baseline and an ``origin/main``."""
    repo = tmp_path_factory.mktemp("doc-commands") / "demo"
    shutil.copytree(DEMO, repo, ignore=shutil.ignore_patterns(".debt-lints-cache"))
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for git in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "demo"],
    ):
        subprocess.run(["git", *git], cwd=repo, env=env, check=True)
    cli = [sys.executable, "-m", "debt_lints"]
    subprocess.run([*cli, "baseline", "create"], cwd=repo, check=True, capture_output=True)
    for git in (
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "baseline"],
        ["update-ref", "refs/remotes/origin/main", "HEAD"],
    ):
        subprocess.run(["git", *git], cwd=repo, env=env, check=True)
    return repo


RUNNABLE = [c for c in COMMANDS if c.runnable]


@pytest.mark.slow
@pytest.mark.parametrize("command", RUNNABLE, ids=str)
def test_every_documented_shell_command_runs_on_the_demo(
    command: DocCommand, demo_repo: Path, tmp_path: Path
) -> None:
    """Each on its own copy of the demo (a command may write to it)."""
    repo = tmp_path / "demo"
    shutil.copytree(demo_repo, repo, symlinks=True)
    words = _runnable(command.words)
    if words[:2] == ["baseline", "create"]:
        # The first step of adopting debt-lints: there is no baseline yet.
        (repo / "debt-lints-baseline.json").unlink()
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    out = subprocess.run(
        [sys.executable, "-m", "debt_lints", *words],
        cwd=repo,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert out.returncode != 2, f"{command}: exit 2\n{out.stderr}"
    assert "unrecognized arguments" not in out.stderr
