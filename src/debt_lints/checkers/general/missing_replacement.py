from __future__ import annotations

from debt_lints.core.model import Rule, Severity


class MissingReplacement(Rule):
    """
    ## What it does
    Checks the migration map against the repository: reports each
    `deprecated-imports` entry whose replacement module does not exist,
    neither in the project (through the `import-roots`) nor installed in the
    environment debt-lints runs in (found on disk, never imported), nor
    provided by a distribution the project declares (a linter often runs
    before the dependencies are installed; in the project's own environment
    the entry resolves). One finding per entry, on the configuration file,
    at the entry's line, naming it.

    ## Why is this debt
    A map that points nowhere is a typo, or names the canonical module before
    it was written (the audit's order is "merge into common first, then
    migrate"). Every import of the old module is then told to import a module
    that does not exist; rewritten, a module-level import crashes at start,
    and one inside `try/except ImportError` silently switches to its fallback.

    ## Example
    ```toml
    [tool.debt-lints.deprecated-imports]
    # common/utils/env_loader.py has not been written yet.
    "main_pc_code.utils.env_loader" = "common.utils.env_loader"
    ```

    ## Use instead
    ```toml
    [tool.debt-lints.deprecated-imports]
    # Point at the module that exists today; move the entry once it is merged.
    "main_pc_code.utils.env_loader" = "common_utils.env_loader"
    ```

    ## Options
    None: it checks `deprecated-imports` (an empty replacement, meaning the
    module has none, is not checked). `renamed-env-vars` entries are names,
    not modules: the configuration checks their form when it is loaded.

    ## Known limits
    `debt-lints check` reports it (once per entry, on the configuration file
    that applies to the files checked) when the run covers that file
    (`check .`, or the file named): a run over a few files, as pre-commit
    makes, does not repeat it. The flake8 and pylint plugins and the
    language server see one file at a time: there, every DL101 finding whose
    replacement does not exist says so in its message, and carries no fix.
    A module provided only by an import hook on `sys.meta_path` (some
    editable installs) is not found, and is reported.

    Declared distributions are read, as data, from the configuration's
    folder: `pyproject.toml` (`[project] dependencies` and
    `optional-dependencies`, `[dependency-groups]`, Poetry's dependency
    tables), `setup.cfg` (`install_requires`, `tests_require`,
    `extras_require`), `setup.py` (literal `install_requires`,
    `extras_require`, `tests_require` given to `setup()`, in a dict literal
    or assigned into a dict by key: a list computed by a call is not read),
    `requirements*.txt`, `requirements/*.txt` and a source distribution's
    `PKG-INFO`. A distribution provides a module when its name, normalised
    as PEP 503 does, is the module's top-level name or one of its dotted
    parents (`Typing_Extensions` for `typing_extensions`, `zope.interface`,
    `google-cloud-storage` for `google.cloud.storage`). A distribution whose
    name differs from what it installs (`PyYAML` for `yaml`, `pyzmq` for
    `zmq`, `Pillow` for `PIL`) is not mapped without its installed file
    list: such an entry is reported until the distribution is installed.
    Whether the declared distribution has the submodule named is not known
    either: `kombu.utils.encodings` (a typo) passes when `kombu` is declared
    and not installed.
    """

    code = "DL003"
    evidence = None
    name = "missing-replacement"
    summary = "a deprecated-imports entry names a replacement module that does not exist"
    message = "the replacement module does not exist in the project or the environment"
    severity = Severity.WARNING
    builtin = True
