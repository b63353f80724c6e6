"""Servers a function starts itself from a section of the configuration (DL301's
question, :mod:`debt_lints.analysis.started_servers`), and the model's reads of a
configuration section (:meth:`SemanticModel.section_read`)."""

from __future__ import annotations

import ast

from debt_lints.analysis.started_servers import serves_started_section
from tests.test_semantic import build

COMMANDS = """
import subprocess
from crawler import utils
from crawler.queues import connect_queue

def scheduler(ctx, xmlrpc_host, xmlrpc_port):
    utils.run_in_thread(server.xmlrpc_run, port=xmlrpc_port, bind=xmlrpc_host)

def phantomjs(ctx, port):
    process = subprocess.Popen(["phantomjs", "fetcher.js", str(port)])
    obj = utils.ObjectDict(port=port, quit=process.kill)
    return obj

def fetcher(ctx, queue_port):
    connect_queue(port=queue_port)
    return utils.ObjectDict(port=queue_port)
"""


def _endpoints(tree: ast.AST) -> list[ast.expr]:
    """The ``"...127.0.0.1:%s..."`` format strings, in source order."""
    found = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and "127.0.0.1:" in n.value
    ]
    return sorted(found, key=lambda n: (n.lineno, n.col_offset))


def test_section_read_names_the_section_a_mapping_is_read_from() -> None:
    model, tree = build(
        """
        def run(g, flag):
            scheduler_config = g.config.get("scheduler", {})
            a = scheduler_config
            b = g.config.get("scheduler")
            c = g.config.get("scheduler", {}).get("xmlrpc_port", 23333)
            if flag:
                scheduler_config = g.config.get("fetcher", {})
            d = scheduler_config
        """
    )
    names = {
        n.targets[0].id: n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)
    }
    assert model.section_read(names["a"]) == "scheduler"
    assert model.section_read(names["b"]) is None  # no mapping default: a value, not a section
    assert model.section_read(names["c"]) is None  # a key of the section
    assert model.section_read(names["d"]) is None  # two sections reach it


def test_port_sources_name_the_section_of_a_chained_read() -> None:
    model, tree = build(
        """
        def run(g):
            connect("http://127.0.0.1:%s/" % g.config.get("scheduler", {}).get("port"))
            section = g.config.get("fetcher", {})
            connect("127.0.0.1:%s" % section.get("port", 24444))
            connect("127.0.0.1:%s" % g.config.get("port"))
        """
    )
    first, second, third = _endpoints(tree)
    assert model.port_sources(first) == {"config:scheduler/port"}
    assert model.port_sources(second) == {"config:fetcher/port"}
    assert model.port_sources(third) == {"config:port"}


def test_a_port_the_same_function_starts_a_server_on_is_served() -> None:
    model, tree = build(
        COMMANDS
        + """
def all(ctx, g):
    phantomjs_config = g.config.get("phantomjs", {})
    utils.run_in(ctx.invoke, phantomjs, **phantomjs_config)
    proxy = "127.0.0.1:%s" % phantomjs_config.get("port", 25555)
    rpc = "http://127.0.0.1:%s/" % g.config.get("scheduler", {}).get("xmlrpc_port")
    scheduler_config = g.config.get("scheduler", {})
    ctx.invoke(scheduler, **scheduler_config)
    obj = ctx.invoke(phantomjs, **phantomjs_config)
    again = "127.0.0.1:%s" % obj.port
"""
    )
    for endpoint in _endpoints(tree):
        assert serves_started_section(model, endpoint), endpoint.value


def test_a_port_no_server_of_this_function_takes_is_not_served() -> None:
    model, tree = build(
        COMMANDS
        + """
def send(g):
    rpc = "http://127.0.0.1:%s/" % g.config.get("scheduler", {}).get("xmlrpc_port")

def crawl(ctx, g):
    fetcher_config = g.config.get("fetcher", {})
    obj = ctx.invoke(fetcher, **fetcher_config)
    broker = "amqp://127.0.0.1:%s/" % fetcher_config.get("queue_port")
    returned = "amqp://127.0.0.1:%s/" % obj.port
    scheduler_config = g.config.get("scheduler", {})
    ctx.invoke(scheduler, **scheduler_config)
    other = "127.0.0.1:%s" % g.config.get("phantomjs", {}).get("port")
    unknown = g.config.get("phantomjs", {})
    ctx.invoke(start_elsewhere, **unknown)
    elsewhere = "127.0.0.1:%s" % unknown.get("port")

def nested(ctx, g):
    phantomjs_config = g.config.get("phantomjs", {})
    def later():
        ctx.invoke(phantomjs, **phantomjs_config)
    proxy = "127.0.0.1:%s" % phantomjs_config.get("port")
"""
    )
    for endpoint in _endpoints(tree):
        assert not serves_started_section(model, endpoint), endpoint.value
