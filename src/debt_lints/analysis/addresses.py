"""What a call does with an address, told by its name alone.

For calls of other modules and installed packages, whose code the model does not
read: a name that says the call serves on the host it is given (the program's own
listener), or that it builds or takes apart an address (what it returns is that
address, whole or in parts). The semantic model asks these
(:meth:`debt_lints.analysis.semantic.SemanticModel.uses`).
"""

from __future__ import annotations

import re

from debt_lints.core.lazy import lazy_pattern

__all__ = ["SERVE_KEYWORDS", "converts_address", "serves_by_name"]

#: The keywords by which a call that serves (:func:`serves_by_name`) takes its own host;
#: a positional argument counts too. Another keyword (``upstream=``) may be a peer's.
SERVE_KEYWORDS = frozenset(
    {"host", "hostname", "ip", "addr", "address", "bind", "bind_address", "listen", "interface"}
)

#: A name that says the call serves: ``serve_app``, ``listenOn``, ``bind_socket``.
_SERVES_RE = lazy_pattern(r"^_*(?:serve|listen|bind)(?:_|[A-Z0-9]|$)")
#: A name that says the call builds or takes apart an address: a class of address values,
#: ``parse_*``/``split_*``/``make_*``... of an address, ``address_to_*``.
_ADDRESS_CLASS_RE = lazy_pattern(r"^_*[A-Z]\w*(?:Address|Endpoint|HostPort)$")
_ADDRESS_VERB_RE = lazy_pattern(
    r"^_*(?:parse|split|make|build|format|to)_\w*(?:addr|endpoint|host_?port)", re.I
)
_ADDRESS_TO_RE = lazy_pattern(r"(?:addr(?:ess)?|endpoint|host_?port)_to_", re.I)


def serves_by_name(name: str) -> bool:
    """A call or class whose name says it serves on the host it is given: a
    ``*Daemon`` named for what it serves (``NameServerDaemon``, ``RPCDaemon``; not a
    bare ``Daemon``, which may only detach a process), ``serve*``, ``listen*``,
    ``bind*`` (``serve_app``, ``listenOn``, ``bind_socket``)."""
    return (name.endswith("Daemon") and name != "Daemon") or bool(_SERVES_RE.match(name))


def converts_address(name: str) -> bool:
    """A call named for the address it builds or takes apart: ``SocketAddress``,
    ``address_to_host_port``, ``parse_endpoint``, ``split_host_port``; not one named
    for what it does with it (``open_endpoint``, ``announce_address``)."""
    return bool(
        _ADDRESS_CLASS_RE.match(name) or _ADDRESS_VERB_RE.match(name) or _ADDRESS_TO_RE.search(name)
    )
