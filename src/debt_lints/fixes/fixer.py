"""Fixing one file's text: apply the fixes together, re-check, repeat to a fixed point.

Every round applies the chosen fixes that do not overlap, then checks the new
text. A round is kept only when the result still parses and compiles (when
the original did) and creates no new finding; otherwise each fix of the
round is tried alone and the ones that fail are dropped, so that one bad
fix never costs the good ones nor leaves the file half-fixed.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from debt_lints.core.model import Finding
from debt_lints.fixes.edits import apply_spans, choose
from debt_lints.fixes.policy import FixPolicy

#: Rounds of fix-and-re-check per file (ruff stops at 100; ours converge in one or two).
MAX_ROUNDS = 4

#: Checks a text of the file; returns its findings (fixes resolved).
Checker = Callable[[str], list[Finding]]


@dataclass
class Dropped:
    """A fix that was not applied, and why."""

    finding: Finding
    reason: str
    #: ``True`` when the fix would have broken the code: a bug in debt-lints.
    broke: bool = False


@dataclass
class FileFix:
    """The outcome of fixing one file."""

    path: str
    original: str
    text: str
    #: Findings of ``text`` (after the fixes).
    findings: list[Finding] = field(default_factory=list)
    #: Findings whose fixes were applied.
    fixed: list[Finding] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.original


def _compiles(text: str, path: str, encoding: str = "utf-8") -> str | None:
    """``None`` when ``text`` compiles, else the compiler's complaint.

    What is compiled is the bytes that would be written (``text`` in the
    file's ``encoding``, its coding cookie honoured by the compiler), not the
    string: a fix that the file's encoding cannot hold, or that contradicts
    its cookie, is refused.
    """
    problem = _unencodable(text, encoding)
    if problem is not None:
        return problem
    data = text.encode(encoding)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(data, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    except (RecursionError, MemoryError):
        return "too deeply nested to compile"
    return None


def _unencodable(text: str, encoding: str) -> str | None:
    """``None`` when ``text`` can be written in ``encoding``, else why not."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end]
        return f"{bad!r} cannot be written in the file's encoding, {encoding}"
    except LookupError:
        return f"unknown encoding {encoding!r}"
    return None


def _parses(text: str) -> str | None:
    import ast

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


class _Original:
    """Whether the file's original text compiles, found out once and only if asked."""

    def __init__(self, text: str, path: str, encoding: str = "utf-8") -> None:
        self.text, self.path, self.encoding = text, path, encoding
        self._compiles: bool | None = None

    def compiles(self) -> bool:
        if self._compiles is None:
            self._compiles = _compiles(self.text, self.path, self.encoding) is None
        return self._compiles


def _key(finding: Finding) -> tuple[str, str]:
    return finding.code, finding.scope


def _identity(finding: Finding) -> tuple[str, str, str, str]:
    return finding.code, finding.scope, finding.snippet, finding.message


def fix_text(
    text: str,
    path: str,
    check: Checker,
    policy: FixPolicy,
    *,
    max_rounds: int = MAX_ROUNDS,
    findings: list[Finding] | None = None,
    encoding: str = "utf-8",
) -> FileFix:
    """Apply every fix ``policy`` allows to ``text`` (see the module docstring).

    ``findings`` are ``check(text)`` when the caller has them already;
    ``encoding`` is the one the file is written in (its coding cookie's).
    """
    out = FileFix(path, text, text)
    # Whether the original compiles is asked only when a fixed text does not:
    # compiling is most of what verifying a fix costs.
    must_compile = _Original(text, path, encoding)
    current = check(text) if findings is None else findings
    refused: set[tuple[str, str, str, str]] = set()
    for _ in range(max_rounds):
        candidates = [f for f in current if policy.applies(f) and _identity(f) not in refused]
        chosen = choose(out.text, candidates)
        if not chosen:
            break
        attempt = _attempt(
            out.text, current, chosen, path=path, check=check, must_compile=must_compile
        )
        if isinstance(attempt, Dropped):
            good = []
            for one in chosen:
                alone = _attempt(
                    out.text, current, [one], path=path, check=check, must_compile=must_compile
                )
                if isinstance(alone, Dropped):
                    alone.finding = one[0]
                    out.dropped.append(alone)
                    refused.add(_identity(one[0]))
                else:
                    good.append(one)
            if not good:
                break
            attempt = _attempt(
                out.text, current, good, path=path, check=check, must_compile=must_compile
            )
            if isinstance(attempt, Dropped):
                # Each is fine alone but not together: keep the first only.
                good = good[:1]
                attempt = _attempt(
                    out.text, current, good, path=path, check=check, must_compile=must_compile
                )
                if isinstance(attempt, Dropped):  # pragma: no cover - checked alone above
                    break
            chosen = good
        out.text, current = attempt
        out.fixed.extend(finding for finding, _ in chosen)
    out.findings = current
    return out


def _attempt(
    text: str,
    before: Sequence[Finding],
    chosen: Sequence[tuple[Finding, list[tuple[int, int, str]]]],
    *,
    path: str,
    check: Checker,
    must_compile: _Original,
) -> tuple[str, list[Finding]] | Dropped:
    first = chosen[0][0]
    new = apply_spans(text, [span for _, spans in chosen for span in spans])
    if new == text:
        return Dropped(first, "the fix changes nothing")
    unwritable = _unencodable(new, must_compile.encoding)
    if unwritable is not None:
        return Dropped(first, unwritable)  # the file's encoding, not a bug in the fix
    problem = _compiles(new, path, must_compile.encoding)
    if problem is not None and not must_compile.compiles():
        problem = _parses(new)  # it did not compile before either: it must still parse
    if problem is not None:
        return Dropped(first, f"the fixed code does not compile ({problem})", broke=True)
    after = check(new)
    expected = Counter(_key(f) for f in before)
    expected.subtract(_key(f) for f, _ in chosen)
    for finding in after:
        expected[_key(finding)] -= 1
        if expected[_key(finding)] < 0:
            return Dropped(first, f"the fix creates a finding: {finding.code} {finding.message}")
    return new, after
