from __future__ import annotations

from debt_lints.core.model import Rule, Severity


class SyntaxErrorRule(Rule):
    """
    ## What it does
    Reports a file that cannot be read, decoded or parsed: a syntax error, bytes
    that are not valid in the file's encoding, a NUL byte, code nested deeper
    than the Python parser accepts, or a YAML file that is not valid YAML. The
    finding is placed at the error's position and the run goes on with the
    other files.

    ## Why is this debt
    A file that does not parse is invisible to every other rule, to type
    checkers and to refactoring tools. Legacy trees often hold Python 2
    leftovers, half-merged files and backups that nobody can import; each one
    hides whatever debt it contains.

    ## Example
    ```python
    print "starting agent"
    ```

    ## Use instead
    ```python
    print("starting agent")
    ```

    ## Options
    None. Files over `max-file-size` bytes are reported by this rule instead of
    being analysed.

    ## Known limits
    Only the first syntax error of a file is reported, as the Python parser
    stops there. The other rules still run on what can be recovered from the
    file (a damaged statement reduced to the calls and assignment it made, its
    damaged arguments left out), and their findings are marked
    `partial`. flake8 and pylint run no plugin on a file that does not parse
    (E999, E0001), so there this rule and those findings show only through
    `debt-lints check`, the pre-commit hook and the language server.

    In a Jupyter notebook, IPython's own syntax is read as IPython reads it:
    a cell magic (`%%bash` on the cell's first line), line magics and shell
    escapes (`%time`, `!ls`, `!!ls`), help (`?name`, `name??`, `%magic?`),
    the auto-call escapes (`/f a`, `,f a`, `;f a`) at the start of a
    statement, and `x = %time ...` or `x = !ls` assignments, each of them
    continued over lines ending with a backslash. IPython's prompt stripping
    (`>>>`, `In [1]:`) and its removal of a whole cell's leading indentation
    are not applied, so such a cell is still reported.
    """

    code = "DL001"
    evidence = None
    name = "syntax-error"
    summary = "file cannot be read, decoded or parsed"
    message = "file cannot be parsed; fix the syntax so that the other rules can check it"
    severity = Severity.ERROR
    builtin = True
