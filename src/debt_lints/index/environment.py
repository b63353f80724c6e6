"""Whether a module is installed in the environment, found on disk, never imported.

A migration map may point at a module outside the project (the standard
library, an installed package). Whether it exists is answered as the import
system would find it, without running anything: built-in and frozen modules
by name, everything else by :class:`importlib.machinery.PathFinder` over
``sys.path`` (the interpreter debt-lints runs in; the project's own
directories are the project index's business). A dotted name is looked up
part by part in the packages' search locations, so no package's
``__init__`` runs.

Known limits: a module provided only by an import hook on ``sys.meta_path``
(some editable installs) or created at run time is not found.
"""

from __future__ import annotations

import functools
import importlib.machinery
import sys


@functools.lru_cache(maxsize=4096)
def installed(name: str) -> bool:
    """``True`` when ``import name`` would find a module outside the project."""
    parts = name.split(".")
    if not all(part.isidentifier() for part in parts):
        return False
    head = parts[0]
    if head in sys.builtin_module_names:
        return len(parts) == 1
    if importlib.machinery.FrozenImporter.find_spec(head) is not None and len(parts) == 1:
        return True
    path: list[str] | None = [entry for entry in sys.path if entry]
    for i in range(len(parts)):
        try:
            spec = importlib.machinery.PathFinder.find_spec(".".join(parts[: i + 1]), path)
        except (ImportError, OSError, ValueError):  # pragma: no cover - a broken path entry
            return False
        if spec is None:
            return False
        path = list(spec.submodule_search_locations or [])
        if i + 1 < len(parts) and not path:
            return False  # a plain module has no submodules
    return True
