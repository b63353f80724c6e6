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
import io
import token
import tokenize
from dataclasses import dataclass

from debt_lints.model import Finding

#: Length of the hex digest kept in the file (64 bits: collisions would also
#: need the same path, rule and scope to matter).
HASH_LENGTH = 16

#: Rules whose snippet is their message (the engine's "cannot parse" finding):
#: their identity ignores the snippet, since parser wording changes between
#: Python releases.
_MESSAGE_SNIPPET_CODES = frozenset({"DL001"})

_SKIPPED = frozenset(
    {
        token.COMMENT,
        token.NL,
        token.NEWLINE,
        token.INDENT,
        token.DEDENT,
        token.ENDMARKER,
        token.ENCODING,
    }
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
    """The snippet as a canonical token string.

    For Python: comments and layout tokens are dropped, string literals are
    replaced by the ``repr`` of their value (so quote style and prefixes do
    not matter), and a trailing comma before a closing bracket is dropped
    (formatters add and remove it when they split a call over lines). Code
    that does not tokenize (a snippet cut short) falls back to whitespace
    folding, which is deterministic too.
    """
    folded = " ".join(snippet.split())
    if not python:
        return folded
    parts: list[str] = []
    try:
        # Tokenize the text as given: a comment ends at its newline. (The
        # engine's snippets are already folded to one line, so a comment inside
        # a multi-line node runs to the snippet's end; see docs/baseline.md.)
        for tok in tokenize.generate_tokens(io.StringIO(snippet.strip()).readline):
            if tok.type in _SKIPPED:
                continue
            text = tok.string
            if tok.type == token.STRING:
                text = _string_value(text)
            elif text in _CLOSERS and parts and parts[-1] == ",":
                parts.pop()
            parts.append(text)
    except (tokenize.TokenError, SyntaxError):
        # An unbalanced bracket at the end (a snippet capped in the middle of
        # a call) still tokenized everything before it; anything else: fold.
        if not parts:
            return folded
    return " ".join(parts)


def _string_value(text: str) -> str:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text
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
