"""One semantic model per file: where a value comes from and where it goes.

Rules ask the model instead of following values themselves (STYLE.md, "Rules
judge; the model knows"). It is built lazily, once per file, the first time a
rule asks (:func:`model_of`), from the whole tree, and knows:

* **scopes and bindings**: the module, each function, lambda and class, and
  every name each binds, in program order (:class:`Def`);
* **reaching definitions**: for each use of a local name, the bindings that
  may reach it (straight-line code, ``if``/``else`` joined, loops run to a
  fixed point, ``break``/``continue``/``return``/``raise`` followed,
  ``try`` handlers entered from anywhere in the body), :meth:`SemanticModel.reaching`;
  a name of an enclosing function or of the module sees every binding there;
* **the values an expression can take** (:meth:`SemanticModel.texts`): string
  folding through f-strings, ``%``, ``.format``, ``+``, ``.join``,
  ``.replace`` and the case/strip methods; ``os.environ.get``/``os.getenv``,
  project ``*env*`` helpers and ``config.get(key, default)`` give their
  default (with the setting's name) *and* an unknown value; a parameter its
  default joined with the arguments of this file's own call sites; ``self.x``
  every assignment of ``x`` in the class; module constants; the element a
  name or an attribute receives from an unpacking (``host, port = "h", 80``,
  ``self.host, self.port = _address()`` where this file's ``_address``
  returns a tuple display, ``for host, port in [("h", 80)]``), an element of
  a value the model does not know being unknown;
* **the value with every setting at its default** (:meth:`SemanticModel.default_value`),
  for flags such as ``SECURE = os.getenv("SECURE", "0") == "1"``;
* **the use a value reaches** (:meth:`SemanticModel.uses`): a peer (connect
  target, URL requested, a client's host), a listen address, a display
  (print, logging, a message), a resolution (``getaddrinfo``), a comparison,
  data, or unknown, followed through names, ``self`` attributes, parameters
  (of this file's functions, and of its classes' ``__init__`` for the
  arguments of a ``Class(...)`` call), settings' defaults and unpackings
  (an item of a display goes to the element of the target at its place);
* **the command line and the tests on it** (:meth:`SemanticModel.from_command_line`,
  :meth:`SemanticModel.command_line_default`): ``sys.argv``, a parser's result, a
  command's parameters, and a literal that stands in only for an argument the
  command line leaves out; and the branches that run only over an in-process or
  local transport (:meth:`SemanticModel.in_process_only`).

Everything is approximate in one direction: a set of values may hold
:data:`HOLE` (something the model cannot know), and an unknown use is
reported as :data:`UNKNOWN`. Nothing here executes or imports the code.

The model is one class, :class:`SemanticModel`, put together from one module per
family of questions, each built on the families it asks (its docstring says
which questions it answers), from the bottom up:

* :mod:`.bindings`: scopes, bindings, reaching definitions, a class's attributes;
* :mod:`.calls`: this file's call sites, arguments to parameters, returns;
* :mod:`.imports`: the reads an import reaches, deprecation tests, other modules' names;
* :mod:`.values`: texts, unpacked elements, origins, mappings, settings, defaults;
* :mod:`.uses`: the use a value reaches;
* :mod:`.launches`: ``__main__``, import time, the scripts the program starts;
* :mod:`.commandline`: the command line, in-process only and loopback-configured code;
* :mod:`.endpoints`: defaults left to users, the program's own servers and ports;
* :mod:`.paths`: where a path comes from, its texts;
* :mod:`.probes`: whether the code looks for a path before relying on it;
* :mod:`.model`: the model itself, :func:`model_of`, :func:`model_for`, :func:`launch_links`;
* :mod:`.project`: other files' values through the project index.

A module imports only the modules below it (the import-linter contract
"debt_lints.analysis.semantic families" in ``pyproject.toml``).
"""

from __future__ import annotations

from debt_lints.analysis.literals import HOLE
from debt_lints.analysis.semantic.bindings import Def, Scope
from debt_lints.analysis.semantic.endpoints import (
    DEFAULT_ATTRIBUTE,
    DEFAULT_CONSTANT,
    DEFAULT_PARAMETER,
    DEFAULT_SETTING,
    may_listen_on_loopback,
)
from debt_lints.analysis.semantic.model import SemanticModel, launch_links, model_for, model_of
from debt_lints.analysis.semantic.paths import (
    FROM_CALLER,
    FROM_CWD,
    FROM_DATA_DIR,
    FROM_INPUT,
    FROM_LAYOUT,
    FROM_LITERAL,
    FROM_LOCATION,
    FROM_OTHER,
    FROM_SYS_PATH,
)
from debt_lints.analysis.semantic.project import helper_parameter_uses, imported_texts, module_model
from debt_lints.analysis.semantic.uses import (
    COMPARE,
    DATA,
    DISPLAY,
    LISTEN,
    LISTEN_ATTRIBUTES,
    LISTEN_CALLS,
    LISTEN_SETTING_KEYS,
    OPTION,
    OWN_ADDRESS,
    OWN_LISTENER,
    PEER,
    PEER_CALLS,
    PLACEHOLDER,
    RESOLVE,
    RETURNED,
    RPC_DAEMONS,
    SPAWN,
    UNKNOWN,
    is_rpc_daemon,
    opens_tunnel,
)
from debt_lints.analysis.semantic.values import UNKNOWN_VALUE, Text

__all__ = [
    "COMPARE",
    "DATA",
    "DEFAULT_ATTRIBUTE",
    "DEFAULT_CONSTANT",
    "DEFAULT_PARAMETER",
    "DEFAULT_SETTING",
    "DISPLAY",
    "FROM_CALLER",
    "FROM_CWD",
    "FROM_DATA_DIR",
    "FROM_INPUT",
    "FROM_LAYOUT",
    "FROM_LITERAL",
    "FROM_LOCATION",
    "FROM_OTHER",
    "FROM_SYS_PATH",
    "HOLE",
    "LISTEN",
    "LISTEN_ATTRIBUTES",
    "LISTEN_CALLS",
    "LISTEN_SETTING_KEYS",
    "OPTION",
    "OWN_ADDRESS",
    "OWN_LISTENER",
    "PEER",
    "PEER_CALLS",
    "PLACEHOLDER",
    "RESOLVE",
    "RETURNED",
    "RPC_DAEMONS",
    "SPAWN",
    "UNKNOWN",
    "UNKNOWN_VALUE",
    "Def",
    "Scope",
    "SemanticModel",
    "Text",
    "helper_parameter_uses",
    "imported_texts",
    "is_rpc_daemon",
    "launch_links",
    "may_listen_on_loopback",
    "model_for",
    "model_of",
    "module_model",
    "opens_tunnel",
]
