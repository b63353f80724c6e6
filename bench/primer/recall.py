"""Recall: a grep-like candidate scan per rule, minus what the rule reported.

A candidate is a line that looks like what a rule is about (a ``.bind(`` to
every interface, a loopback literal, a ``.socket(`` call...). The candidates
near which the rule reported nothing are what ``review --recall`` samples:
each is judged a ``miss`` or ``silent`` (rightly silent). The patterns are
data about the code the rules look for, deliberately cruder than the rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bench.primer.findings import CONFIG_NAME, Record

if TYPE_CHECKING:
    from debt_lints.config import Config

#: A finding this many lines from a candidate covers it (a call split over lines).
NEARBY = 3
MAX_TEXT = 200

#: A key-like name as DL401 reads one, crudely: SECRET in it, or a qualified KEY or TOKEN.
_SECRET_NAME = (
    r"\w*(secret|(private|public|server|curve|zmq|api|access|auth|jwt|signing|session"
    r"|bearer|refresh|csrf|oauth|bot)_?(key|token))\w*"
)
#: A non-empty string or bytes literal starts.
_LITERAL = r"""[rbu]{0,2}['"][^'"\s]"""

#: Rules that do not look at test files (`test-files`), whose candidates there are no misses.
_SKIP_IN_TESTS = ("DL401",)

#: Rule -> the pattern of a candidate line. Data about code, not addresses used.
PATTERNS: dict[str, re.Pattern[str]] = {
    "DL201": re.compile(
        r"sys\.path(\.(insert|append|extend)\b|\s*\+?=[^=]|\[[^\]]*\]\s*=[^=])"
        r"|\bPYTHONPATH\b.*=|environ\[.PYTHONPATH"
    ),
    "DL202": re.compile(
        r"""[rRbBuU]?['"](/(home|opt|mnt|media|Users|root|srv|data|workspace|app|models)/"""
        r"""|[A-Za-z]:(\\\\|/))"""
    ),
    "DL301": re.compile(r"""['"/@](localhost|127\.0\.0\.1|::1)\b"""),
    "DL302": re.compile(
        r"""(\.bind\(|listen\w*\(|\bbind_to_random_port\(|\bbind_addr).*"""
        r"""(['"]\*|0\.0\.0\.0|\(\s*['"]{2}\s*,|\(\s*\(\s*['"]{2}|['"]::['"]|host\s*=\s*['"]{2})"""
    ),
    "DL401": re.compile(
        # CURVE keys, then DL401's application secrets: a name with SECRET in it, or a KEY
        # or TOKEN with a qualifier (API_KEY, ACCESS_TOKEN; PASSWORD is bandit's), bound
        # to a non-empty literal (an assignment, a field, a keyword argument, a default, a
        # dictionary entry or subscript), or an environment lookup with a literal fallback.
        r"curve_(secret|public|server)key"
        rf"|\b{_SECRET_NAME}\s*(:[^=]*)?=\s*{_LITERAL}"
        rf"""|['"]{_SECRET_NAME}['"]\]?\s*[:=]\s*{_LITERAL}"""
        rf"""|\w*env\w*(\.\w+)?\(\s*['"]\w*(secret|key|token)\w*['"]\s*,\s*{_LITERAL}""",
        re.I,
    ),
    "DL501": re.compile(r"\.socket\("),
    "DL502": re.compile(r"\b\w*(FileHandler|SocketHandler|SysLogHandler)\("),
}


@dataclass(frozen=True, order=True)
class Candidate:
    project: str
    code: str
    path: str
    line: int
    hash: str
    text: str


def _hash(code: str, path: str, text: str) -> str:
    from debt_lints.baseline.identity import snippet_hash

    return snippet_hash(code, path, text)


def _patterns(config: Config) -> dict[str, re.Pattern[str]]:
    """The fixed patterns, plus the project's deprecated modules and old env var names."""
    out = dict(PATTERNS)
    str_map = config.settings.str_map
    modules = list(str_map("deprecated-imports"))
    if modules:
        alternatives = "|".join(re.escape(m) for m in sorted(modules, key=len, reverse=True))
        out["DL101"] = re.compile(
            rf"\b(import|from)\s+({alternatives})\b|['\"]({alternatives})['\"]"
        )
    names = list(str_map("renamed-env-vars"))
    if names:
        alternatives = "|".join(re.escape(n) for n in sorted(names))
        out["DL103"] = re.compile(rf"['\"]({alternatives})['\"]")
    return out


def scan(
    project: str,
    root: Path,
    config_file: Path | None,
    records: Sequence[Record],
    paths: Sequence[str] = (".",),
) -> tuple[list[Candidate], dict[str, int]]:
    """Candidates the rules did not report, and per rule how many candidates there were."""
    from debt_lints.analysis.context import TEST_FILES, option_globs, path_matches
    from debt_lints.config import load_config
    from debt_lints.engine.registry import matches, selected

    placed = root / CONFIG_NAME if config_file is not None else None
    config = load_config(root, explicit=placed, cwd=root)
    # The primer checks with ``--extend-select DL6`` (findings.COMMON): the opt-in rules run.
    select = [*(config.select if config.select is not None else ["DL"]), "DL6"]
    enabled = {rule.code for rule in selected(select, config.ignore)}
    patterns = {c: p for c, p in _patterns(config).items() if c in enabled}
    reported: dict[tuple[str, str], list[int]] = {}
    for record in records:
        reported.setdefault((record.path, record.code), []).append(record.line)
    counts = dict.fromkeys(patterns, 0)
    missed: list[Candidate] = []
    if "DL602" in enabled:
        modules = _module_candidates(root, list(_python_files(root, paths, config)), config)
        counts["DL602"] = len(modules)
        for relpath, stem in modules:
            if (relpath, "DL602") in reported:
                continue
            text = f"module {stem}: no other Python file names it"
            missed.append(
                Candidate(project, "DL602", relpath, 1, _hash("DL602", relpath, text), text)
            )
    #: DL401 leaves the test files out (`test-files`): their keys are fakes for mocks.
    tests = option_globs(config.settings, TEST_FILES)
    for path in _python_files(root, paths, config):
        relpath = path.relative_to(root).as_posix()
        ignored = config.ignored_codes_for(relpath)
        if path_matches(relpath, tests):
            ignored = (*ignored, *_SKIP_IN_TESTS)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            for code, pattern in patterns.items():
                if (ignored and matches(code, ignored)) or not pattern.search(line):
                    continue
                counts[code] += 1
                near = reported.get((relpath, code), [])
                if any(abs(n - number) <= NEARBY for n in near):
                    continue
                missed.append(
                    Candidate(
                        project,
                        code,
                        relpath,
                        number,
                        _hash(code, relpath, stripped),
                        stripped[:MAX_TEXT],
                    )
                )
    return sorted(missed), counts


#: Files that run without being imported by their nature (never DL602 candidates).
_STARTED = re.compile(r"(^|/)(__init__|__main__|conftest|setup|test_\w*|\w*_test)\.py$")
_WORDS = re.compile(r"[A-Za-z_]\w*")


def _module_candidates(root: Path, files: list[Path], config: Config) -> list[tuple[str, str]]:
    """``(path, stem)`` of modules whose file name no other Python file mentions as a word
    (cruder than DL602: no import resolution, entry points, strings or configuration)."""
    from debt_lints.engine.registry import matches

    mentions: dict[str, int] = {}
    own: dict[str, set[str]] = {}
    for path in files:
        try:
            words = set(_WORDS.findall(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            continue
        relpath = path.relative_to(root).as_posix()
        own[relpath] = words
        for word in words:
            mentions[word] = mentions.get(word, 0) + 1
    out: list[tuple[str, str]] = []
    for relpath, words in sorted(own.items()):
        ignored = config.ignored_codes_for(relpath)
        if _STARTED.search(relpath) or (ignored and matches("DL602", ignored)):
            continue
        stem = relpath.rpartition("/")[2][:-3]
        if not stem.isidentifier():
            continue
        if mentions.get(stem, 0) - (1 if stem in words else 0) == 0:
            out.append((relpath, stem))
    return out


def _python_files(root: Path, paths: Sequence[str], config: Config) -> Iterable[Path]:
    """The Python files the run checks: under ``paths``, minus the configured excludes."""
    for base in (root / p for p in paths):
        for path in sorted(base.rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if path.is_file() and not path.is_symlink() and not config.is_excluded_anywhere(rel):
                yield path


def to_dict(candidate: Candidate) -> dict[str, object]:
    return asdict(candidate)
