from __future__ import annotations

from debt_lints.core.model import Rule, Severity


class UnusedNoqaRule(Rule):
    """
    ## What it does
    Reports a debt-lints code in a `# noqa` comment that suppresses nothing on
    its line (or, on the first line of a multi-line statement, in that
    statement), and a code that no debt-lints rule has (`# noqa: DL999`, a
    typo). File-level exemptions (`# debt-lints: noqa: DL201`) are judged the
    same way, over the whole file.

    ## Why is this debt
    A suppression outlives the debt it was written for: once the line is
    fixed, the stale `# noqa: DL201` silently hides the next `sys.path` hack
    written there. A mistyped code suppresses nothing at all, while whoever
    reads the line believes the finding was looked at and accepted.

    ## Example
    ```python
    import sys

    ROOT = "vendor"  # noqa: DL201
    sys.path.insert(0, ROOT)  # noqa: DL999
    ```

    ## Use instead
    ```python
    import sys

    ROOT = "vendor"
    sys.path.insert(0, ROOT)  # noqa: DL201  vendored launcher, removed in 2.0
    ```

    ## Options
    None. Text after the codes (`# noqa: DL201  reason`) is a free-form reason
    and is not read as a code.

    ## Known limits
    Only debt-lints codes (`DL...`) are judged: a bare `# noqa` and codes of
    other tools (`E501`) may be there for flake8 or ruff. A code is reported as
    unused only when its rule ran, so `--select DL2` says nothing about a
    `# noqa: DL301`. `per-file-ignores` are applied after the comments, so a
    comment that suppresses an ignored finding counts as used. The engine
    reports this rule (it has no visitor), and a bare `# debt-lints: noqa`
    exempts a file from it too.
    """

    code = "DL002"
    evidence = None
    name = "unused-noqa"
    summary = "a noqa comment names a debt-lints code that suppresses nothing, or no rule"
    message = "this noqa code suppresses nothing here; remove it"
    severity = Severity.WARNING
    builtin = True
