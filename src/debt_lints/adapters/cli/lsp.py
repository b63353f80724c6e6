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
    from debt_lints.adapters.cli import EXIT_OK, UsageError

    try:
        from debt_lints.adapters.lsp import serve
    except ImportError as exc:
        raise UsageError(
            f"the language server needs pygls ({exc}): pip install 'debt-lints[lsp]'"
        ) from None
    serve()
    return EXIT_OK
