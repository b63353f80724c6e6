"""YAML files as a flat list of scalar values with positions.

Documents are *composed*, never constructed: tags such as
``!!python/object/apply`` are just labels here, so nothing in a YAML file can
run code. Uses libyaml's C parser when present.
"""

from __future__ import annotations

import yaml

from debt_lints.analysis.context import YamlScalar, split_lines
from debt_lints.core.source import SourceProblem

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


def scalars(text: str) -> list[YamlScalar] | SourceProblem:
    """Every scalar *value* (not mapping keys) of every document in ``text``."""
    out: list[YamlScalar] = []
    try:
        for document in yaml.compose_all(text, Loader=_Loader):
            if document is not None:
                # Documents come in file order: sorting each one alone keeps the
                # whole list sorted, and a stream of many documents linear.
                out.extend(_collect(document))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        column = mark.column + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "invalid YAML"
        return SourceProblem(f"cannot parse YAML: {problem}", line, column)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, BEL ...)
        line, column = _position(text, exc.position)
        reason = str(exc).split("\n", 1)[0]
        return SourceProblem(f"cannot parse YAML: {reason}", line, column)
    except yaml.YAMLError as exc:
        return SourceProblem(f"cannot parse YAML: {exc}")
    except RecursionError:
        return SourceProblem("cannot parse YAML: nested too deeply")
    return out


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a reader error's offset into ``text``."""
    if _Loader is not yaml.SafeLoader:
        # libyaml counts bytes of the UTF-8 encoding; the pure-Python reader, characters.
        offset = len(text.encode("utf-8")[:offset].decode("utf-8", errors="ignore"))
    lines = split_lines(text[:offset], yaml=True)
    if lines and not lines[-1].endswith(("\n", "\r", "\x85", "\u2028", "\u2029")):
        return len(lines), len(lines[-1]) + 1
    return len(lines) + 1, 1


def _collect(root: yaml.Node) -> list[YamlScalar]:
    """The scalars of one document, in position order."""
    out: list[YamlScalar] = []
    # Iterative, so a deeply nested document cannot exhaust the stack; aliases
    # are visited once (an anchor reused a million times is not re-walked).
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str, str]] = [(root, "", "")]
    while stack:
        node, key, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            out.append(
                YamlScalar(
                    value=str(node.value),
                    key=key,
                    key_path=path,
                    tag=str(node.tag),
                    plain=node.style is None,
                    line=node.start_mark.line + 1,
                    column=node.start_mark.column + 1,
                    end_line=node.end_mark.line + 1,
                    end_column=node.end_mark.column + 1,
                )
            )
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in reversed(node.value):
                name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
                stack.append((value_node, name, f"{path}.{name}" if path else name))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in reversed(list(enumerate(node.value))):
                stack.append((item, key, f"{path}[{index}]"))
    out.sort(key=lambda s: (s.line, s.column))
    return out
