"""What a string literal is: a loopback endpoint, a machine path, a bind-all address, a key.

Shared by DL202 (hardcoded-absolute-path), DL301 (hardcoded-loopback),
DL302 (insecure-bind-all) and DL401 (default-curve-key). The functions here
decide *what* a string is; the rules decide *where* a string counts. The
classifiers are pure functions of the text (plus, for :func:`template` and
:func:`value_use`, of the syntax tree around it) and never raise on any input.
"""

from __future__ import annotations

import ast
import binascii
import contextlib
import ipaddress
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from urllib.parse import unquote_to_bytes, urlsplit

from debt_lints.analysis.context import FileContext
from debt_lints.core.lazy import lazy_pattern

#: Stands for every part of a string expression that is not a literal.
HOLE = "{}"

# --- string expressions --------------------------------------------------------


def template(
    node: ast.AST, name_value: Callable[[ast.expr], str | None] | None = None
) -> str | None:
    """The text of a string expression, with every non-literal part as ``{}``.

    ``"tcp://*:%d" % port`` -> ``tcp://*:%d``; ``f"tcp://{host}:{port}"`` ->
    ``tcp://{}:{}``; ``"http://" + host + "/v1"`` -> ``http://{}/v1``;
    ``"tcp://*:{}".format(port)`` -> ``tcp://*:{}``. ``name_value`` may supply
    the text of a non-literal part (a local constant, the default of an
    environment lookup) to put in place of the hole.
    ``None`` when the expression holds no string literal at all.
    """
    parts: list[str] = []
    if not _template_parts(node, parts, name_value, 0):
        return None
    return "".join(parts)


def _template_parts(
    node: ast.AST,
    out: list[str],
    name_value: Callable[[ast.expr], str | None] | None,
    depth: int,
) -> bool:
    """Append ``node``'s template to ``out``; ``True`` when a literal part was seen."""
    if depth > 50:  # a pathological chain of ``+``: give up, it is not a path or URL
        out.append(HOLE)
        return False
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        out.append(node.value)
        return True
    if isinstance(node, ast.JoinedStr):
        seen = False
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                out.append(value.value)
                seen = True
            elif isinstance(value, ast.FormattedValue):
                seen = _hole(value.value, out, name_value) or seen
        return seen
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Add):
            left = _template_parts(node.left, out, name_value, depth + 1)
            right = _template_parts(node.right, out, name_value, depth + 1)
            return left or right
        if isinstance(node.op, ast.Mod) and isinstance(node.left, (ast.Constant, ast.JoinedStr)):
            return _template_parts(node.left, out, name_value, depth + 1)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
    ):
        out.append(node.func.value.value)
        return True
    return _hole(node, out, name_value)


def _hole(
    node: ast.AST, out: list[str], name_value: Callable[[ast.expr], str | None] | None
) -> bool:
    if name_value is not None and isinstance(node, ast.expr):
        text = name_value(node)
        if text is not None:
            out.append(text)
            return True
    out.append(HOLE)
    return False


def string_head(node: ast.Constant, ctx: FileContext) -> ast.expr:
    """The whole string expression that ``node`` is the literal start of.

    The first literal of an f-string, the left operand of ``+`` or ``%``,
    the receiver of ``.format``: the string value the program builds starts
    with this literal. Otherwise ``node`` itself.
    """
    current: ast.expr = node
    for _ in range(50):
        parent = ctx.parent(current)
        head_of_fstring = (
            isinstance(parent, ast.JoinedStr)
            and bool(parent.values)
            and parent.values[0] is current
        )
        left_operand = (
            isinstance(parent, ast.BinOp)
            and isinstance(parent.op, (ast.Add, ast.Mod))
            and parent.left is current
        )
        if (head_of_fstring or left_operand) and isinstance(parent, ast.expr):
            current = parent
        elif isinstance(parent, ast.Attribute) and parent.attr == "format":
            call = ctx.parent(parent)
            if isinstance(call, ast.Call) and call.func is parent:
                current = call
            else:
                break
        else:
            break
    return current


def is_suffix_piece(node: ast.Constant, ctx: FileContext) -> bool:
    """A literal that is appended to something else: ``base + "/x"``, ``f"{base}/x"``."""
    parent = ctx.parent(node)
    if isinstance(parent, ast.JoinedStr):
        return not (parent.values and parent.values[0] is node)
    return isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Add) and parent.right is node


#: String methods whose arguments are patterns to look for, not values to use.
PATTERN_METHODS = frozenset(
    {
        "startswith",
        "endswith",
        "replace",
        "find",
        "rfind",
        "index",
        "rindex",
        "count",
        "split",
        "rsplit",
        "partition",
        "rpartition",
        "strip",
        "lstrip",
        "rstrip",
        "removeprefix",
        "removesuffix",
        "__contains__",
        "__eq__",
        "__ne__",
    }
)
#: Modules whose functions take a string as a pattern, or as an address to parse
#: and compare (``ipaddress.ip_address("127.0.0.1").is_loopback``), not as a value.
_PATTERN_MODULES = ("re.", "fnmatch.", "regex.", "ipaddress.")


def value_use(node: ast.expr, ctx: FileContext, *, dict_keys: bool = True) -> bool:
    """Whether the string expression ``node`` is used as a value.

    Not values: docstrings and bare string statements, operands of a
    comparison or membership test (also inside the tuple, list or set being
    tested), ``case`` patterns, subscript indexes (``d["x"]``,
    ``Literal["x"]``), arguments of string methods that look for a pattern
    (``s.startswith("x")``, ``s.replace("x", y)``) and of ``re``/``fnmatch``
    functions, addresses given to ``ipaddress`` to parse, expectations of
    test assertions (``self.assertEqual(x, "x")``,
    ``mock.assert_called_with("x")``), and (when ``dict_keys`` is false)
    dictionary keys.
    """
    parent = ctx.parent(node)
    child: ast.AST = node
    while isinstance(parent, (ast.Tuple, ast.List, ast.Set)):
        child, parent = parent, ctx.parent(parent)
    if isinstance(parent, ast.Expr):
        return child is not node  # a docstring or a string statement
    if isinstance(parent, (ast.Compare, ast.MatchValue)):
        return False
    if isinstance(parent, ast.Subscript):
        return parent.slice is not child
    if isinstance(parent, ast.Dict) and not dict_keys:
        return not any(key is child for key in parent.keys)
    if isinstance(parent, ast.keyword):
        parent = ctx.parent(parent)
    if isinstance(parent, ast.Call) and parent.func is not child:
        func = parent.func
        if isinstance(func, ast.Attribute) and func.attr in PATTERN_METHODS:
            return False
        callee = last_name(func)
        if callee is not None and callee.startswith("assert"):
            return False  # what a test expects: assertEqual, assert_called_with, assertBad...
        name = ctx.resolve(func)
        if name is not None and name.startswith(_PATTERN_MODULES):
            return False
    return True


def call_of_argument(node: ast.expr, ctx: FileContext) -> tuple[ast.Call, str | None] | None:
    """The call ``node`` is passed to, and the keyword it is passed as (``None``: positional)."""
    parent = ctx.parent(node)
    if isinstance(parent, ast.keyword):
        call = ctx.parent(parent)
        if isinstance(call, ast.Call):
            return call, parent.arg
        return None
    if isinstance(parent, ast.Call) and parent.func is not node:
        return parent, None
    return None


def quoted(text: str, limit: int = 60) -> str:
    """``text`` in single quotes for a message, cut to ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"'{text}'"


def last_name(func: ast.AST) -> str | None:
    """``run`` for ``app.run``, ``open`` for ``open``; ``None`` for other callees."""
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


# --- hosts and endpoints -------------------------------------------------------

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
#: URL schemes no network client speaks: a local file (``file://localhost/x``), a test
#: double or in-memory resource (requests-mock's and luigi's ``mock://``, placeholders
#: on it), kombu's in-process transport (``memory://localhost/``).
_LOCAL_SCHEMES = frozenset({"file", "mock", "memory"})
_SCHEME_RE = lazy_pattern(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
# host:port without a scheme; the port may be a placeholder of any format style.
_HOST_PORT_RE = lazy_pattern(
    r"^(?P<host>\[[^\]\s]*\]|[^\s:/\[\]{}%]+):"
    r"(?P<port>\d{1,5}|\{[^{}]*\}|%(?:\([^)]*\))?[sdi]|\*)?(?:/\S*)?$"
)


def endpoint_host(text: str) -> str | None:
    """The host of a URL or ``host:port`` endpoint, lower-cased and unbracketed.

    ``tcp://127.0.0.1:{}`` -> ``127.0.0.1``; ``tcp://*:5555`` -> ``*``;
    ``localhost:6379`` -> ``localhost``; ``[::1]:80`` -> ``::1``. ``None``
    for anything else (prose, paths, a bare host).
    """
    if not text or text != text.strip() or any(c.isspace() for c in text):
        return None
    if text.startswith(HOLE + "://"):  # f"{scheme}://localhost:{port}"
        text = "x" + text[len(HOLE) :]
    if _SCHEME_RE.match(text):
        if text.split(":", 1)[0].lower() in _LOCAL_SCHEMES:
            return None  # file://localhost/x names a local file, not a network peer
        try:
            host = urlsplit(text).hostname
        except ValueError:  # "Invalid IPv6 URL" and friends
            return None
        return host or None
    match = _HOST_PORT_RE.match(text)
    if match is None:
        return None
    host = match.group("host")
    return host[1:-1].lower() if host.startswith("[") else host.lower()


def is_loopback_host(host: str) -> bool:
    """``localhost`` (and ``*.localhost``), ``127.0.0.0/8``, ``::1``, bracketed or not."""
    host = host.lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if address.is_loopback:
        return True
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped is not None and bool(mapped.is_loopback)


def is_loopback_value(text: str) -> bool:
    """A bare loopback host, or a URL/endpoint whose host is loopback."""
    if is_loopback_host(text):
        return True
    host = endpoint_host(text)
    return host is not None and is_loopback_host(host)


def is_loopback_network(text: str) -> bool:
    """A loopback network written with its prefix length (``127.0.0.0/8``, ``::1/128``):
    addresses to match against (trusted proxies, allowed sources), not a host to reach."""
    if "/" not in text:
        return False
    try:
        return ipaddress.ip_network(text, strict=False).is_loopback
    except ValueError:
        return False


def is_bind_all_host(host: str, *, empty: bool = False) -> bool:
    """``0.0.0.0``, ``::``, ZMQ's ``*`` (and ``""`` when ``empty``): every interface."""
    if host == "*" or (empty and host == ""):
        return True
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def is_bind_all_endpoint(text: str) -> bool:
    """``tcp://*:5555``, ``tcp://0.0.0.0:{}``, ``[::]:50051``, ``0.0.0.0:8000``."""
    host = endpoint_host(text)
    return host is not None and is_bind_all_host(host)


# --- filesystem paths ------------------------------------------------------------

DEFAULT_ABSOLUTE_PATH_ROOTS = (
    "/mnt",
    "/media",
    "/home",
    "/Users",
    "/root",
    "/opt",
    "/srv",
    "/data",
    "/workspace",
    "/app",
    "/models",
)
#: Paths that exist, with the same meaning, on every POSIX machine and container.
#: ``/run/secrets`` is where Docker, Compose and Kubernetes mount secrets: reading
#: a key from there is the fix the audit recommends, not debt.
PORTABLE_PREFIXES = (
    "/dev",
    "/proc",
    "/sys",
    "/tmp",
    "/var/tmp",
    "/run/secrets",
    "/var/run/secrets",
)
#: Single files every Linux machine or container has, with the same meaning.
PORTABLE_FILES = frozenset(
    {
        "/.dockerenv",
        "/etc/hosts",
        "/etc/hostname",
        "/etc/resolv.conf",
        "/etc/os-release",
        "/etc/passwd",
        "/etc/group",
        "/etc/localtime",
        "/etc/machine-id",
        "/run/docker.sock",
        "/var/run/docker.sock",
    }
)
#: Folders every machine of an OS has, with the same meaning (the folder itself).
PORTABLE_FOLDERS = frozenset(
    {
        "/Applications",  # macOS
        "/Library",
        "/System",
        "/bin",
        "/sbin",
        "/etc",
        "/usr",
        "/usr/bin",
        "/usr/sbin",
        "/usr/lib",
        "/usr/share",
        "/usr/local",
        "/var",
        "/var/log",
    }
)
#: Windows locations every Windows machine has (lower case, ``/`` separators, no drive).
_WINDOWS_FOLDERS = frozenset(
    {"", "windows", "programdata", "program files", "program files (x86)", "users", "users/public"}
)
_DRIVE_RE = lazy_pattern(r"^[A-Za-z]:[\\/](?![\\/])")
_UNC_RE = lazy_pattern(r"^\\\\(?!\.\\|\?\\)[^\\/\s]+[\\/][^\\/\s]+")
# re.compile, not lazy_pattern: DL202 knows a pattern by re's own functions, and
# this one, a backslash and a letter, looks like a Windows path to any other call.
_REGEX_ESCAPE_RE = re.compile(r"\\[dswDSWbB](?:[*+?{}()\[\]|]|$)")

#: Path kinds returned by :meth:`PathRoots.classify`.
WINDOWS = "windows"
BELOW_ROOT = "below-root"
ROOT = "root"
ABSOLUTE = "absolute"


class PathRoots:
    """Classifies strings as machine-specific paths, for a set of configured roots."""

    __slots__ = ("_exact", "_prefixes")

    def __init__(self, roots: Iterable[str]) -> None:
        cleaned = [r.rstrip("/") for r in roots if r.startswith("/")]
        self._exact = frozenset(r or "/" for r in cleaned)
        self._prefixes = tuple(f"{r}/" for r in cleaned)

    def classify(self, text: str) -> str | None:
        """``"windows"``, ``"below-root"`` (``/mnt/models``), ``"root"`` (``/mnt``),
        ``"absolute"`` (another absolute POSIX path) or ``None`` (not a machine path).

        Not machine paths: URLs, ``~`` paths, relative paths, a lone ``/``,
        ``//host`` (network paths on POSIX, protocol-relative URLs),
        ``/dev``, ``/proc``, ``/sys``, ``/tmp``, ``/var/tmp`` and ``/run/secrets``
        paths, the files of :data:`PORTABLE_FILES` (``/etc/hosts``), the
        folders of :data:`PORTABLE_FOLDERS` themselves (``/Applications``,
        ``/usr/bin``; not what is installed below them),
        Windows system locations (``C:\\Windows\\Temp``, ``C:\\ProgramData``), prose
        that starts with a path (``"/mnt/models is missing"``) and
        regular expressions.
        """
        first = text[:1]
        if first == "/":
            return self._posix(text)
        if first == "\\" or text[1:2] == ":":
            text = _undoubled(text)
            return WINDOWS if is_windows_path(text) and not _is_windows_system(text) else None
        return None

    def _posix(self, text: str) -> str | None:
        if len(text) < 2 or text[1] == "/" or "\n" in text or "\t" in text or "\\" in text:
            return None
        space = text.rfind(" ")
        if space != -1 and text.rfind("/") < space:
            return None  # "/mnt/models not found": prose that starts with a path
        if text in self._exact or text.rstrip("/") in self._exact:
            return ROOT  # "/media/" is the root itself, most often a URL prefix
        if text.startswith(self._prefixes):
            return BELOW_ROOT
        if text == "/" or _is_portable(text):
            return None
        return ABSOLUTE


def _is_portable(text: str) -> bool:
    if text.rstrip("/") in PORTABLE_FOLDERS or text in PORTABLE_FILES:
        return True
    return any(text == p or text.startswith(p + "/") for p in PORTABLE_PREFIXES)


def _is_windows_system(text: str) -> bool:
    """``C:\\``, ``C:\\Windows`` and below; ``C:\\Program Files`` (any ``Program
    Files*``, a glob included) and ``C:\\ProgramData`` and below: where installers
    put a vendor's product on every machine."""
    if not _DRIVE_RE.match(text) or text[0] not in "cC":
        return False
    rest = text[3:].replace("\\", "/").strip("/").lower()
    top = rest.partition("/")[0]
    return (
        rest in _WINDOWS_FOLDERS
        or top in ("windows", "programdata")
        or top.startswith("program files")
    )


def _undoubled(text: str) -> str:
    r"""A Windows path written with doubled backslashes in a raw string
    (``r"C:\\Users\\bob"``) read as the path it names (``C:\Users\bob``)."""
    if (text[1:2] == ":" and "\\\\" in text) or text.startswith("\\\\\\\\"):
        return text.replace("\\\\", "\\")
    return text


def is_windows_path(text: str) -> bool:
    """``C:\\models``, ``D:/data``, ``\\\\server\\share``; not regexes such as ``x:\\d+``."""
    if "\n" in text or "://" in text:
        return False
    if not (_DRIVE_RE.match(text) or _UNC_RE.match(text)):
        return False
    return _REGEX_ESCAPE_RE.search(text) is None


# --- keys and secrets --------------------------------------------------------------

_TOKEN_SPLIT_RE = lazy_pattern(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")


@lru_cache(maxsize=4096)
def name_words(name: str) -> frozenset[str]:
    """The words of an identifier, upper-cased: split on ``_``, ``-``, ``.`` and
    camelCase (``tunnel_to_kernel``, ``forwardLocalPort``)."""
    return frozenset(w.upper() for w in _TOKEN_SPLIT_RE.split(name) if w)


#: Name tokens that always mean key material.
_SECRET_TOKENS = frozenset(
    {
        "SECRET",
        "SECRETS",
        "SECRETKEY",
        "PRIVATEKEY",
        "PUBLICKEY",
        "SERVERKEY",
        "CLIENTKEY",
        "PRIVKEY",
        "PUBKEY",
        "APIKEY",
        "AUTHKEY",
        "ACCESSKEY",
        "SIGNINGKEY",
        "MASTERKEY",
        "CURVEKEY",
        "AUTHTOKEN",
        "ACCESSTOKEN",
        "APITOKEN",
    }
)
#: Words that make ``KEY``/``TOKEN`` a credential (not a Redis or dict key, not an LLM token).
_KEY_QUALIFIERS = frozenset(
    {
        "PRIVATE",
        "PUBLIC",
        "SERVER",
        "CLIENT",
        "CURVE",
        "ZMQ",
        "API",
        "ACCESS",
        "AUTH",
        "SIGNING",
        "ENCRYPTION",
        "CRYPTO",
        "HMAC",
        "JWT",
        "MASTER",
        "SSH",
        "TLS",
        "SSL",
        "BEARER",
        "REFRESH",
        "OAUTH",
        "GITHUB",
        "HF",
        "BOT",
    }
)
#: Words that make a key-like name *about* a key rather than the key itself.
_METADATA_TOKENS = frozenset(
    {
        "FILE",
        "FILES",
        "FILENAME",
        "PATH",
        "PATHS",
        "DIR",
        "DIRS",
        "DIRECTORY",
        "FOLDER",
        "LOCATION",
        "NAME",
        "NAMES",
        "ENV",
        "VAR",
        "VARIABLE",
        "URL",
        "URI",
        "ENDPOINT",
        "HOST",
        "PORT",
        "ENABLED",
        "ENABLE",
        "DISABLED",
        "DISABLE",
        "USE",
        "REQUIRED",
        "LENGTH",
        "LEN",
        "SIZE",
        "BITS",
        "TYPE",
        "KIND",
        "ALGORITHM",
        "ALG",
        "FORMAT",
        "ENCODING",
        "EXPIRY",
        "EXPIRES",
        "EXPIRATION",
        "TTL",
        "TIMEOUT",
        "SECONDS",
        "MINUTES",
        "HOURS",
        "DAYS",
        "LIMIT",
        "MAX",
        "MIN",
        "COUNT",
        "ID",
        "IDS",
        "PREFIX",
        "SUFFIX",
        "HEADER",
        "FIELD",
        "MODE",
        "STORE",
        "BACKEND",
        "PROVIDER",
        "MOUNT",
        "ROTATION",
        "INTERVAL",
        "VERSION",
        "HELP",
        "MESSAGE",
        "MSG",
        "ERROR",
        "DESCRIPTION",
        "TEXT",
        "LABEL",
        "PATTERN",
        "REGEX",
        "MECHANISM",
        "INDEX",
    }
)
#: Stores whose name right before ``KEY`` makes it the key a value is filed under
#: (``_OAUTH_SETTINGS_KEY``, ``API_CONFIG_KEY``, ``TOKEN_CACHE_KEY``), not key material.
_LOOKUP_STORES = frozenset(
    {
        "SETTINGS",
        "SETTING",
        "CONFIG",
        "CONF",
        "CFG",
        "OPTION",
        "OPTIONS",
        "CACHE",
        "DICT",
        "MAP",
        "MAPPING",
        "LOOKUP",
        "REGISTRY",
        "CONTEXT",
        "STATE",
        "STORAGE",
        "ROUTING",
        "SORT",
        "PARTITION",
        "PRIMARY",
        "FOREIGN",
        "LOCK",
        "QUEUE",
        "ATTR",
        "ATTRIBUTE",
        "PARAM",
        "QUERY",
    }
)
#: Strength of a key-like name (see :func:`key_name_strength`).
NOT_KEY, WEAK_KEY, STRONG_KEY = 0, 1, 2


@lru_cache(maxsize=4096)
def key_name_strength(name: str, *, env: bool = False) -> int:
    """How surely a variable, attribute, field or environment name holds key material.

    The name is split into words on ``_``, ``-``, ``.`` and camelCase
    boundaries (``KEYBOARD_LAYOUT``, ``MONKEY`` and ``MAX_TOKENS`` hold no
    ``KEY``/``TOKEN`` word). :data:`STRONG_KEY`: a ``SECRET`` word, a
    compound such as ``SECRETKEY``, or ``KEY``/``TOKEN`` with a qualifier
    (``PRIVATE``, ``CURVE``, ``API``, ``ZMQ``, ...) or in an environment
    variable name (``env``). :data:`WEAK_KEY`: an unqualified ``KEY``,
    ``TOKEN`` or ``CURVE`` word (``CACHE_KEY``, ``EOS_TOKEN``).
    :data:`NOT_KEY`: none of these, a word that makes it metadata about a
    key (``KEY_FILE``, ``SECRET_NAME``, ``CURVE_ENABLED``, ``KEY_ENV``). A
    ``KEY`` right after the name of a store is the key a value is filed under
    (``_OAUTH_SETTINGS_KEY``, ``API_CONFIG_KEY``): a qualifier does not make it
    strong, so only a value that is key material is reported.
    """
    order = [w.upper() for w in _TOKEN_SPLIT_RE.split(name) if w]
    words = set(order)
    if words & _METADATA_TOKENS:
        return NOT_KEY
    if words & _SECRET_TOKENS:
        return STRONG_KEY
    has_key = "KEY" in words or "TOKEN" in words
    filed = any(w == "KEY" and i and order[i - 1] in _LOOKUP_STORES for i, w in enumerate(order))
    if has_key and (env or (words & _KEY_QUALIFIERS and not filed)):
        return STRONG_KEY
    if has_key or "CURVE" in words:
        return WEAK_KEY
    return NOT_KEY


# A placeholder must say so: at least one of these words.
_PLACEHOLDER_MARKERS = frozenset(
    {
        "default",
        "changeme",
        "change",
        "changeit",
        "replace",
        "replaceme",
        "secret",
        "secrets",
        "password",
        "passwd",
        "key",
        "token",
        "todo",
        "fixme",
        "tbd",
        "dummy",
        "fake",
        "test",
        "testing",
        "example",
        "sample",
        "demo",
        "insecure",
        "unsafe",
        "notsecret",
        "placeholder",
        "supersecret",
        "mysecret",
        "secretkey",
        "apikey",
        "abc123",
        "123456",
        "qwerty",
    }
)
#: Every word a placeholder may be made of: the markers and filler words.
_PLACEHOLDER_WORDS = _PLACEHOLDER_MARKERS | frozenset(
    {
        "me",
        "it",
        "this",
        "pass",
        "dev",
        "development",
        "local",
        "not",
        "my",
        "your",
        "here",
        "the",
        "a",
        "app",
        "super",
        "abc",
        "123",
        "1234",
        "12345",
        "admin",
        "none",
    }
)
_WORD_RE = lazy_pattern(r"[a-z]+|[0-9]+")
_ANGLE_PLACEHOLDER_RE = lazy_pattern(r"^<[a-z0-9_. \-]+>$")
#: A CamelCase identifier (``SSECustomerKey``, ``heightOfGeoidAboveWGS84Units``): a
#: name of a field or an argument, never key material (a random token does not
#: run in capitalised words).
_CAMEL_NAME_RE = lazy_pattern(
    r"^(?:[A-Z]{2,}[0-9]*(?=[A-Z][a-z])|[A-Z][a-z]+[0-9]*|[a-z]{2,}[0-9]*)"
    r"(?:[A-Z][a-z]+[0-9]*|[A-Z]{2,}[0-9]*(?=[A-Z][a-z]|$))+$"
)


def is_camel_name(text: str) -> bool:
    """``SSECustomerKey``, ``heightOfGeoidAboveWGS84Units``: an identifier in CamelCase."""
    return _CAMEL_NAME_RE.match(text) is not None


def is_placeholder(value: str) -> bool:
    """A stand-in for a real key: ``default``, ``changeme``, ``xxx``, ``<your-key>``,
    ``my-secret-key``, ``TODO`` ... (words from a placeholder vocabulary only)."""
    text = value.strip().lower()
    if not text or len(text) > 64:
        return False
    if _ANGLE_PLACEHOLDER_RE.match(text) or set(text) <= {"x", "*", "-", "."}:
        return True  # <your-key>, not markup such as <!--XSUPERVISOR:BEGIN-->
    words = _WORD_RE.findall(text)
    if not words or len(words) > 8:
        return False
    if any(len(w) >= 3 and set(w) == {"x"} for w in words):
        return True  # "sk-xxxxxxxx", "hf_xxxx": the key was masked out
    joined = "".join(words)
    if joined in _PLACEHOLDER_MARKERS:
        return True
    return all(w in _PLACEHOLDER_WORDS for w in words) and any(
        w in _PLACEHOLDER_MARKERS for w in words
    )


#: What a request to replace bears on: ``REPLACE_ME``, ``replace this``, ``Replace with ...``.
_REPLACE_OBJECTS = frozenset({"me", "this", "it", "with"})


def is_fill_in_placeholder(value: str) -> bool:
    """A stand-in that says it is to be filled in, not used: it names itself a
    placeholder (``dropbox_client_secret_placeholder``, ``PLACEHOLDER``), asks to be
    replaced (``REPLACE_ME``, ``"Replace with your own token"``), addresses whoever
    fills it in (``<your-api-key>``, ``your_api_key_here``), or is masked out
    (``xxxxxxxx``, ``sk_test_xxxx``, ``********``). Not a weak default that products
    ship and accept as a credential (``changeme``, ``changeit``, ``secret``,
    ``password``, ``admin``, ``TODO``, ``dev-token``)."""
    text = value.strip().lower()
    if not text or len(text) > 120:
        return False
    if _ANGLE_PLACEHOLDER_RE.match(text):
        return True  # <your-api-key>, <hf-token>
    if sum(c in "x*" for c in text) >= 3 and set(text) <= {"x", "*", "-", ".", "_"}:
        return True  # xxxxxxxx, ********
    words = _WORD_RE.findall(text)
    if not words or len(words) > 20:
        return False
    if not any(c.isspace() for c in text) and any(len(w) >= 3 and set(w) == {"x"} for w in words):
        return True  # sk_test_xxxxxxxx: the key was masked out
    present = set(words)
    if present & {"placeholder", "replaceme"} or {"your", "here"} <= present:
        return True
    return any(
        words[i] == "replace" and words[i + 1] in _REPLACE_OBJECTS for i in range(len(words) - 1)
    )


#: Verbs of a placeholder that asks to be changed (``"change me in production"``).
_CHANGE_VERBS = frozenset({"change", "changeme", "replace", "replaceme"})
#: What the verb must bear on: the value itself or the secret it stands for.
_CHANGE_OBJECTS = frozenset({"this", "me", "it", "secret", "key", "token", "apikey", "secretkey"})


def is_placeholder_sentence(value: str) -> bool:
    """A stand-in written as a sentence: it asks to be changed or says it is no secret.

    ``"This is not a secret, be sure to change this."``, ``"change me in
    production"``, ``"Replace with your own token"``; not a description of a key
    (``"Set this to a long random string"``, ``"This field may not be blank."``).
    """
    text = value.strip().lower()
    if not any(c.isspace() for c in text) or len(text) > 120:
        return False
    words = _WORD_RE.findall(text)
    if not 2 <= len(words) <= 20:
        return False
    present = set(words)
    if present & _CHANGE_VERBS and present & _CHANGE_OBJECTS:
        return True
    return any(
        words[i] == "not" and "secret" in words[i + 1 : i + 3] for i in range(len(words) - 1)
    )


_Z85 = frozenset(
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"
)
_HEX = frozenset("0123456789abcdefABCDEF")
_B64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-.")


def _entropy(text: str) -> float:
    counts = Counter(text)
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def looks_like_key_material(value: str | bytes) -> bool:
    """Text that looks like an actual key rather than a word or a name.

    A Z85-encoded CURVE key (40 characters), 32 raw bytes, a hex string of
    at least 32 digits, or a base64/URL-safe token of at least 20 characters
    with letters, digits and high entropy.
    """
    if isinstance(value, bytes):
        if len(value) == 32 and not value.isascii():
            return True
        try:
            value = value.decode("ascii")
        except UnicodeDecodeError:
            return len(value) >= 16
    n = len(value)
    if n < 20 or n > 512 or any(c.isspace() for c in value) or is_camel_name(value):
        return False
    chars = set(value)
    if n == 40 and chars <= _Z85 and _entropy(value) >= 4.0:
        return True
    if n >= 32 and chars <= _HEX and _entropy(value) >= 3.0:
        return True
    if chars <= _B64:
        has_digit = any(c.isdigit() for c in value)
        has_alpha = any(c.isalpha() for c in value)
        return has_digit and has_alpha and _entropy(value) >= 4.0
    return False


_NOT_KEY_WORDS = frozenset(
    {
        "none",
        "null",
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "enabled",
        "disabled",
        "enable",
        "disable",
        "auto",
        "required",
        "optional",
        "strict",
    }
)
_IDENTIFIER_RE = lazy_pattern(r"^(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*|[a-z][a-z0-9]*(?:_[a-z0-9]+)+)$")
# Redis-style namespaced keys: "agent:status", "session:{}".
_NAMESPACED_RE = lazy_pattern(r"^[a-z0-9_.\-]+(?::[a-z0-9_.{}*\-]+)+$")
_NUMBER_RE = lazy_pattern(r"^[+-]?\d+(?:\.\d*)?$")
_KEY_FILE_SUFFIXES = (
    ".key",
    ".key_secret",
    ".pem",
    ".crt",
    ".cert",
    ".der",
    ".p12",
    ".pfx",
    ".pub",
)


def is_not_key_value(value: str) -> bool:
    """Text that cannot be key material: empty, a number or boolean word, a file
    path, a URL, a template (``${ZMQ_KEY}``), prose, or the *name* of a variable
    or field (``ZMQ_PRIVATE_KEY``, ``access_token``)."""
    text = value.strip()
    if not text or text.lower() in _NOT_KEY_WORDS or _NUMBER_RE.match(text):
        return True
    if any(c.isspace() for c in text) or "://" in text:
        return True
    if text.startswith(("/", "./", "../", "~", "$", "{{")) or is_windows_path(text):
        return True
    if text.lower().endswith(_KEY_FILE_SUFFIXES):
        return True
    return (
        _IDENTIFIER_RE.match(text) is not None
        or _NAMESPACED_RE.match(text) is not None
        or is_camel_name(text)
    )


#: Nouns that make a value spell a secret (``dev_translator_token``).
_SECRET_NOUNS = frozenset(
    {"secret", "secrets", "token", "key", "password", "passwd", "pwd", "apikey", "secretkey"}
)
#: Words that mark a value as a stand-in written for development (``dev_jwt_secret_change_me``).
_DEV_QUALIFIERS = frozenset(
    {
        "dev",
        "development",
        "local",
        "test",
        "testing",
        "default",
        "change",
        "changeme",
        "replace",
        "replaceme",
        "insecure",
        "unsafe",
        "dummy",
        "fake",
        "example",
        "sample",
        "demo",
        "placeholder",
        "todo",
        "fixme",
        "my",
        "your",
        "super",
        "supersecret",
        "not",
        "prod",
        "production",
        "staging",
        "temp",
        "tmp",
    }
)
_NAME_SHAPE_RE = lazy_pattern(r"^[A-Za-z][A-Za-z0-9]*(?:[_\-.][A-Za-z0-9]+)*$")
_UPPER_NAME_RE = lazy_pattern(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")


def _name_words(text: str) -> list[str]:
    return [w.lower() for w in _TOKEN_SPLIT_RE.split(text) if w]


def is_spelled_from_name(value: str, name: str, *, label: bool = True) -> bool:
    """A value that is a *name* made from the variable's own name, not key material.

    ``API_KEY = "api_key"``, ``SECRET = "secret"`` (an enum label),
    ``ENCRYPTION_KEY = "encryptionKey"``, ``API_KEY = "X-Api-Key"`` (a header),
    ``OAUTH_CLIENT_SECRET = "client_secret"`` (a form field). A single word
    counts only when it is the whole name: ``JWT_SECRET = "secret"`` is a
    placeholder secret, not a label. ``label=False`` for a binding that cannot be
    a label, a parameter's default: ``def __init__(self, router, secret="secret")``
    is the secret every caller that passes none shares, so there only a name of
    several words (``client_secret="client_secret"``, a form field) is a name.
    """
    if not _NAME_SHAPE_RE.match(value):
        return False
    words = _name_words(value)
    own = _name_words(name)
    if not words or not own:
        return False
    if "".join(words) == "".join(own):
        return label or len(words) >= 2
    rest = [w for w in words if w != "x"]  # X-Api-Key: the header spelling of the name
    return len(words) >= 2 and bool(rest) and set(rest) <= set(own)


#: A path or a dotted name: name-shaped parts joined by ``/`` or ``.``.
_SETTING_PATH_RE = lazy_pattern(r"^[A-Za-z][A-Za-z0-9_\-]*(?:[/.][A-Za-z][A-Za-z0-9_\-]*)+$")


def is_setting_path(value: str, name: str) -> bool:
    """A path or a dotted name that ends in ``name`` itself: the place of the setting
    ``name`` in a configuration (``"zmq_private_key": "network/zmq_private_key"``,
    ``"auth.api_token"``), not key material. A section that reads as a made-up
    secret's qualifier (``dev/api_token``) is not taken for one."""
    if _SETTING_PATH_RE.match(value) is None:
        return False
    *sections, last = value.replace("/", ".").split(".")
    own = "".join(_name_words(name))
    if not own or "".join(_name_words(last)) != own:
        return False
    return not any(w in _DEV_QUALIFIERS for part in sections for w in _name_words(part))


def is_dev_secret(value: str) -> bool:
    """A made-up secret spelled like an identifier: a secret noun and a development word.

    ``dev_jwt_secret_change_in_production``, ``dev_translator_token``,
    ``test-api-key``; not ``access_token`` (a field name), not
    ``DEV_SECRET_KEY`` (the name of a variable).
    """
    if not value or len(value) > 128 or "://" in value or _UPPER_NAME_RE.match(value):
        return False
    if any(c.isspace() for c in value):
        return False
    words = _WORD_RE.findall(value.lower())
    if not 2 <= len(words) <= 12:
        return False
    present = set(words)
    return bool(present & _SECRET_NOUNS) and bool(present & _DEV_QUALIFIERS)


#: The words of an application's signing-secret setting (``SECRET_KEY``, ``JWT_SECRET``,
#: ``WTF_CSRF_SECRET_KEY``): nothing in such a name says it is about the secret.
_SIGNING_SETTING_WORDS = frozenset(
    {"SECRET", "SECRETKEY", "KEY", "APP", "JWT", "SESSION", "COOKIE", "CSRF", "SIGNING"}
    | {"HMAC", "FLASK", "DJANGO", "WTF"}
)


def is_signing_secret_setting(name: str) -> bool:
    """A name that is an application's signing secret and nothing else: ``SECRET_KEY``,
    ``app.secret_key``, ``JWT_SECRET``, ``SESSION_SECRET``, ``WTF_CSRF_SECRET_KEY``.
    ``SECRET_KEY_MISSING`` (a message), ``secret_question`` and a bare ``secret`` are
    not."""
    words = name_words(name)
    if not words or not words <= _SIGNING_SETTING_WORDS:
        return False
    return "SECRETKEY" in words or ("SECRET" in words and len(words) > 1)


#: A reference a deployment or a formatter fills in: ``${SECRET_KEY}``, ``$TOKEN``,
#: ``{{ jwt_secret }}``, ``%(token)s`` (configparser, ``%``-formatting), ``{api_key}``.
_TEMPLATE_REFERENCE_RE = lazy_pattern(
    r"\$\{[^{}]*\}|\{\{[^{}]*\}\}|%\([A-Za-z_][\w.-]*\)[a-z]"
    r"|^\$[A-Za-z_]\w*$|^\{[A-Za-z_]\w*\}$"
)


def is_template_reference(text: str) -> bool:
    """A value that names where the secret comes from instead of holding it: it holds a
    ``${VAR}``, ``{{ var }}`` or ``%(var)s`` reference, or is a whole ``$VAR`` or
    ``{var}``. Whatever words the reference is made of (``${SECRET_KEY}`` is no
    placeholder), the deployment or the formatter puts the real value there."""
    return _TEMPLATE_REFERENCE_RE.search(text.strip()) is not None


def is_passphrase(text: str) -> bool:
    """Words with spaces that are no path, URL or template: ``"shhh, secret"``, ``"hard to
    guess string"``. Prose elsewhere (a help text, a message), but bound straight to a
    signing-secret setting (:func:`is_signing_secret_setting`) it is the key the
    application signs with."""
    text = text.strip()
    if not any(c.isspace() for c in text) or "://" in text or "${" in text:
        return False
    return not text.startswith(("/", "./", "../", "~", "$", "{{")) and not is_windows_path(text)


#: What an encoded value may decode to and still hold nothing: no text, an empty JSON
#: object or array, ``null``, an empty string (whitespace removed first).
_TRIVIAL_CONTENT = frozenset({b"", b"{}", b"[]", b"null", b'""', b"''"})
_BASE64_RE = lazy_pattern(r"^[A-Za-z0-9+/\-_]+={0,2}$")
_HEX_RE = lazy_pattern(r"^(?:[0-9A-Fa-f]{2})+$")


def is_encoded_empty(value: str | bytes) -> bool:
    """An encoding of nothing: base64, hex or URL-encoding (up to two layers) of empty or
    trivial content: an empty JSON object or array, ``null``, an empty string,
    whitespace. ``"e30="`` (base64 of ``{}``, Kobo's ``x-kobo-apitoken`` header),
    ``"W10="`` (``[]``), ``"7b7d"`` (hex), ``"%7B%7D"``. It carries no secret; a value
    whose content is anything else (``"c2VjcmV0"``, base64 of ``secret``) may."""
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text or len(text) > 64:
        return False
    return _decodes_to_nothing(text, 2)


def _decodes_to_nothing(text: str, layers: int) -> bool:
    for decoded in _decodings(text):
        if b"".join(decoded.split()) in _TRIVIAL_CONTENT:
            return True
        inner = decoded.decode("ascii").strip() if layers > 1 and decoded.isascii() else ""
        if inner and _decodes_to_nothing(inner, layers - 1):
            return True
    return False


def _decodings(text: str) -> list[bytes]:
    """What ``text`` decodes to, read as base64 (standard or URL-safe, padded or not),
    hex and URL-encoding: each reading that is valid."""
    found = []
    if "%" in text:
        raw = text.encode("utf-8", "surrogatepass")
        decoded = unquote_to_bytes(raw)
        if decoded != raw:
            found.append(decoded)
    if _HEX_RE.match(text):
        found.append(bytes.fromhex(text))
    if _BASE64_RE.match(text):
        body = text.rstrip("=").replace("-", "+").replace("_", "/")
        if len(body) % 4 != 1:  # one character over a quantum is no base64
            with contextlib.suppress(binascii.Error):
                found.append(binascii.a2b_base64(body + "=" * (-len(body) % 4)))
    return found


def is_default_key(
    strength: int,
    value: str | bytes,
    name: str | None = None,
    *,
    label: bool = True,
    bound: bool = False,
) -> bool:
    """Whether a name of this :func:`key_name_strength` bound to ``value`` is a default key.

    A value that encodes nothing (:func:`is_encoded_empty`) never is; key material
    always is. A value that is a name (spelled from ``name``,
    :func:`is_spelled_from_name`) or a URL never is. A strongly key-like
    name also is with a placeholder, a made-up development secret
    (:func:`is_dev_secret`), a placeholder sentence
    (:func:`is_placeholder_sentence`) or any other value that is not obviously
    something else (:func:`is_not_key_value`); a weakly key-like name needs
    key material, a development secret, or a placeholder written as bytes
    (``Fernet(key=b"changeme")``). ``label``: as for :func:`is_spelled_from_name`.
    ``bound``: the value is bound straight to ``name`` (an assignment, a keyword
    argument, a default, an environment fallback; not a dictionary entry, which may be
    a help text): then a passphrase (:func:`is_passphrase`) of a signing-secret
    setting (:func:`is_signing_secret_setting`) is the key too.
    """
    if strength == NOT_KEY or not value or is_encoded_empty(value):
        return False
    if looks_like_key_material(value):
        return True
    text = value if isinstance(value, str) else value.decode("latin-1")
    if "://" in text or is_template_reference(text):
        return False
    if name is not None and is_spelled_from_name(text, name, label=label):
        return False
    if name is not None and is_setting_path(text, name):
        return False  # "network/zmq_private_key": where the setting is configured
    if bound and name is not None and is_signing_secret_setting(name) and is_passphrase(text):
        return True
    if name is not None and is_issued_credential(name) and is_fill_in_placeholder(text):
        return False  # the build or the user puts the service's credential there
    if strength == WEAK_KEY:
        return is_dev_secret(text) or (isinstance(value, bytes) and is_placeholder(text))
    return (
        is_placeholder(text)
        or is_dev_secret(text)
        or is_placeholder_sentence(text)
        or not is_not_key_value(text)
    )


#: Kinds of secret (see :func:`secret_kind`), for messages that say what to do.
CURVE_SECRET, APP_SECRET, CREDENTIAL = "curve", "app", "credential"
_CURVE_WORDS = frozenset({"CURVE", "ZMQ", "CURVEKEY", "Z85"})
#: A key of a server/client pair is CURVE's vocabulary, unless another protocol is named.
_KEY_PAIR_WORDS = frozenset({"PUBLIC", "SERVER", "CLIENT"})
#: The half of the pair a key is: a server's key with neither (an S3 header's
#: ``Server-Side-Encryption-Customer-Key``) is no CURVE key.
_KEY_HALF_WORDS = frozenset({"PUBLIC", "SECRET", "PRIVATE"})
_KEY_PAIR_COMPOUNDS = frozenset({"PUBLICKEY", "SERVERKEY", "CLIENTKEY", "PUBKEY"})
_NOT_CURVE_WORDS = frozenset({"SSH", "TLS", "SSL", "RSA", "GPG", "PGP", "API", "JWT", "OAUTH"})
#: Secrets an application signs with (Flask/Django ``SECRET_KEY``, JWT, sessions).
_APP_SECRET_WORDS = frozenset(
    {"JWT", "SESSION", "COOKIE", "CSRF", "SIGNING", "HMAC", "FLASK", "DJANGO", "WTF"}
)
_CREDENTIAL_WORDS = frozenset(
    {"TOKEN", "API", "APIKEY", "ACCESS", "AUTH", "BEARER", "OAUTH", "CLIENT", "BOT", "HF"}
)


def is_issued_credential(name: str) -> bool:
    """A credential another service issues to this program, by its name: an API key, an
    OAuth client secret, an access or bot token (``API_KEY``, ``CLIENT_SECRET``,
    ``GITHUB_TOKEN``); not an application's signing secret (``SECRET_KEY``,
    ``JWT_SECRET``), a CURVE key, or a bare ``secret`` or ``password`` (one the program
    may check its peers against)."""
    words = {w.upper() for w in _TOKEN_SPLIT_RE.split(name) if w}
    return secret_kind(name) == CREDENTIAL and bool(words & _CREDENTIAL_WORDS)


def secret_kind(name: str) -> str:
    """:data:`CURVE_SECRET` (``ZMQ_PRIVATE_KEY``), :data:`APP_SECRET` (``SECRET_KEY``,
    ``JWT_SECRET``) or :data:`CREDENTIAL` (``API_TOKEN``, ``GITHUB_TOKEN``, the rest)."""
    words = {w.upper() for w in _TOKEN_SPLIT_RE.split(name) if w}
    if words & _CURVE_WORDS:
        return CURVE_SECRET
    if not words & _NOT_CURVE_WORDS and (
        words & _KEY_PAIR_COMPOUNDS
        or ("KEY" in words and words & _KEY_PAIR_WORDS and words & _KEY_HALF_WORDS)
    ):
        return CURVE_SECRET  # server_secret_key, client_public_key: a CURVE key pair
    if words & _APP_SECRET_WORDS:
        return APP_SECRET
    if words & _CREDENTIAL_WORDS:
        return CREDENTIAL
    if "SECRETKEY" in words or {"SECRET", "KEY"} <= words:
        return APP_SECRET  # SECRET_KEY, app.secret_key: the framework's signing secret
    return CREDENTIAL
