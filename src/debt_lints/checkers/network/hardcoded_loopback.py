from __future__ import annotations

import ast
import re

from debt_lints.analysis.context import (
    EXAMPLE_FILES,
    TEST_FILES,
    FileContext,
    ProjectView,
    YamlScalar,
    option_globs,
)
from debt_lints.analysis.literals import (
    is_bind_all_host,
    is_loopback_host,
    is_loopback_network,
    is_loopback_value,
    last_name,
    name_words,
    quoted,
    template,
    value_use,
)
from debt_lints.analysis.own_state import PARAMETER, parameter_ports
from debt_lints.analysis.packaging import LIBRARY
from debt_lints.analysis.records import record_identity
from debt_lints.analysis.resources import HelperCall
from debt_lints.analysis.semantic import (
    COMPARE,
    DISPLAY,
    LISTEN,
    OPTION,
    OWN_ADDRESS,
    OWN_LISTENER,
    PEER,
    PLACEHOLDER,
    RESOLVE,
    UNKNOWN,
    helper_parameter_uses,
    model_of,
    opens_tunnel,
)
from debt_lints.analysis.started_servers import serves_started_section
from debt_lints.core.model import Finding, Rule, Severity
from debt_lints.core.settings import Settings


def _mentions_loopback(text: str) -> bool:
    # The cheap filter every string constant goes through: three substring tests.
    return "localhost" in text or "127." in text or "::1" in text


class HardcodedLoopback(Rule):
    """
    ## What it does
    Flags a loopback host written into the code as a value:

    * a URL or endpoint whose host is loopback: `"tcp://localhost:5555"`,
      `f"tcp://127.0.0.1:{port}"`, `"tcp://127.0.0.1:%d" % port`,
      `"http://localhost:8080/v1"`, `"nats://localhost:4222"`,
      `"redis://localhost:6379/0"`, `"localhost:6379"`, `"[::1]:8000"`;
    * a bare `"localhost"`, any `127.x.x.x`, `"::1"` or `"[::1]"` used as a
      value: a call or keyword argument
      (`get_zmq_connection_string(port, "localhost")`,
      `connect_ex(("127.0.0.1", port))`, `redis.Redis(host="localhost")`),
      an assignment (`host = "localhost"`, `host: str = "localhost"`), a
      default (`config.get("sdt_host", "localhost")`,
      `def __init__(self, host="localhost")`, `os.getenv("HOST") or
      "localhost"`), a dictionary value, a return value.

    * a list, tuple or set of loopback endpoints used as a value, also as a
      default (`self.urls = ["http://localhost:9000", "http://localhost:9100"]`,
      `config.get("zmq_endpoints", ["tcp://localhost:5555", ...])`): each
      element is a finding.

    In YAML files: any value that is a loopback host or a loopback URL or
    endpoint (`host: localhost`, `url: redis://127.0.0.1:6379`), including
    `NAME=value` entries of a compose `environment` list. In an
    `environment` (compose) or `env` (Kubernetes) block the message says
    that `localhost` is the container itself and asks for the peer's
    service name; elsewhere in configuration it asks for a per-environment
    value (an override file or `${VAR}`) or the service name.

    ## Why is this debt
    `localhost` means "this container". Code that assumes its peers run on
    the same host works on one developer machine and breaks as soon as the
    services are split across containers or machines, usually with a
    timeout rather than an error. The audit found localhost assumptions in
    the MainPC ZMQ service discovery, blocking the move to containers.

    ## Example
    ```python
    import redis
    import zmq


    def connect(context, port):
        socket = context.socket(zmq.REQ)
        socket.connect(f"tcp://localhost:{port}")
        cache = redis.Redis(host="localhost", port=6379)
        return socket, cache
    ```

    ## Use instead
    ```python
    import os

    import redis
    import zmq


    def connect(context, port):
        socket = context.socket(zmq.REQ)
        socket.connect(f"tcp://{os.environ['SDT_HOST']}:{port}")
        cache = redis.Redis(host=os.environ["REDIS_HOST"], port=6379)
        return socket, cache
    ```

    ## Options
    `example-files`: globs of example and documentation code (default
    `examples`, `example`, `docs`, `doc` folders), which is not checked:
    a listing written to run beside its companion server on one machine
    names that machine on purpose, and the code users copy from it is
    checked where it lands. `test-files` (shared with DL401; pytest's and
    unittest's discovery names, `tests` and `test` folders, `testing`
    packages of fixtures and pytest plugins): a test reaches the server it
    started. A glob matches a base name, a parent folder or
    the path relative to the configuration; `example-files = []` checks
    examples too, `extend-example-files` adds globs.

    `library` (bool; by default `true` when the configuration's folder builds
    a distribution that ships a package or a module, as its `pyproject.toml`,
    `setup.cfg` or `setup.py` says, read as DL602 reads it): in a library's
    packages (a file
    inside a folder, not a top-level script) a loopback *default* is the
    library's users' to set, and is reported only where the library itself
    relies on it: a parameter's default (`def __init__(self,
    hostname="localhost")`) when a call in the same file leaves the
    parameter out; a module constant when it reaches a peer in the file
    other than as a fallback (`STATS = ("localhost", 8125)` then
    `sendto(data, STATS)`, or `Emitter(STATSD_HOST)` where the class's
    `__init__` connects; not `host or DEFAULT_HOST`, also when the constant
    is shown as text: `help=f"(default: {DEFAULT_HOST})"`, a message). A
    setting's default
    or fallback (`config.get("host", "localhost")`, the same written with
    `config.setdefault("host", "localhost")` or `kwargs.pop("host",
    "localhost")`, `url.hostname or
    "localhost"`, `Parameter(default="localhost")`, a getter of the file
    with a `default` parameter), a class attribute, `self.host =
    "localhost"` and a method that only returns a literal (a property
    subclasses override) are not reported there, nor code under `if
    __name__ == "__main__":` and a `test`/`demo` function only that block
    calls (a module's self-test), nor a client built on first use when the
    user has configured none: loopback given to a call in an `if NAME is
    None:` (or `if not NAME:`) branch that stores the built object under the
    module-level `NAME` it tests, directly (`global _client` then `_client =
    Redis(host="localhost")`) or through a function of the module that
    assigns it (`set_broker(RabbitmqBroker(host="127.0.0.1"))` where
    `set_broker` does `global global_broker; global_broker = broker`).
    Loopback used where it is written
    (`smtplib.SMTP("localhost")`, `connectTCP("localhost", 9999, f)`) is
    reported in a library too. In an application (`library = false`) every
    default that may reach a peer is reported, as the program relies on it.

    ## Known limits
    Not flagged: comparisons and membership tests
    (`if host in ("localhost", "127.0.0.1")`, `host == "localhost"`),
    `match` cases, expectations of test assertions
    (`self.assertEqual(host, "localhost")`, `mock.assert_called_with(...)`),
    URLs on a scheme no network client speaks (`file://localhost/...`, a
    local file; `mock://localhost/...`, requests-mock's and luigi's test
    doubles or a placeholder a record needs; kombu's in-process
    `memory://localhost/`), string-method
    patterns (`url.replace("localhost", host)`), addresses handed to the
    `ipaddress` module to parse (`ipaddress.ip_address("::1")`),
    dictionary keys and subscripts, docstrings, an allow-list of bare
    loopback spellings (a set, or a list or tuple of two or more assigned
    to a name: `LOOPBACK = {"localhost", "127.0.0.1", "::1"}`: it
    recognises loopback, it is not a host to reach; the same spellings
    passed as an argument or default, or unpacked into names (`own, peer =
    "127.0.0.1", "localhost"`), are values), a list that holds a loopback
    network with its prefix length (`["127.0.0.0/8", "::1"] + proxies`:
    trusted proxies, allowed sources; addresses to match, wherever the list
    goes), commands that run inside
    the container (compose `healthcheck`, Kubernetes `livenessProbe`,
    `readinessProbe`, `startupProbe`), and prose
    that merely mentions a loopback host (`"connecting to localhost
    failed"`, `f"serving on http://localhost:{port}"`): only a string that
    is entirely a host or an endpoint counts. A host built from pieces
    (`"local" + "host"`) and a loopback address written as bytes or an
    integer are not seen. Nor is a URL that identifies a record rather than
    a place: a loopback URL with no port, filled per item (a hole holds the
    variable of a loop around it, a name assigned from it in that loop, or a
    `random`, `uuid`, `secrets`, `hashlib`, `os.urandom`, `hash()` or `id()`
    value), stored only as a field of a record (under a constant key,
    `entry["url"] = "http://localhost/mock/{}".format(token)`; as an attribute
    of another object, `item.url = ...`; in a dict display; as a
    keyword of a class's constructor, `Entry(title=t, url=...)`; directly or
    through a local name) where neither the URL nor the record reaches a
    request, a connect, a client, a listener or a process: a unique url an
    entry needs. Still reported: the same URL requested or given to a client
    (`requests.get(f"http://localhost/api/{item}")`, `httpx.Client(base_url=...)`),
    stored in a record that is a request's arguments (`params["url"] = ...`
    then `requests.request(**params)`), in a collection under the item
    (`urls[i] = ...`), one URL for every item (a hole filled from
    configuration), or naming a port (`f"http://localhost:8080/feed/{name}"`).
    A record that reaches a request later through a container (`entries.append(entry)`
    then a loop that requests each `entry["url"]`) or another file is not
    followed: that URL is taken for an identity, and so is a link built with
    a random token written in place (`ctx["link"] =
    f"http://localhost/reset/{secrets.token_urlsafe()}"`). A placeholder filled from a
    counter or a value of the item not bound by a loop around it (`f"http://localhost/x/{self.next_id()}"`)
    is not seen as per item: it is reported.

    Where the value goes is asked of the semantic model
    (`debt_lints.analysis.semantic`), through variables, `self` attributes,
    parameter defaults, settings' defaults (`config.get("host",
    "localhost")`), the parameters of this file's functions and of its
    classes' `__init__` (an argument of `Listener(host=host)` goes where
    `__init__`'s `host` goes; an `__init__` inherited from a base is not
    seen), this file's calls of a private function that
    returns it, and tuple unpacking, element by element (`host, port =
    "127.0.0.1", 8000` then `bind((host, port))`; `self.host, self.port =
    ...`; a pair held in a name or a parameter default, or returned as a
    tuple display by a function of this file, then unpacked; nested targets;
    the pairs of a literal list a `for` loop or a comprehension walks; an item
    a starred target `*rest` collects goes where `rest` goes): a loopback value
    that only reaches the program's own
    listen or bind address (`sock.bind(("127.0.0.1", port))`,
    `def __init__(self, httpd_host="localhost")` then a bind, the host of an
    RPC framework's daemon: Pyro4's `Daemon(host=, port=)` and
    `naming.NameServerDaemon(host, port)`, Pyro5's `server.Daemon`,
    `api.Daemon` and `nameserver.NameServerDaemon`, called through their
    module, a call whose name says it serves (below), and CherryPy's `server.socket_host` setting or
    `cherrypy.server.socket_host`; loopback is the safe choice there), a
    display (`print`, logging, an exception's message, a page opened with
    `webbrowser`), a resolution (`getaddrinfo`, `gethostbyname`, `ipaddress`) or a comparison is not
    reported. Reaching a peer (a connect, a request, a
    client's host or URL), being stored as data (an endpoint in
    configuration), or going where the model cannot follow (another
    file's caller, a container, a call it does not know, an unpacking whose
    element it cannot place: `host, port = parse("localhost")`, a set, a
    display with a starred item before it) is reported.
    Also not reported, as the model tells them: the default of a
    command-line option (`add_argument("--host", default="localhost")`,
    `add_option`, click's `option`, a getopt-style declaration, twisted's
    `optParameters`: configuration already) or of a configurable traitlets
    setting (`ip = Unicode("127.0.0.1", config=True)`,
    `Unicode("localhost").tag(config=True)`), a connect to the port of the
    program's own listener (`connect(("127.0.0.1",
    server.getsockname()[1]))`), a value only tested for truth or type
    (`isinstance(host, str)`; `host = str(host)` keeps the value), an
    argument of this file's function that only listens on it, the last
    resort of a function that detects this machine's own address (another
    of its returns is `sock.getsockname()[0]` or a resolution of
    `socket.gethostname()`; then `except OSError: return "127.0.0.1"`), stand-ins
    nothing connects to (a CGI/WSGI environment's `REMOTE_ADDR` and
    `SERVER_NAME`, the URL of an XML-RPC `ServerProxy` given a transport,
    the host of an HTTP connection over a Unix socket, a mock's
    attributes, a widget's placeholder text), a loopback spelling
    swapped for another (`if host == "localhost": host = "127.0.0.1"`), or
    put in place of a configured listen address on every interface, which
    names the program's own server on this machine (`host = host if host !=
    "0.0.0.0" else "127.0.0.1"`, `if host in ("0.0.0.0", "::"): host =
    "localhost"`: the `if` or the conditional expression must test the very
    name it fills; loopback for any other value, or for a missing one, is
    reported) and loopback written in the body of an `if` whose test holds only
    when a configured host is loopback already (`if NS_HOST in
    ("localhost", "::1") or NS_HOST.startswith("127."): hosts = [NS_HOST,
    "127.0.1.1"]`: an alternate spelling of what the configuration said).
    Nor is loopback chosen in a branch whose test says the transport or the
    address is in-process or local to this machine (`if protocol == "inproc":
    host = "localhost"`, `if address.startswith(("ipc://", "unix://")):`, `if
    sock.family == socket.AF_UNIX:`, the `else` of `!=`, `not in` or `not
    ...startswith`): the transport already confines the peer to this process or
    machine. Only a test on the transport's name or scheme (`inproc`, `ipc`,
    `unix`) or on `AF_UNIX` counts: a flag (`if local:`), another scheme or a
    test that may also hold over TCP (`protocol == "inproc" or flag`) does not,
    and an early return (`if protocol != "inproc": return link`) is not seen.
    Nor is the default of a command-line argument written in the code rather
    than in the parser: the fallback of a value read from the command line
    (`args.host or "localhost"`, `sys.argv[1] if len(sys.argv) > 1 else
    "localhost"`, `if not opts.host: opts.host = "localhost"`, `except
    IndexError: host = "localhost"` after `host = sys.argv[1]`), the host part
    of a `[host:]port` argument filled in when only a port is given (`if ":" in
    target: host, port = target.split(":", 1) else: host, port = "localhost",
    target`), the default of a missing positional argument (`if len(args) < 2:
    remotespec = "localhost:25"`), and a value the next `if` replaces with the
    argument (`host = "localhost"` then `if len(sys.argv) > 1: host =
    sys.argv[1]`); the test must look at the argument the other branch reads.
    The command line is `sys.argv`, what `parse_args()`, `parse_known_args()`,
    `getopt()` or `docopt()` return (also turned into a dictionary by `vars()`:
    `vars(parser.parse_args())["host"]`), the parameters of a click or typer command,
    a parameter every call of this file passes such a value, and, by its name
    only, a parameter called `args`, `argv`, `opts` or `*_args` (a command's
    `main(args)` gets its namespace from another module; a parameter so named
    that holds a caller's values is taken for the command line too). A value read
    from a configuration file or the environment (`config.get("host",
    "localhost")`, `os.environ.get("HOST") or "localhost"`), another function's
    result (`load_settings(args.config).host or "localhost"`), a `*args` tuple
    or a flag that swaps the user's host for loopback (`if args.local: host =
    "localhost"`) is still reported.
    Loopback bound to a name that says it is loopback or the program's own
    interface (`LOCALHOST = "127.0.0.1"`, `LOCAL_IPS`, `MANHOLE_INTERFACE`,
    a `bind_host`) is not reported, nor loopback written in a function
    that opens an SSH tunnel or forwards a port, or passed to such a call
    (`open_tunnel`, `tunnel_to_kernel`, `forward_local_port`; not
    `forward_events`): an end of the tunnel is loopback by design. These
    two are told by names only.
    The program's own servers are not reported either: a loopback endpoint
    written whole, with its port (`addr = "tcp://127.0.0.1:5555"`,
    `f"tcp://127.0.0.1:{port}"`, `CONTROL = ("127.0.0.1", 6000)`, a parameter
    default kept in `self.endpoint`), that reaches a listener of the same file
    (`sock.bind(addr)`, `multiprocessing.connection.Listener(CONTROL)`) and
    otherwise only clients (`connect(addr)`, `Client(CONTROL)`), displays and
    tests, unchanged: the listener serves this machine only, by its own
    address, and its clients are the program's. The value must get there
    whole, through names, `self` attributes, parameter defaults and this
    file's functions' parameters: a host joined to ports (`(HOST, 5000)` and
    `(HOST, 6000)`), an endpoint changed on the way (`addr + "1"`,
    `addr.replace(...)`), returned or handed to another module's function is
    still reported. Nor is an endpoint whose
    port is also given, in the same file, to a listener
    (`web.run_app(app, host="localhost", port=port)` beside
    `f"http://localhost:{port}/"`), to a port forward (the local end of a
    tunnel: `forward_local_port("", local_port, ...)` then `self._local_port
    = local_port`) or to a process the program starts
    (`spawnProcess(..., ["kubectl", "proxy", "-p", str(self.port)])`,
    `Popen(cmd + sys.argv[1:])` beside `HTTPConnection("127.0.0.1",
    port=int(sys.argv[1]))`), or whose port is a key of a configuration
    section that the same function hands whole to a function of this file
    which gives that key to a listener or to a process it starts (a command
    that runs the program's components: `run_in(ctx.invoke, scheduler,
    **scheduler_config)` beside `"http://127.0.0.1:%s/" %
    config.get("scheduler", {}).get("xmlrpc_port")`, where `scheduler` gives
    `xmlrpc_port` to `xmlrpc_run(port=xmlrpc_port, bind=xmlrpc_host)`: a
    `port=` beside `bind=` counts as a listener; or
    `phantomjs_config.get("port")` where `phantomjs` starts `Popen([...,
    str(port)])`; or the same attribute of what the start returned,
    `phantomjs_obj.port` where it returns `ObjectDict(port=port)`), or
    whose port is read back from a socket the program bound:
    `getsockname()`, a `bind*` helper that returns it
    (`sock, port = bind_unused_port()`), or a function of this file that
    returns such a port, followed through `self` attributes and the
    methods that return them (`self.get_http_port()` returning
    `self.__port`). Nor are a URL only a mock holds (`Mock(abs_href=
    Href("http://localhost/"))`) and a nameserver entry on the DNS port
    (`("127.0.0.1", 53)`, `("127.0.0.1", dns.PORT)`: the local resolver,
    resolv.conf's default when none is configured). In a library, a
    fallback written as an `if` (`if not host: host = "localhost"`, `if url
    == "mongodb://": url += "localhost"`, `"localhost" if h is None else h`,
    or for a missing part of what the other branch reads: `parts[0] if
    len(parts) else "localhost"`, `m.group(1) if m else "localhost"`; also
    when the test that the value is missing is one part of a conjunction: `if
    host is None and not interface: host = "127.0.0.1"`)
    is a default like `host or "localhost"`, and so is the default of a
    declared option (`Option("notification", "smtp_server", "localhost",
    doc)`, any callable whose name ends in `Option`).
    Nor is a port read back from a file that the same file writes with a
    fact of this machine, the program's own pid or its own listener's port:
    a pid file (`f.write(f"{os.getpid()};{self.port}")`, then `pid, port =
    (int(x) for x in f.readline().split(";"))` before a probe connects to
    loopback) or a single-instance port file (the first instance writes
    the port it gave `listenTCP`, the second reads it and connects):
    whoever wrote it runs here. The file is the same when its path is
    written the same way (through names, `self` attributes, parameters and
    this file's arguments); only `open()` with `read`, `readline` or
    `readlines` and `write` are seen (not `pathlib`'s `read_text`, `json`
    or a file another module writes), and a file that holds a port the
    user chose (a saved preference) is still reported. The value is followed
    to the file through names, this file's functions and methods and what they
    return, items stored into a mapping (`result[key] = value`) and the lines
    of the opened file (`for line in f`). The same holds across files for a
    port that is a parameter of a module-level function or of a module-level
    class's `__init__` (`IPCClient(port, password)` connecting to
    `("127.0.0.1", port)`) when every use of that function or class in the
    project is a call that hands it such a value, read back in the caller's
    own file (`IPCClient(ipc_info["port"], ...)` where `ipc_info` comes from
    the lock file that file writes with `os.getpid()`); one call with another
    value, a use that hands the class on or stores it, a call with `*args`, or
    a port kept in `self.port` before the connect keeps the finding. This is
    settled in the project phase (the files that mention the name); a file
    checked alone reports it.
    Nor is a client of the project's own listener, in the same file or in
    another: an endpoint whose port is read from a source that a listener of
    the project on loopback also takes its port from or writes it to
    (single-instance IPC: `CONF.get("main", "open_files_port")` where another
    module does `set_conf("open_files_port", port)` then
    `bind(("127.0.0.1", port))`; the same environment variable, configuration
    key of the same section or module constant; a daemon's control client
    beside its `TCPServer(("127.0.0.1", int(os.environ["CTL_PORT"])), H)`,
    which the file alone tells), or that the project's own command lines give one value with the
    listener's: a spawned IPC pair, `daemon_build.py` started by a build rule
    as `daemon_build.py $PORT ...`, beside `run_daemon.py $PORT ...` that runs
    `Popen([sys.executable, "daemon.py"] + sys.argv[1:])`, where `daemon.py`
    listens on loopback at `int(sys.argv[1])`. A script is named by its base
    name; the value an argument gets is read from a process start's command
    list (`[sys.executable, "x.py", str(PORT)]`, the script's own
    `sys.argv[N:]` passed through, a list assigned once) or from a command
    template (`$PORT`, `${PORT}`, `{port}`, `%(port)s` or a literal port after
    `x.py`), and two command lines share it only in one file (the same
    placeholder, literal or binding). This is settled in the project phase (the CLI, a host plugin,
    the language server: the other files are read from disk), looking at the
    files of the same top-level folder (the root's own files for a script at
    the root); a configuration key written without a section matches the
    key in any section. The listener's loopback host must be written in the
    listen call (`bind(("127.0.0.1", port))`, `TCPServer(("localhost", p),
    H)`), not held in a name first. A listener on an interface other than loopback
    (`(host, port)` from configuration) does not count: that server may be
    another machine.
    Still reported although local by definition: a server started by
    another program with the port on its command line (a script no command
    line of the project starts, one started as a module, `python -m x`, or
    by a command built with an f-string or `shlex`; `scrapy bench`'s server
    started as a module with a literal port), a listener in another
    top-level folder, a configuration
    key or constant the listener reads under another spelling (a section
    held in a class attribute on the client side, a constant re-exported
    under another module's name), a port from a helper of another
    module that does not say it binds (`self.get_free_port()` with no
    forward or listener in this file), and the default host of a server
    entry the program saves in its own preferences, then launches and
    connects to itself (a language server's entry built by a settings
    dialog: the link runs through the preference store, under a key known
    only at run time, to the module that starts the server; the dialog
    compares the text of its host field with loopback to tell an external
    server, not the entry's value, so the default is not seen as a mode).
    A section handed to the server's start by another function (a separate
    command, which may run where the server does not) does not count, nor a
    section the function reads under another name than the one it hands on,
    nor a port only written alike on both sides (`pyspider bench`'s crawl of
    `http://127.0.0.1:5000/bench`, the web UI it starts on its default port
    5000). Nor is a process another module starts with a configuration file
    written elsewhere that keeps its control port on loopback (motion's
    `webcontrol_localhost`, reached at `settings.MOTION_CONTROL_PORT`): the
    link runs through a file's content and modules the model does not follow.
    Reliance on a library default by another module of the project (a
    call elsewhere that leaves the parameter out) is not seen. A call of
    another module is a listener by its name only: a `*Server`, a `*Daemon`
    named for what it serves (`NameServerDaemon`, `RPCDaemon`; a bare
    `Daemon` outside Pyro is not one), `serve*`, `listen*` or `bind*`
    (`serve_app(app, host=...)`, `listenOn(...)`), given the host
    positionally or as `host`, `hostname`, `ip`, `addr`, `address`, `bind`,
    `bind_address`, `listen` or `interface` (another keyword, `upstream=`, may
    be a peer's); and a call of another module builds or takes apart an
    address by its name only (a class `*Address`, `*Endpoint` or `*HostPort`,
    `parse_*`, `split_*`, `make_*`, `build_*`, `format_*` or `to_*` of an
    address, `address_to_*`): `"127.0.0.1:%s" % port` turned into `self.host,
    self.port = address_to_host_port(addr)`, then read by
    `NameServerDaemon(self.host, self.port)` in another method, is the
    program's own listen address. A listener or a conversion named otherwise
    (`MyPyro(host)`, `open_endpoint(host, port)`), a subclass of Pyro's
    daemon (`class MyDaemon(Pyro5.api.Daemon)`), a conversion unpacked with a
    star (`Daemon(*address_to_host_port(addr))`) and a class of this file
    whose name ends in `Server` (judged by its name, not by its `__init__`)
    are not seen through. A `*Proxy` is a client: a host also handed to one
    is a peer, unless the endpoint's port is the program's own listener's
    (the rule above); a bare host (`def start(host="127.0.0.1")`) that reaches
    both a class's listener and its proxy is still reported. In a library,
    a client built on first use is seen only when the branch stores it
    under the name it tests in this module (not through a setter of
    another module, a class attribute or a cache dictionary).

    A value handed to a module-level function of another file of the project
    (`open_on(host, port)`, `net.announce(host=...)`, through the file's
    imports) goes where that function's parameter goes, read from its own file
    in the project phase: one that only listens on it, shows it or tests it
    takes no peer, and the finding is withdrawn; what it returns built from
    the value (`sock.bind(net.endpoint("127.0.0.1", port))` where `endpoint`
    returns `"tcp://%s:%d" % (host, port)`) goes where the caller uses that
    call's result. The same holds for a function of this file: the result of
    `endpoint("127.0.0.1", 5555)` goes where that call's result goes, not
    where every call of `endpoint` goes. Only one file away is followed: the
    parameter handed on to a function of a third file, or reaching a call the
    model does not know, keeps the finding, and so does a method or a class of
    another file (`Server(host)`, `self.pool.serve(host)`) and a function of
    an installed package. A file checked alone (flake8, pylint, the editor)
    reports it.
    """

    code = "DL301"
    evidence = (b"localhost", b"127.", b"::1")
    name = "hardcoded-loopback"
    summary = "loopback host (localhost, 127.0.0.1, ::1) is hard-coded as a value"
    message = (
        "loopback host is hard-coded; read the host from configuration or use the service name"
    )
    severity = Severity.WARNING
    options = (EXAMPLE_FILES, TEST_FILES, LIBRARY)

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._library = LIBRARY.name in settings.as_dict() and settings.flag(LIBRARY.name)
        self._examples = option_globs(settings, EXAMPLE_FILES)
        self._tests = option_globs(settings, TEST_FILES)

    def _on_one_machine(self, ctx: FileContext) -> bool:
        """Example, documentation or test code (``example-files``, ``test-files``): written
        to run beside its companion server, or against the server the test starts."""
        return ctx.in_files(EXAMPLE_FILES.name, self._examples) or ctx.in_files(
            TEST_FILES.name, self._tests
        )

    def visit_Constant(self, node: ast.Constant, ctx: FileContext) -> None:
        value = node.value
        if type(value) is not str or not _mentions_loopback(value):
            return
        if self._on_one_machine(ctx):
            return
        expr: ast.expr = node
        text = value
        parent = ctx.parent(node)
        if isinstance(parent, ast.JoinedStr):
            if isinstance(ctx.parent(parent), ast.FormattedValue):
                return  # a format spec: f"{x:localhost}" is not a host
            # Judge the whole f-string once, from its first piece that qualifies.
            for piece in parent.values:
                if isinstance(piece, ast.Constant) and _mentions_loopback(str(piece.value)):
                    if piece is not node:
                        return
                    break
            expr = parent
            text = template(parent) or ""
        if not is_loopback_value(text):
            return
        if not value_use(expr, ctx, dict_keys=False) or _is_loopback_allow_list(expr, ctx):
            return
        if _is_loopback_rewrite(expr, ctx):
            return  # if host == "localhost": host = "127.0.0.1" maps a configured value
        if _named_local(expr, ctx) or _tunnel_end(expr, ctx):
            return  # LOCALHOST = "127.0.0.1"; the local end of an SSH tunnel
        model = model_of(ctx)
        if model is not None:
            uses = model.uses(expr)
            if uses <= _NOT_A_PEER:
                return  # the program's own address, shown, resolved or compared: no peer assumed
            if record_identity(model, expr):
                return  # entry["url"] = f"http://localhost/item/{token}": a record's identity
            if model.loopback_configured(expr):
                return  # hosts = [NS_HOST, "127.0.1.1"] where NS_HOST is loopback already
            if model.in_process_only(expr):
                return  # if protocol == "inproc": host = "localhost": the peer is this process
            if model.command_line_default(expr):
                return  # host, port = "localhost", target: the default of a command-line argument
            if model.serves_itself(expr) or serves_started_section(model, expr):
                return  # the port of a server the program listens on or starts itself
            if model.connects_to_itself(expr):
                return  # one loopback endpoint the program listens on and connects to
            sources = model.port_sources(expr)
            if sources and sources & model.loopback_listen_sources():
                return  # a client of this file's own loopback listener, by the same setting
            if self._library and "." in ctx.module and model.left_to_callers(expr, PEER):
                return  # a library's default, for its users to set
        message = (
            f"loopback host is hard-coded ({quoted(text)}); "
            "read the host from configuration or use the service name"
        )
        sources = model.port_sources(expr) if model is not None else frozenset()
        # A parameter port: the callers in the project may read it from a lock file.
        parameters = parameter_ports(model, expr) if model is not None else []
        helpers: tuple[tuple[HelperCall, frozenset[str]], ...] = ()
        if model is not None and UNKNOWN in model.uses(expr):
            rest, helpers = model.uses_through_helpers(expr)
            if not rest <= _NOT_A_PEER:
                helpers = ()  # a peer here already, whatever the helpers do
        question = [
            ctx.relpath,
            sorted(sources) + parameters,
            [[helper.to_json(), sorted(result)] for helper, result in helpers],
        ]
        if sources:
            # The project phase tells whether another file's own listener takes this port
            # (and where the value goes in the project functions it is handed to).
            ctx.defer(expr, question, message)
        elif helpers or parameters:
            # Reported, unless the project functions it is handed to only listen on it,
            # show it or test it (asked of their own files in the project phase).
            ctx.report_unless(expr, question, message)
        else:
            ctx.report(expr, message)

    def settle(self, question: object, finding: Finding, project: ProjectView) -> Finding | None:
        """Report the peer unless a listener of the project itself, on loopback, takes its
        port from the same source (single-instance IPC, a daemon and its client), or the
        project functions the value is handed to only listen on it, show it or test it."""
        if not (isinstance(question, list) and len(question) == 3):
            return finding
        relpath, sources, helpers = question
        if not (
            isinstance(relpath, str)
            and isinstance(sources, list)
            and all(isinstance(s, str) for s in sources)
            and isinstance(helpers, list)
        ):
            return finding
        if helpers:
            found = helper_parameter_uses(relpath, helpers, project)
            if found is not None and all(uses <= _NOT_A_PEER for uses in found):
                return None  # handed only to project functions that listen on it, show it...
        named = [s for s in sources if not s.startswith(PARAMETER)]
        if named and project.loopback_listeners(relpath, named):
            return None
        for source in sources:
            parts = source[len(PARAMETER) :].split(":") if source.startswith(PARAMETER) else []
            if len(parts) == 3 and parts[1].lstrip("-").isdigit():
                name, position, keyword = parts
                if project.calls_from_own_state(relpath, name, int(position), keyword):
                    return None  # IPCClient(lock["port"]): the daemon that wrote it runs here
        return finding

    def visit_yaml_scalar(self, scalar: YamlScalar, ctx: FileContext) -> None:
        value = scalar.value
        if not _mentions_loopback(value) or self._on_one_machine(ctx):
            return
        path = scalar.key_path.lower()
        if _IN_CONTAINER_RE.search(path):
            return  # a health check runs inside the container: localhost is right there
        entry = _ENV_ENTRY_RE.match(value)
        if entry is not None:  # compose: environment: ["REDIS_URL=redis://localhost:6379"]
            value = entry.group(1)
        if not is_loopback_value(value):
            return
        if _ENVIRONMENT_RE.search(path):
            ctx.report_yaml(
                scalar,
                f"loopback host in a service's environment ({quoted(value)}) is the "
                "container itself; name the peer by its service name",
            )
            return
        ctx.report_yaml(
            scalar,
            f"loopback host in configuration ({quoted(value)}); set it per environment "
            "(an override file or ${VAR}) or use the service name",
        )


#: Uses of a loopback value that assume no peer on this machine.
_NOT_A_PEER = frozenset(
    {LISTEN, DISPLAY, RESOLVE, COMPARE, OPTION, OWN_ADDRESS, OWN_LISTENER, PLACEHOLDER}
)


#: YAML key paths whose commands run inside the container (compose and Kubernetes probes).
_IN_CONTAINER_RE = re.compile(
    r"(?:^|\.)(?:healthcheck|livenessprobe|readinessprobe|startupprobe)(?:\.|\[|$)"
)
#: A compose or Kubernetes ``environment``/``env`` block.
_ENVIRONMENT_RE = re.compile(r"(?:^|\.)(?:environment|env)(?:\.|\[|$)")
_ENV_ENTRY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=(.*)$", re.S)


#: A name that says its value is loopback, or the program's own listen interface.
_LOCAL_NAME_WORDS = frozenset({"LOCALHOST", "LOOPBACK", "INTERFACE", "LISTEN", "BIND"})
_LOCAL_ADDRESS_WORDS = frozenset({"HOST", "IP", "IPS", "ADDR", "ADDRESS"})


def _says_local(name: str) -> bool:
    """``LOCALHOST``, ``LOCAL_IPS``, ``MANHOLE_INTERFACE``, ``bind_host``."""
    words = name_words(name)
    return bool(words & _LOCAL_NAME_WORDS) or (
        "LOCAL" in words and bool(words & _LOCAL_ADDRESS_WORDS)
    )


def _named_local(expr: ast.expr, ctx: FileContext) -> bool:
    """Loopback bound to a name that says it is loopback or the program's own
    interface: ``LOCALHOST = "127.0.0.1"``, ``LOCAL_IPS[:] = ["127.0.0.1"]``."""
    node: ast.AST = expr
    parent = ctx.parent(node)
    while isinstance(parent, (ast.List, ast.Tuple, ast.Set)):
        node, parent = parent, ctx.parent(parent)
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target: ast.expr | None = parent.targets[0]
    elif isinstance(parent, ast.AnnAssign):
        target = parent.target
    elif isinstance(parent, ast.keyword):
        return parent.arg is not None and _says_local(parent.arg)
    else:
        return False
    if isinstance(target, ast.Subscript):
        target = target.value
    name = last_name(target) if target is not None else None
    return name is not None and _says_local(name)


def _tunnel_end(expr: ast.expr, ctx: FileContext) -> bool:
    """Loopback written in a function that opens an SSH tunnel or forwards a port, or
    passed to such a call: an end of the tunnel, loopback by design."""
    for ancestor in ctx.ancestors(expr):
        if isinstance(ancestor, ast.Call):
            name = last_name(ancestor.func)
            if name is not None and opens_tunnel(name):
                return True
        elif isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return opens_tunnel(ancestor.name)
    return False


def _is_loopback_rewrite(expr: ast.expr, ctx: FileContext) -> bool:
    """Loopback put in place of a configured value that is loopback already or the
    program's own bind-all listen address: ``if conninfo.hostname == "localhost":
    conninfo.hostname = "127.0.0.1"``, ``host = host if host != "0.0.0.0" else
    "127.0.0.1"``, ``if host in ("0.0.0.0", "::"): host = "localhost"``. The server the
    configuration names listens on this machine (every interface of it, or loopback),
    so loopback reaches it: another spelling of what the configuration said."""
    parent = ctx.parent(expr)
    if isinstance(parent, ast.IfExp):
        # host if host != "0.0.0.0" else "127.0.0.1" / "127.0.0.1" if host == "0.0.0.0" else host
        tested = _swapped_value(parent.test, swapped_when=parent.orelse is not expr)
        other = parent.body if parent.orelse is expr else parent.orelse
        return tested is not None and _same_expression(tested, other)
    if not isinstance(parent, ast.Assign) or len(parent.targets) != 1:
        return False
    guard = ctx.parent(parent)
    if not isinstance(guard, ast.If) or parent not in guard.body:
        return False
    tested = _swapped_value(guard.test, swapped_when=True)
    return tested is not None and _same_expression(tested, parent.targets[0])


def _swapped_value(test: ast.expr, *, swapped_when: bool) -> ast.expr | None:
    """The expression ``test`` compares with loopback or bind-all spellings, when the
    test holds (``swapped_when``) or fails (``not swapped_when``) exactly for them:
    ``x == "0.0.0.0"``, ``x in ("0.0.0.0", "::")``; ``x != ...``, ``x not in ...``."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    op, right = test.ops[0], test.comparators[0]
    if isinstance(op, (ast.Eq, ast.NotEq)):
        values: list[ast.expr] = [right]
        holds = isinstance(op, ast.Eq)
    elif isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, (ast.Tuple, ast.List, ast.Set)):
        values = list(right.elts)
        holds = isinstance(op, ast.In)
    else:
        return None
    if holds != swapped_when or not values:
        return None
    if not all(
        isinstance(v, ast.Constant)
        and isinstance(v.value, str)
        and (is_loopback_host(v.value) or is_bind_all_host(v.value, empty=True))
        for v in values
    ):
        return None
    return test.left


def _same_expression(read: ast.expr, other: ast.expr) -> bool:
    """``read`` and ``other`` spell the same name or attribute chain (load or store)."""
    return ast.dump(read).replace("ctx=Store()", "ctx=Load()") == ast.dump(other).replace(
        "ctx=Store()", "ctx=Load()"
    )


def _is_loopback_allow_list(expr: ast.expr, ctx: FileContext) -> bool:
    """A set, list or tuple of bare loopback spellings kept to recognise loopback
    (``LOOPBACK = {"localhost", "127.0.0.1"}``), not hosts or endpoints to reach.

    Only bare hosts count, and only in a set or in a collection stored under a
    name: a list of endpoints, or one passed as an argument or default
    (``config.get("hosts", ["localhost", "127.0.0.1"])``), is a value. A list that
    also holds a loopback network (``["127.0.0.0/8", "::1"]``) is addresses to match
    wherever it goes.
    """
    parent = ctx.parent(expr)
    if not isinstance(parent, (ast.Set, ast.List, ast.Tuple)):
        return False
    if not all(
        isinstance(e, ast.Constant)
        and isinstance(e.value, str)
        and (is_loopback_host(e.value) or is_loopback_network(e.value))
        for e in parent.elts
    ):
        return False
    if isinstance(parent, ast.Set) or any(
        isinstance(e, ast.Constant) and is_loopback_network(str(e.value)) for e in parent.elts
    ):
        return True  # ["127.0.0.0/8", "::1"]: networks to match addresses against
    holder = ctx.parent(parent)
    if isinstance(holder, ast.Assign) and any(
        isinstance(t, (ast.Tuple, ast.List)) for t in holder.targets
    ):
        return False  # own, peer = "127.0.0.1", "localhost": unpacked, each is a host
    return len(parent.elts) >= 2 and isinstance(holder, (ast.Assign, ast.AnnAssign))
