"""The semantic model: scopes, reaching definitions, values and uses."""

from __future__ import annotations

import ast
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debt_lints.analysis.context import FileContext
from debt_lints.analysis.resources import HelperCall
from debt_lints.analysis.semantic import (
    COMPARE,
    DATA,
    DEFAULT_ATTRIBUTE,
    DEFAULT_CONSTANT,
    DEFAULT_PARAMETER,
    DEFAULT_SETTING,
    DISPLAY,
    FROM_CALLER,
    FROM_CWD,
    FROM_DATA_DIR,
    FROM_INPUT,
    FROM_LAYOUT,
    FROM_LITERAL,
    FROM_LOCATION,
    FROM_OTHER,
    FROM_SYS_PATH,
    HOLE,
    LISTEN,
    OPTION,
    OWN_ADDRESS,
    OWN_LISTENER,
    PEER,
    PLACEHOLDER,
    RESOLVE,
    SPAWN,
    UNKNOWN,
    UNKNOWN_VALUE,
    SemanticModel,
    model_of,
)


def build(source: str) -> tuple[SemanticModel, ast.Module]:
    source = textwrap.dedent(source)
    tree = ast.parse(source)
    ctx = FileContext("m.py", "m.py", source)
    ctx.tree = tree
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            ctx.add_import(node)
    model = model_of(ctx)
    assert model is not None
    return model, tree


def call_arg(tree: ast.AST, method: str, nth: int = 0) -> ast.expr:
    """The first argument of the ``nth`` call of ``method``."""
    calls = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and (
            (isinstance(n.func, ast.Attribute) and n.func.attr == method)
            or (isinstance(n.func, ast.Name) and n.func.id == method)
        )
    ]
    calls.sort(key=lambda c: (c.lineno, c.col_offset))
    return calls[nth].args[0]


def texts(model: SemanticModel, node: ast.expr) -> set[str]:
    return {t.text for t in model.texts(node)}


def constant(tree: ast.AST, value: str) -> ast.Constant:
    return next(n for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value == value)


# --- reaching definitions -----------------------------------------------------------------------


def test_model_is_built_once_per_file() -> None:
    source = "x = 1\n"
    ctx = FileContext("m.py", "m.py", source)
    ctx.tree = ast.parse(source)
    assert model_of(ctx) is model_of(ctx)


def test_a_reassignment_after_the_use_does_not_hide_the_value_used() -> None:
    model, tree = build(
        """
        def start(s):
            url = "tcp://*:*"
            s.bind(url)
            url = s.last_endpoint
            s.use(url)
        """
    )
    assert texts(model, call_arg(tree, "bind")) == {"tcp://*:*"}
    assert texts(model, call_arg(tree, "use")) == {HOLE}


def test_branches_join_and_loops_reach_their_head() -> None:
    model, tree = build(
        """
        def f(flag, items):
            host = "a"
            if flag:
                host = "b"
            use(host)
            for item in items:
                use(host)
                host = "c"
                if item:
                    break
                host = "d"
            use(host)
        """
    )
    assert texts(model, call_arg(tree, "use", 0)) == {"a", "b"}
    assert texts(model, call_arg(tree, "use", 1)) == {"a", "b", "d"}
    assert texts(model, call_arg(tree, "use", 2)) == {"a", "b", "c", "d"}


def test_return_ends_a_path_and_handlers_see_the_whole_body() -> None:
    model, tree = build(
        """
        def f(flag):
            host = "a"
            if flag:
                host = "b"
                return
            use(host)
            try:
                host = "c"
                risky()
                host = "d"
            except OSError:
                use(host)
        """
    )
    assert texts(model, call_arg(tree, "use", 0)) == {"a"}
    assert texts(model, call_arg(tree, "use", 1)) == {"a", "c", "d"}


def test_a_function_sees_every_module_binding_of_a_free_name() -> None:
    model, tree = build(
        """
        HOST = "a"
        def f():
            use(HOST)
        HOST = "b"
        """
    )
    assert texts(model, call_arg(tree, "use")) == {"a", "b"}


def test_a_local_shadows_the_module_and_builtins_are_unknown() -> None:
    model, tree = build(
        """
        HOST = "a"
        def f(HOST="p"):
            use(HOST)
            use(len)
        """
    )
    assert "a" not in texts(model, call_arg(tree, "use", 0))
    assert texts(model, call_arg(tree, "use", 1)) == {HOLE}


# --- values -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ('f"tcp://{HOST}:{PORT}"', "tcp://h:5"),
        ('"tcp://%s:%d" % (HOST, PORT)', "tcp://h:5"),
        ('"tcp://%s:%d%%" % (HOST, PORT)', "tcp://h:5%"),
        ('"tcp://{}:{}".format(HOST, PORT)', "tcp://h:5"),
        ('"tcp://{0}:{port}".format(HOST, port=PORT)', "tcp://h:5"),
        ('"tcp://" + HOST + ":" + str(PORT)', "tcp://h:5"),
        ('":".join(["tcp://" + HOST, str(PORT)])', "tcp://h:5"),
        ('"tcp://X:5".replace("X", HOST)', "tcp://h:5"),
        ('" TCP://H:5 ".strip().lower()', "tcp://h:5"),
    ],
)
def test_string_folding(expr: str, expected: str) -> None:
    model, tree = build(f'HOST = "h"\nPORT = 5\nuse({expr})\n')
    assert texts(model, call_arg(tree, "use")) == {expected}


def test_an_unknown_part_is_a_hole() -> None:
    model, tree = build('def f(port):\n    use(f"tcp://*:{port}")\n')
    assert texts(model, call_arg(tree, "use")) == {"tcp://*:{}"}


def test_settings_give_their_default_and_an_unknown_value() -> None:
    model, tree = build(
        """
        import os
        A = os.environ.get("BIND_ADDRESS", "0.0.0.0")
        B = os.getenv("LISTEN_HOST") or "*"
        C = config.get("bind_address", "::")
        D = get_env("BIND_HOST", "0.0.0.0")
        use(A)
        use(B)
        use(C)
        use(D)
        """
    )
    found = [model.texts(call_arg(tree, "use", i)) for i in range(4)]
    assert {(t.text, t.source) for t in found[0]} == {(HOLE, None), ("0.0.0.0", "BIND_ADDRESS")}
    assert ("*", "LISTEN_HOST") in {(t.text, t.source) for t in found[1]}
    assert ("::", "bind_address") in {(t.text, t.source) for t in found[2]}
    assert ("0.0.0.0", "BIND_HOST") in {(t.text, t.source) for t in found[3]}


def test_tornado_options_read_by_attribute_are_settings_with_their_default() -> None:
    model, tree = build(
        """
        from tornado.options import define, options
        define("address", default="", type=str)
        define("port", 5555)
        define("name")
        use(options.address)
        use(options.port)
        use(options.name)
        use(options.undeclared)
        def serve(options):
            use(options.address)
        """
    )
    found = [{(t.text, t.source) for t in model.texts(call_arg(tree, "use", i))} for i in range(5)]
    assert found[0] == {(HOLE, None), ("", "option address")}
    assert found[1] == {(HOLE, None), ("5555", "option port")}
    assert found[2] == {(HOLE, None)}  # declared without a default: the user's value only
    assert found[3] == {(HOLE, None)}  # not declared here
    assert found[4] == {(HOLE, None)}  # a parameter named like the namespace


def test_setdefault_and_pop_with_a_default_read_a_setting() -> None:
    model, tree = build(
        """
        def serve(config, **kwargs):
            use(config.setdefault("bind", "0.0.0.0"))
            use(kwargs.pop("host", "::"))
            use(kwargs.pop("host"))
            use(setdefault("bind", "0.0.0.0"))
        """
    )
    found = [model.texts(call_arg(tree, "use", i)) for i in range(4)]
    assert {(t.text, t.source) for t in found[0]} == {(HOLE, None), ("0.0.0.0", "bind")}
    assert ("::", "host") in {(t.text, t.source) for t in found[1]}
    assert all(t.source is None for t in found[2])  # no default: not a setting's read
    assert all(t.text != "0.0.0.0" for t in found[3])  # a bare function, not a mapping's


def test_a_parameter_is_its_default_joined_with_this_files_arguments() -> None:
    model, tree = build(
        """
        class Server:
            def __init__(self, ctx, url="tcp://*:*"):
                self.ctx = ctx
                use(url)

            def again(self, host):
                use(host)

            def caller(self):
                self.again("b")

        Server(None, "tcp://localhost:1")
        Server(ctx=None, url="tcp://c:2")
        """
    )
    first = {(t.text, t.source) for t in model.texts(call_arg(tree, "use", 0))}
    assert first == {
        (HOLE, None),
        ("tcp://*:*", "parameter url"),
        ("tcp://localhost:1", None),
        ("tcp://c:2", None),
    }
    assert texts(model, call_arg(tree, "use", 1)) == {HOLE, "b"}


def test_self_attribute_joins_every_assignment_in_the_class() -> None:
    model, tree = build(
        """
        class Server:
            bind_address = "127.0.0.1"

            def __init__(self, public):
                if public:
                    self.bind_address = "0.0.0.0"

            def start(self, sock):
                sock.bind(self.bind_address)
        """
    )
    assert texts(model, call_arg(tree, "bind")) == {"127.0.0.1", "0.0.0.0"}


def test_default_value_of_flags() -> None:
    model, tree = build(
        """
        import os
        SECURE = os.environ.get("SECURE", "0") == "1"
        OFF = os.getenv("X", "false").lower() in ("1", "true")
        ON = not OFF

        def enabled():
            return os.getenv("SECURE_ZMQ", "1") == "1"

        use(SECURE)
        use(OFF)
        use(ON)
        use(enabled())
        use(UNSET)
        """
    )
    values = [model.default_value(call_arg(tree, "use", i)) for i in range(5)]
    assert values == [False, False, True, True, UNKNOWN_VALUE]


# --- uses ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('cherrypy.config.update({"server.socket_host": "localhost"})', {LISTEN}),
        ('cherrypy.quickstart(a, "/", {"global": {"server.socket_host": "localhost"}})', {LISTEN}),
        ('cherrypy.server.socket_host = "localhost"', {LISTEN}),
        ('d = {"socket_host": "localhost"}', {DATA}),
        ('conf.server.host = "localhost"', {DATA}),
    ],
)
def test_a_configured_listen_address_is_a_listen_use(source: str, expected: set[str]) -> None:
    """CherryPy is configured rather than called: its ``server.socket_host`` key and
    ``cherrypy.server.socket_host`` attribute are the server's own address."""
    model, tree = build(source)
    assert model.uses(constant(tree, "localhost")) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('sock.connect("tcp://localhost:1")', {PEER}),
        ('requests.get("http://localhost:8000/x")', {PEER}),
        ('redis.Redis(host="localhost")', {PEER}),
        ('sock.bind("tcp://localhost:0")', {LISTEN}),
        ('app.run(host="localhost")', {LISTEN}),
        ('print("localhost")', {DISPLAY}),
        ('logger.info("at %s", "localhost")', {DISPLAY}),
        ('socket.getaddrinfo("localhost", 80)', {RESOLVE}),
        ('x == "localhost"', {COMPARE}),
        ('d = {"k": "localhost"}', {DATA}),
        ('mystery("localhost")', {UNKNOWN}),
    ],
)
def test_direct_uses(source: str, expected: set[str]) -> None:
    model, tree = build(source)
    assert model.uses(constant(tree, next(iter(_strings(tree))))) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # the default of a command-line option is configuration
        ('parser.add_argument("--host", default="localhost")', {OPTION}),
        ('click.option("--host", default="localhost")', {OPTION}),
        (
            'self.add("url", "ctl.url", "s:", "serverurl=", str, default="http://localhost:9")',
            {OPTION},
        ),
        ('class O:\n    optParameters = [["host", "h", "localhost", "the host"]]', {OPTION}),
        ('mystery("--host", flag="localhost")', {UNKNOWN}),
        # the default of a configurable trait (traitlets) is configuration too
        ('class C:\n    ip = Unicode("localhost", config=True, help="x")', {OPTION}),
        ('class C:\n    ip = Unicode(default_value="localhost", config=True)', {OPTION}),
        ('class C:\n    ip = Unicode("localhost").tag(config=True)', {OPTION}),
        ('class C:\n    urls = List(["http://localhost:8"], config=True)', {OPTION}),
        ('class C:\n    ip = Unicode("localhost")', {UNKNOWN}),
        ('class C:\n    ip = Unicode("localhost", config=False)', {UNKNOWN}),
        ('class C:\n    ip = Unicode("x", "localhost", config=True)', {UNKNOWN}),
        # a type test tests the value, it does not use it
        ('isinstance("localhost", str)', {COMPARE}),
        # a connect to the port of this program's own listener
        ('s.connect(("localhost", server.getsockname()[1]))', {OWN_LISTENER}),
        ('reactor.connectTCP("localhost", port.getHost().port, f)', {OWN_LISTENER}),
        ('reactor.connectTCP("localhost", 8000, f)', {PEER}),
        # stand-ins where nothing connects
        ('env["REMOTE_ADDR"] = "localhost"', {PLACEHOLDER}),
        ('env = {"SERVER_NAME": "localhost"}', {PLACEHOLDER}),
        ('defaults = [("SERVER_NAME", "localhost")]', {PLACEHOLDER}),
        ('ServerProxy("http://localhost", transport)', {PLACEHOLDER}),
        ('ServerProxy("http://localhost:9001")', {PEER}),
        ('UnixStreamHTTPConnection("localhost")', {PLACEHOLDER}),
        ('mock.Mock(url="http://localhost/")', {PLACEHOLDER}),
        ('Mock(abs_href=Href("http://localhost/"))', {PLACEHOLDER}),
        ('Request(url=Href("http://localhost/"))', {UNKNOWN}),
        # the local resolver: a nameserver entry on the DNS port
        ('servers.append(("localhost", dns.PORT))', {RESOLVE}),
        ('create(servers=[("localhost", 53)])', {RESOLVE}),
        ('sock.sendto(data, ("localhost", 8125))', {PEER}),
        # the local end of a port forward
        ('conn.forward_local_port("localhost", 0, host, port)', {LISTEN}),
        ('forward_events("localhost")', {UNKNOWN}),
        # tested for truth, shown in a widget
        ('if flag or "localhost":\n    pass', {COMPARE}),
        ('x = a if "localhost" else b', {COMPARE}),
        ('edit.setPlaceholderText("localhost")', {DISPLAY}),
    ],
)
def test_uses_that_assume_no_peer(source: str, expected: set[str]) -> None:
    model, tree = build(source)
    assert model.uses(constant(tree, next(iter(_strings(tree))))) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a call whose name says it serves takes the host it listens on
        ('RPCDaemon("localhost", 0)', {LISTEN}),
        ('NameServerDaemon(host="localhost", port=0)', {LISTEN}),
        ('web.serve_app(app, host="localhost", port=8080)', {LISTEN}),
        ('listenOn(("localhost", 0))', {LISTEN}),
        ('net.bind_socket("localhost", 0)', {LISTEN}),
        ('ThreadedDaemon(service, hostname="localhost")', {LISTEN}),
        ('serve_app(app, name="localhost")', {UNKNOWN}),
        ('serve_app(app, upstream="http://localhost:9000")', {UNKNOWN}),
        ('daemonize.Daemon(host="localhost")', {UNKNOWN}),
        ('server_name("localhost")', {UNKNOWN}),
        # a proxy is a client
        ('NSProxy("localhost:9090")', {PEER}),
        # an address built or taken apart goes where its result goes
        ('NSProxy(SocketAddress("localhost", 9090))', {PEER}),
        ('RPCDaemon(*address_to_host_port("localhost:1"))', {UNKNOWN}),
        (
            'host, port = address_to_host_port("localhost:9090")\nRPCDaemon(host, port)',
            {LISTEN},
        ),
        (
            "class P:\n"
            "    def __init__(self):\n"
            '        self.host, self.port = parse_endpoint("tcp://localhost:1")\n'
            "    def run(self):\n"
            "        serve_forever(self.host, self.port)",
            {LISTEN},
        ),
        ('host, port = split_host_port("localhost:1")\nRPCClient(host, port)', {PEER}),
        # a call named for what it does with the address is not a conversion
        ('sock = open_endpoint("localhost", 1)\nuse(sock)', {UNKNOWN}),
        ('host, port = fetch_address("localhost")', {UNKNOWN}),
    ],
)
def test_servers_proxies_and_address_conversions_by_name(source: str, expected: set[str]) -> None:
    """Round 9 (osbrain): a ``*Daemon``, ``serve*``, ``listen*`` or ``bind*`` call is the
    program's own listener, a ``*Proxy`` a client, and an address built or taken apart
    (``SocketAddress``, ``address_to_host_port``) goes where the parts go."""
    model, tree = build(source)
    assert model.uses(constant(tree, next(iter(_strings(tree))))) == expected


def test_an_argument_goes_where_the_callees_parameter_goes() -> None:
    model, tree = build(
        """
        class Debugger:
            def __init__(self, host="localhost"):
                self.sock = self.listen_on(host)

            def listen_on(self, address):
                sock.bind((address, 0))

        def dial(address):
            return create_connection((address, 1))

        def main():
            dial("localhost:2")
        """
    )
    assert model.uses(constant(tree, "localhost")) == {LISTEN}
    assert model.uses(constant(tree, "localhost:2")) == {PEER}


def test_an_argument_of_a_class_of_this_file_goes_where_its_init_parameter_goes() -> None:
    model, tree = build(
        """
        class Listener:
            def __init__(self, host, port=0):
                self.sock = socket.socket()
                self.sock.bind((host, port))

        class Feed:
            def __init__(self, host, port):
                self.conn = create_connection((host, port))

        class Inherited(Feed):
            pass

        def main():
            Listener("localhost", port=1)
            Feed(port=2, host="localhost:2")
            Inherited("localhost:3", 3)
        """
    )
    calls = {
        n.func.id: n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }
    init = model.constructor_of(calls["Listener"])
    assert init is not None and init.lineno == 3
    assert model.constructor_of(calls["Inherited"]) is None
    assert model.uses(constant(tree, "localhost")) == {LISTEN}
    assert model.uses(constant(tree, "localhost:2")) == {PEER}
    assert model.uses(constant(tree, "localhost:3")) == {UNKNOWN}  # __init__ from a base


def _strings(tree: ast.AST) -> list[str]:
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and "localhost" in n.value
    ]


def test_uses_follow_names_attributes_parameters_and_settings() -> None:
    model, tree = build(
        """
        import os

        ADDRESS = f"127.0.0.1:{os.getenv('PORT', '80')}"

        class Agent:
            def __init__(self, host="localhost"):
                self.host = host
                self.listen_host = os.getenv("LISTEN", "localhost")

            def run(self, sock, port):
                sock.connect(f"tcp://{self.host}:{port}")
                sock.bind(f"tcp://{self.listen_host}:{port}")

        def show():
            print("serving on", ADDRESS)
        """
    )
    peer, listen = (
        n for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value == "localhost"
    )
    assert model.uses(peer) == {PEER}
    assert model.uses(listen) == {LISTEN}
    assert model.uses(constant(tree, "127.0.0.1:")) == {DISPLAY}


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["x = 1", "for a in b:\n    x = a\n    break", "while x:\n    continue"]))
def test_building_never_raises_on_small_programs(body: str) -> None:
    model, tree = build(
        f"def f(x, b):\n    {body.replace(chr(10), chr(10) + '    ')}\n    use(x)\n"
    )
    model.texts(call_arg(tree, "use"))
    model.uses(call_arg(tree, "use"))


# --- where a path comes from --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = os.path.dirname(os.path.abspath(__file__))\nadd(x)", {FROM_LAYOUT}),
        ('add(str(Path(__file__).parent / "_ext"))', {FROM_LAYOUT}),
        ('add(os.path.join(os.path.dirname(__file__), "..", ".."))', {FROM_LAYOUT, FROM_LITERAL}),
        ('add("../..")', {FROM_LITERAL}),
        ("add(os.pardir)", {FROM_LITERAL}),
        ('add("lib")', {FROM_LITERAL}),
        ('add("/usr/share/tool")', {FROM_LOCATION}),
        ('add(os.path.expanduser("~/" + ".tool"))', {FROM_LOCATION}),
        ('add(os.path.expandvars("%AppData%\\\\tool"))', {FROM_LOCATION}),
        ('add(os.path.expandvars("${XDG_DATA_HOME}/tool"))', {FROM_LOCATION}),
        ('add(str(Path.home() / ".tool"))', {FROM_LOCATION}),
        ('add("C:/Tools/lib")', {FROM_LITERAL}),
        ('add("/opt/local/share/tool")', {FROM_LOCATION}),
        ('add("/etc/tool")', {FROM_LOCATION}),
        ('add("/sw/share/tool")', {FROM_LOCATION}),
        ('add("/opt/sfw/tool")', {FROM_LOCATION}),
        ('add("C:\\\\ProgramData\\\\tool")', {FROM_LOCATION}),
        ('add(os.path.expanduser("~/Library/Application Support/Tool"))', {FROM_LOCATION}),
        ('add(os.path.expandvars("$HOME/.tool"))', {FROM_LOCATION}),
        ('home = Path.home()\nadd(home / ".tool")', {FROM_LOCATION}),
        # The home folder or a system folder holding a checkout of the code (issue 22).
        ('add(os.path.join(os.path.expanduser("~"), "Monorepo", "main_pc_code"))', {FROM_LITERAL}),
        ('add(str(Path.home() / "Monorepo" / "pc2_code"))', {FROM_LITERAL}),
        ('add(os.path.expanduser("~/Monorepo/main_pc_code"))', {FROM_LITERAL}),
        ('add(os.path.expanduser("~"))', {FROM_LITERAL}),
        ('add(os.path.expandvars("$HOME/monorepo"))', {FROM_LITERAL}),
        ('add("/opt/app/lib")', {FROM_LITERAL}),
        ('add(os.environ.get("CODE", "/opt/app/code"))', {FROM_INPUT, FROM_LITERAL}),
        ('add(os.environ.get("CODE", os.path.dirname(__file__)))', {FROM_INPUT, FROM_LAYOUT}),
        ('add(os.getenv("CODE", os.path.expanduser("~/.local/share")))', {FROM_INPUT}),
        ('add("/home/me/monorepo/lib")', {FROM_LITERAL}),
        ('add("/srv/app/lib")', {FROM_LITERAL}),
        ('add("C:\\\\Users\\\\me\\\\lib")', {FROM_LITERAL}),
        ('add("%s/lib" % base)', {FROM_LITERAL}),
        ("add(os.getcwd())", {FROM_CWD}),
        ('add("")', {FROM_CWD}),
        ('add(os.path.join(os.getcwd(), "plugins"))', {FROM_CWD}),
        ('add(os.path.join(os.getcwd(), "..", "lib"))', {FROM_CWD, FROM_LITERAL}),
        ("add(sys.argv[1])", {FROM_INPUT}),
        ("add(sys.argv[0])", {FROM_LAYOUT}),
        # vars() of a namespace holds what the namespace holds (errbot's `-c config.py`).
        ('args = vars(parser.parse_args())\nadd(os.path.dirname(args["config"]))', {FROM_INPUT}),
        ('add(vars(parser.parse_known_args()[0]).get("plugins"))', {FROM_INPUT}),
        ('from myapp import layout\nadd(vars(layout)["ROOT"])', {FROM_OTHER}),
        ('add(os.environ.get("APP_HOME", ""))', {FROM_INPUT}),
        ('add(os.environ.copy()["PYTHONPATH"])', {FROM_INPUT}),
        (
            "add(str(Path(str(Path(str(Path(str(Path(os.getcwd()).parent)).parent)).parent)).parent))",
            {FROM_CWD},
        ),
        ("add(sys.path.pop(0))", {FROM_SYS_PATH}),
        ("add(list(sys.path))", {FROM_SYS_PATH}),
        ("from settings import ROOT\nadd(ROOT)", {FROM_OTHER}),
        ("add(find_root())", {FROM_OTHER}),
        # The program's data location from appdirs or platformdirs (opsdroid's deps folder).
        (
            "from appdirs import user_data_dir\n"
            'add(os.path.join(user_data_dir("bot", "bot_modules"), "site-packages"))',
            {FROM_DATA_DIR},
        ),
        ('import platformdirs\nadd(platformdirs.site_data_dir("bot"))', {FROM_DATA_DIR}),
        (
            'import platformdirs\nadd(str(platformdirs.user_data_path("bot") / "x"))',
            {FROM_DATA_DIR},
        ),
        (
            'from platformdirs import PlatformDirs\ndirs = PlatformDirs("bot")\n'
            "add(dirs.user_config_dir)",
            {FROM_DATA_DIR},
        ),
        (
            "from appdirs import user_data_dir\n"
            'add(os.path.join(user_data_dir("bot"), "..", "lib"))',
            {FROM_DATA_DIR, FROM_LITERAL},
        ),
        ('from mylib import user_data_dir\nadd(user_data_dir("bot"))', {FROM_OTHER}),
        ("add(config.user_data_dir)", {FROM_OTHER}),
        ("cfg = AppConfig()\nadd(cfg.chdir)", {FROM_INPUT}),
        ("cfg = None\ncfg = ServerSettings(argv)\nadd(cfg.pythonpath.split(',')[0])", {FROM_INPUT}),
        ("cfg = Layout()\nadd(cfg.lib_dir)", {FROM_OTHER}),
        ("cfg = AppConfig() if x else Layout()\nadd(cfg.lib_dir)", {FROM_OTHER}),
    ],
)
def test_path_sources(source: str, expected: set[str]) -> None:
    model, tree = build("import os\nimport sys\nfrom pathlib import Path\n" + source)
    assert model.path_sources(call_arg(tree, "add")) == expected


def test_path_sources_follow_parameters_loops_attributes_and_this_files_functions() -> None:
    model, tree = build(
        """
        import argparse
        import os

        def load(path, options):
            directory, name = os.path.split(path)
            add(directory)
            add(options.include_dir)
            for entry in options.extra.split(os.pathsep):
                add(entry)

        def main():
            args = argparse.ArgumentParser().parse_args()
            add(args.project)
            add(finder())
            add(plugin_dirs())

        def finder(start="."):
            return os.path.abspath(start)

        def plugin_dirs():
            return [os.path.join(os.path.dirname(__file__), "plugins")]

        class Watcher:
            def __init__(self, env):
                self.env = env

            def start(self):
                add(self.env)
        """
    )
    found = [model.path_sources(call_arg(tree, "add", i)) for i in range(7)]
    assert found == [
        {FROM_CALLER},
        {FROM_CALLER},
        {FROM_CALLER},
        {FROM_INPUT},
        {FROM_CALLER, FROM_CWD},
        {FROM_LAYOUT},
        {FROM_CALLER},
    ]


def test_tool_place_writes_out_the_folders_a_loader_is_given() -> None:
    model, tree = build(
        """
        import os
        import sys

        def load_site_dir(d):
            add(d)

        def load_all(topdir):
            def homedir(d):
                return os.path.expanduser("~/" + d)

            if sys.platform == "win32":
                sysdirs = [os.path.expandvars("%AllUsersProfile%\\\\tool")]
            else:
                sysdirs = ["/usr/share/tool", homedir(".tool")]
            for d in sysdirs + [topdir]:
                load_site_dir(d)

        def add_checkout(folder):
            add(folder)

        add_checkout(os.path.join(os.path.expanduser("~"), "Monorepo", "lib"))
        """
    )
    site, checkout = call_arg(tree, "add", 0), call_arg(tree, "add", 1)
    assert set(model.path_texts(site)) == {
        "%AllUsersProfile%\\tool",
        "/usr/share/tool",
        "~/.tool",
        HOLE,
    }
    assert model.tool_place(site)
    assert model.path_texts(checkout) == ("~/Monorepo/lib",)
    assert not model.tool_place(checkout)


# --- whether a path is looked for ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            'site_dir = os.path.join(topdir, "site")\n'
            "if not os.path.exists(site_dir):\n    return\nadd(os.path.abspath(site_dir))",
            True,
        ),
        ("if os.path.isdir(topdir):\n    add(topdir)", True),
        ("add(topdir)", False),
        ("if os.path.isdir(topdir):\n    pass\nos.makedirs(topdir)\nadd(topdir)", False),
        ('d = os.path.join(topdir, "site")\nprint(os.path.exists(d))\nadd(d)', False),
    ],
)
def test_folder_looked_for(body: str, expected: bool) -> None:
    indented = body.replace("\n", "\n    ")
    model, tree = build(f"import os\n\ndef load(topdir):\n    {indented}\n")
    assert model.folder_looked_for(call_arg(tree, "add")) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('if os.path.exists("/opt/x/bin/tool"):\n    pass', True),
        ('FLAG = os.path.exists("/opt/x/bin/tool")', False),
        ('for d in glob.glob("/opt/intel_cc_*"):\n    pass', True),
        ('for d in ("/opt/a/%s", "/opt/b/%s"):\n    if os.path.isdir(d % 1):\n        pass', True),
        ('cc = "/opt/" + n + "/bin/aCC"\nif os.path.exists(cc):\n    pass', True),
        ('p = "/opt/x"\nif not os.path.isdir(p):\n    os.makedirs(p)', False),
        ('if os.path.isfile("/etc/lsb-release"):\n    open("/etc/lsb-release")', True),
        ('try:\n    os.listdir("/opt")\nexcept OSError:\n    pass', True),
        ('try:\n    os.listdir("/opt")\nexcept ValueError:\n    pass', False),
        ('bool(os.path.splitdrive("X:/foo")[0])', True),
        ('open("/opt/x/config")', False),
        (
            'for e in ["/opt/c/"]:\n    ps = [os.path.join(e, b) for b in "ab"]\n'
            "    if all(os.path.isfile(p) and os.access(p, os.X_OK) for p in ps):\n        pass",
            True,
        ),
        ('if any(os.path.isdir(os.path.join("/opt/c", b)) for b in "ab"):\n    pass', True),
        ('ok = [os.path.isfile(os.path.join("/opt/c", b)) for b in "ab"]\nif ok:\n    pass', False),
        ('print(all(os.path.isfile(os.path.join("/opt/c", b)) for b in "ab"))', False),
    ],
)
def test_looked_for(source: str, expected: bool) -> None:
    model, tree = build("import glob\nimport os\n" + source)
    literal = next(
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value[:1] in "/X"
    )
    last = max(
        (n for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value == literal.value),
        key=lambda n: (n.lineno, n.col_offset),
    )
    head = model.parents[last]
    node = head if isinstance(head, ast.BinOp) else last
    assert model.looked_for(node) is expected


# --- imports and deprecation tests (DL101) ---------------------------------------------------


def test_import_uses_are_the_reads_of_the_names_an_import_binds() -> None:
    model, tree = build(
        """
        from rq.maintenance import clean, other as alias
        import a.b.c

        def f(clean):
            return clean
        alias(a.b.c, clean)
        """
    )
    statement = tree.body[0]
    assert isinstance(statement, ast.ImportFrom)
    # `clean` inside f is its parameter, not the import.
    assert sorted(n.lineno for n in model.import_uses(statement)) == [7, 7]
    plain = tree.body[1]
    assert isinstance(plain, ast.Import)
    assert [n.id for n in model.import_uses(plain)] == ["a"]


def _first(tree: ast.Module, kind: type[ast.AST], name: str) -> ast.AST:
    return next(
        n
        for n in ast.walk(tree)
        if isinstance(n, kind) and getattr(n, "id", getattr(n, "module", None)) == name
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("with pytest.deprecated_call():\n    old()", True),
        ("with pytest.warns(DeprecationWarning, match='x'):\n    old()", True),
        ("with self.assertWarns((PendingDeprecationWarning, UserWarning)):\n    old()", True),
        ("with pytest.warns(RemovedInDjango60Warning):\n    old()", True),
        ("old()\nshown = self.flushWarnings([self.test])", True),
        ("self.assertWarns(ScrapyDeprecationWarning, old)", True),
        # Not a deprecation check: another category, silenced warnings, a check after it
        # in another with block, nothing at all.
        ("with pytest.warns(UserWarning):\n    old()", False),
        ("with warnings.catch_warnings():\n    warnings.simplefilter('ignore')\n    old()", False),
        ("old()\nwith pytest.deprecated_call():\n    new()", False),
        ("old()", False),
    ],
)
def test_expects_deprecation(body: str, expected: bool) -> None:
    source = "def test(self):\n" + textwrap.indent(body, "    ") + "\n"
    model, tree = build(source)
    assert model.expects_deprecation(_first(tree, ast.Name, "old")) is expected


def test_expects_deprecation_stops_at_the_function_it_is_in() -> None:
    model, tree = build(
        """
        def test(self):
            def helper():
                return old()
            self.flushWarnings()
        old()
        """
    )
    olds = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "old"]
    assert [model.expects_deprecation(n) for n in olds] == [False, False]


# --- defaults and the program's own servers (DL301) ----------------------------------------------


def _loopback(tree: ast.AST, nth: int = 0) -> ast.expr:
    """The ``nth`` string constant (or f-string) that mentions loopback."""
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        mentions = isinstance(node, ast.JoinedStr) and any(
            isinstance(v, ast.Constant) and "127." in str(v.value) for v in node.values
        )
        if mentions or (
            isinstance(node, ast.Constant) and node.value in {"localhost", "127.0.0.1"}
        ):
            found.append(node)
    found.sort(key=lambda n: (n.lineno, n.col_offset))
    return found[nth]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f(host='localhost'): pass", DEFAULT_PARAMETER),
        ("host = config.get('host', 'localhost')", DEFAULT_SETTING),
        # a mapping's setdefault or pop with a default fills in what the user left out
        ("config.setdefault('host', 'localhost')", DEFAULT_SETTING),
        ("def f(**kwargs):\n    host = kwargs.pop('host', 'localhost')", DEFAULT_SETTING),
        ("config.update(host='localhost')", None),
        ("config.setdefault('localhost')", None),
        ("host = os.getenv('HOST') or 'localhost'", DEFAULT_SETTING),
        ("host = Parameter(default='localhost')", DEFAULT_SETTING),
        ("HOST = 'localhost'", DEFAULT_CONSTANT),
        ("PARAMS = {'hostname': 'localhost', 'port': 5672}", DEFAULT_CONSTANT),
        ("class C:\n    host = 'localhost'", DEFAULT_ATTRIBUTE),
        ("class C:\n    def __init__(self):\n        self.host = 'localhost'", DEFAULT_ATTRIBUTE),
        (
            "class C:\n    @property\n    def host(self):\n        return 'localhost'",
            DEFAULT_ATTRIBUTE,
        ),
        (
            "def dget(section, option, default=None): pass\nx = dget('s', 'host', 'localhost')",
            DEFAULT_SETTING,
        ),
        ("sock.connect(('localhost', 80))", None),
        # a fallback written as an if, or as a conditional expression
        ("def f(host):\n    if not host:\n        host = 'localhost'", DEFAULT_SETTING),
        ("def f(url):\n    if url == 'mongodb://':\n        url += 'localhost'", DEFAULT_SETTING),
        ("def f(a):\n    return 'localhost' if a is None else a", DEFAULT_SETTING),
        ("def f(a):\n    return a if a else 'localhost'", DEFAULT_SETTING),
        ("def f(host, local):\n    if local:\n        host = 'localhost'", None),
        # one part of a conjunction says the value is missing: still a fallback
        (
            "def f(host, iface):\n    if host is None and not iface:\n        host = 'localhost'",
            DEFAULT_SETTING,
        ),
        ("def f(host, a, b):\n    if a and b:\n        host = 'localhost'", None),
        ("def f(host, a):\n    if a or host is None:\n        host = 'localhost'", None),
        ("def f(a, b):\n    return 'localhost' if a is None else b", None),
        # ... or for a missing part of a value the other branch reads from
        ("def f(p):\n    return p[0] if len(p) else 'localhost'", DEFAULT_SETTING),
        ("def f(p):\n    return p[0] if len(p) > 0 else 'localhost'", DEFAULT_SETTING),
        ("def f(m):\n    return m.group(1) if m else 'localhost'", DEFAULT_SETTING),
        ("def f(m):\n    return m.group(1) if m is not None else 'localhost'", DEFAULT_SETTING),
        ("def f(m):\n    return 'localhost' if m is None else m.group(1)", DEFAULT_SETTING),
        ("def f(p):\n    return 'localhost' if not p else p[0]", DEFAULT_SETTING),
        ("def f(p, flag):\n    return p[0] if flag else 'localhost'", None),
        ("def f(p, flag):\n    return p[0] if not flag else 'localhost'", None),
        ("def f(p, q):\n    return p[0] if len(q) else 'localhost'", None),
        # the default of a declared configuration option
        ("class C:\n    smtp = Option('mail', 'smtp_server', 'localhost', 'doc')", DEFAULT_SETTING),
        ("def f():\n    host = 'localhost'\n    connect(host)", None),
        ("def f():\n    return 'localhost'", None),
    ],
)
def test_default_kind(source: str, expected: str | None) -> None:
    model, tree = build(source)
    assert model.default_kind(_loopback(tree)) == expected


def test_relied_on_here_is_a_call_of_this_file_that_leaves_the_parameter_out() -> None:
    model, tree = build(
        """
        def notify(message, relay="localhost"): pass
        def mail(message, relay="127.0.0.1"): pass
        notify("x")
        mail("x", relay=configured)
        """
    )
    assert model.relied_on_here(_loopback(tree, 0))
    assert not model.relied_on_here(_loopback(tree, 1))


def test_a_method_call_that_fills_the_parameter_past_the_receiver_does_not_leave_it_out() -> None:
    model, tree = build(
        """
        class Client:
            def __init__(self, host="localhost"): pass
            def send(self, data, relay="127.0.0.1"): pass
            def ping(self, data, peer="::1"): pass
            def run(self):
                self.send(b"x", "relay")
                self.ping(b"x")
        Client("db")
        """
    )
    assert not model.relied_on_here(constant(tree, "localhost"))  # Client("db") fills host
    assert not model.relied_on_here(constant(tree, "127.0.0.1"))
    assert model.relied_on_here(constant(tree, "::1"))


def test_this_files_arguments_fill_a_parameter_by_keyword_or_position_past_the_receiver() -> None:
    model, tree = build(
        """
        class Client:
            def connect(self, port, host="a"):
                use(host)
            @staticmethod
            def probe(host):
                use(host)
            def run(self, more):
                self.connect(1, "b")
                self.connect(2, host="c")
                self.connect(*more)  # *args, **kwargs: no argument known
                self.connect(3, **more)
                self.connect(4)  # left to the default
                self.probe("d")  # a static method keeps its first parameter
        """
    )
    assert texts(model, call_arg(tree, "use", 0)) == {HOLE, "a", "b", "c"}
    assert texts(model, call_arg(tree, "use", 1)) == {HOLE, "d"}


def test_a_constant_read_only_where_it_is_itself_a_default() -> None:
    model, tree = build(
        """
        DEFAULT_HOST = "localhost"
        STATS = "127.0.0.1"
        def client(host):
            return connect(host or DEFAULT_HOST)
        def count():
            send(STATS)
        """
    )
    assert model.reads_only_as_default(_loopback(tree, 0))
    assert not model.reads_only_as_default(_loopback(tree, 1))


def test_serves_itself_links_the_port_to_a_listener_or_a_child_process() -> None:
    model, tree = build(
        """
        import subprocess, sys
        def proxy(app, port):
            url = f"http://127.0.0.1:{port}/"
            run_app(app, host="127.0.0.1", port=port)
        def daemon():
            subprocess.Popen([sys.executable, "d.py"] + sys.argv[1:])
            HTTPConnection("127.0.0.1", port=int(sys.argv[1]))
        def peer(port):
            url = f"http://127.0.0.1:{port}/"
            subprocess.Popen(["notify-send", "x"])
        """
    )
    assert model.serves_itself(_loopback(tree, 0))
    assert model.serves_itself(_loopback(tree, 2))
    assert not model.serves_itself(_loopback(tree, 3))


def test_a_port_read_back_from_a_file_the_program_writes_with_its_pid_or_own_port() -> None:
    model, tree = build(
        """
        import os, random, socket
        class Daemon:
            def start(self):
                with open(self.pid_file, "w") as f:
                    f.write(f"{os.getpid()};{self.port}")
            def running(self):
                return is_running(self.pid_file)
        def is_running(pid_file):
            with open(pid_file) as f:
                pid, port = (int(x) for x in f.readline().split(";"))
            socket.create_connection(("127.0.0.1", port))
        def instance(path, first):
            if first:
                port = random.randrange(20000, 65535)
                reactor.listenTCP(port, factory)
                open(path, "w").write(str(port))
            else:
                port = int(open(path).read())
                reactor.connectTCP("127.0.0.1", port, client)
        def save(path, port):
            with open(path, "a") as f:
                f.write(str(port))
        def saved(path):
            f = open(path)
            socket.create_connection(("127.0.0.1", int(f.read())))
        def other():
            with open("ports.txt") as f:
                port = int(f.readline())
            socket.create_connection(("127.0.0.1", port))
        save("prefs", 1)
        saved("prefs")
        """
    )
    # The pid file's port (the file followed through the parameter to self.pid_file).
    assert model.serves_itself(_loopback(tree, 0))
    # A single-instance port file: the first instance listens on the port it writes.
    assert model.serves_itself(_loopback(tree, 1))
    # The same file, but it holds a port the caller chose, not this program's own.
    assert not model.serves_itself(_loopback(tree, 2))
    # A file this module never writes.
    assert not model.serves_itself(_loopback(tree, 3))


def test_imported_value_and_what_a_module_binds_at_its_top_level() -> None:
    model, tree = build(
        """
        import sys
        from pkg import globals as g
        from pkg.globals import sys_path
        saved = sys.path[:]
        twice = sys.path[:]
        twice = ["/opt/app"]
        layout = [__file__]
        def restore(sys_path=None):
            return sys_path, g.sys_path
        restore(sys_path)
        """
    )

    def read(name: str, line: int) -> ast.expr:
        return next(
            n
            for n in ast.walk(tree)
            if isinstance(n, (ast.Name, ast.Attribute))
            and (n.id if isinstance(n, ast.Name) else n.attr) == name
            and isinstance(n.ctx, ast.Load)
            and n.lineno == line
        )

    # Read where only the import binds it, or as an attribute of an imported module.
    assert model.imported_value(read("sys_path", 11)) == ("pkg.globals", "sys_path")
    assert model.imported_value(read("sys_path", 10)) is None  # the parameter
    attribute = next(n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.lineno == 10)
    assert model.imported_value(attribute) == ("pkg.globals", "sys_path")
    assert model.module_path_sources("saved") == {FROM_SYS_PATH}
    assert model.module_path_sources("twice") is None  # bound twice: no one value
    assert model.module_path_sources("layout") == {FROM_LAYOUT}
    assert model.module_path_sources("missing") is None


def test_port_sources_name_what_another_file_may_read_too() -> None:
    model, tree = build(
        """
        import os, socket
        from common.config import CONF
        from common.ports import CONTROL_PORT
        LOCAL = 9000
        def ipc():
            port = CONF.get("main", "open_files_port")
            socket.socket().connect(("127.0.0.1", port))
        def worker():
            HTTPConnection("127.0.0.1", port=int(os.environ["WORKER_PORT"]))
        def control():
            open_connection("127.0.0.1", CONTROL_PORT)
        def own():
            open_connection("127.0.0.1", LOCAL)
        def computed(port):
            open_connection("127.0.0.1", port)
        """
    )
    assert model.port_sources(_loopback(tree, 0)) == {"config:main/open_files_port"}
    assert model.port_sources(_loopback(tree, 1)) == {"env:WORKER_PORT"}
    assert model.port_sources(_loopback(tree, 2)) == {"const:common.ports.CONTROL_PORT"}
    assert model.port_sources(_loopback(tree, 3)) == {"const:m.LOCAL"}
    assert model.port_sources(_loopback(tree, 4)) == frozenset()


def test_loopback_listen_sources_are_read_or_published_by_a_loopback_listener() -> None:
    model, _ = build(
        """
        import os, socket, socketserver
        class Window:
            def start(self):
                self.server = socket.socket()
                port = select_port(default_port=21128)
                self.set_conf("open_files_port", port)
                self.server.bind(("127.0.0.1", port))
                self.server.listen(20)
        def worker(handler):
            socketserver.TCPServer(("127.0.0.1", int(os.environ["WORKER_PORT"])), handler)
        def everywhere(handler):
            socketserver.TCPServer(("0.0.0.0", int(os.environ["PUBLIC_PORT"])), handler)
        def client():
            socket.socket().connect(("127.0.0.1", int(os.environ["PEER_PORT"])))
        """
    )
    assert model.loopback_listen_sources() == {"config:open_files_port", "env:WORKER_PORT"}


def test_a_port_from_the_command_line_is_the_scripts_argument() -> None:
    model, tree = build(
        """
        import sys, socketserver
        def client():
            HTTPConnection("127.0.0.1", port=int(sys.argv[1]))
        def listener(handler):
            socketserver.TCPServer(("127.0.0.1", int(sys.argv[2])), handler)
        """
    )
    assert model.port_sources(_loopback(tree, 0)) == {"argv:m.py:1"}
    assert model.loopback_listen_sources() == {"argv:m.py:2"}


def test_launch_links_say_which_value_each_started_script_gets() -> None:
    model, _ = build(
        """
        import pathlib, subprocess, sys
        from ports import MODEL_PORT
        RULES = {"build": {"command": "$PY $DIR/daemon_build.py $PORT $OUT --exit"}}
        SHELL = "python tools/stats.py {port} && echo done 8125"
        cmd = [sys.executable, str(pathlib.Path(__file__).parent / "daemon.py")] + sys.argv[1:]
        subprocess.Popen(cmd)
        def pair(port):
            subprocess.Popen([sys.executable, "agents/server.py", str(MODEL_PORT)])
            subprocess.Popen([sys.executable, "agents/client.py", str(MODEL_PORT), port])
            subprocess.Popen(["notify-send", "x"])
            subprocess.Popen([sys.executable, "-m", "agents.worker", "7001"])
        """
    )
    links = model.launch_links()
    assert ("argv:daemon_build.py:1", "arg:m.py:$PORT") in links
    assert ("argv:daemon_build.py:2", "arg:m.py:$OUT") in links
    assert not any(a == "argv:daemon_build.py:3" for a, _ in links)  # --exit: no value
    assert ("argv:stats.py:1", "arg:m.py:{port}") in links
    assert not any(b == "arg:m.py:8125" for _, b in links)  # after &&: another command
    assert ("argv:daemon.py:1", "argv:m.py:1") in links  # passed through
    assert ("argv:daemon.py:3", "argv:m.py:3") in links
    server = {b for a, b in links if a == "argv:server.py:1"}
    client = {b for a, b in links if a == "argv:client.py:1"}
    assert server == client and len(server) == 1  # one binding of MODEL_PORT
    assert {b for a, b in links if a == "argv:client.py:2"} == {"arg:m.py:port@8:9"}
    assert not any("worker" in a or "notify" in a for a, _ in links)


def test_own_port_follows_a_bound_sockets_port_through_attributes_and_methods() -> None:
    model, tree = build(
        """
        import socket
        from tornado.testing import bind_unused_port as unused
        def bind_unused_port():
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            return sock, sock.getsockname()[1]
        class Case:
            def setUp(self):
                sock, port = bind_unused_port()
                self.__port = port
            def get_http_port(self):
                return self.__port
            def get_url(self, path):
                return f"http://127.0.0.1:{self.get_http_port()}{path}"
        class Imported:
            def setUp(self):
                self.sock, self.port = unused()
            def url(self):
                return f"http://127.0.0.1:{self.port}/"
        class Tunnel:
            async def open(self, host, port):
                local_port = self.get_free_port()
                await self.conn.forward_local_port("", local_port, host, port)
                self._local_port = local_port
            def url(self):
                return f"http://127.0.0.1:{self._local_port}"
        class Peer:
            def __init__(self, port):
                self.port = port
            def url(self):
                return f"http://127.0.0.1:{self.port}"
        """
    )
    assert model.serves_itself(_loopback(tree, 1))
    assert model.serves_itself(_loopback(tree, 2))
    assert model.serves_itself(_loopback(tree, 3))
    assert not model.serves_itself(_loopback(tree, 4))


def test_origins_take_either_branch_of_a_conditional() -> None:
    model, tree = build(
        """
        class Port:
            def __init__(self, binding=None):
                self.interface = "" if binding is None else binding
            def start(self, sock):
                sock.bind(self.interface)
        """
    )
    origins = model.origins(call_arg(tree, "bind"))
    # the fallback, and the parameter's default (no call of this file passes one)
    assert [o.value for o in origins if isinstance(o, ast.Constant)] == ["", None]


def test_left_to_callers_is_the_library_reading_of_a_default() -> None:
    model, tree = build(
        """
        def serve(port, host="localhost"): pass
        def beacon(port, host="127.0.0.1"): pass
        beacon(1)
        HOST = "localhost"
        def send(data):
            sendto(data, (HOST, 9))
        if __name__ == "__main__":
            serve(1, "127.0.0.1")
        """
    )
    assert model.left_to_callers(_loopback(tree, 0), PEER)  # no call leaves it out
    assert not model.left_to_callers(_loopback(tree, 1), PEER)  # beacon(1) relies on it
    assert not model.left_to_callers(_loopback(tree, 2), PEER)  # the module's own peer
    assert model.left_to_callers(_loopback(tree, 2), LISTEN)
    assert model.left_to_callers(_loopback(tree, 3), PEER)  # the __main__ self-test


def test_origins_take_either_operand_of_a_fallback() -> None:
    model, tree = build(
        """
        DEFAULT_ADDRESS = "tcp://*:60625"
        class Publisher:
            def __init__(self, address=None):
                address = address or DEFAULT_ADDRESS
                self._address = address
            def start(self, sock):
                sock.bind(self._address)
        """
    )
    origins = model.origins(call_arg(tree, "bind"))
    # the parameter's default (no call of this file passes one), and the fallback
    assert [o.value for o in origins if isinstance(o, ast.Constant)] == [None, "tcp://*:60625"]


def test_a_fallback_constant_shown_in_text_is_still_left_to_callers() -> None:
    model, tree = build(
        """
        import argparse
        HOST = "localhost"
        PEER_HOST = "127.0.0.1"
        def client(host=None):
            return connect(host or HOST), connect(host or PEER_HOST)
        def main():
            parser = argparse.ArgumentParser()
            parser.add_argument("--host", help=f"the server (default: {HOST})")
            print("connecting to %s" % PEER_HOST)
            connect(PEER_HOST)
        """
    )
    host, peer_host = (_loopback(tree, 0), _loopback(tree, 1))
    assert model.uses(host) == {PEER, DISPLAY}  # the help text is shown, not connected to
    assert model.left_to_callers(host, PEER)  # read as a fallback, and shown
    assert not model.left_to_callers(peer_host, PEER)  # connected to where it is read


def test_a_client_built_on_first_use_under_the_tested_module_name_is_a_lazy_default() -> None:
    model, tree = build(
        """
        broker = None
        _client = None
        def get_broker():
            global broker
            if broker is None:
                try:
                    set_broker(Broker(host="localhost"))
                except ImportError:
                    pass
            return broker
        def set_broker(b):
            global broker
            broker = b
        def get_client():
            global _client
            if not _client:
                _client = Redis(host="127.0.0.1")
            return _client
        def warm():
            if _client is None:
                Redis(host="localhost").flushall()
        def local():
            client = None
            if client is None:
                client = Redis(host="127.0.0.1")
        """
    )
    assert model.lazy_module_default(_loopback(tree, 0))  # through this module's setter
    assert model.lazy_module_default(_loopback(tree, 1))  # assigned directly, global
    assert not model.lazy_module_default(_loopback(tree, 2))  # the branch stores nothing
    assert not model.lazy_module_default(_loopback(tree, 3))  # a local, not the module's
    assert model.left_to_callers(_loopback(tree, 0), PEER)
    assert not model.left_to_callers(_loopback(tree, 0), LISTEN)  # a server started so is not
    assert not model.left_to_callers(_loopback(tree, 2), PEER)


@pytest.mark.parametrize(
    "source",
    [
        'import Pyro4\nPyro4.Daemon(host="localhost", port=0)',
        'import Pyro4.naming\nPyro4.naming.NameServerDaemon("localhost", 9090)',
        'import Pyro5.api\nPyro5.api.Daemon(host="localhost")',
        'from Pyro5.server import Daemon\nDaemon("localhost", 0)',
        'from Pyro5.nameserver import NameServerDaemon\nNameServerDaemon(host="localhost")',
    ],
)
def test_an_rpc_frameworks_daemon_is_the_programs_own_listener(source: str) -> None:
    model, tree = build(source)
    assert model.uses(_loopback(tree)) == {LISTEN}


def test_another_librarys_daemon_and_a_pyro_client_are_not_listeners() -> None:
    model, tree = build(
        """
        import Pyro4
        from mylib import daemonize
        daemonize.Daemon(host="localhost")
        Pyro4.locateNS(host="localhost")
        Pyro4.Daemon(nathost="localhost")
        """
    )
    assert all(LISTEN not in model.uses(_loopback(tree, i)) for i in range(3))


def test_a_process_started_is_a_use_of_its_own() -> None:
    model, tree = build("import subprocess\nsubprocess.Popen(['ssh', 'localhost'])")
    assert model.uses(_loopback(tree)) == {SPAWN}


def test_in_main_block_also_in_a_function_called_only_from_there() -> None:
    model, tree = build(
        """
        def test():
            connect("localhost")
        def serve():
            connect("127.0.0.1")
        serve()
        if __name__ == "__main__":
            test()
            serve()
            connect("localhost")
        """
    )
    assert model.in_main_block(_loopback(tree, 0))
    assert not model.in_main_block(_loopback(tree, 1))
    assert model.in_main_block(_loopback(tree, 2))


def test_a_main_function_is_not_a_self_test() -> None:
    model, tree = build(
        """
        def main():
            connect("localhost")
        if __name__ == "__main__":
            main()
        """
    )
    assert not model.in_main_block(_loopback(tree))


def test_runs_at_import_through_methods_and_a_class_made_at_module_level() -> None:
    model, tree = build(
        """
        class Logger:
            def __init__(self):
                self.info = self._config("info")
            @staticmethod
            def _config(name):
                return name
        def setup():
            return 1
        def per_agent():
            return 2
        log = Logger()
        setup()
        def run():
            per_agent()
        """
    )
    functions = {
        n.name: n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    assert model.runs_at_import(functions["_config"])
    assert model.runs_at_import(functions["setup"])
    assert not model.runs_at_import(functions["per_agent"])
    assert not model.runs_at_import(functions["run"])  # never called here


def test_a_main_block_call_is_not_an_import() -> None:
    model, tree = build(
        """
        def setup_logging():
            return 1
        if __name__ == "__main__":
            setup_logging()
        """
    )
    function = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))
    assert not model.runs_at_import(function)


def test_may_listen_on_loopback_is_a_text_test_of_a_listener_call() -> None:
    from debt_lints.analysis.semantic import may_listen_on_loopback

    assert may_listen_on_loopback("sock.bind(('127.0.0.1', port))")
    assert may_listen_on_loopback('TCPServer(\n    ("localhost", p), Handler)')
    assert may_listen_on_loopback('await asyncio.start_server(h, "127.0.0.1", PORT)')
    assert not may_listen_on_loopback('sock.connect(("127.0.0.1", port))')
    assert not may_listen_on_loopback('sock.bind((host, port))\nHOST = "localhost"')


def test_may_listen_on_loopback_is_the_listener_expression_searched_from_the_literals() -> None:
    """The same answer as searching the text for the listener expression, on texts
    made of the pieces where the two ways could part: word boundaries (``xbind``,
    ``_run``, ``TCPServer``), white space of any kind before the ``(``, a ``)``
    between it and the literal, the 300 characters the argument list may span."""
    import random
    import re

    from debt_lints.analysis.semantic import LISTEN_CALLS, may_listen_on_loopback

    expression = re.compile(
        r"(?:\b(?:"
        + "|".join(sorted(LISTEN_CALLS))
        + r")|Server)\s*\([^)]{0,300}?['\"](?:localhost|127\.|\[?::1)"
    )
    chosen = random.Random(27)

    def some(*options: str, most: int = 3) -> str:
        return "".join(chosen.choices(options, k=chosen.randint(0, most)))

    texts = [
        some("a", "_", "é", "x", ".", " ", "\n", "(", ")", "'", "bind")
        + some("bind", "run", "run_app", "TCPSite", "Server", "listen", "serve", "x", most=2)
        + some(" ", "\n", "\t", "\u00a0", "\u2028", "_", most=2)
        + some("(", most=2)
        + some("a", "y" * 150, ")", "(", ",", " ", "'", "x" * 40, '"')
        + some("'", '"', most=2)
        + some("localhost", "127.", "127", "[::1", "::1", "[", "1", "Server(", most=2)
        for _ in range(6000)
    ]
    texts += ["bind(" + "z" * n + "'127." for n in (298, 299, 300, 301)]
    texts += ["bind  \n (" + ")" * k + "'localhost" for k in (0, 1)]
    found = 0
    for text in texts:
        want = expression.search(text) is not None
        assert may_listen_on_loopback(text) is want, repr(text)
        found += want
    assert 100 < found < len(texts) - 100  # both answers are exercised


def _spread(tree: ast.AST) -> ast.expr:
    """The ``**mapping`` of the file's ``listen`` call."""
    call = next(
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "listen"
    )
    return next(kw.value for kw in call.keywords if kw.arg is None)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('d = {"address": a, "port": p}\nserver.listen(**d)', {"address", "port"}),
        ("server.listen(**dict(port=p))", {"port"}),
        (
            'base = {"address": "0.0.0.0"}\nserver.listen(**{**base, "port": p})',
            {"address", "port"},
        ),
        (
            'd = {"port": p}\nif x:\n    d = {"port": 1, "address": h}\nserver.listen(**d)',
            {"address", "port"},
        ),
        ('d = {"port": p}\nprint(d.get("port"), d["port"])\nserver.listen(**d)', {"port"}),
    ],
)
def test_mapping_entries_known(source: str, expected: set[str]) -> None:
    model, tree = build(source)
    entries = model.mapping_entries(_spread(tree))
    assert entries is not None
    assert set(entries) == expected


@pytest.mark.parametrize(
    "source",
    [
        "for d in addresses:\n    server.listen(**d)",  # a loop variable
        "def f(d):\n    server.listen(**d)",  # a parameter
        'server.listen(**merge(d, {"port": 0}))',  # a call's result
        'd = {"port": p}\nd["address"] = h\nserver.listen(**d)',  # changed before the spread
        'd = {"port": p}\nd.update(options)\nserver.listen(**d)',
        'd = {"port": p}\nconfigure(d)\nserver.listen(**d)',  # handed where it may change
        "d = {key: p}\nserver.listen(**d)",  # a key that is not a literal
        "d = {**other}\nserver.listen(**d)",  # an unknown spread inside
        'd = {"port": p}\nwhile x:\n    d = {**d, "address": h}\nserver.listen(**d)',  # grows
        "def dict(**kw):\n    return kw\nserver.listen(**dict(port=p))",  # not the builtin
    ],
)
def test_mapping_entries_unknown(source: str) -> None:
    model, tree = build(source)
    assert model.mapping_entries(_spread(tree)) is None


def test_a_function_that_detects_this_machines_address_returns_its_own_address() -> None:
    model, tree = build(
        """
        import socket
        def get_ip():
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                sock.connect(("8.8.8.8", 80))
                return sock.getsockname()[0]
            except OSError:
                return "127.0.0.1"
        def by_name(port):
            try:
                info = socket.getaddrinfo(socket.gethostname(), port)[0]
                return info[4][0]
            except OSError:
                return "127.0.0.1"
        def peer(name):
            try:
                return socket.gethostbyname(name)
            except OSError:
                return "127.0.0.1"
        def broker(cfg):
            if cfg:
                return cfg.host
            return "127.0.0.1"
        """
    )
    own, by_name, peer, broker = _loopbacks(tree)
    assert model.uses(own) == {OWN_ADDRESS}
    assert model.uses(by_name) == {OWN_ADDRESS}
    assert OWN_ADDRESS not in model.uses(peer)
    assert OWN_ADDRESS not in model.uses(broker)


def test_a_value_reached_again_through_a_conversion_adds_no_unknown_use() -> None:
    model, tree = build(
        """
        def bind_free(sock, host="localhost"):
            if not isinstance(host, str):
                host = str(host)
            sock.bind((host, 0))
        """
    )
    assert model.uses(_loopback(tree)) == {COMPARE, LISTEN}


def _loopbacks(tree: ast.AST) -> list[ast.Constant]:
    found = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and n.value in ("localhost", "127.0.0.1")
    ]
    return sorted(found, key=lambda n: (n.lineno, n.col_offset))


@pytest.mark.parametrize(
    ("test", "expected"),
    [
        ('host in ("localhost", "::1") or host.startswith("127.")', True),
        ('host == "localhost"', True),
        ('host == "localhost" and flag', True),
        ('host.startswith(("127.", "127."))', True),
        ('host != "localhost"', False),
        ('flag or host == "localhost"', False),
        ('host in ("localhost", "example.org")', False),
        ('host.startswith("local")', False),
    ],
)
def test_loopback_configured_is_the_body_of_a_test_that_the_host_is_loopback(
    test: str, expected: bool
) -> None:
    model, tree = build(
        f"""
        def locate(host, flag):
            if {test}:
                hosts = [host, "127.0.1.1"]
            else:
                hosts = ["127.0.0.2"]
        """
    )
    inside, outside = _literals(tree, "127.0.1.1", "127.0.0.2")
    assert model.loopback_configured(inside) is expected
    assert not model.loopback_configured(outside)


@pytest.mark.parametrize(
    ("test", "inside", "outside"),
    [
        ('protocol == "inproc"', True, False),
        ('protocol in ("ipc", "unix")', True, False),
        ('address.startswith("inproc://")', True, False),
        ('address.startswith(("inproc://", "unix:"))', True, False),
        ("sock.family == socket.AF_UNIX", True, False),
        ('protocol == "inproc" and flag', True, False),
        ('protocol == "inproc" or address.startswith("ipc://")', True, False),
        ('protocol != "inproc"', False, True),
        ('protocol not in ("inproc", "ipc")', False, True),
        ('not address.startswith("inproc://")', False, True),
        ('not (protocol == "tcp" or protocol == "tls")', False, False),
        ('protocol == "tcp"', False, False),
        ('protocol == "inproc" or flag', False, False),
        ('protocol in ("inproc", "tcp")', False, False),
        ("flag", False, False),
        ("local", False, False),
        ('"inproc" == "inproc"', False, False),
        ("sock.family == socket.AF_INET", False, False),
    ],
)
def test_in_process_only_is_the_branch_of_a_test_that_the_transport_is_local(
    test: str, inside: bool, outside: bool
) -> None:
    model, tree = build(
        f"""
        import socket

        def link(protocol, address, sock, flag, local):
            if {test}:
                host = "127.0.1.1"
            else:
                host = "127.0.0.2"
            other = "127.0.0.3" if {test} else "127.0.0.4"
            return host, other
        """
    )
    body, orelse, choice, otherwise = _literals(
        tree, "127.0.1.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"
    )
    assert model.in_process_only(body) is inside
    assert model.in_process_only(choice) is inside
    assert model.in_process_only(orelse) is outside
    assert model.in_process_only(otherwise) is outside


def test_in_process_only_stops_at_the_function_it_is_written_in() -> None:
    model, tree = build(
        """
        def outer(protocol):
            if protocol == "inproc":
                def inner():
                    return "127.0.1.1"
                return inner
        """
    )
    assert not model.in_process_only(constant(tree, "127.0.1.1"))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import sys\nvalue = sys.argv[1]", True),
        ("from sys import argv\nvalue = argv[1:]", True),
        ("value = parser.parse_args().host", True),
        ("options, rest = parser.parse_args()\nvalue = options.host", True),
        ("value = docopt(__doc__)['--host']", True),
        ("args = vars(parser.parse_args())\nvalue = args['host']", True),
        ("value = vars(load_settings())['host']", False),
        ("value = vars(parser.parse_args(), 'host')", False),
        (
            "import getopt, sys\nopts, rest = getopt.getopt(sys.argv[1:], 'h')\nvalue = rest[0]",
            True,
        ),
        ("def main(args):\n    value = args.target.split(':', 1)", True),
        ("def main(cli_args):\n    value = cli_args.host.strip()", True),
        ("def main(opts):\n    value = str(opts.host)", True),
        (
            "import click\n@click.command()\n@click.argument('target')\n"
            "def main(target):\n    value = target",
            True,
        ),
        (
            "import sys\ndef ping(host):\n    value = host\nping(sys.argv[1])",
            True,
        ),
        ("def main(config):\n    value = config.get('host')", False),
        ("def main(*args):\n    value = args[0]", False),
        ("def main(args):\n    value = load(args.config).host", False),
        ("import os\nvalue = os.environ['HOST']", False),
        ("class C:\n    def run(self):\n        value = self.args.host", False),
        ("def ping(host):\n    value = host\nping(settings.host)", False),
    ],
)
def test_from_command_line(source: str, expected: bool) -> None:
    model, tree = build(source)
    value = next(
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Assign)
        and isinstance(n.targets[0], ast.Name)
        and n.targets[0].id == "value"
    )
    assert model.from_command_line(value) is expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "target = args.target\n"
            "if ':' in target:\n    host, port = target.split(':', 1)\n"
            "else:\n    host, port = 'localhost', target",
            True,
        ),
        ("host = args.host or 'localhost'", True),
        ("host = sys.argv[1] if len(sys.argv) > 1 else 'localhost'", True),
        ("host = 'localhost' if not args.host else args.host", True),
        ("if not args.host:\n    args.host = 'localhost'", True),
        ("host = 'localhost'\nif len(sys.argv) > 1:\n    host = sys.argv[1]", True),
        ("try:\n    host = sys.argv[1]\nexcept IndexError:\n    host = 'localhost'", True),
        (
            "if ':' in target:\n    host, port = target.split(':', 1)\n"
            "else:\n    host, port = 'localhost', target",
            False,
        ),
        ("host = config.get('host', 'localhost')", False),
        ("host = config.host or 'localhost'", False),
        ("host = args.host or config.host or 'localhost'", False),
        ("host = 'localhost' or args.host", False),
        ("if args.local:\n    host = 'localhost'\nelse:\n    host = args.host", False),
        ("host = args.host\nif args.local:\n    host = 'localhost'", False),
        ("host = 'localhost'\nif flag:\n    host = sys.argv[1]", False),
        ("try:\n    host = config.host\nexcept AttributeError:\n    host = 'localhost'", False),
        ("connect('localhost', args.port)", False),
    ],
)
def test_command_line_default_stands_in_for_what_the_command_line_leaves_out(
    body: str, expected: bool
) -> None:
    indented = "\n".join("    " + line for line in body.splitlines())
    model, tree = build(f"import sys\n\ndef main(args, target, config, flag):\n{indented}\n")
    assert model.command_line_default(constant(tree, "localhost")) is expected


def _literals(tree: ast.AST, *values: str) -> list[ast.Constant]:
    return [constant(tree, value) for value in values]


# --- a local that is also a self attribute (DL501's context alias) ---------------------


def _receivers(tree: ast.AST) -> list[ast.Name]:
    """The ``x`` of every ``x.socket(...)`` call, in order."""
    return [
        node.func.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "socket"
        and isinstance(node.func.value, ast.Name)
    ]


@pytest.mark.parametrize(
    ("body", "attrs"),
    [
        ("self.context = context = Context()", {"context"}),
        ("context = self.context = Context()", {"context"}),
        ("context = Context()\n        self.context = context", {"context"}),
        ("context = Context()\n        self.a = context\n        self.b = context", {"a", "b"}),
        ("context = Context()", set()),
        ("self.context = context = Context()\n        context = Context()", set()),
        ("other.context = context = Context()", set()),
        ("context = self.context", {"context"}),
        ("context = self.make()", set()),
    ],
    ids=[
        "chained",
        "chained-reversed",
        "two-step",
        "two-attributes",
        "local-only",
        "rebound",
        "not-self",
        "read-back",
        "method-result",
    ],
)
def test_self_attributes_of_a_local(body: str, attrs: set[str]) -> None:
    model, tree = build(
        f"class Kernel:\n    def start(self, other):\n        {body}\n"
        "        sock = context.socket(1)\n"
    )
    (receiver,) = _receivers(tree)
    assert model.self_attributes_of(receiver) == attrs


def test_self_attributes_of_a_local_joins_every_reaching_binding() -> None:
    model, tree = build(
        "class Kernel:\n"
        "    def start(self, flag):\n"
        "        if flag:\n"
        "            self.context = context = Context()\n"
        "        else:\n"
        "            context = Context()\n"
        "        sock = context.socket(1)\n"
        "    def other(self):\n"
        "        self.context = context = Context()\n"
        "        sock = context.socket(1)\n"
    )
    first, second = _receivers(tree)
    assert model.self_attributes_of(first) == frozenset()  # one branch keeps it local
    assert model.self_attributes_of(second) == {"context"}


def test_connects_to_itself_needs_the_whole_endpoint_at_a_listener() -> None:
    model, tree = build(
        """
        from multiprocessing.connection import Client, Listener
        CONTROL = ("127.0.0.1", 6000)
        def serve():
            return Listener(CONTROL)
        def send():
            return Client(CONTROL)
        class Worker:
            def __init__(self, ctx, endpoint="tcp://127.0.0.1:7001"):
                self.endpoint = endpoint
            def run(self, sock):
                sock.bind(self.endpoint)
            def stop(self, sock):
                sock.connect(str(self.endpoint))
        def two_ports(a, b, host="127.0.0.1"):
            a.bind((host, 5000))
            b.connect((host, 6000))
        def rewritten(a, b):
            addr = "tcp://127.0.0.1:%d" % 5555
            a.bind(addr)
            b.connect(addr + "1")
        def only_connects(b):
            addr = "tcp://127.0.0.1:5555"
            b.connect(addr)
        """
    )
    assert model.connects_to_itself(_mentions_127(tree, 0))  # a Listener and its Client
    assert model.connects_to_itself(_mentions_127(tree, 1))  # bound and connected through self
    assert not model.connects_to_itself(_mentions_127(tree, 2))  # a host joined to two ports
    assert not model.connects_to_itself(_mentions_127(tree, 3))  # the endpoint changed on the way
    assert not model.connects_to_itself(_mentions_127(tree, 4))  # nothing here listens on it


def _mentions_127(tree: ast.AST, nth: int) -> ast.expr:
    """The ``nth`` string constant that holds ``127.``."""
    found = [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and "127." in str(n.value)]
    return sorted(found, key=lambda n: (n.lineno, n.col_offset))[nth]


def test_uses_through_helpers_sets_other_modules_functions_apart() -> None:
    model, tree = build(
        """
        import common.net as net
        from common.net import open_on
        def start(sock):
            open_on("127.0.0.1", 8000)
            net.announce(host="localhost")
            sock.connect(("localhost", 1))
            obj.method("127.0.0.1")
        """
    )
    unused = frozenset({"data"})  # what the results of the helper calls are used for here
    on, announced, connected, method = _loopbacks(tree)
    assert model.uses(on) == frozenset({UNKNOWN})
    assert model.uses_through_helpers(on)[1] == ((HelperCall("common.net.open_on", 0), unused),)
    assert model.uses_through_helpers(on)[0] == frozenset()
    assert model.uses_through_helpers(announced)[1] == (
        (HelperCall("common.net.announce", -1, "host"), unused),
    )
    assert model.uses_through_helpers(connected) == (frozenset({PEER}), ())
    assert model.uses_through_helpers(method) == (frozenset({UNKNOWN}), ())  # a method
    assert model.uses(on) == frozenset({UNKNOWN})  # asking does not change the answer


def test_texts_read_a_call_of_this_files_function_with_its_arguments() -> None:
    model, tree = build(
        """
        import os
        def endpoint(host, port, scheme="tcp"):
            return "%s://%s:%d" % (scheme, host, port)
        def gen(port):
            yield "tcp://*:%d" % port
        def loop(host):
            return loop(host)
        a = endpoint("*", 5555)
        b = endpoint(port=1, host="127.0.0.1", scheme="udp")
        c = endpoint(os.environ["H"], 2)
        d = gen(3)
        e = loop("*")
        f = endpoint(*ARGS)
        """
    )
    values = {
        node.targets[0].id: {t.text for t in model.texts(node.value)}  # type: ignore[attr-defined]
        for node in tree.body  # type: ignore[attr-defined]
        if isinstance(node, ast.Assign)
    }
    assert values["a"] == {"tcp://*:5555"}
    assert values["b"] == {"udp://127.0.0.1:1"}
    assert all(t.startswith("tcp://") and t.endswith(":2") and "*" not in t for t in values["c"])
    assert not any("*" in t for t in values["d"])  # a generator's return is not its value
    assert not any("*" in t for t in values["e"])  # recursion is not followed
    assert not any("127.0.0.1" in t for t in values["f"])  # *args: not known
    assert {t.text for t in model.texts(tree.body[4].value)} == {"tcp://*:5555"}  # type: ignore[attr-defined]


def test_imported_values_name_other_modules_constants_through_the_imports() -> None:
    model, tree = build(
        """
        import config.network as net
        from config.network import BACKBONE as BB
        from .local import HOST
        def serve(sock, fallback=HOST):
            url = BB
            sock.bind(url)
            sock.bind(net.EVENTS)
            sock.bind(fallback)
            sock.bind(self_made)
        self_made = "tcp://*:1"
        """
    )
    binds = [
        node.args[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "bind"
    ]
    binds.sort(key=lambda n: n.lineno)
    assert model.imported_values(binds[0]) == ("config.network.BACKBONE",)
    assert model.imported_values(binds[1]) == ("config.network.EVENTS",)
    assert model.imported_values(binds[3]) == ()  # this module's own value


# --- unpacking: each element goes to the name that receives it (issue 22, round 8) -------------
def _read_texts(source: str) -> set[str]:
    """The texts of the argument of the one ``use(...)`` call of ``source``."""
    model, tree = build(source)
    return texts(model, call_arg(tree, "use"))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('host, port = "h", 80\nuse(host)', {"h"}),
        ('[host, port] = ["h", 80]\nuse(host)', {"h"}),
        ('host, *rest = "h", 1, 2\nuse(host)', {"h"}),
        ('*rest, host = 1, 2, "h"\nuse(host)', {"h"}),
        ('port, (host, _) = 80, ("h", 1)\nuse(host)', {"h"}),
        ('host, port = "h", *more\nuse(host)', {"h"}),
        ('address = ("h", 80)\nhost, port = address\nuse(host)', {"h"}),
        ('def _pair():\n    return "h", 80\nhost, port = _pair()\nuse(host)', {"h"}),
        (
            'def _pair(flag):\n    if flag:\n        return "h", 80\n    return ["g", 81]\n'
            "host, port = _pair(1)\nuse(host)",
            {"h", "g"},
        ),
        ('host, port = ("h", 80) if flag else ("g", 81)\nuse(host)', {"h", "g"}),
        ('for host, port in [("h", 80), ("g", 81)]:\n    use(host)', {"h", "g"}),
        ('HOSTS = ("h", "g")\nfor host in HOSTS:\n    use(host)', {"h", "g"}),
        ('for host in ["h", *OTHERS]:\n    use(host)', {"h", HOLE}),
        ('use([host for host, _ in [("h", 1)]][0])', {HOLE}),
        ('def f(address=("h", 80)):\n    host, port = address\n    use(host)', {"h", HOLE}),
        (
            'class S:\n    def __init__(self):\n        self.host, self.port = "h", 80\n'
            "    def run(self):\n        use(self.host)",
            {"h"},
        ),
        (
            "class S:\n    def __init__(self):\n        self.host, self.port = self._pair()\n"
            '    def _pair(self):\n        return "h", 80\n'
            "    def run(self):\n        use(self.host)",
            {"h"},
        ),
        # an element of a value the model does not know stays unknown
        ("host, port = unknown()\nuse(host)", {HOLE}),
        ("host, port = address\nuse(host)", {HOLE}),
        ('host, port = "h:80".split(":")\nuse(host)', {HOLE}),
        ('host, port = *more, "h"\nuse(host)', {HOLE}),
        ('host, port = "h", 80, 90\nuse(host)', {HOLE}),
        ('first, *rest = "h", "g"\nuse(rest)', {HOLE}),
        ('*rest, last = "h", "g"\nuse(rest)', {HOLE}),
        ('def _pair():\n    yield "h", 80\nhost, port = _pair()\nuse(host)', {HOLE}),
        ('async def _pair():\n    return "h", 80\nhost, port = _pair()\nuse(host)', {HOLE}),
        (
            'def deco(f):\n    return f\n@deco\ndef _pair():\n    return "h", 80\n'
            "host, port = _pair()\nuse(host)",
            {HOLE},
        ),
        ("with open_pair() as (host, port):\n    use(host)", {HOLE}),
        ('for host, port in {"h": 80}:\n    use(host)', {HOLE}),
    ],
)
def test_texts_follow_an_element_to_the_name_that_receives_it(
    source: str, expected: set[str]
) -> None:
    assert _read_texts(source) == expected


def test_self_attributes_set_together_are_each_their_own_element() -> None:
    model, tree = build(
        """
        class S:
            def __init__(self):
                self.host, self.port = "0.0.0.0", 9000

            def start(self, sock):
                sock.bind((self.host, self.port))
        """
    )
    address = call_arg(tree, "bind")
    assert isinstance(address, ast.Tuple)
    assert texts(model, address.elts[0]) == {"0.0.0.0"}
    assert texts(model, address.elts[1]) == {"9000"}
    cls = next(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef))
    assert [getattr(v, "value", v) for v in model.attribute_values(cls, "host")] == ["0.0.0.0"]
    assert [getattr(o, "value", None) for o in model.origins(address.elts[0])] == ["0.0.0.0"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('host, port = "localhost", 80\nsock.bind((host, port))', {LISTEN}),
        ('(host, port) = ["localhost", 80]\nsock.bind((host, port))', {LISTEN}),
        (
            'own, peer = "localhost", "h"\nsock.bind((own, 0))\nsock.connect((peer, 80))',
            {LISTEN},
        ),
        (
            'own, peer = "h", "localhost"\nsock.bind((own, 0))\nsock.connect((peer, 80))',
            {PEER},
        ),
        ('host, *rest = "localhost", 1, 2\nsock.bind((host, 0))\nprint(rest)', {LISTEN}),
        ('*rest, host = 1, 2, "localhost"\nsock.bind((host, 0))\nprint(rest)', {LISTEN}),
        ('first, *rest = "h", "localhost"\nfor host in rest:\n    sock.connect(host)', {PEER}),
        ('port, (host, _) = 80, ("localhost", 1)\nsock.bind((host, port))', {LISTEN}),
        ('address = ("localhost", 80)\nhost, port = address\nsock.bind((host, port))', {LISTEN}),
        (
            'def _pair():\n    return "localhost", 80\n'
            "def serve():\n    host, port = _pair()\n    sock.bind((host, port))",
            {LISTEN},
        ),
        ('for host, port in [("localhost", 1)]:\n    sock.bind((host, port))', {LISTEN}),
        ('HOSTS = ["localhost"]\nfor host in HOSTS:\n    print(host)', {DISPLAY}),
        ('[print(host) for host in ("localhost", "h")]', {DISPLAY}),
        (
            'def serve(address=("localhost", 80)):\n    host, port = address\n'
            "    sock.bind((host, port))",
            {LISTEN},
        ),
        (
            'class S:\n    def __init__(self):\n        self.host, self.port = "localhost", 1\n'
            "    def run(self):\n        sock.connect((self.host, self.port))",
            {PEER},
        ),
        # the place of the item is not known, or the unpacking fails: unknown
        ('host, port = {"localhost", 80}\nsock.bind((host, port))', {UNKNOWN}),
        ('host, port = "localhost", 80, 90\nsock.bind((host, port))', {UNKNOWN}),
        ('host, port = *more, "localhost"\nsock.bind((port, 0))', {LISTEN}),
        ('host, *rest, port = *more, "localhost", 1\nsock.bind((host, port))', {UNKNOWN}),
        ('host, port = parse("localhost")\nsock.bind((host, port))', {UNKNOWN}),
        ('for c in "localhost":\n    sock.bind(c)', {UNKNOWN}),
    ],
)
def test_uses_follow_an_element_to_the_name_that_receives_it(
    source: str, expected: set[str]
) -> None:
    model, tree = build(source)
    assert model.uses(constant(tree, "localhost")) == expected


def test_a_static_method_called_on_self_keeps_its_first_parameter() -> None:
    model, tree = build(
        """
        import socket
        class Service:
            @staticmethod
            def announce(label, host):
                print(label)
                socket.socket().bind((host, 8000))
            def start(self):
                self.announce("127.0.0.1", "0.0.0.0")
        """
    )
    assert model.uses(_loopback(tree, 0)) == {DISPLAY}  # the label, not the bound host
