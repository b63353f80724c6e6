from __future__ import annotations

import ast
import codecs
import re

from debt_lints.analysis.context import TEST_FILES, FileContext, YamlScalar, option_globs
from debt_lints.analysis.literals import (
    APP_SECRET,
    CREDENTIAL,
    CURVE_SECRET,
    is_default_key,
    key_name_strength,
    last_name,
    looks_like_key_material,
    secret_kind,
)
from debt_lints.analysis.patterns import call_arg, env_accesses
from debt_lints.core.model import Calls, Rule, Security, Severity
from debt_lints.core.settings import Settings

#: Socket attributes that hold CURVE keys: any literal there is a hard-coded key.
_CURVE_ATTRIBUTES = frozenset({"curve_secretkey", "curve_publickey", "curve_serverkey"})
_CURVE_OPTIONS = frozenset({"CURVE_SECRETKEY", "CURVE_PUBLICKEY", "CURVE_SERVERKEY"})
_SETSOCKOPT = frozenset({"setsockopt", "setsockopt_string", "set", "set_string"})
#: Callee names that may be environment lookups (``patterns.env_accesses`` decides).
_ENV_METHODS = frozenset({"getenv", "getenvb", "get", "setdefault", "pop"})
_MAPPING_METHODS = frozenset({"get", "setdefault", "pop"})
_ENVIRON = frozenset({"os.environ", "os.environb"})

#: Calls that turn one literal into key bytes: ``"...".encode()``, ``z85.decode(b"...")``.
_DECODERS = frozenset({"decode", "b64decode", "urlsafe_b64decode", "unhexlify", "fromhex"})
# Cheap pre-filter on names before they are split into words.
_KEYISH_RE = re.compile(r"key|secret|curve|token", re.IGNORECASE)
_ENV_ENTRY_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.S)


class DefaultCurveKey(Rule):
    """
    ## What it does
    Flags CURVE keys and other key material that is hard-coded or has a
    literal default:

    * an environment lookup of a key-like variable with a literal fallback:
      `os.getenv("ZMQ_PRIVATE_KEY", "default")`,
      `os.environ.get("CURVE_SECRET", "changeme")`,
      `os.environ.setdefault("API_TOKEN", "dev-token")`,
      `os.getenv("ZMQ_SECRET_KEY") or "default"`, and the same through an
      environment helper whose name contains `env` (`get_env("X", "d")`,
      `env.str("X", default="d")`);
    * a literal assigned to `curve_secretkey`, `curve_publickey` or
      `curve_serverkey`, or passed to `setsockopt(zmq.CURVE_SECRETKEY, ...)`,
      `setsockopt_string`, `set` ... with `CURVE_PUBLICKEY` or
      `CURVE_SERVERKEY` (also `"...".encode()` and `z85.decode(b"...")`);
    * a key-like name bound to a literal key: a module or class constant
      (`ZMQ_SECRET_KEY = "..."`, `CURVE_SECRET = b"..."`, a settings field
      `secret_key: str = "changeme"`), an attribute, a dictionary entry
      (`DEV_SECRETS = {"JWT_SECRET": "..."}`), a subscript assignment
      (`app.config["SECRET_KEY"] = "..."`), a keyword argument
      (`Fernet(key=b"...")`, `secret_key="..."`) or a parameter default.

    A name is key-like when one of its words (split on `_`, `-`, `.` and
    camelCase) is `SECRET` or a compound such as `SECRETKEY`, or is `KEY` or
    `TOKEN` next to a qualifier (`PRIVATE`, `PUBLIC`, `SERVER`, `CURVE`,
    `ZMQ`, `API`, `ACCESS`, `AUTH`, `JWT` ...); in environment variable names
    `KEY` and `TOKEN` need no qualifier. Words such as `FILE`, `PATH`, `DIR`,
    `NAME`, `ENV`, `ENABLED`, `TYPE`, `PREFIX` make the name metadata about a
    key (`ZMQ_KEY_FILE`, `CURVE_ENABLED`), never a key. An unqualified `KEY`,
    `TOKEN` or `CURVE` (`CACHE_KEY`, `EOS_TOKEN`) counts only with a value
    that looks like key material (a 40-character Z85 key, hex, a
    high-entropy token, 32 raw bytes), a made-up development secret, or a
    placeholder written as bytes (`key=b"changeme"`).

    A value is key material when it looks like a key, is a placeholder
    (`changeme`, `my-secret-key`, `xxx`, `UNSAFE_DEFAULT`; for a service's
    credential, not one that asks to be filled in: see *Known limits*), is a made-up
    secret spelled like an identifier: a word such as `secret`, `token` or
    `key` with a development word such as `dev`, `test`, `change`, `default`
    (`"dev_jwt_secret_change_in_production"`, `"dev_translator_token"`), or,
    for a strongly key-like name, is a placeholder sentence that asks to be
    changed or says it is no secret (`SECRET_KEY = "This is not a secret, be
    sure to change this."`, `"change me in production"`). Bound straight to
    an application's signing-secret setting (`SECRET_KEY`, `JWT_SECRET`,
    `app.secret_key`, `app.config["SESSION_SECRET"]`, a keyword argument, a
    default or an environment fallback of one), a phrase is the key the
    application signs with: `SECRET_KEY = "shhh, secret"`,
    `os.environ.get("SECRET_KEY") or "hard to guess string"`.
    A value that is a *name* never is: the variable's own name
    (`API_KEY = "api_key"`, `SECRET = "secret"`, a header spelling such as
    `"X-Api-Key"`, a field such as `OAUTH_CLIENT_SECRET = "client_secret"`),
    the name of another variable (`"ZMQ_PRIVATE_KEY"`), the setting's place
    in a configuration (a path or dotted name ending in the own name:
    `{"zmq_private_key": "network/zmq_private_key"}`, `"auth.api_token"`),
    a URL, and every
    member of an `Enum`, `Flag` or Django `Choices` class
    (`class AuthMethod(Enum): API_KEY = "api_key"`).

    The message names the key and says what to do for its kind: a CURVE
    key (`ZMQ_*`, `CURVE_*`, a server or client key pair, the socket's key
    slots) is loaded from a key
    file with `zmq.auth.load_certificate`; an application secret
    (`SECRET_KEY`, `JWT_SECRET`, session and signing secrets) is set per
    deployment from the environment with no fallback; a credential (an API
    token, an access key) comes from the environment with no fallback or
    from a secrets manager. The value itself is never shown.

    In YAML files: key-like fields whose value is a placeholder (`default`,
    `changeme`, `secret`, `password`, `xxx`, `TODO`, `<your-key>`, ...) or a
    literal key, including `NAME=value` entries of a compose `environment`
    list.

    ## Why is this debt
    A default key is a key every copy of the code shares: anyone who has
    read the repository can decrypt the traffic or impersonate the server,
    and nothing fails when the real key is missing, so production runs with
    the default without anyone noticing. The audit found CURVE keys with
    environment fallbacks such as `ZMQ_PRIVATE_KEY=default` in
    `main_pc_code/security`.

    ## Example
    ```python
    import os

    import zmq


    def secure(socket):
        socket.curve_secretkey = os.getenv("ZMQ_PRIVATE_KEY", "default").encode()
        socket.curve_publickey = b"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"
        socket.curve_server = True
    ```

    ## Use instead
    ```python
    import os

    import zmq.auth


    def secure(socket):
        public, secret = zmq.auth.load_certificate(os.environ["ZMQ_SERVER_KEY_FILE"])
        socket.curve_secretkey = secret
        socket.curve_publickey = public
        socket.curve_server = True
    ```

    ## Options
    `test-files` (shared with DL301): globs of test files, which are not
    checked: a test's keys are fakes handed to mocks and test servers
    (`"somesecret"`, AWS's published `...EXAMPLEKEY`), not defaults that
    ship. The default names pytest's and unittest's discovery patterns, the
    folders that hold tests and test-support packages (`test_*.py`,
    `*_test.py`, `tests.py`, `conftest.py`, `tests`, `test`, `testing`: a
    `testing` package holds fixtures, fakes and pytest plugins, run by tests
    only); it is the one definition of test code every rule shares (DL201's
    included); a glob matches a base name, a parent
    folder or the path relative to the configuration, and `test-files = []`
    checks tests too (`extend-test-files` adds globs).

    ## Known limits
    An empty-string fallback (`os.getenv("API_TOKEN", "")`) and `None` are
    not flagged: they are not usable keys, and code usually checks for
    them. A one-word value is a name only when it is the whole variable
    name: `JWT_SECRET = "secret"` is flagged, `SECRET = "secret"` is not;
    a parameter's default is no label, so `def __init__(self, router,
    secret="secret")` is flagged (a name of several words, such as
    `client_secret="client_secret"`, stays a field name).
    Other prose is no key: a description in a dictionary's entry
    (`{"secret_key": "Set this to a long random string"}`, a help text or a
    message) is not flagged, nor is a placeholder sentence bound to another
    key-like name that neither asks to be changed nor says it is no secret
    (`client_secret = "put something random here"`, `SECRET_KEY_MISSING =
    "SECRET_KEY must be set"`); a phrase in a settings dictionary
    (`{"SECRET_KEY": "shhh, secret"}`) is missed with them. A path that
    names a setting under another name (`{"zmq_private_key":
    "network/server_secret"}`) or under a section that reads as a made-up
    secret's qualifier (`"dev/api_token"`) is still flagged.
    Names with `PASSWORD` are not key-like (bandit's B105-B107 cover
    hard-coded passwords). Fallbacks that are file paths, URLs, numbers, booleans,
    or the name of another variable (`KEY_ENV = "ZMQ_PRIVATE_KEY"`) are not keys,
    nor is any value holding a reference a deployment or a formatter fills in
    (`${SECRET_KEY}`, `$TOKEN`, `{{ jwt_secret }}`, `%(token)s`, `{api_key}`),
    whatever words it is made of. A credential another service issues (a name
    with `API`, `APIKEY`, `TOKEN`, `ACCESS`, `AUTH`, `CLIENT`, `OAUTH`, `BOT`
    ...: `API_KEY`, `CLIENT_SECRET`, `GITHUB_TOKEN`) written as a stand-in that
    says it is to be filled in is no key as shipped, the service accepts none:
    a value that names itself a placeholder (`dropbox_client_secret_placeholder`,
    which the build substitutes), asks to be replaced (`REPLACE_ME`, `"Replace
    with your own token"`), addresses whoever fills it in (`<your-api-key>`,
    `your_api_key_here`) or is masked out (`xxxxxxxx`, `sk_test_xxxx`). Weak
    defaults that products ship and accept (`changeme`, `changeit`, `secret`,
    `TODO`, `dev-token`) stay reported, and so does any stand-in of an
    application's signing secret (`SECRET_KEY = "<your-secret-key>"`: the
    application signs with it), of a CURVE key, or of a bare `secret`, which
    the program may check its peers against. Not told apart: a service's
    credential the program itself checks incoming requests against
    (`if request.headers["X-Api-Key"] == API_KEY`) with such a stand-in. A
    value that encodes nothing is no key: base64, hex or URL-encoding (up to
    two layers) of empty or trivial content, an empty JSON object or array,
    `null`, an empty string or whitespace (Kobo's `x-kobo-apitoken` header
    `"e30="`, base64 of `{}`), except in a CURVE key slot, where any literal
    counts; an encoding of anything else (`"c2VjcmV0"`, base64 of `secret`)
    stays a key. A fixed key that a public protocol prescribes (the AES key of
    AWS WAF's challenge script, which every client must use to be understood)
    reads in the code exactly as an application's own hard-coded key does
    (`key = bytes.fromhex("6f71...")` handed to `AESGCM`), and is reported.
    Lookups in configuration objects
    (`config.get("secret_key", "x")`) are not environment lookups and are
    not checked; a bare `key=` text argument of a call that is no
    cryptographic API (its name says nothing of signing, encrypting, tokens,
    JWT, HMAC, Fernet, CURVE) is the key of a data API or model
    (`MemoryItem(key="test_key")`, `cache.get(key="__missing__")`) and
    counts only when the value looks like key material; bytes still count
    (`Fernet(key=b"changeme")`), as do `jwt.encode(..., key="dev-key")`. A
    key passed positionally to a function
    (`jwt.encode(payload, "secret")`) is not seen. A fallback computed at
    run time (`os.getenv("X", DEFAULT_KEY)`) is not followed, but the
    constant itself is checked where it is defined. A value that is a
    CamelCase identifier (`"SSECustomerKey"`, `unitKey="heightOfGeoidUnits"`)
    is a name, and markup in angle brackets (`b"<!--XSUPERVISOR:BEGIN-->"`)
    is no `<your-key>` placeholder; `value.decode("ascii")` converts a key
    it was given (a codec name is no key). A test file that is not named or
    placed like one (a `t/` folder, `checks.py`) is checked unless
    `test-files` lists it; a real key committed in a test is not reported
    (a secret scanner's job).
    """

    code = "DL401"
    evidence = (b"key", b"secret", b"curve", b"token")
    wanted_calls = Calls(
        names=_SETSOCKOPT | _MAPPING_METHODS,
        # _is_envish is defined below the class: the lambda looks it up when called.
        match=lambda name: _is_envish(name),  # noqa: PLW0108
        keywords=True,
    )
    name = "default-curve-key"
    summary = "CURVE key material is hard-coded or has a literal default"
    message = (
        "key material is hard-coded or has a default; load it from a key file "
        "(zmq.auth.load_certificate) or require it from the environment"
    )
    severity = Severity.ERROR
    # CWE-798 (hard-coded credentials) covers both forms; a default that ships
    # in every copy is also CWE-1392 (use of default credentials).
    security = Security(cwe=798, confidence="MEDIUM", bandit_severity="HIGH")
    options = (TEST_FILES,)

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._tests = option_globs(settings, TEST_FILES)

    def _in_tests(self, ctx: FileContext) -> bool:
        """A test file (``test-files``): its keys are fakes handed to mocks."""
        return ctx.in_files(TEST_FILES.name, self._tests)

    def visit_Call(self, node: ast.Call, ctx: FileContext) -> None:
        if self._in_tests(ctx):
            return
        func = node.func
        if type(func) is ast.Attribute:
            name = func.attr
        elif type(func) is ast.Name:
            name = func.id
        else:
            return
        if name in _SETSOCKOPT:
            option = _curve_option(node.args[0], ctx) if len(node.args) >= 2 else None
            if option is not None and _literal(node.args[1]):
                ctx.report(node.args[1], _message(CURVE_SECRET, option, _HARD_CODED))
        elif name in _MAPPING_METHODS:
            # dict.get is everywhere: only a receiver that may be an environment.
            receiver = last_name(func.value) if type(func) is ast.Attribute else None
            if receiver is not None and (
                _is_envish(receiver) or ctx.aliases.get(receiver) in _ENVIRON
            ):
                self._check_env_lookup(node, name, ctx)
        elif _is_envish(name):
            self._check_env_lookup(node, name, ctx)
        for keyword in node.keywords:
            if keyword.arg is not None and type(keyword.value) is ast.Constant:
                if _is_data_key(keyword.arg, keyword.value, node, ctx):
                    continue  # MemoryItem(key="test_key"), cache.get(key="...")
                _check_named(keyword.arg, keyword.value, ctx)

    def _check_env_lookup(self, node: ast.Call, name: str, ctx: FileContext) -> None:
        accesses = env_accesses(node, ctx)
        if accesses:
            for access in accesses:
                default = access.default or _keyword(node, "default")
                if access.name is not None and default is not None:
                    _check_env_default(access.name, default, node, ctx)
            return
        # Project helpers such as get_env("X", "d") or env.str("X", default="d").
        if name not in _ENV_METHODS or "env" in (ctx.dotted(node.func) or "").lower():
            variable = _literal(call_arg(node, 0))
            default = call_arg(node, 1, "default")
            if isinstance(variable, str) and default is not None:
                _check_env_default(variable, default, node, ctx)

    def visit_BoolOp(self, node: ast.BoolOp, ctx: FileContext) -> None:
        # os.getenv("ZMQ_SECRET_KEY") or "default"
        if self._in_tests(ctx):
            return
        if not isinstance(node.op, ast.Or) or type(node.values[-1]) is not ast.Constant:
            return
        first = node.values[0]
        if not isinstance(first, ast.Call):
            return
        for access in env_accesses(first, ctx):
            if access.kind != "read" or access.name is None or access.default is not None:
                continue
            strength = key_name_strength(access.name, env=True)
            for value in node.values[1:]:
                literal = _literal(value)
                if literal and is_default_key(strength, literal, access.name, bound=True):
                    ctx.report(node, _message(secret_kind(access.name), access.name, _DEFAULTED))
                    return

    def visit_Assign(self, node: ast.Assign, ctx: FileContext) -> None:
        if self._in_tests(ctx):
            return
        kind = type(node.value)
        if (kind is not ast.Constant and kind is not ast.Call) or _literal(node.value) is None:
            return
        if _in_enum(node, ctx):
            return  # class AuthMethod(Enum): API_KEY = "api_key" is a label
        for target in node.targets:
            _check_target(target, node.value, ctx)

    def visit_AnnAssign(self, node: ast.AnnAssign, ctx: FileContext) -> None:
        if self._in_tests(ctx):
            return
        if node.value is not None and _literal(node.value) is not None and not _in_enum(node, ctx):
            _check_target(node.target, node.value, ctx)

    def visit_Dict(self, node: ast.Dict, ctx: FileContext) -> None:
        if self._in_tests(ctx):
            return
        for key, value in zip(node.keys, node.values, strict=True):
            if (
                isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and type(value) is ast.Constant
            ):
                _check_named(key.value, value, ctx, bound=False)  # may be a help text

    def visit_arguments(self, node: ast.arguments, ctx: FileContext) -> None:
        if self._in_tests(ctx):
            return
        if not any(type(d) is ast.Constant for d in node.defaults) and not any(
            type(d) is ast.Constant for d in node.kw_defaults
        ):
            return
        positional = [*node.posonlyargs, *node.args]
        with_default = positional[len(positional) - len(node.defaults) :]
        pairs = list(zip(with_default, node.defaults, strict=True))
        pairs += [
            (a, d) for a, d in zip(node.kwonlyargs, node.kw_defaults, strict=True) if d is not None
        ]
        for arg, default in pairs:
            if type(default) is ast.Constant:
                _check_named(arg.arg, default, ctx, label=False)

    def visit_yaml_scalar(self, scalar: YamlScalar, ctx: FileContext) -> None:
        if self._in_tests(ctx):
            return
        name, value = scalar.key, scalar.value
        entry = _ENV_ENTRY_RE.match(value) if "=" in value else None
        if entry is not None:  # compose: environment: ["ZMQ_PRIVATE_KEY=default"]
            name, value = entry.group(1), entry.group(2)
        if not name or not _KEYISH_RE.search(name):
            return
        env = name.isupper()
        if is_default_key(key_name_strength(name, env=env), value, name):
            kind = secret_kind(name)
            what = _KIND_WORDS[kind]
            if entry is not None or "environment" in scalar.key_path.split("."):
                advice = "pass it from an env file or a compose secret, not the compose file"
            else:
                advice = "reference a per-environment value (${VAR}) or a mounted secret file"
            ctx.report_yaml(scalar, f"{what} '{name}' is written into configuration; {advice}")


def _is_data_key(name: str, value: ast.Constant, call: ast.Call, ctx: FileContext) -> bool:
    """A bare ``key=`` text argument that is no key material, passed to a call that is
    no cryptographic API: the key of a data API or model (a task, cache or record key)."""
    if name != "key" or not isinstance(value.value, str) or looks_like_key_material(value.value):
        return False
    callee = (ctx.resolve(call.func) or "").lower()
    return not any(word in callee for word in _CRYPTO_WORDS)


#: Words of a callee that signs, encrypts or authenticates with its ``key=``.
_CRYPTO_WORDS = (
    "jwt",
    "fernet",
    "hmac",
    "cipher",
    "crypt",
    "sign",
    "encode",
    "decode",
    "token",
    "auth",
    "aes",
    "nacl",
    "serializer",
    "curve",
    "zmq",
)


def _is_envish(name: str) -> bool:
    # Substring tests: a regex search per call costs more than the whole visit.
    return "env" in name or "ENV" in name or "Env" in name


def _literal(node: ast.AST | None) -> str | bytes | None:
    """A literal key: ``"..."``, ``b"..."``, ``"...".encode()``, ``z85.decode(b"...")``."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, (str, bytes)) else None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "encode" and isinstance(node.func.value, ast.Constant):
            value = node.func.value.value
            return value if isinstance(value, str) else None
        if node.func.attr in _DECODERS and len(node.args) == 1:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, (str, bytes)):
                # value.decode("ascii") converts a key it was given: the codec is no key.
                return None if _is_codec(arg.value) else arg.value
    return None


def _is_codec(value: str | bytes) -> bool:
    """``"ascii"``, ``"utf-8"``: the name of a text codec (asked of the stdlib's registry)."""
    if not isinstance(value, str) or not _CODEC_NAME_RE.match(value):
        return False
    try:
        codecs.lookup(value)
    except LookupError:
        return False
    return True


_CODEC_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]{1,19}$")


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _curve_option(node: ast.expr, ctx: FileContext) -> str | None:
    """``CURVE_SECRETKEY`` for ``zmq.CURVE_SECRETKEY``; ``None`` for other options."""
    dotted = ctx.dotted(node)
    option = dotted.rsplit(".", 1)[-1] if dotted is not None else None
    return option if option in _CURVE_OPTIONS else None


_HARD_CODED, _DEFAULTED = "is hard-coded", "has a literal default"
_KIND_WORDS = {CURVE_SECRET: "CURVE key", APP_SECRET: "app secret", CREDENTIAL: "credential"}
_ADVICE = {
    CURVE_SECRET: "load the key pair from a key file with zmq.auth.load_certificate",
    APP_SECRET: "set it per deployment from the environment, with no literal fallback",
    CREDENTIAL: "read it from the environment with no fallback, or from a secrets manager",
}


def _message(kind: str, name: str, how: str) -> str:
    """``CURVE key 'ZMQ_PRIVATE_KEY' has a literal default; load the key pair ...``."""
    return f"{_KIND_WORDS[kind]} '{name}' {how}; {_ADVICE[kind]}"


def _in_enum(node: ast.stmt, ctx: FileContext) -> bool:
    """A statement in the body of an ``Enum`` (``Flag``, Django ``TextChoices``) class."""
    parent = ctx.parent(node)
    if not isinstance(parent, ast.ClassDef):
        return False
    for base in parent.bases:
        name = last_name(base)
        if name is not None and name.endswith(("Enum", "Flag", "Choices")):
            return True
    return False


def _check_env_default(variable: str, default: ast.expr, node: ast.Call, ctx: FileContext) -> None:
    literal = _literal(default)
    strength = key_name_strength(variable, env=True)
    if literal and is_default_key(strength, literal, variable, bound=True):
        ctx.report(node, _message(secret_kind(variable), variable, _DEFAULTED))


def _check_named(
    name: str, value: ast.expr, ctx: FileContext, *, label: bool = True, bound: bool = True
) -> None:
    """A key-like ``name`` bound to the literal ``value``: report the literal if it is a key.

    ``label=False``: the binding is a parameter's default, never a label. ``bound=False``:
    a dictionary's entry, whose prose may describe the key (a help text, a message)."""
    if not _KEYISH_RE.search(name):
        return
    literal = _literal(value)
    strength = key_name_strength(name)
    if literal and is_default_key(strength, literal, name, label=label, bound=bound):
        ctx.report(value, _message(secret_kind(name), name, _HARD_CODED))


def _check_target(target: ast.expr, value: ast.expr, ctx: FileContext) -> None:
    if isinstance(target, ast.Attribute):
        if target.attr in _CURVE_ATTRIBUTES:
            if _literal(value):
                ctx.report(value, _message(CURVE_SECRET, target.attr, _HARD_CODED))
            return
        _check_named(target.attr, value, ctx)
    elif isinstance(target, ast.Name):
        _check_named(target.id, value, ctx)
    elif isinstance(target, ast.Subscript):
        key = target.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            _check_named(key.value, value, ctx)
