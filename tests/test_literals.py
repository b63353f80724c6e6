"""The string classifiers shared by DL202, DL301, DL302 and DL401."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from debt_lints.analysis.literals import (
    ABSOLUTE,
    BELOW_ROOT,
    DEFAULT_ABSOLUTE_PATH_ROOTS,
    NOT_KEY,
    ROOT,
    STRONG_KEY,
    WEAK_KEY,
    WINDOWS,
    PathRoots,
    endpoint_host,
    is_bind_all_endpoint,
    is_bind_all_host,
    is_default_key,
    is_dev_secret,
    is_encoded_empty,
    is_fill_in_placeholder,
    is_issued_credential,
    is_loopback_host,
    is_loopback_value,
    is_not_key_value,
    is_passphrase,
    is_placeholder,
    is_placeholder_sentence,
    is_setting_path,
    is_signing_secret_setting,
    is_spelled_from_name,
    is_windows_path,
    key_name_strength,
    looks_like_key_material,
    name_words,
    secret_kind,
    template,
)

Z85_KEY = "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"


def _expr(source: str) -> ast.expr:
    statement = ast.parse(source).body[0]
    assert isinstance(statement, ast.Expr)
    return statement.value


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ('"tcp://*:5555"', "tcp://*:5555"),
        ('f"tcp://127.0.0.1:{port}"', "tcp://127.0.0.1:{}"),
        ('f"{scheme}://{host}:{port}/v1"', "{}://{}:{}/v1"),
        ('"tcp://*:%d" % port', "tcp://*:%d"),
        ('"tcp://*:{}".format(port)', "tcp://*:{}"),
        ('"http://" + host + "/v1"', "http://{}/v1"),
        ("host + port", None),
        ("42", None),
    ],
)
def test_template(source: str, text: str | None) -> None:
    assert template(_expr(source)) == text


def test_template_fills_names_it_is_told_about() -> None:
    node = _expr('f"tcp://{host}:{port}"')

    def known(part: ast.expr) -> str | None:
        return "0.0.0.0" if isinstance(part, ast.Name) and part.id == "host" else None

    assert template(node, known) == "tcp://0.0.0.0:{}"


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("tcp://localhost:5555", "localhost"),
        ("tcp://127.0.0.1:{}", "127.0.0.1"),
        ("{}://localhost:{}", "localhost"),
        ("amqp://guest:guest@LocalHost:5672//", "localhost"),
        ("tcp://*:5555", "*"),
        ("tcp://[::]:5555", "::"),
        ("localhost:6379", "localhost"),
        ("[::1]:8000", "::1"),
        ("127.0.0.1:%d", "127.0.0.1"),
        ("localhost", None),
        ("connecting to localhost:5555", None),
        ("/mnt/models", None),
        ("tcp://[::1:5555", None),
        ("file://localhost/etc/hosts", None),
        # test doubles and in-process transports: no network peer
        ("mock://localhost/movie_list/{}", None),
        ("MOCK://localhost/x", None),
        ("memory://localhost/", None),
        ("mockserver://localhost:1080", "localhost"),
        ("12:30:45", None),
    ],
)
def test_endpoint_host(text: str, host: str | None) -> None:
    assert endpoint_host(text) == host


@pytest.mark.parametrize(
    "text",
    [
        "localhost",
        "LOCALHOST",
        "127.0.0.1",
        "127.9.8.7",
        "::1",
        "[::1]",
        "::ffff:127.0.0.1",
        "api.localhost",
        "tcp://localhost:5555",
        "http://localhost:8080/v1",
        "nats://localhost:4222",
        "redis://:secret@127.0.0.1:6379/0",
        "localhost:6379",
    ],
)
def test_loopback_values(text: str) -> None:
    assert is_loopback_value(text)


@pytest.mark.parametrize(
    "text",
    [
        "0.0.0.0",
        "pc2",
        "mylocalhost.example.com",
        "localhost.example.com",
        "127.0.0.0/8",
        "fe80::1",
        "connecting to localhost failed",
        "tcp://pc2:5555",
        "tcp://{}:{}",
        "",
    ],
)
def test_not_loopback_values(text: str) -> None:
    assert not is_loopback_value(text)


def test_loopback_host_accepts_brackets() -> None:
    assert is_loopback_host("[::1]") and not is_loopback_host("[::]")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tcp://*:5555", True),
        ("tcp://*", True),
        ("tcp://0.0.0.0:{}", True),
        ("[::]:50051", True),
        ("0.0.0.0:8000", True),
        ("tcp://127.0.0.1:5555", False),
        ("tcp://eth0:5555", False),
        ("ipc:///tmp/x", False),
        ("0.0.0.0", False),  # a bare host is not an endpoint
    ],
)
def test_bind_all_endpoint(text: str, expected: bool) -> None:
    assert is_bind_all_endpoint(text) is expected


def test_bind_all_host() -> None:
    assert is_bind_all_host("0.0.0.0") and is_bind_all_host("::") and is_bind_all_host("*")
    assert is_bind_all_host("[::]")
    assert not is_bind_all_host("") and is_bind_all_host("", empty=True)
    assert not is_bind_all_host("127.0.0.1") and not is_bind_all_host("pc2")


ROOTS = PathRoots(DEFAULT_ABSOLUTE_PATH_ROOTS)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("/mnt/models", BELOW_ROOT),
        ("/mnt/models/", BELOW_ROOT),
        ("/home/me/My Documents/x.txt", BELOW_ROOT),
        ("/mnt", ROOT),
        ("/models", ROOT),
        ("/mntx", ABSOLUTE),
        ("/etc/agents.yaml", ABSOLUTE),
        ("/api/v1/items", ABSOLUTE),
        ("C:\\models", WINDOWS),
        ("d:/data", WINDOWS),
        ("\\\\server\\share\\x", WINDOWS),
        ("/", None),
        ("//nas/models", None),
        ("/dev/null", None),
        ("/proc/meminfo", None),
        ("/sys/class/net", None),
        ("/tmp", None),
        ("/tmp/x.sock", None),
        ("/var/tmp/x", None),
        ("/mnt/models not found", None),
        ("/home/(\\w+)/x", None),
        ("a/b", None),
        ("~/models", None),
        ("%Y/%m/%d", None),
        ("text/plain", None),
        ("http://x/mnt/models", None),
        ("12:30", None),
        ("", None),
    ],
)
def test_path_kinds(text: str, kind: str | None) -> None:
    assert ROOTS.classify(text) == kind


def test_configured_roots_tolerate_trailing_slashes_and_ignore_relative_ones() -> None:
    roots = PathRoots(["/var/lib/agents/", "relative"])
    assert roots.classify("/var/lib/agents/x") == BELOW_ROOT
    assert roots.classify("/var/lib/agents") == ROOT
    assert roots.classify("/mnt/models") == ABSOLUTE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C:\\Program Files (x86)\\agents", True),
        ("\\\\?\\C:\\very\\long", False),
        ("\\\\.\\pipe\\agent", False),
        ("x:\\d+", False),
        ("t:\\s*(.+)", False),
        ("c://example", False),
        ("http://x", False),
    ],
)
def test_windows_paths(text: str, expected: bool) -> None:
    assert is_windows_path(text) is expected


@pytest.mark.parametrize(
    ("name", "env", "strength"),
    [
        ("ZMQ_PRIVATE_KEY", True, STRONG_KEY),
        ("CURVE_SECRET", False, STRONG_KEY),
        ("curve_secretkey", False, STRONG_KEY),
        ("secretKey", False, STRONG_KEY),
        ("apiKey", False, STRONG_KEY),
        ("API_TOKEN", False, STRONG_KEY),
        ("CACHE_KEY", False, WEAK_KEY),
        ("CACHE_KEY", True, STRONG_KEY),
        ("EOS_TOKEN", False, WEAK_KEY),
        ("ZMQ_CURVE", False, WEAK_KEY),
        ("KEYBOARD_LAYOUT", True, NOT_KEY),
        ("MONKEY", True, NOT_KEY),
        ("MAX_TOKENS", True, NOT_KEY),
        ("TOKENIZER", True, NOT_KEY),
        ("KEY_ENV", True, NOT_KEY),
        ("SECRET_KEY_FILE", True, NOT_KEY),
        ("CURVE_KEYS_DIR", True, NOT_KEY),
        ("ZMQ_CURVE_ENABLED", True, NOT_KEY),
        ("TOKEN_TTL_SECONDS", True, NOT_KEY),
        ("HOST", True, NOT_KEY),
        ("_OAUTH_SETTINGS_KEY", False, WEAK_KEY),
        ("API_CONFIG_KEY", False, WEAK_KEY),
        ("SETTINGS_API_KEY", False, STRONG_KEY),
        ("CACHE_SIGNING_KEY", False, STRONG_KEY),
    ],
)
def test_key_name_strength(name: str, env: bool, strength: int) -> None:
    assert key_name_strength(name, env=env) == strength


@pytest.mark.parametrize(
    "value",
    [
        *("default", "changeme", "CHANGE_ME", "my-secret-key", "xxx", "sk-xxxxxxxx"),
        *("<your-key>", "UNSAFE_DEFAULT", "INSECURE_DEFAULT"),
    ],
)
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize(
    "value",
    ["access_token", "ZMQ_PRIVATE_KEY", "agents:status", "us", "", "<!--XSUPERVISOR:BEGIN-->"],
)
def test_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)


@pytest.mark.parametrize(
    "value",
    [
        *("dropbox_client_secret_placeholder", "PLACEHOLDER", "<your-api-key>", "<hf-token>"),
        *("your_api_key_here", "REPLACE_ME", "replaceme", "Replace with your own token"),
        *("xxxxxxxx", "********", "sk_test_xxxxxxxx"),
    ],
)
def test_fill_in_placeholders(value: str) -> None:
    assert is_fill_in_placeholder(value)
    assert not is_default_key(STRONG_KEY, value, "API_KEY")  # a service's key: none as shipped
    assert not is_default_key(STRONG_KEY, value, "CLIENT_SECRET")
    assert is_default_key(STRONG_KEY, value, "SECRET_KEY")  # the app signs with whatever it is
    assert is_default_key(STRONG_KEY, value, "ZMQ_SECRET_KEY")


@pytest.mark.parametrize(
    "value",
    [
        *("changeme", "CHANGE_ME", "changeit", "secret", "password", "admin", "TODO"),
        *("dev-token", "default", "my-secret-key", "change me in production", "xx", "..."),
        "hunter2 xxx",
    ],
)
def test_weak_defaults_are_no_fill_in_placeholders(value: str) -> None:
    assert not is_fill_in_placeholder(value)
    assert is_default_key(STRONG_KEY, value, "API_KEY")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        *(("API_KEY", True), ("CLIENT_SECRET", True), ("GITHUB_TOKEN", True)),
        *(("CLIENT_NOT_SO_SECRET", True), ("hf_token", True)),
        *(("SECRET_KEY", False), ("JWT_SECRET", False), ("ZMQ_SECRET_KEY", False)),
        *(("shared_secret", False), ("secret", False)),
    ],
)
def test_issued_credentials(name: str, expected: bool) -> None:
    assert is_issued_credential(name) is expected


@pytest.mark.parametrize(
    "value",
    [
        "This is not a secret, be sure to change this.",  # a Django example's SECRET_KEY
        "change me in production",
        "Replace with your own token",
        "not so secret",
    ],
)
def test_placeholder_sentences(value: str) -> None:
    assert is_placeholder_sentence(value)
    assert is_not_key_value(value)  # prose, yet bound to a key-like name it is the key
    assert is_default_key(STRONG_KEY, value, "SECRET_KEY")
    assert not is_default_key(WEAK_KEY, value, "CACHE_KEY")


@pytest.mark.parametrize(
    "value",
    [
        "Set this to a long random string in production.",
        "This field may not be blank.",
        "please set the key",
        "changeme",  # one word: a placeholder, not a sentence
        "The key could not be changed: " + "x" * 100,
    ],
)
def test_not_placeholder_sentences(value: str) -> None:
    assert not is_placeholder_sentence(value)


@pytest.mark.parametrize(
    "value",
    [
        Z85_KEY,
        Z85_KEY.encode(),
        "4f1c9a7e2b8d6f0a3c5e7b9d1f2a4c6e8b0d2f4a",
        "ghp_Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9",
        bytes(range(100, 132)),
    ],
)
def test_key_material(value: str | bytes) -> None:
    assert looks_like_key_material(value)


@pytest.mark.parametrize(
    "value",
    [
        "default",
        "agent_heartbeat_interval_seconds",
        "certificates/server.key_secret",
        "0000000000000000000000000000000000000000",
        "a" * 40,
        "heightOfGeoidAboveWGS84Units",  # a CamelCase field name (twisted's NMEA adapter)
    ],
)
def test_not_key_material(value: str) -> None:
    assert not looks_like_key_material(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "true",
        "512",
        "/etc/zmq/keys",
        "certs/server.key_secret",
        "https://auth.example.com/token",
        "${ZMQ_SECRET_KEY}",
        "ZMQ_PRIVATE_KEY",
        "access_token",
        "agents:status",
        "please set the key",
    ],
)
def test_not_key_values(value: str) -> None:
    assert is_not_key_value(value)


def test_default_key_decision() -> None:
    assert is_default_key(STRONG_KEY, "default")
    assert is_default_key(STRONG_KEY, "abc123")
    assert is_default_key(STRONG_KEY, b"changeme")
    assert not is_default_key(STRONG_KEY, "")
    assert not is_default_key(STRONG_KEY, "/etc/zmq/keys")
    assert not is_default_key(WEAK_KEY, "default")  # SORT_KEY = "default"
    assert is_default_key(WEAK_KEY, Z85_KEY)
    assert not is_default_key(NOT_KEY, Z85_KEY)


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("api_key", "API_KEY"),
        ("encryptionKey", "ENCRYPTION_KEY"),
        ("secret", "SECRET"),
        ("X-Api-Key", "API_KEY"),
        ("client_secret", "OAUTH_CLIENT_SECRET"),
    ],
)
def test_values_spelled_from_the_name_are_names(value: str, name: str) -> None:
    assert is_spelled_from_name(value, name)
    assert not is_default_key(STRONG_KEY, value, name)


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("secret", "JWT_SECRET"),  # one word that is not the whole name: a placeholder
        ("dev_jwt_secret", "JWT_SECRET"),
        ("my-api-key", "API_KEY"),
        ("api key", "API_KEY"),
    ],
)
def test_values_not_spelled_from_the_name(value: str, name: str) -> None:
    assert not is_spelled_from_name(value, name)


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("network/zmq_private_key", "zmq_private_key"),
        ("auth/api_token", "api_token"),
        ("network.zmq_private_key", "ZMQ_PRIVATE_KEY"),
        ("config/oauth/client-secret", "client_secret"),
    ],
)
def test_a_path_ending_in_the_name_is_the_settings_place(value: str, name: str) -> None:
    assert is_setting_path(value, name)
    assert not is_default_key(STRONG_KEY, value, name)


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (Z85_KEY, "zmq_private_key"),  # key material, "/" and "." included
        ("network/zmq_public_key", "zmq_private_key"),  # another setting's place
        ("dev/api_token", "api_token"),  # a made-up secret's qualifier, no section
        ("zmq_private_key", "zmq_private_key"),  # no path: is_spelled_from_name's
        ("/etc/keys/zmq_private_key", "zmq_private_key"),  # a file: is_not_key_value's
    ],
)
def test_what_is_no_settings_place(value: str, name: str) -> None:
    assert not is_setting_path(value, name)


def test_a_parameter_default_is_no_label() -> None:
    # SECRET = "secret" is a label; def __init__(self, secret="secret") a shared default.
    assert is_spelled_from_name("secret", "secret")
    assert not is_spelled_from_name("secret", "secret", label=False)
    assert is_default_key(STRONG_KEY, "secret", "secret", label=False)
    assert not is_default_key(STRONG_KEY, "secret", "SECRET")
    # A name of several words stays a name (a form field), a parameter's or not.
    assert is_spelled_from_name("client_secret", "client_secret", label=False)
    assert not is_default_key(STRONG_KEY, "client_secret", "client_secret", label=False)


def test_placeholder_words_beat_the_identifier_shape() -> None:
    # "api_key" under API_KEY is a label; the same shape with development words is a secret.
    assert not is_default_key(STRONG_KEY, "api_key", "API_KEY")
    assert is_default_key(STRONG_KEY, "dev_jwt_secret_change_in_production", "JWT_SECRET")
    assert is_default_key(WEAK_KEY, "dev_translator_token", "TRANSLATOR_TOKEN")
    assert is_default_key(WEAK_KEY, b"changeme", "key")
    assert not is_default_key(WEAK_KEY, "changeme", "key")
    assert not is_default_key(STRONG_KEY, "https://vault/v1/secret", "API_TOKEN")


@pytest.mark.parametrize("value", ["dev_translator_token", "test-api-key", "insecure_secret"])
def test_dev_secrets(value: str) -> None:
    assert is_dev_secret(value)


@pytest.mark.parametrize(
    "value", ["access_token", "DEV_SECRET_KEY", "dev", "default", "http://dev/token", "a b"]
)
def test_not_dev_secrets(value: str) -> None:
    assert not is_dev_secret(value)


@pytest.mark.parametrize("value", ["SSECustomerKey", "SSECustomerKeyMD5", "MySecretAccessKey"])
def test_camel_case_names_are_not_keys(value: str) -> None:
    assert is_not_key_value(value)
    assert not is_default_key(STRONG_KEY, value, "X-Amz-Server-Side-Encryption-Customer-Key")


@pytest.mark.parametrize(
    "value", [Z85_KEY, "aB3dE5fG7hJ9kL1mN3pQ5rS7", "ghp_Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9"]
)
def test_tokens_are_not_camel_case_names(value: str) -> None:
    assert not is_not_key_value(value)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("ZMQ_PRIVATE_KEY", "curve"),
        ("curve_secretkey", "curve"),
        ("server_secret_key", "curve"),
        ("client_public_key", "curve"),
        ("SSH_PUBLIC_KEY", "credential"),
        # a server's key that is no half of a pair: an S3 header name, not CURVE
        ("X-Amz-Server-Side-Encryption-Customer-Key", "credential"),
        ("SECRET_KEY", "app"),
        ("JWT_SECRET", "app"),
        ("API_TOKEN", "credential"),
        ("GITHUB_TOKEN", "credential"),
        ("secret", "credential"),
    ],
)
def test_secret_kind(name: str, kind: str) -> None:
    assert secret_kind(name) == kind


@given(st.text(max_size=80))
def test_classifiers_never_raise(text: str) -> None:
    ROOTS.classify(text)
    is_loopback_value(text)
    is_bind_all_endpoint(text)
    is_windows_path(text)
    key_name_strength(text, env=True)
    is_default_key(STRONG_KEY, text)
    is_default_key(WEAK_KEY, text.encode("utf-8", "surrogatepass"))
    is_default_key(STRONG_KEY, text, text[::-1])
    is_dev_secret(text)
    is_encoded_empty(text)
    is_encoded_empty("%" + text)
    secret_kind(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("/.dockerenv", None),
        ("/run/secrets/zmq_server_key", None),
        ("/var/run/secrets/kubernetes.io/serviceaccount/token", None),
        ("/etc/hosts", None),
        ("/var/run/docker.sock", None),
        ("/etc/ai-system/settings.yaml", "absolute"),
        ("/run/agent.pid", "absolute"),
        ("/.dockerenv.bak", "absolute"),
    ],
)
def test_files_the_same_on_every_machine_are_portable(text: str, kind: str | None) -> None:
    assert ROOTS.classify(text) == kind


def test_name_words_split_snake_and_camel_case() -> None:
    assert name_words("tunnel_to_kernel") == {"TUNNEL", "TO", "KERNEL"}
    assert name_words("forwardLocalPort") == {"FORWARD", "LOCAL", "PORT"}


@pytest.mark.parametrize(
    ("name", "setting"),
    [
        ("SECRET_KEY", True),
        ("secret_key", True),
        ("JWT_SECRET", True),
        ("JWT_SECRET_KEY", True),
        ("WTF_CSRF_SECRET_KEY", True),
        ("SESSION_SECRET", True),
        ("secretKey", True),
        ("SECRET_KEY_MISSING", False),  # a message about the setting
        ("secret_question", False),
        ("client_secret", False),
        ("secret", False),  # no setting's name
        ("API_TOKEN", False),
    ],
)
def test_is_signing_secret_setting(name: str, setting: bool) -> None:
    assert is_signing_secret_setting(name) is setting


def test_a_passphrase_is_the_key_only_bound_straight_to_a_signing_secret() -> None:
    assert is_passphrase("shhh, secret") and is_passphrase("hard to guess string")
    for other in ("nospace", "https://vault/secret key", "/etc/app/secret key", "${A B}"):
        assert not is_passphrase(other)
    assert not is_default_key(STRONG_KEY, "shhh, secret", "SECRET_KEY")  # prose, unbound
    assert is_default_key(STRONG_KEY, "shhh, secret", "SECRET_KEY", bound=True)
    assert not is_default_key(STRONG_KEY, "shhh, secret", "client_secret", bound=True)
    assert not is_default_key(
        STRONG_KEY, "SECRET_KEY must be set", "SECRET_KEY_MISSING", bound=True
    )


@pytest.mark.parametrize(
    ("value", "reference"),
    [
        ("${SECRET_KEY}", True),
        ("prefix-${SIGNING_KEY}", True),
        ("$SESSION_SECRET", True),
        ("{{ jwt_secret }}", True),
        ("%(token)s", True),
        ("{api_key}", True),
        ("changeme", False),
        ("secret-key", False),
        ("pa$$w0rd", False),  # dollars inside, no reference
        ("JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6", False),  # Z85 key material
        ("{not a name}", False),
    ],
)
def test_a_template_reference_is_no_key_whatever_its_words(value: str, reference: bool) -> None:
    from debt_lints.analysis.literals import STRONG_KEY, is_default_key, is_template_reference

    assert is_template_reference(value) is reference
    if reference:
        assert not is_default_key(STRONG_KEY, value, "SECRET_KEY", bound=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.0/8", True),
        ("::1/128", True),
        ("127.0.0.1/32", True),
        ("127.0.0.1", False),  # a host, not a network
        ("10.0.0.0/8", False),
        ("localhost/8", False),
        ("http://127.0.0.1/8", False),
    ],
)
def test_is_loopback_network(text: str, expected: bool) -> None:
    from debt_lints.analysis.literals import is_loopback_network

    assert is_loopback_network(text) is expected


@pytest.mark.parametrize(
    "value",
    [
        "e30=",  # base64 of {}: Kobo's x-kobo-apitoken header
        "e30",  # unpadded
        "W10=",  # []
        b"bnVsbA==",  # null
        "IiI=",  # ""
        "ICA=",  # two spaces
        "eyB9",  # { }
        "7b7d",  # hex of {}
        "%7B%7D",  # URL-encoding of {}
        "e30%3D",  # URL-encoded base64 of {}
        "ZTMwPQ==",  # base64 of base64 of {}
    ],
)
def test_encodings_of_nothing_are_no_key(value: str | bytes) -> None:
    assert is_encoded_empty(value)
    assert not is_default_key(STRONG_KEY, value, "x-kobo-apitoken", bound=True)


@pytest.mark.parametrize(
    "value",
    [
        "dev",  # Flask's SECRET_KEY = "dev": a signing key however weak
        "c2VjcmV0",  # base64 of "secret"
        "7b2275736572223a2261646d696e227d",  # hex of {"user":"admin"}
        "AAAA",  # zero bytes: content, if a weak one
        "e30=-dev-token",
        "%zz",
        "",
    ],
)
def test_encodings_of_something_may_be_keys(value: str) -> None:
    assert not is_encoded_empty(value)


def test_a_short_secret_stays_a_key_next_to_encoded_nothing() -> None:
    assert is_default_key(STRONG_KEY, "dev", "SECRET_KEY", bound=True)
    assert is_default_key(STRONG_KEY, "c2VjcmV0", "API_TOKEN", bound=True)
