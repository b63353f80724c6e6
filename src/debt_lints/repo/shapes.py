"""The normalised form of each top-level definition, extracted in the engine's walk.

A copied function whose names, strings, docstrings, comments or layout were
changed still has the same *shape*: its source with every string literal
replaced by ``S``, every identifier that is not a keyword by ``N``,
comments and lone string statements (docstrings) dropped, trailing commas
before a closing bracket dropped and white space folded. The shape is hashed
(BLAKE2b, 64 bits). The work is a few regular expressions over the
definition's lines, in C: no second walk over the tree.
"""

from __future__ import annotations

import ast
import hashlib
import keyword
import re

from debt_lints.analysis.context import FileContext
from debt_lints.analysis.repograph import Definition
from debt_lints.core.settings import Settings
from debt_lints.engine.walk import Collector

SHAPES_KEY = "shapes"
REFERENCES_KEY = "refs"
#: A dotted name written as a whole string literal: ``"pkg.module"``, ``"pkg.mod:func"``.
_REFERENCE = re.compile(r"""["']([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?::[A-Za-z_]\w*)?["']""")
#: Bumped when the normalisation changes (cached shapes of another version are ignored).
SHAPES_VERSION = 2

_STRING = re.compile(
    r"(?i:[rbuf]{0,2})(?:'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\""
    r"|'(?:\\.|[^\\'\n])*'|\"(?:\\.|[^\\\"\n])*\")",
    re.DOTALL,
)
_COMMENT = re.compile(r"#[^\n]*")
_LONE_STRING = re.compile(r"(?m)^[ \t]*S[ \t]*$")
_KEYWORDS = "|".join(sorted(keyword.kwlist, key=len, reverse=True))
_IDENTIFIER = re.compile(rf"\b(?!(?:{_KEYWORDS})\b)[^\W\d]\w*")
_TRAILING_COMMA = re.compile(r",(\s*[)\]}])")
_SPACE = re.compile(r"\s+")


def shape_of(source: str) -> str:
    """The shape digest of one definition's source."""
    return _normalised(source)[0]


def _normalised(source: str) -> tuple[str, int]:
    """The shape digest and the length of the normalised form."""
    text = _STRING.sub("S", source)
    text = _COMMENT.sub("", text)
    text = _LONE_STRING.sub("", text)
    text = _IDENTIFIER.sub("N", text)
    text = _TRAILING_COMMA.sub(r"\1", text)
    text = _SPACE.sub(" ", text).strip()
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    return digest, len(text)


def definitions_of(tree: ast.Module, lines: list[str]) -> list[Definition]:
    """The module's top-level ``def``/``class`` statements with their shapes."""
    out: list[Definition] = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            kind = "class"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            kind = "def"
        else:
            continue
        end = node.end_lineno or node.lineno
        source = "".join(lines[node.lineno - 1 : end])
        shape, size = _normalised(source)
        out.append(Definition(node.name, kind, shape, end - node.lineno + 1, size))
    return out


class ShapesCollector(Collector):
    """Rides the walk; at the end of a file, returns its definitions' shapes (JSON)."""

    code = "shapes"
    name = "definition-shapes"
    key = SHAPES_KEY

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__(settings or Settings())

    def finish(self, tree: ast.AST, ctx: FileContext) -> object:
        if not isinstance(tree, ast.Module):
            return None
        return to_json(definitions_of(tree, ctx.lines), len(ctx.lines))


def references_in(text: str) -> list[str]:
    """Dotted names written as string literals (plugin registries, lazy imports), sorted."""
    return sorted(set(_REFERENCE.findall(text)))


class ReferencesCollector(Collector):
    """Rides the walk; returns the dotted names the file's string literals spell.

    A module named in a string (``COMMANDS = ("app.cli.check", ...)``,
    ``INSTALLED_APPS``, ``include=["app.tasks"]``) is probably imported by
    name at run time: DL602 does not call it unused. A regular expression
    over the text, in C: no visit of every constant.
    """

    code = "references"
    name = "module-references"
    key = REFERENCES_KEY

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__(settings or Settings())

    def finish(self, tree: ast.AST, ctx: FileContext) -> object:
        return references_in(ctx.text)


def to_json(definitions: list[Definition], lines: int) -> list[object]:
    rows = [[d.name, d.kind, d.shape, d.lines, d.size] for d in definitions]
    return [SHAPES_VERSION, lines, rows]


def from_json(raw: object) -> tuple[int, tuple[Definition, ...]] | None:
    """``(lines, definitions)`` from :func:`to_json`'s output; ``None`` if malformed."""
    if not (isinstance(raw, list) and len(raw) == 3 and raw[0] == SHAPES_VERSION):
        return None
    _, lines, items = raw
    if type(lines) is not int or not isinstance(items, list):
        return None
    out: list[Definition] = []
    for item in items:
        if not (
            isinstance(item, list)
            and len(item) == 5
            and isinstance(item[0], str)
            and item[1] in ("def", "class")
            and isinstance(item[2], str)
            and type(item[3]) is int
            and type(item[4]) is int
        ):
            return None
        out.append(Definition(item[0], item[1], item[2], item[3], item[4]))
    return lines, tuple(out)
