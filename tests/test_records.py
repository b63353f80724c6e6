"""Values that name a record rather than a place (analysis.records)."""

from __future__ import annotations

import ast

import pytest

from debt_lints.analysis.records import record_identity
from tests.test_semantic import build


def _loopback_literal(tree: ast.AST) -> ast.expr:
    """The first string literal (or f-string) that holds a loopback host."""
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and any(
            isinstance(v, ast.Constant) and _loopback(str(v.value)) for v in node.values
        ):
            return node
        if isinstance(node, ast.Constant) and _loopback(str(node.value)):
            return node
    raise AssertionError("no loopback literal")


def _loopback(text: str) -> bool:
    return "localhost" in text or "127.0.0.1" in text


@pytest.mark.parametrize(
    "source",
    [
        # the variable of the loop around it
        """
        def f(n):
            for i in range(n):
                entry = {}
                entry["url"] = "http://localhost/generate/{}".format(i)
        """,
        # a name assigned from the loop's variable in its body
        """
        def f(messages):
            for message in messages:
                update_id = message["update_id"]
                entry = Entry()
                entry["url"] = f"http://localhost?update_id={update_id!s}"
        """,
        # a random token, with %
        """
        import random
        def f(kwargs):
            kwargs["url"] = "http://localhost/inject/%s" % "".join(random.sample("abc", 3))
            return Entry(**kwargs)
        """,
        # a hash of the item's title
        """
        def f(entry):
            entry["url"] = "http://localhost/mock/{}".format(hash(entry["title"]))
        """,
        # an attribute of a record, a digest of its content
        """
        import hashlib
        def f(items):
            for item in items:
                item.url = f"http://localhost/item/{hashlib.sha1(item.body).hexdigest()}"
        """,
        # a keyword of a record class's constructor, a UUID
        """
        import uuid
        def f(title):
            return Entry(title=title, url=f"http://127.0.0.1/row/{uuid.uuid4()}")
        """,
        # a dict display in a comprehension, through a local name
        """
        def f(names):
            out = []
            for name in names:
                url = "http://localhost/feed/" + name
                out.append({"title": name, "url": url})
            return out
        """,
    ],
)
def test_a_url_built_per_item_and_only_stored_is_a_records_identity(source: str) -> None:
    model, tree = build(source)
    assert record_identity(model, _loopback_literal(tree))


@pytest.mark.parametrize(
    "source",
    [
        # requested
        """
        import requests
        def f(ids):
            for item in ids:
                requests.get("http://localhost/api/{}".format(item))
        """,
        # the record that holds it is a request's arguments
        """
        import requests
        def f(ids):
            for item in ids:
                params = {}
                params["url"] = f"http://localhost/api/{item}"
                requests.request(**params)
        """,
        # a client's base URL
        """
        import httpx
        def f(tenants):
            return [httpx.Client(base_url=f"http://localhost/{t}") for t in tenants]
        """,
        # a collection of URLs, indexed by the item
        """
        def f(n):
            urls = {}
            for i in range(n):
                urls[i] = f"http://localhost/page/{i}"
            return urls
        """,
        # an attribute of this object that a request reads
        """
        import uuid
        import requests
        class C:
            def __init__(self):
                self.url = f"http://localhost/item/{uuid.uuid4()}"
            def get(self):
                return requests.get(self.url)
        """,
        # a port: a service's address
        """
        def f(names):
            for name in names:
                entry = {}
                entry["url"] = f"http://localhost:8080/feed/{name}"
        """,
        # one URL for every item
        """
        def f(entry, config):
            entry["url"] = "http://localhost/{}".format(config["path"])
        """,
        # no hole at all
        """
        def f(entry):
            entry["url"] = "http://localhost/feed"
        """,
        # a name read by a request too
        """
        from urllib.request import urlopen
        def f(ids):
            for item in ids:
                url = f"http://localhost/items/{item}"
                urlopen(url)
        """,
    ],
)
def test_a_url_that_is_requested_fixed_or_a_services_is_no_identity(source: str) -> None:
    model, tree = build(source)
    assert not record_identity(model, _loopback_literal(tree))
