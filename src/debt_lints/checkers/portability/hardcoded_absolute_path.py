from __future__ import annotations

import ast
import re

from debt_lints.analysis.containers import image_paths
from debt_lints.analysis.context import FileContext, YamlScalar
from debt_lints.analysis.literals import (
    ABSOLUTE,
    BELOW_ROOT,
    DEFAULT_ABSOLUTE_PATH_ROOTS,
    ROOT,
    WINDOWS,
    PathRoots,
    call_of_argument,
    is_suffix_piece,
    last_name,
    quoted,
    string_head,
    template,
    value_use,
)
from debt_lints.analysis.patterns import is_ci_definition
from debt_lints.analysis.semantic import model_of
from debt_lints.core.model import Option, Rule, Severity
from debt_lints.core.settings import Settings

_OPTION = "absolute-path-roots"

#: Calls whose string arguments are filesystem paths.
_FS_CALLS = frozenset(
    {
        "open",
        "io.open",
        "builtins.open",
        "codecs.open",
        "pathlib.Path",
        "pathlib.PurePath",
        "pathlib.PosixPath",
        "pathlib.PurePosixPath",
        "pathlib.WindowsPath",
        "pathlib.PureWindowsPath",
        "glob.glob",
        "glob.iglob",
        "tarfile.open",
        "zipfile.ZipFile",
        "sqlite3.connect",
        "shelve.open",
        "dbm.open",
        "logging.FileHandler",
        "logging.handlers.RotatingFileHandler",
        "logging.handlers.TimedRotatingFileHandler",
        "logging.handlers.WatchedFileHandler",
    }
)
_FS_PREFIXES = ("os.path.", "shutil.")
_OS_FS = frozenset(
    f"os.{name}"
    for name in (
        "open",
        "makedirs",
        "mkdir",
        "listdir",
        "remove",
        "unlink",
        "rmdir",
        "removedirs",
        "scandir",
        "walk",
        "fwalk",
        "chdir",
        "chroot",
        "stat",
        "lstat",
        "rename",
        "renames",
        "replace",
        "chmod",
        "chown",
        "lchown",
        "access",
        "symlink",
        "link",
        "readlink",
        "truncate",
        "utime",
        "statvfs",
        "mkfifo",
        "mknod",
        "startfile",
    )
)
#: Calls whose first argument (or ``path=``, ``prefix=`` ...) is a URL route, not a file.
_ROUTE_CALLS = frozenset(
    {
        "route",
        "get",
        "post",
        "put",
        "delete",
        "patch",
        "head",
        "options",
        "websocket",
        "api_route",
        "add_url_rule",
        "add_route",
        "add_api_route",
        "add_api_websocket_route",
        "add_websocket_route",
        "add_get",
        "add_post",
        "add_put",
        "add_delete",
        "add_patch",
        "add_resource",
        "mount",
        "url_for",
        "redirect",
        "reverse",
        "urljoin",
        "Route",
        "WebSocketRoute",
        "Mount",
        "APIRouter",
        "Blueprint",
        "include_router",
        "RedirectResponse",
        "HttpResponseRedirect",
        "re_path",
    }
)
_ROUTE_KEYWORDS = frozenset({"path", "rule", "url", "prefix", "url_prefix", "location"})
#: YAML keys that name a path *inside* a container (where a volume is mounted).
_CONTAINER_KEYS = frozenset(
    {
        "mountpath",
        "mount_path",
        "containerpath",
        "container_path",
        "target",
        "working_dir",
        "workingdir",
        "workdir",
    }
)


class HardcodedAbsolutePath(Rule):
    r"""
    ## What it does
    Flags string literals that are machine-specific absolute paths:

    * POSIX paths below a configured root (`absolute-path-roots`: `/mnt`,
      `/media`, `/home`, `/Users`, `/root`, `/opt`, `/srv`, `/data`,
      `/workspace`, `/app`, `/models` by default): `"/mnt/models/llama"`,
      `f"/mnt/models/{name}"`, `"/opt/agents/%s.yaml" % name`;
    * any absolute path, a bare root included, passed straight to a
      filesystem API: `open`, `io.open`, `pathlib.Path` and friends,
      `os.path.*`, `os.makedirs`, `os.listdir`, `os.remove`, `os.walk` ...,
      `shutil.*`, `glob.glob`, `tarfile.open`, `sqlite3.connect`,
      `logging.FileHandler` ..., through any import alias;
    * Windows drive paths (`"C:\\models"`, `"D:/data"`) and UNC paths
      (`"\\\\server\\share"`) anywhere.

    In YAML files: values below a root, the host side of a volume mapping
    (`/data:/data`), and Windows or UNC paths. There the message asks for a
    per-environment value (an override file or `${VAR}`) or a fixed
    container path, and for a named volume instead of a host path.

    ## Why is this debt
    A path that exists on one developer's machine or one server breaks the
    code everywhere else: in containers, on CI, on the other machine of the
    fleet. The audit found hard-coded `/mnt/models` in nine utilities, and
    Windows paths in migration scripts, all blocking the Docker build. Paths
    belong in configuration (a path manager, an environment variable, a
    mounted volume) or relative to the project.

    ## Example
    ```python
    import os

    MODELS_DIR = "/mnt/models"
    os.makedirs("/var/lib/agent/cache", exist_ok=True)
    weights = os.path.join(MODELS_DIR, "phi-3")
    ```

    ## Use instead
    ```python
    import os

    from common.utils.path_manager import PathManager

    MODELS_DIR = PathManager.get_models_dir()
    os.makedirs(os.path.join(PathManager.get_cache_dir(), "agent"), exist_ok=True)
    weights = os.path.join(MODELS_DIR, "phi-3")
    ```

    ## Options
    `absolute-path-roots` (list of strings) replaces the roots under which a
    path is machine-specific wherever it appears; `extend-absolute-path-roots`
    adds to the defaults. A root matches itself and everything below it
    (`/mnt` matches `/mnt/models`, not `/mntx`).

    ```toml
    [tool.debt-lints]
    extend-absolute-path-roots = ["/var/lib/agent"]
    ```

    ## Known limits
    Not flagged: URLs (`file:///...` included), HTTP routes (`"/health"`,
    `"/api/v1/items"`, the first argument of `app.route`/`get`/`post`,
    `url_for`, `redirect`, `urljoin` ..., and a string appended to a base:
    `base + "/models"`, `f"{base}/models"`), `/dev`, `/proc`, `/sys`
    paths, and `/tmp` and `/var/tmp` (they exist on every POSIX machine and
    container; bandit's B108 covers insecure temporary files), secrets mounted
    by Docker, Compose or Kubernetes under `/run/secrets` and
    `/var/run/secrets`, files every Linux machine has with the same meaning
    (`/.dockerenv`, `/etc/hosts`, `/etc/os-release`, `/etc/resolv.conf`,
    `/var/run/docker.sock` ...), folders every machine of an OS has,
    themselves and not what is installed below them (`/Applications`,
    `/Library`, `/usr/bin`, `/etc`, `C:\\`, `C:\\Program Files`,
    and `C:\\Windows` with everything below it such as `C:\\Windows\\Temp`),
    where a vendor's installer puts its product on every Windows machine
    (below `C:\\Program Files`, `C:\\Program Files (x86)` and `C:\\ProgramData`:
    Visual Studio's default folder, a JDK glob, Chocolatey), and its POSIX
    counterpart in the project's own installer: a folder below `/opt` in a
    `setup.py` (`cf.set("install", "prefix", "/opt/graphite")`, the
    package's documented install prefix; elsewhere `/opt` stays a root), `~` paths,
    docstrings, comparisons, expectations of test assertions
    (`self.assertEqual(p, "/mnt/x")`) and string-method patterns
    (`path.startswith("/mnt/")`), regular expressions, a lone `"/"`, `//host`
    paths, prose that merely starts with a path (`"/mnt/models not found"`).
    A bare root (`"/data"`, `"/models"`) counts only when passed to a
    filesystem API, because the same text is often a route. An absolute
    path outside the roots (`"/etc/agent.conf"`) counts only when passed
    straight to a filesystem API, not when stored in a variable first.
    Bytes literals are not checked. In YAML, container-side paths
    (`mountPath`, `target`, `working_dir`) are not flagged, nor is any path
    in a CI service's job definition (`.github/workflows/*.yml`,
    `.gitlab-ci.yml`, `.circleci/config.yml`, `azure-pipelines.yml` ...):
    it describes the runner the service starts, or a container the job
    builds, the same in every run.

    A path inside a container image the repository builds is the same on
    every run of that image, and is not flagged in the files of the image's
    build context (the folder of its `Dockerfile`, `Containerfile`,
    `*.Dockerfile`, `Dockerfile.*` or `*.containerfile`, and below it), Python
    or YAML: a path in, or below, a folder that definition creates or names
    (`ENV`/`ARG` values, `$VAR` expanded from the same file; `WORKDIR`;
    `COPY`/`ADD` destinations; `VOLUME`; `mkdir` in `RUN`; the home of a user
    `useradd -m`/`adduser` makes), such as `/opt/conda/bin/python3` in a test
    cluster's configuration beside the `Dockerfile` that sets
    `MAMBA_ROOT_PREFIX=/opt/conda`. The folder must have two components
    (`/opt/conda`, `/home/ciuser`), or one that no system has by itself
    (`/app`, `/data`): `/opt`, `/home` or `/` alone never silences anything.
    The same path in a file outside the build context, and a path the
    definition does not create (`/home/jdoe/data`) beside it, are reported.
    A `WORKDIR /app` in a `Dockerfile` at the root silences `/app/...` in the
    whole repository: the code runs at `/app` in its image. Not seen: a build
    context set elsewhere (`docker build -f ci/Dockerfile .`, a compose
    file's `context: ..`), so code above its definition's folder is still
    judged as code a developer runs; a definition above a nested
    configuration's folder; one that is a symbolic link, or larger than
    1 MiB (never read); folders a `RUN` makes other than with `mkdir`,
    `useradd` or `adduser` (`ssh-keygen -f`, a package's installer). A file
    checked as text alone, without its repository (the engine's
    `check_source`), cannot know the image and reports these paths.

    A path the code *looks for* is discovery of what this machine has, not an
    assumption, and is not flagged: tested for existence or globbed where the
    code branches on the answer or loops over it (`if os.path.exists(p)`,
    `for d in glob.glob("/opt/intel/cc*")`), one of several candidates
    probed in a loop, the paths a list, set or generator comprehension builds
    from it tested together by `all` or `any`
    (`paths = [os.path.join(folder, b) for b in names]` then
    `if all(os.path.isfile(p) for p in paths)`; a list of answers tested
    for being non-empty, `if [os.path.isfile(p) for p in paths]`, is no
    test, and paths built by `map` or `filter` are not followed),
    read only under a test of the same path, read only for
    its syntax (`os.path.splitdrive("X:/foo")`), and, outside the
    machine-specific roots, listed or opened in a `try` that handles
    `OSError` (`os.listdir("/opt")`, a Solaris package database). This holds
    for system and vendor locations: paths outside the roots, below `/opt`
    (where add-on packages install) and Windows paths outside `C:\\Users`; a
    user's home or a deployment's data folder tested first
    (`MODELS if os.path.isdir(MODELS) else FALLBACK`) is still flagged, and so
    is a path that is also created (`os.makedirs`). Followed in this file by
    the semantic model. An item of a list of two or more
    written absolute paths, not all of them below the roots, is a search list
    (toolchain folders, system-wide config files) and is not flagged; a list
    of deployment folders only (`["/mnt/a", "/srv/b"]`) is. A bare root with
    its trailing slash (`"/media/"`) is the root itself. A Windows path written
    in a raw string with doubled backslashes (`r"C:\\Users\\bob"`) is read as
    the path it names.
    """

    code = "DL202"
    evidence = (b'"/', b"'/", b'"\\', b"'\\", b":\\", b":/")
    #: What visit_Constant's first test asks: a string that starts like a path.
    wanted_strings = re.compile(r"\A(?:[/\\]|.:)", re.DOTALL)
    name = "hardcoded-absolute-path"
    summary = "machine-specific absolute path is written into the code"
    message = (
        "machine-specific absolute path is hard-coded; "
        "take it from configuration or build it relative to the project"
    )
    severity = Severity.WARNING
    options = (
        Option(
            _OPTION,
            "str-list",
            DEFAULT_ABSOLUTE_PATH_ROOTS,
            "roots under which an absolute path is machine-specific (DL202)",
            extendable=True,
        ),
    )

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        # Settings built without the configuration layer (host plugins, tests)
        # may lack the option; an explicit empty list still disables roots.
        roots = (
            settings.str_list(_OPTION)
            if _OPTION in settings.as_dict()
            else DEFAULT_ABSOLUTE_PATH_ROOTS
        )
        self._roots = PathRoots(roots)

    def visit_Constant(self, node: ast.Constant, ctx: FileContext) -> None:
        value = node.value
        # The cheap filter: most constants are not strings that start like a path.
        if type(value) is not str or not (
            value[:1] == "/" or value[:1] == "\\" or value[1:2] == ":"
        ):
            return
        kind = self._roots.classify(value)
        if kind is None or is_suffix_piece(node, ctx) or _installer_prefix(value, ctx):
            return
        expr = string_head(node, ctx)
        if kind == ROOT and expr is not node and value.endswith("/"):
            kind = BELOW_ROOT  # "/data/" + name: a path below the root
        if kind not in (BELOW_ROOT, WINDOWS) and not _is_fs_argument(expr, ctx):
            return
        if not value_use(expr, ctx) or _is_route_argument(expr, ctx):
            return
        if self._is_candidate(expr, ctx):
            return  # one of several locations searched: whichever this machine has
        model = model_of(ctx)
        if _discoverable(kind, value) and model is not None and model.looked_for(expr):
            return  # a system or vendor location, looked for before it is used
        if kind != WINDOWS and _in_image(value, ctx):
            return  # a folder of the image this file is built into: the same on every run
        shown = quoted(template(expr) or value)
        ctx.report(
            expr,
            f"hard-coded path {shown} is machine-specific; "
            "take it from configuration or build it relative to the project",
        )

    def _is_candidate(self, expr: ast.expr, ctx: FileContext) -> bool:
        """An item of a list, tuple or set that holds two or more absolute paths
        written out, not all of them below the machine-specific roots: a search
        list of the places a tool or a file may be installed."""
        display = ctx.parent(expr)
        if not isinstance(display, (ast.List, ast.Tuple, ast.Set)):
            return False
        written = [
            text
            for text in map(_written_head, display.elts)
            if text is not None and (text[:1] in ("/", "\\") or text[1:2] == ":")
        ]
        return len(written) >= 2 and not all(
            self._roots.classify(w) in (BELOW_ROOT, ROOT) for w in written
        )

    def visit_yaml_scalar(self, scalar: YamlScalar, ctx: FileContext) -> None:
        value = scalar.value
        if not (value[:1] == "/" or value[:1] == "\\" or value[1:2] == ":"):
            return
        if scalar.key.lower() in _CONTAINER_KEYS:
            return
        if is_ci_definition(ctx.relpath):
            return  # the CI runner's own paths, the same in every run of the job
        host_side = value.partition(":")[0] if value[:1] == "/" else value
        if host_side != value and self._roots.classify(host_side) in (BELOW_ROOT, ROOT):
            # A volume mapping (/mnt/redis-data:/data:ro): the host side is the debt.
            ctx.report_yaml(
                scalar,
                f"volume mounts a host path ({quoted(host_side)}); use a named volume "
                "or set the host path per environment (${VAR} or an override file)",
            )
            return
        kind = self._roots.classify(value)
        if kind not in (BELOW_ROOT, WINDOWS) or (kind != WINDOWS and _in_image(value, ctx)):
            return
        ctx.report_yaml(
            scalar,
            f"machine-specific path in configuration ({quoted(value)}); set it per "
            "environment (an override file or ${VAR}) or mount it at a fixed container path",
        )


def _in_image(path: str, ctx: FileContext) -> bool:
    """``path`` is in a folder that a container definition whose build context holds
    this file creates or names (:mod:`debt_lints.analysis.containers`)."""
    found = image_paths(ctx)
    return found is not None and found.covers(path)


def _is_fs_argument(expr: ast.expr, ctx: FileContext) -> bool:
    found = call_of_argument(expr, ctx)
    if found is None:
        return False
    name = ctx.resolve(found[0].func)
    if name is None:
        return False
    return name in _FS_CALLS or name in _OS_FS or name.startswith(_FS_PREFIXES)


def _installer_prefix(value: str, ctx: FileContext) -> bool:
    """A folder below ``/opt`` in the project's own installer (``setup.py``): where the
    package installs itself (``/opt/<package>``, an add-on package's place), not where
    one machine keeps something."""
    return value.startswith("/opt/") and ctx.relpath.rpartition("/")[2] == "setup.py"


def _discoverable(kind: str, value: str) -> bool:
    """A location a tool may look for on this machine: a system path outside the
    roots, a vendor's folder below ``/opt`` (where add-on packages install) or a
    Windows path outside the users' folders. A user's home or a deployment's
    data folder stays machine-specific even when the code tests for it first."""
    if kind == WINDOWS:
        return not value[1:].lower().replace("\\", "/").lstrip(":/").startswith("users/")
    return kind == ABSOLUTE or value == "/opt" or value.startswith("/opt/")


def _written_head(node: ast.expr) -> str | None:
    """The text a string expression starts with: ``"/opt/x"``, ``f"/opt/{v}"``,
    ``"/opt/{}".format(v)``, ``"/opt/" + v``, ``"/opt/%s" % v``."""
    while True:
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.JoinedStr) and node.values:
            node = node.values[0]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
            node = node.left
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
        ):
            node = node.func.value
        else:
            return None


def _is_route_argument(expr: ast.expr, ctx: FileContext) -> bool:
    found = call_of_argument(expr, ctx)
    if found is None:
        return False
    call, keyword = found
    if last_name(call.func) not in _ROUTE_CALLS:
        return False
    if keyword is not None:
        return keyword in _ROUTE_KEYWORDS
    return (bool(call.args) and call.args[0] is expr) or last_name(call.func) == "urljoin"
