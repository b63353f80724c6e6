"""The rule catalogue: what configuration and selection need, without importing a rule.

Generated from the registry by ``python -m debt_lints.devtools.generate``; do not edit.
``tests/test_generate.py`` keeps it equal to the registry.
"""

from __future__ import annotations

import debt_lints.analysis.packaging
from debt_lints.core.model import Option

# fmt: off
#: code -> (name, module, opt_in, evidence, the names of the options it declares)
RULES: dict[str, tuple[str, str, bool, tuple[bytes, ...] | None, tuple[str, ...]]] = {
    'DL001': ('syntax-error', 'debt_lints.checkers.general.syntax_error', False, None, ()),
    'DL002': ('unused-noqa', 'debt_lints.checkers.general.unused_noqa', False, None, ()),
    'DL003': ('missing-replacement',
     'debt_lints.checkers.general.missing_replacement',
     False,
     None,
     ()),
    'DL101': ('deprecated-import',
     'debt_lints.checkers.migration.deprecated_import',
     False,
     (b'import',),
     ('deprecated-imports', 'test-files')),
    'DL103': ('renamed-env-var',
     'debt_lints.checkers.migration.renamed_env_var',
     False,
     (b'env',),
     ('renamed-env-vars', 'renamed-env-vars-fallback')),
    'DL201': ('sys-path-injection',
     'debt_lints.checkers.portability.sys_path_injection',
     False,
     (b'sys', b'pythonpath', b'addsitedir'),
     ()),
    'DL202': ('hardcoded-absolute-path',
     'debt_lints.checkers.portability.hardcoded_absolute_path',
     False,
     (b'"/', b"'/", b'"\\', b"'\\", b':\\', b':/'),
     ('absolute-path-roots',)),
    'DL301': ('hardcoded-loopback',
     'debt_lints.checkers.network.hardcoded_loopback',
     False,
     (b'localhost', b'127.', b'::1'),
     ('example-files', 'test-files', 'library')),
    'DL302': ('insecure-bind-all',
     'debt_lints.checkers.network.insecure_bind_all',
     False,
     (b'run',
      b'serve',
      b'bind',
      b'listen',
      b'tcpsite',
      b'add_insecure_port',
      b'daemon'),
     ('secure-socket-helpers', 'library')),
    'DL401': ('default-curve-key',
     'debt_lints.checkers.secrets.default_curve_key',
     False,
     (b'key', b'secret', b'curve', b'token'),
     ('test-files',)),
    'DL501': ('unclosed-socket',
     'debt_lints.checkers.resources.unclosed_socket',
     False,
     (b'socket', b'create_'),
     ()),
    'DL502': ('unclosed-log-handler',
     'debt_lints.checkers.resources.unclosed_log_handler',
     False,
     (b'handler',),
     ()),
    'DL601': ('import-cycle', 'debt_lints.checkers.structure.import_cycle', True, None, ()),
    'DL602': ('unused-module',
     'debt_lints.checkers.structure.unused_module',
     True,
     None,
     ('entry-points', 'public-api')),
    'DL603': ('duplicate-module',
     'debt_lints.checkers.structure.duplicate_module',
     True,
     None,
     ('canonical-roots',)),
}
#: Every rule option by key (two rules may share one).
OPTIONS: dict[str, Option] = {
    'deprecated-imports': Option(
        name='deprecated-imports',
        kind='str-map',
        default={},
        help="Deprecated modules: old module -> replacement module ('' for none).",
        extendable=False,
        form='module-names',
    ),
    'test-files': Option(
        name='test-files',
        kind='str-list',
        default=('test_*.py',
         '*_test.py',
         'tests.py',
         'conftest.py',
         'tests',
         'test',
         'testing'),
        help=('globs of test files and test-support packages: fake keys and servers the '
         "test starts are expected there (DL301, DL401), a deprecated module's own "
         'test goes with it (DL101); a glob matches a base name, a parent folder or '
         'the relative path'),
        extendable=True,
        form='',
    ),
    'renamed-env-vars': Option(
        name='renamed-env-vars',
        kind='str-map',
        default={},
        help='Environment variables that were renamed: old name -> new name.',
        extendable=False,
        form='env-var-names',
    ),
    'renamed-env-vars-fallback': Option(
        name='renamed-env-vars-fallback',
        kind='bool',
        default=False,
        help=('During the rollout: fix reads to take the new name, falling back to the '
         'old one.'),
        extendable=False,
        form='',
    ),
    'absolute-path-roots': Option(
        name='absolute-path-roots',
        kind='str-list',
        default=('/mnt',
         '/media',
         '/home',
         '/Users',
         '/root',
         '/opt',
         '/srv',
         '/data',
         '/workspace',
         '/app',
         '/models'),
        help='roots under which an absolute path is machine-specific (DL202)',
        extendable=True,
        form='',
    ),
    'example-files': Option(
        name='example-files',
        kind='str-list',
        default=('examples', 'example', 'docs', 'doc'),
        help=('globs of example and documentation code, written to run on one machine '
         '(DL301); a glob matches a base name, a parent folder or the relative path'),
        extendable=True,
        form='',
    ),
    'library': Option(
        name='library',
        kind='bool',
        default=False,
        help=('whether the project is a library whose packages others import: a loopback '
         "default or an every-interface bind default in its packages is its users' "
         'to set, reported only where the project relies on it (DL301, DL302)'),
        extendable=False,
        form='',
        auto=debt_lints.analysis.packaging.publishes_distribution,
        auto_help=("`true` when the packaging metadata of the configuration's folder "
         '(`pyproject.toml`, `setup.cfg`, `setup.py`, read as data) ships a package '
         'or a module, as DL602\'s `public-api = ["auto"]` reads it; else `false`'),
    ),
    'secure-socket-helpers': Option(
        name='secure-socket-helpers',
        kind='str-list',
        default=(),
        help='functions that secure a socket passed to them (DL302)',
        extendable=True,
        form='',
    ),
    'entry-points': Option(
        name='entry-points',
        kind='str-list',
        default=(),
        help='globs of modules started without being imported (DL602)',
        extendable=True,
        form='',
    ),
    'public-api': Option(
        name='public-api',
        kind='str-list',
        default=('auto',),
        help=('modules other projects may import, never reported as unused (DL602): '
         '"auto" for the public modules of the published packages, or globs of paths'),
        extendable=True,
        form='',
    ),
    'canonical-roots': Option(
        name='canonical-roots',
        kind='str-list',
        default=(),
        help='directories whose copies are canonical when importers are tied (DL603)',
        extendable=False,
        form='',
    ),
}
# fmt: on
