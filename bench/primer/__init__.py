"""The primer: debt-lints judged on pinned real projects nobody tuned it to.

``python -m bench.primer run|review|diff|report`` (see ``bench/primer/README.md``).
The corpus is downloaded as source distributions into a cache outside the
repository (``$DEBT_LINTS_PRIMER_CACHE``, default ``~/.cache/debt-lints-primer``),
verified by sha256 on every use, and checked by ``python -P -m debt_lints``
in throw-away copies: its code is never imported or run.
"""
