"""``debt-lints lsp``: the language server, on standard input and output."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "lsp",
        help="run the language server (diagnostics in any LSP editor)",
        description="Speak the Language Server Protocol on standard input and output. "
        "Needs the lsp extra: pip install 'debt-lints[lsp]'.",
    )
    # Editors' generic clients often pass --stdio; it is the only transport.
    p.add_argument("--stdio", action="store_true", help="use standard input/output (default)")
    p.set_defaults(func=run_lsp)


def run_lsp(args: argparse.Namespace) -> int:
    """Serve LSP; ``initialize`` is answered before pygls is imported (:mod:`.lspwire`)."""
    import importlib.util
    import os

    from debt_lints import __version__
    from debt_lints.adapters.cli import UsageError
    from debt_lints.hosts.lspwire import serve_stdio

    missing = [name for name in ("pygls", "lsprotocol") if importlib.util.find_spec(name) is None]
    if missing:
        raise UsageError(
            f"the language server needs {' and '.join(missing)}: pip install 'debt-lints[lsp]'"
        )

    def load() -> Any:
        from debt_lints.adapters.lsp import engine

        return engine()

    # DEBT_LINTS_LSP_EAGER=1: load the server first and let it answer initialize
    # itself (the tests compare both answers).
    eager = os.environ.get("DEBT_LINTS_LSP_EAGER") == "1"
    try:
        return serve_stdio(load, "debt-lints", __version__, eager=eager)
    except ImportError as exc:
        raise UsageError(
            f"the language server needs pygls ({exc}): pip install 'debt-lints[lsp]'"
        ) from None
