from __future__ import annotations

import fnmatch
from collections.abc import Iterable

from debt_lints.analysis.context import private_part
from debt_lints.analysis.project_rule import ProjectRule
from debt_lints.analysis.repograph import Module, Repository
from debt_lints.core.model import Finding, Option, Severity

_OPTION = "entry-points"
_PUBLIC_API = "public-api"
#: In ``public-api``: the published packages' public modules, from the packaging metadata.
_AUTO = "auto"
#: DL101's migration map: its targets are used, whatever imports them today.
_MIGRATION_MAP = "deprecated-imports"


class UnusedModule(ProjectRule):
    """
    ## What it does
    Flags a module that nothing in the repository imports and that is not an
    entry point, at its line 1. Any import counts, deferred or under
    `if TYPE_CHECKING:` included, and so do `importlib.import_module` and
    `__import__` with a literal name.

    Entry points are: a module with an `if __name__ == "__main__":` block,
    `__main__.py`, package `__init__.py` files, test files (`test_*.py`,
    `*_test.py`, `conftest.py`), modules named by console scripts and entry
    points in a `pyproject.toml` of the repository (`[project.scripts]`,
    `[project.gui-scripts]`, `[project.entry-points.*]`,
    `[tool.poetry.scripts]`), modules named in YAML configuration as
    `module:function`, by their dotted name or by file path (legacy
    launchers start agents from a `script_path:` list), modules whose dotted
    name a string literal of the repository spells, whole or in part
    (`"app.plugins.csv"` in a plugin registry, `INSTALLED_APPS`,
    `"app.scripts.create.main"` and `"app.tags.redis:RedisTagDB"` naming a
    module's function or class, `f"-A app.worker {args}"` and
    `"python -c 'import app.helper'"` command lines; docstrings and comments
    are prose and do not count), every module under the literal start of a
    name computed for `importlib.import_module` or `__import__`
    (`"app.upgrades.db%i" % n`, `f"app.upgrades.{name}"`, `"app.upgrades." +
    name`), files named by path in a string, next to the file that names them
    or from the root (`sibpath(__file__, "helper.py")`, `"fixtures/spew.py"`),
    a file's bare name names the files of that name in the folders below the
    naming file's (`os.path.join(here, "fixtures", "spew.py")`),
    a module defining another subclass of a project base class whose
    subclass a string names, in the same package (`TAGDB = "app.tags.local.LocalTagDB"` makes
    `app/tags/redis.py`'s `RedisTagDB(BaseTagDB)` an alternative the
    setting may choose), a module of the importer's own folder that an
    import no root resolves
    reaches by its bare name (`from xyzzy import plugh` in a script or a
    Sphinx extension), files a tool runs by name (`setup.py`, `noxfile.py`,
    `fabfile.py`, `dodo.py`, a Sphinx `conf.py` that sets `extensions`,
    `master_doc`, `html_theme`..., Alembic's `env.py` and migrations, a mypy
    plugin's `def plugin(version)`), top-level scripts (a `#!` line, or top-level code that
    runs something outside a `__main__` block: a bare call such as `main()`
    or `print(...)`, `app.run()`, `sys.exit(...)`, `asyncio.run(...)`, a
    `while` loop), the targets of the migration map (`deprecated-imports`:
    what the deprecated modules' importers are moving to), and the files the
    `entry-points` option matches.

    A library's users are not in its repository: the public modules of a
    package the project publishes (`public-api = ["auto"]`, the default) are
    never reported. The packaging metadata says what is published, read as
    data, never run: `pyproject.toml` (`[tool.setuptools]` `packages` and
    `packages.find`, hatchling's `[tool.hatch.build.targets.wheel]`, poetry's
    `packages`, flit's module, else the package named after the project or a
    src layout's packages), `setup.cfg` (`packages = find:` and its
    `exclude`, `package_dir`) and `setup.py`'s `setup(packages=...,
    package_dir=...)` when they are literals (lists, `+`, both branches of an
    `if`, `find_packages(exclude=[...])`); when `setup.py` computes them,
    every package of its folder counts as published (it cannot be told).
    A public module has no name part starting with `_`: `pkg/_impl.py` and
    `pkg/_vendor/x.py` are the package's own and are judged, unless the
    distribution is released in lockstep with another: a requirement it
    cannot be installed without (not an extra's) admits its own release and
    no release of another series (`dask >=2026.11.0,<2026.11.1` or
    `dask ==2026.11.*` in `distributed` 2026.11.0). The two are then one
    product in two distributions, each relying on the other's internals
    (dask's merge imports `distributed.shuffle._merge`), so the private
    modules it ships are not reported either. Its own release is read from a
    source distribution's `PKG-INFO`, `[project] version`, `setup.cfg`'s
    `version`, a literal `setup(version=...)`, the literal `__version__` of
    the module an `attr:` names, or the version file setuptools-scm or
    hatch-vcs wrote when the checkout was installed; a pin to another version
    (`vine ==5.1.0` in kombu 5.7.0) or a bound open on one side (`kombu
    >=5.7.0` in celery 5.7.0) is no lockstep. A project
    without packaging metadata, or whose flat layout holds several
    top-level packages (setuptools refuses to guess), is an application:
    all its modules are judged; so are the modules outside the published
    packages (scripts, tests, tools).

    Test helpers (modules under the `test-files` folders that are no test
    files themselves) are judged like other modules: a helper that ships in a
    published package (`pkg/test/fakes.py` inside `pkg`) is test API for
    other projects' test suites (a plugin's tests use the library's fakes)
    and for tests a distribution leaves out, so it is not reported; a helper
    of a test suite that does not ship is used only by the tests of the
    repository, and reported when none imports it. A compatibility shim is
    the exception: a public module that only re-exports names (imports,
    `__all__`, nothing else) in a sub-package the distribution leaves out of
    a published package (`trac/tests/compat.py`, `from trac.test import
    rmtree  # for backward compatibility`, where `setup.cfg` excludes
    `*.tests`) keeps an old import path for the host's plugins, whose test
    suites import the host's test package from an editable install; it has
    no code of its own to be dead, so it is not reported. A `conftest.py` is an
    entry point, and `pytest_plugins = ["tests.fixtures.db"]` names its
    plugin modules in a string.

    ## Why is this debt
    Dead modules are read, kept in step with renames and copied along by
    people who cannot tell they are dead. The audit found 42 utilities that
    nothing imports, and backup copies such as
    `system_config_backup_20230614.py`.

    ## Example
    ```python
    # file: common/__init__.py
    # file: common/legacy_metrics_support.py
    def push(metric):
        return metric
    ```

    ## Use instead
    ```python
    # file: common/__init__.py
    from common.metrics import push


    # file: common/metrics.py
    def push(metric):
        return metric
    ```

    ## Options
    Opt-in: enabled by selecting `DL6` or the code (`select = ["DL", "DL6"]`),
    not by `DL` or `ALL`.
    `entry-points`: globs of root-relative paths of modules that are started
    without being imported (`["scripts/*.py", "main_pc_code/agents/*.py"]`);
    `extend-entry-points` adds to it.
    `public-api`: what code outside the repository may import, never
    reported: `"auto"` (the default, `["auto"]`) stands for the public
    modules of the packages the packaging metadata publishes, other entries
    are globs of root-relative paths (`["auto", "src/app/plugins/*/api.py"]`);
    `public-api = []` judges every module (an application packaged only to
    be installed, whose modules nobody else imports); `extend-public-api`
    adds to it.

    ```toml
    [tool.debt-lints]
    select = ["DL", "DL6"]
    public-api = []
    ```

    ## Known limits
    A file that does not parse is never reported (its imports are unknown),
    and neither is any module whose name appears in such a file's text.
    Modules started by path from shell scripts, Dockerfiles or `setup.cfg`
    are not seen, nor a file named in code by its bare name from a folder
    that is not below the naming file's (`os.path.join(ROOT, "tools",
    "spew.py")` in `tests/`): list them in `entry-points`. So are modules
    loaded by a name computed at run time without a literal start
    (`"%s.db%i" % (package, n)`, the standard library's `lib2to3/fixes/*.py`;
    its `encodings/*.py` are found through `__import__("encodings." +
    name)`), plugin modules that only the user's configuration names (a
    backend chosen in `local_settings.py`), and the public modules of a
    library whose packaging this rule does not read (another build backend's
    metadata): list them in `public-api`. The other side of the same coin: a
    published package's dead public module (a vendored helper nothing
    imports any more, a module its own docstring calls obsolete) is not
    reported, since nothing in the repository can prove that no user imports
    it; `public-api = []` reports it. So is a dead private module of a
    distribution released in lockstep (nothing here proves the companion
    does not import it), and a compatibility shim that no plugin imports any
    more in a test package the distribution leaves out: nothing in the
    repository can tell it from one they still import. The lockstep is seen
    from this project's side only: when the companion pins this project and
    not the other way round (its metadata is not in the repository), or when
    the own release is known only to the VCS (setuptools-scm in a fresh
    checkout: no `PKG-INFO`, no version file yet) or computed by code, the
    private modules are judged: list those the companion imports in
    `public-api` (`["auto", "src/app/shuffle/_merge.py"]`). A tree that is
    not the whole project (a source distribution that leaves the tests out,
    a sparse checkout of a monorepo) hides the importers that are not in it:
    a module only the missing files import is reported; check the whole
    checkout. A
    dotted name in a string counts only for a module whose name has at least
    two parts (`"config.DEBUG"` does not make a top-level `config.py` used),
    and it counts even when the string is not an import (a log message
    naming the module). A module imported only by another unused module is
    not reported until that one is gone.
    Imports resolve as Python does: a package wins over a sibling module of
    the same name (`pkg/` over `pkg.py`); the shadowed module itself, which no
    import can reach, is not reported. A library module whose top level calls
    a public function by its bare name counts as a script. The whole repository is
    needed: the flake8 and pylint plugins do not report it.
    """

    code = "DL602"
    name = "unused-module"
    summary = "a module that nothing imports and that is not an entry point"
    message = "module is never imported and is not an entry point; delete it"
    severity = Severity.WARNING
    options = (
        Option(
            _OPTION,
            "str-list",
            (),
            "globs of modules started without being imported (DL602)",
            extendable=True,
        ),
        Option(
            _PUBLIC_API,
            "str-list",
            (_AUTO,),
            'modules other projects may import, never reported as unused (DL602): "auto" '
            "for the public modules of the published packages, or globs of paths",
            extendable=True,
        ),
    )

    def check_project(self, repository: Repository) -> Iterable[Finding]:
        for name in self.unused(repository):
            yield Finding(
                path=repository.modules[name].relpath,
                line=1,
                column=1,
                code=self.code,
                name=self.name,
                message=f"module '{name}' is never imported and is not an entry point; "
                "delete it, or list it in `entry-points`",
                severity=self.severity,
                snippet="unused module",  # the path is the identity: a git mv keeps it
            )

    def unused(self, repository: Repository) -> list[str]:
        """Names of the modules nothing imports that are not entry points, sorted."""
        options = self.settings.as_dict()
        globs = self.settings.str_list(_OPTION) if _OPTION in options else ()
        migration = self.settings.str_map(_MIGRATION_MAP) if _MIGRATION_MAP in options else {}
        #: The migration map's targets: what the deprecated modules' importers move to.
        targets = {new.strip() for new in migration.values() if new.strip()}
        api = self.settings.str_list(_PUBLIC_API) if _PUBLIC_API in options else (_AUTO,)
        out: list[str] = []
        for name in sorted(repository.modules):
            module = repository.modules[name]
            if module.entry_point or module.unparsable or not module.relpath.endswith(".py"):
                continue
            if _public(module, api) or (_AUTO in api and _compat_shim(module, repository)):
                continue
            if repository.importers(name) or name in repository.possibly_imported:
                continue
            if name in targets:
                continue
            if any(fnmatch.fnmatchcase(module.relpath, glob) for glob in globs):
                continue
            out.append(name)
        return out


def _public(module: Module, api: tuple[str, ...]) -> bool:
    """Code outside the repository may import ``module``: a public module of a published
    package (``"auto"``: shipped, no ``_private`` part; a shipped test helper included:
    other projects' test suites import it), any shipped module of a distribution with a
    lockstep companion (the companion shares its private modules), or one a
    ``public-api`` glob matches."""
    if (
        _AUTO in api
        and module.published
        and (module.shared or private_part(module.relpath) is None)
    ):
        return True
    return any(fnmatch.fnmatchcase(module.relpath, glob) for glob in api if glob != _AUTO)


def _compat_shim(module: Module, repository: Repository) -> bool:
    """A public re-export shim in a published package's namespace that the wheel leaves
    out (``trac/tests/compat.py`` under ``trac``): it has no code of its own, so it is
    there for importers outside the repository (a host's plugins import its test
    package from an editable install), not forgotten code."""
    return (
        module.shim
        and private_part(module.relpath) is None
        and repository.published_package(module.name) is not None
    )
