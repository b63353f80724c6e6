"""The identity of a finding: what stays the same when the code around it moves.

A finding is known debt when a baseline entry has the same identity. The
identity is the root-relative path, the rule code, the qualified name of the
enclosing function or class (``Finding.scope``) and a short hash of the
offending code's *normalised tokens*. It never contains a line number or a
message: inserting lines above a finding, reformatting it, moving its
function within the file or rewording a message in a later release leave it
unchanged.
"""

from __future__ import annotations

import ast
import hashlib
import re
import warnings
from dataclasses import dataclass

from debt_lints.core.model import Finding

#: Length of the hex digest kept in the file (64 bits: collisions would also
#: need the same path, rule and scope to matter).
HASH_LENGTH = 16

#: Rules whose snippet is their message (the engine's "cannot parse" finding):
#: their identity ignores the snippet, since parser wording changes between
#: Python releases.
_MESSAGE_SNIPPET_CODES = frozenset({"DL001"})

# The stdlib tokenizer is not used on purpose: its output changed with PEP 701
# (Python 3.12 splits f-strings into parts) and it fails differently on a
# snippet cut inside a string, so the same code would hash differently on a
# developer's 3.12 and CI's 3.10. This lexer is small, total (it never fails)
# and the same on every Python version.
_STRING = (
    r"(?i:[rbuf]{0,2})(?:"
    r"'''(?:\\.|[^\\])*?(?:'''|\Z)"
    r'|"""(?:\\.|[^\\])*?(?:"""|\Z)'
    r"|'(?:\\.|[^\\'\n])*(?:'|\Z|(?=\n))"
    r'|"(?:\\.|[^\\"\n])*(?:"|\Z|(?=\n))'
    r")"
)
_TOKEN_RE = re.compile(
    r"(?P<space>\s+|\\\n)"
    r"|(?P<comment>#[^\n]*)"
    rf"|(?P<string>{_STRING})"
    r"|(?P<name>[^\W\d]\w*)"
    r"|(?P<number>\.?\d(?:\w|\.|(?<=[eE])[+-])*)"
    r"|(?P<op>\*\*=|//=|>>=|<<=|\.\.\.|->|:=|[=!<>+\-*/%&|^@]=|\*\*|//|<<|>>|\S)",
    re.DOTALL,
)
_CLOSERS = frozenset({")", "]", "}"})


@dataclass(frozen=True, order=True)
class Identity:
    """Line-independent identity of one finding (or one baseline entry)."""

    path: str
    code: str
    scope: str
    hash: str

    def fingerprint(self) -> str:
        """One opaque, stable string for the whole identity (SARIF ``partialFingerprints``)."""
        text = "\0".join((self.path, self.code, self.scope, self.hash))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def normalise(snippet: str, python: bool = True) -> str:
    """The snippet as a canonical token string, the same on every Python version.

    For Python: whitespace, line continuations and comments are dropped,
    string literals are replaced by the ``repr`` of their value (so quote
    style and prefixes do not matter; f-strings are kept as written), and a
    trailing comma before a closing bracket is dropped (formatters add and
    remove it when they split a call over lines). Other files: whitespace
    folded.
    """
    if not python:
        return " ".join(snippet.split())
    parts: list[str] = []
    for token in _TOKEN_RE.finditer(snippet):
        kind = token.lastgroup
        text = token.group()
        if kind in ("space", "comment"):
            continue
        if kind == "string":
            text = _string_value(text)
        elif text in _CLOSERS and parts and parts[-1] == ",":
            parts.pop()
        parts.append(text)
    return " ".join(parts)


def _string_value(text: str) -> str:
    prefix = text[: len(text) - len(text.lstrip("rRbBuUfF"))]
    if "f" in prefix.lower():
        return text
    with warnings.catch_warnings():
        # "\d" in a non-raw string: a SyntaxWarning on 3.12+, not our business.
        warnings.simplefilter("ignore")
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return text  # unterminated (a snippet cut short): as written
    return repr(value)


def snippet_hash(code: str, relpath: str, snippet: str) -> str:
    """The hash part of an identity."""
    if code in _MESSAGE_SNIPPET_CODES:
        snippet = ""
    python = relpath.endswith((".py", ".pyi"))
    digest = hashlib.sha256(normalise(snippet, python).encode("utf-8")).hexdigest()
    return digest[:HASH_LENGTH]


def identity_of(finding: Finding, relpath: str) -> Identity:
    """The identity of ``finding``, found in the file at root-relative ``relpath``.

    ``Finding.path`` is how the path is printed (relative to the current
    directory); the baseline needs the path relative to the project root,
    which the caller knows (``SourcePath.relpath``).
    """
    return Identity(
        path=relpath,
        code=finding.code,
        scope=finding.scope,
        hash=snippet_hash(finding.code, relpath, finding.snippet),
    )
