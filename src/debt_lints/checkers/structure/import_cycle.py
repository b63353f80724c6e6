from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from debt_lints.analysis.graphs import shortest_cycle, strongly_connected
from debt_lints.analysis.project_rule import ProjectRule
from debt_lints.analysis.repograph import Repository
from debt_lints.core.model import Finding, Severity


class ImportCycle(ProjectRule):
    """
    ## What it does
    Finds modules that import each other when they are imported: every
    strongly connected component of the repository's import-time import
    graph. One finding per cycle, on the first import statement of the
    component's first module (by dotted name) that imports another module of
    the component; the message lists the shortest cycle through that module
    (`common.config.loader -> common.config.registry -> common.config.loader`).

    Imports inside a function (deferred), under `if TYPE_CHECKING:` and only
    under `if __name__ == "__main__":` do not run at import time and are not
    edges. `from package import name` is an edge to the submodule
    `package.name` when there is one, and to `package` otherwise. Imports are
    resolved through the `import-roots`, as DL101 resolves them.

    ## Why is this debt
    A cycle works or fails depending on which module is imported first: the
    second module sees the first one half-initialised (`ImportError: cannot
    import name ... (most likely due to a circular import)`). Legacy code
    hides such cycles with `sys.path` injections and imports moved to odd
    places; the audit found three, such as `main_pc_code/utils/config_loader`
    and `utils/path_manager` importing each other.

    ## Example
    ```python
    # file: common/config/loader.py
    from common.config.registry import REGISTRY


    def load(name):
        return REGISTRY[name]


    # file: common/config/registry.py
    from common.config.loader import load

    REGISTRY = {}
    DEFAULT = lambda: load("default")
    ```

    ## Use instead
    ```python
    # file: common/config/loader.py
    from common.config.registry import REGISTRY


    def load(name):
        return REGISTRY[name]


    # file: common/config/registry.py
    REGISTRY = {}


    def default():
        from common.config.loader import load  # deferred: runs when called

        return load("default")
    ```

    ## Options
    Opt-in: enabled by selecting `DL6` or the code (`select = ["DL", "DL6"]`),
    not by `DL` or `ALL`.
    `import-roots` (shared with DL101) decides what an import resolves to.

    ## Known limits
    Importing `a.b.c` also runs `a/__init__.py` and `a/b/__init__.py`; those
    implicit imports of the parent packages are not edges (as in pylint's
    `cyclic-import`), so a cycle that only closes through a package's
    `__init__` is not reported. Imports through `sys.path` injections that
    the `import-roots` do not describe, and names built at run time
    (`importlib.import_module(name)`), are not resolved. An import under a
    condition counts, since it may run: the standard library's
    `if _false: import encodings` in `codecs.py` makes `codecs` and
    `encodings` a cycle here. A file that does not parse contributes no
    edges. The whole repository is needed: the flake8 and pylint plugins,
    which see one file at a time, do not report it.
    """

    code = "DL601"
    name = "import-cycle"
    summary = "modules import each other at import time"
    message = "import cycle; break it by moving one import into the function that needs it"
    severity = Severity.WARNING

    def check_project(self, repository: Repository) -> Iterable[Finding]:
        for cycle in self.cycles(repository):
            shown = " -> ".join(cycle.path)
            more = len(cycle.members) - (len(cycle.path) - 1)
            extra = f" (and {more} more module{'s' if more > 1 else ''})" if more > 0 else ""
            yield Finding(
                path=repository.modules[cycle.members[0]].relpath,
                line=cycle.line,
                column=cycle.column,
                code=self.code,
                name=self.name,
                message=f"import cycle {shown}{extra}; move one of these imports into "
                "the function that needs it, or the shared names into a module of their own",
                severity=self.severity,
                snippet="import cycle: " + ", ".join(cycle.members),
            )

    # --- the analysis, shared with `debt-lints map` ------------------------------------

    def cycles(self, repository: Repository) -> list[Cycle]:
        """Every import cycle (strongly connected component of two or more modules)."""
        graph = repository.import_time_successors()
        out: list[Cycle] = []
        for component in strongly_connected(graph):
            if len(component) < 2:
                continue
            members = set(component)
            first = component[0]
            edges = sorted(
                (e.line, e.column)
                for e in repository.edges
                if e.importer == first and e.at_import_time and e.imported in members
            )
            inside = {name: graph[name] & members for name in component}
            line, column = edges[0] if edges else (1, 1)
            out.append(Cycle(tuple(component), tuple(shortest_cycle(first, inside)), line, column))
        return out


@dataclass(frozen=True)
class Cycle:
    """Modules that import each other, and the shortest cycle through the first one."""

    members: tuple[str, ...]
    path: tuple[str, ...]
    #: The import statement in the first module that starts the cycle.
    line: int
    column: int
