"""Compatibility shims: the module left in place of an old copy while imports migrate.

For each entry of ``deprecated-imports`` whose replacement is a project
module, :func:`plan` writes the shim the audit asks for: it re-exports the
replacement by explicit names (its literal ``__all__``, else its public
top-level definitions; ``*`` only when neither can be listed), and emits one
``DeprecationWarning`` naming the replacement when it is first imported. A
shim replaces the old copy only when every public name of the old copy is
provided by the replacement; otherwise the plan says which names are missing.

:func:`shim_test_module` writes a pytest module that imports each shim and its
replacement and checks that every name is the same object, and that the
warning is emitted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from debt_lints.config import Config
    from debt_lints.index import Project

DEPRECATED_IMPORTS = "deprecated-imports"


@dataclass
class Shim:
    """The shim of one deprecated module."""

    old: str
    new: str
    #: The old copy's file, relative to the root (``None``: no such file).
    relpath: str | None
    #: Names the shim re-exports (empty: a star re-export).
    names: tuple[str, ...] = ()
    #: Public names of the old copy that the replacement lacks.
    missing: tuple[str, ...] = ()
    text: str = ""
    #: Why no shim can be written (the replacement is not a project module ...).
    problem: str = ""
    #: The old file is already this shim.
    current: bool = False
    #: Names the replacement's ``__all__`` lists that the shim leaves out: not
    #: identifiers, or not provided by the replacement (a stale entry).
    dropped: tuple[str, ...] = ()

    @property
    def writable(self) -> bool:
        return not self.problem and not self.missing and self.relpath is not None

    @property
    def generated(self) -> bool:
        """A shim text exists (it may still not replace the old copy: see ``missing``)."""
        return bool(self.text)


@dataclass
class Plan:
    shims: list[Shim] = field(default_factory=list)


def plan(config: Config, project: Project | None = None) -> Plan:
    """The shim of every deprecated module of ``config``'s map (see the module docstring)."""
    from debt_lints.index import project_for

    project = project or project_for(config)
    out = Plan()
    table = config.settings.str_map(DEPRECATED_IMPORTS)
    for raw_old, raw_new in sorted(table.items()):
        old, new = raw_old.strip(), raw_new.strip()
        if old and new and old != new:
            out.shims.append(_shim(old, new, project))
    return out


def _public(project: Project, module: str) -> tuple[str, ...] | None:
    listed = project.dunder_all(module)
    if listed is not None:
        return tuple(dict.fromkeys(listed))
    facts = project.module_facts(module)
    if facts is None or facts.unparsable:
        return None
    return tuple(sorted({n for n in facts.definitions if not n.startswith("_")}))


def _shim(old: str, new: str, project: Project) -> Shim:
    from debt_lints.analysis.repograph import dead_part

    relpath = project.file_of(old)
    shim = Shim(old, new, relpath)
    new_relpath = project.file_of(new)
    if new_relpath is None:
        shim.problem = f"{new} is not a module of this project"
        return shim
    dead = dead_part(new_relpath)
    if dead is not None and (relpath is None or dead_part(relpath) is None):
        shim.problem = (
            f"{new} is a dead copy (in {dead}): a live module is never made a shim of it;"
            " map the old module to a live copy"
        )
        return shim
    listed = _public(project, new)
    if listed is None:
        shim.problem = f"{new} cannot be read"
        return shim
    # Only names ``from new import name`` is known to bind: a stale or
    # malformed ``__all__`` entry would make the shim fail to import or compile.
    names = tuple(n for n in listed if _is_name(n) and project.provides(new, n) is True)
    shim.dropped = tuple(n for n in listed if n not in names)
    if shim.dropped and not names:
        shim.problem = f"{new} provides none of the names its __all__ lists"
        return shim
    shim.names = names
    shim.text = render(old, new, names)
    try:
        compile(shim.text, relpath or old, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        reason = exc.msg if isinstance(exc, SyntaxError) else str(exc)
        shim.problem = f"the generated shim does not compile ({reason})"
        return shim
    if relpath is None:
        shim.problem = f"{old} has no file to replace"
        return shim
    old_names = _public(project, old) or ()
    provided = set(names)
    shim.missing = tuple(
        n for n in old_names if n not in provided and project.provides(new, n) is not True
    )
    return shim


def _is_name(name: str) -> bool:
    import keyword

    return name.isidentifier() and not keyword.iskeyword(name)


def render(old: str, new: str, names: Sequence[str]) -> str:
    """The shim module's source."""
    message = f"{old} is deprecated; import {new} instead"
    lines = [
        f'"""Compatibility shim: ``{old}`` moved to ``{new}``.',
        "",
        "Generated by ``debt-lints shims``. Delete it when nothing imports it any",
        "more (``debt-lints check --select DL101`` lists what still does).",
        '"""',
        "",
        "import warnings",
        "",
    ]
    if names:
        lines.append(f"from {new} import (")
        lines.extend(f"    {name}," for name in names)
        lines.append(")")
        lines.append("")
        lines.append("__all__ = [")
        lines.extend(f'    "{name}",' for name in names)
        lines.append("]")
    else:
        lines.append(f"from {new} import *  # noqa: F403  # it has no public names to list")
    lines += [
        "",
        "# Once, when the module is first imported (later imports reuse it).",
        "warnings.warn(",
        f'    "{message}",',
        "    DeprecationWarning,",
        "    stacklevel=2,",
        ")",
    ]
    return "\n".join(lines) + "\n"


def shim_test_module(shims: Sequence[Shim]) -> str:
    """A pytest module proving each shim imports the same objects as its replacement."""
    cases = ",\n".join(f"    ({s.old!r}, {s.new!r}, {list(s.names)!r})" for s in shims)
    return f'''"""Each shim re-exports its replacement (generated by ``debt-lints shims``)."""

import importlib
import sys
import warnings

import pytest

SHIMS = [
{cases},
]
PROJECT = {{name.partition(".")[0] for case in SHIMS for name in case[:2]}}


def _import(name):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.partition(".")[0] not in PROJECT:
            pytest.skip(f"{{name}} needs {{exc.name}}, which is not installed")
        raise


@pytest.mark.parametrize(("old", "new", "names"), SHIMS)
def test_shim_reexports_its_replacement(old, new, names):
    sys.modules.pop(old, None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        shim = _import(old)
    replacement = _import(new)
    for name in names:
        assert getattr(shim, name) is getattr(replacement, name), name
    assert [w for w in caught if w.category is DeprecationWarning and new in str(w.message)]
'''
