"""The language server: debt-lints findings as diagnostics in any editor (``debt-lints lsp``).

Every open Python (``.py``, ``.pyi``) or YAML document is checked on open,
on every change and on save, from the editor's buffer, exactly as
``debt-lints check`` checks the file (same configuration lookup, selection,
excludes and ``# noqa``; :class:`~debt_lints.hosts.session.HostSession`). Diagnostics
carry the rule's code, a link to its documentation when the docs are
installed, and a severity that tells new debt from known debt: findings the
project's baseline covers are *Information* (or *Hint*), the others
*Warning*, so a developer sees at once what an edit introduced.

The baseline is consulted through a :data:`KnownFilter`; :class:`BaselineFilter`
is the real one (the project's baseline file, re-read when it changes).

Fixes: every fix of a finding is a *quick fix* code action (unsafe ones say
so in their title), and ``source.fixAll.debt-lints`` applies every safe fix
of the document at once (:mod:`debt_lints.fixes.editor`).

After an edit, only the top-level statements the edit can reach are checked
again (:mod:`debt_lints.hosts.incremental`; the findings are a full check's),
and the garbage of a full check is collected once the server is idle, never
during a keystroke's check. Edits are checked once the input read so far is handled: a burst of
``didChange`` notifications costs one check and one publication, and a newer
edit cancels the check still pending for the document (``debounceMs`` waits
that long after the last edit as well). With ``trace`` set to ``messages``
or ``verbose``, each check is logged (``$/logTrace``) with its duration.

Initialization options (all optional): ``config`` (an explicit TOML file, as
``check --config``), ``knownSeverity`` (``"information"`` or ``"hint"``),
``useBaseline`` (``false`` shows every finding as new), ``debounceMs`` (a
delay after the last edit before the check; default 0).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Sequence
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from debt_lints import __version__
from debt_lints.config import Config, relpath_posix
from debt_lints.core.model import Finding
from debt_lints.engine.walk import PYTHON_SUFFIXES, YAML_SUFFIXES
from debt_lints.hosts.incremental import IncrementalChecker
from debt_lints.hosts.lspwire import MAX_MESSAGE_BYTES, content_length
from debt_lints.hosts.plugin_ids import PLUGIN_ERROR_CODE
from debt_lints.hosts.session import BaselineFilter, HostSession, doc_url

__all__ = ["MAX_MESSAGE_BYTES", "build_server", "content_length", "serve"]

LOG = logging.getLogger(__name__)
SOURCE = "debt-lints"
#: How long a pending check waits, when more input is waiting, before it looks again.
INPUT_WAIT = 0.002
CHECKED_SUFFIXES = PYTHON_SUFFIXES + YAML_SUFFIXES
#: Seconds without a publication, after a full check, before its garbage is collected.
SETTLE_DELAY = 1.0

#: ``(project configuration, path relative to the project root, findings) -> (new, known)``.
KnownFilter = Callable[[Config, str, list[Finding]], tuple[list[Finding], list[Finding]]]


def no_baseline(
    config: Config, relpath: str, findings: list[Finding]
) -> tuple[list[Finding], list[Finding]]:
    """Every finding is new."""
    return findings, []


class DebtLintsServer(LanguageServer):
    """A pygls server holding the run's configuration cache and baseline filter."""

    def __init__(self, known_filter: KnownFilter | None = None) -> None:
        super().__init__("debt-lints", __version__)
        self.known_filter: KnownFilter = known_filter or BaselineFilter()
        self.known_severity = types.DiagnosticSeverity.Information
        self.config_file: str | None = None
        self.session = HostSession()
        #: Re-checks what an edit reaches (:mod:`debt_lints.hosts.incremental`).
        self.incremental = IncrementalChecker(self.session)
        #: The last text checked per file and its findings: a code action on the
        #: text just diagnosed needs no second check.
        self.checked: dict[str, tuple[str, list[Finding]]] = {}
        #: Findings of the whole-repository rules (DL6xx) per document, computed
        #: from the files on disk when a document is opened or saved.
        self.project: dict[str, list[Finding]] = {}
        #: Seconds to wait after an edit before checking (``debounceMs``).
        self.debounce = 0.0
        #: Whether client input is waiting to be read (set by the transport):
        #: a pending check waits for it, so a burst of edits is checked once.
        self.input_pending: Callable[[], bool] = lambda: False
        #: The check pending per document URI, cancelled by a newer edit.
        self.scheduled: dict[str, Any] = {}
        #: The pending :func:`settle_memory` after a full check.
        self.settling: Any = None
        #: Checks run (diagnostics computed), for the trace and the tests.
        self.checks = 0

    def configure(self, options: Any) -> None:
        """Apply ``initializationOptions``."""
        if not isinstance(options, dict):
            return
        if options.get("knownSeverity") == "hint":
            self.known_severity = types.DiagnosticSeverity.Hint
        if options.get("useBaseline") is False:
            self.known_filter = no_baseline
        config = options.get("config")
        if isinstance(config, str) and config:
            self.config_file = config
        debounce = options.get("debounceMs")
        if isinstance(debounce, (int, float)) and not isinstance(debounce, bool):
            self.debounce = min(max(float(debounce), 0.0), 5000.0) / 1000
        self.reset()

    def cancel_check(self, uri: str) -> bool:
        """Cancel the check pending for ``uri``; whether there was one."""
        handle = self.scheduled.pop(uri, None)
        if handle is None:
            return False
        handle.cancel()
        return True

    def tracing(self) -> bool:
        return self.protocol.trace in (types.TraceValue.Messages, types.TraceValue.Verbose)

    def reset(self) -> None:
        """Forget cached configurations (a ``pyproject.toml`` was saved)."""
        self.session = HostSession(self.config_file)
        self.incremental = IncrementalChecker(self.session)
        self.checked.clear()

    def diagnostics(
        self, source: str, filename: str, *, incremental: bool = False
    ) -> list[types.Diagnostic]:
        """The diagnostics of one document, positions in code points (0-based).

        ``incremental``: after an edit, re-check only what the edit reaches
        (:class:`~debt_lints.hosts.incremental.IncrementalChecker`); the
        findings are the same as a full check's.
        """
        return diagnostics_for(
            self.session,
            source,
            filename,
            self.known_filter,
            self.known_severity,
            memo=self.checked,
            extra=self.project.get(filename, ()),
            checker=self.incremental,
            incremental=incremental,
        )

    def refresh_project(self, filename: str) -> None:
        """Recompute the whole-repository findings of ``filename`` (on open and save)."""
        self.project[filename] = project_findings(self.session, filename)


def diagnostics_for(
    session: HostSession,
    source: str,
    filename: str,
    known_filter: KnownFilter,
    known_severity: types.DiagnosticSeverity = types.DiagnosticSeverity.Information,
    *,
    memo: dict[str, tuple[str, list[Finding]]] | None = None,
    extra: Sequence[Finding] = (),
    checker: IncrementalChecker | None = None,
    incremental: bool = False,
) -> list[types.Diagnostic]:
    """Check one document's text and turn the findings into LSP diagnostics.

    Positions are 0-based lines and code-point columns; the caller converts
    columns to the encoding the client negotiated. ``extra`` are findings of
    the whole-repository rules for this document (:func:`project_findings`).
    ``checker`` checks (and remembers) the document, partially after an edit
    with ``incremental``.
    """
    too_big = _oversized(session, source, filename)
    if too_big is not None:
        return [_diagnostic(too_big, types.DiagnosticSeverity.Warning, "")]
    if checker is None:
        result = session.check(source, filename)
    else:
        result = checker.check(source, filename, incremental=incremental)
    if memo is not None:
        if checker is not None and checker.last_partial:
            memo.pop(filename, None)  # its fixes' positions are the earlier text's
        else:
            memo[filename] = (source, list(result.findings))
    out: list[types.Diagnostic] = []
    findings = [*result.findings, *extra]
    if findings:
        config = session.project_config(filename)
        relpath = relpath_posix(session.absolute(filename), session.project_root(filename))
        new, known = known_filter(config, relpath, findings)
        out.extend(_diagnostic(f, types.DiagnosticSeverity.Warning, "") for f in new)
        out.extend(_diagnostic(f, known_severity, " (known debt: in the baseline)") for f in known)
    out.extend(problem_diagnostic(problem) for problem in result.problems())
    return out


def project_findings(session: HostSession, filename: str) -> list[Finding]:
    """The whole-repository rules' findings (DL601-DL603) for one file, from disk.

    They are computed on the whole project, with the cache (a warm run reads
    no file but this one), and need the file saved: the editor's unsaved
    text is not what other modules import.
    """
    from debt_lints.analysis.project_rule import ProjectRule
    from debt_lints.running.runner import enabled_rules, run

    path = session.absolute(filename)
    try:
        if path.suffix != ".py" or not path.is_file():
            return []
    except OSError:  # a path past the system's limit (ENAMETOOLONG): no file to read
        return []
    from debt_lints.config import ConfigError

    try:
        config = session.config_for(filename)
        project = session.discovery_project(filename)
    except (ConfigError, OSError):
        return []  # reported by the check itself
    # The file's own configuration selects the rules; the repository is the
    # project's (built with the project root's configuration, its cache at
    # the project root), as in check, not the folder of a package's own table.
    rules = [r for r in enabled_rules(config) if issubclass(r, ProjectRule)]
    if not rules:
        return []
    try:
        return run([str(path)], project, rules, jobs=1, cache=True).findings
    except Exception:  # a bug in debt-lints must not kill the editor's server
        LOG.exception("debt-lints failed on the repository of %s", filename)
        return []


def _oversized(session: HostSession, source: str, filename: str) -> Finding | None:
    """The DL001 of a buffer over ``max-file-size``, as ``check`` gives the file."""
    from debt_lints.config import ConfigError
    from debt_lints.engine.walk import SYNTAX_ERROR_CODE, syntax_finding

    try:
        config = session.config_for(filename)
    except ConfigError:
        return None  # reported by the check itself
    limit = config.max_file_size
    if len(source) <= limit // 4:
        return None  # at most four bytes per character: certainly small enough
    size = len(source.encode("utf-8", "surrogatepass"))
    if size <= limit or not session.ruleset(config).wants(SYNTAX_ERROR_CODE):
        return None
    return syntax_finding(
        filename, f"file is {size} bytes, over max-file-size ({limit} bytes); not analysed"
    )


def problem_diagnostic(problem: str) -> types.Diagnostic:
    """The one diagnostic of a document debt-lints could not check (DL000)."""
    return types.Diagnostic(
        range=types.Range(types.Position(0, 0), types.Position(0, 0)),
        message=f"debt-lints could not check this file: {problem}",
        severity=types.DiagnosticSeverity.Error,
        code=PLUGIN_ERROR_CODE,
        source=SOURCE,
    )


def _diagnostic(
    finding: Finding, severity: types.DiagnosticSeverity, note: str
) -> types.Diagnostic:
    start = types.Position(line=finding.line - 1, character=finding.column - 1)
    end_line = max(finding.end_line, finding.line) - 1
    end = types.Position(line=end_line, character=max(finding.end_column - 1, 0))
    if (end.line, end.character) < (start.line, start.character):
        end = start
    url = doc_url(finding.code)
    return types.Diagnostic(
        range=types.Range(start=start, end=end),
        message=finding.message + note,
        severity=severity,
        code=finding.code,
        code_description=types.CodeDescription(href=url) if url else None,
        source=SOURCE,
    )


def in_client_units(
    found: list[tuple[types.CodeAction, bool]], uri: str, document: Any, *, quick: bool
) -> list[types.CodeAction]:
    """The actions, their range edits converted to the client's position units.

    ``quick``: the client wants quick fixes (else only the whole-text ones).
    ``document.lines`` splits the whole text on every access: it is read once
    per request, not once per edit.
    """
    actions = []
    lines: list[str] | None = None
    for action, by_range in found:
        if by_range and not quick:
            continue
        if by_range and action.edit is not None and action.edit.changes:
            if lines is None:
                lines = document.lines
            for edit in action.edit.changes[uri]:
                edit.range = document.position_codec.range_to_client_units(lines, edit.range)
        actions.append(action)
    return actions


FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.debt-lints"


def code_actions_for(
    session: HostSession,
    source: str,
    filename: str,
    uri: str,
    lines: tuple[int, int],
    *,
    fix_all: bool = True,
    lazy: bool = False,
    memo: dict[str, tuple[str, list[Finding]]] | None = None,
    extra: Sequence[Finding] = (),
    suppress: bool = True,
) -> list[tuple[types.CodeAction, bool]]:
    """The code actions of one document for lines ``lines`` (0-based, inclusive).

    Each comes with whether it edits by code-point ranges (quick fixes, which
    the caller converts to the client's units) or replaces the whole text.
    ``lazy`` offers "fix all" without its edit, for ``codeAction/resolve``
    to compute when it is chosen: the light bulb then costs one check.
    Every finding on those lines also gets "Suppress with ``# noqa: DLxxx``"
    (``extra``: the whole-repository findings the document was shown with).
    """
    from debt_lints.fixes.editor import buffer_fixes, overlapping
    from debt_lints.fixes.modules import IndexModules

    try:
        config = session.config_for(filename)
    except Exception:  # a configuration error is a diagnostic already
        return []
    modules = IndexModules(session.project(config))
    known = (memo or {}).get(filename)
    checked: dict[str, list[Finding]] = {}

    def findings_of(text: str) -> list[Finding]:
        if known is not None and known[0] == text:
            return list(known[1])
        if text not in checked:
            checked[text] = session.check(text, filename).findings
        return list(checked[text])

    fixes = buffer_fixes(
        source,
        filename,
        findings_of,
        modules,
        fixable=config.fixable,
        unfixable=config.unfixable,
        fix_all=fix_all and not lazy,
    )
    out: list[tuple[types.CodeAction, bool]] = []
    for quick in overlapping(fixes.quick, lines[0] + 1, lines[1] + 1):
        edits = [
            types.TextEdit(
                range=types.Range(
                    types.Position(e.line - 1, e.column - 1),
                    types.Position(e.end_line - 1, e.end_column - 1),
                ),
                new_text=e.content,
            )
            for e in quick.edits
        ]
        action = types.CodeAction(
            title=quick.title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[_diagnostic(quick.finding, types.DiagnosticSeverity.Warning, "")],
            edit=types.WorkspaceEdit(changes={uri: edits}),
            is_preferred=quick.safe,
        )
        out.append((action, True))
    if suppress:
        out += suppress_actions(source, [*findings_of(source), *extra], uri, lines)
    if lazy and fix_all and any(q.safe for q in fixes.quick):
        title = "Fix all safe debt-lints fixes"
        out.append((types.CodeAction(title=title, kind=FIX_ALL_KIND, data={"uri": uri}), False))
    elif fixes.fixed_text is not None:
        from debt_lints.analysis.context import split_lines

        end = types.Position(len(split_lines(source)), 0)
        whole = types.TextEdit(
            range=types.Range(types.Position(0, 0), end), new_text=fixes.fixed_text
        )
        action = types.CodeAction(
            title="Fix all safe debt-lints fixes",
            kind=FIX_ALL_KIND,
            edit=types.WorkspaceEdit(changes={uri: [whole]}),
        )
        out.append((action, False))
    return out


#: Codes no "suppress" action is offered for: a syntax error, and an unused noqa
#: (remove the comment instead).
NOT_SUPPRESSED = frozenset({"DL001", "DL002"})


def suppress_actions(
    source: str, findings: Sequence[Finding], uri: str, lines: tuple[int, int]
) -> list[tuple[types.CodeAction, bool]]:
    """ "Suppress with ``# noqa: DLxxx``" for each finding on ``lines`` (0-based, inclusive).

    The comment goes where the engine reads it (:func:`debt_lints.engine.noqa.noqa_edit`):
    the finding's line, or the first line of its statement; an existing
    ``# noqa: CODES`` gains the code. None when the comment there already
    covers the code or no comment can go there.
    """
    from debt_lints.analysis.context import split_lines
    from debt_lints.engine.noqa import NoqaPlaces

    first, last = lines[0] + 1, lines[1] + 1 if lines[1] >= 0 else None
    chosen = [
        f
        for f in findings
        if f.code not in NOT_SUPPRESSED
        and f.cell is None
        and (last is None or f.line <= last)
        and max(f.end_line, f.line) >= first
    ]
    if not chosen:
        return []
    places = NoqaPlaces(split_lines(source))
    out: list[tuple[types.CodeAction, bool]] = []
    seen: set[tuple[int, str]] = set()
    for finding in chosen:
        edit = places.edit(finding.line, finding.code)
        if edit is None or (edit.line, finding.code) in seen:
            continue
        seen.add((edit.line, finding.code))
        change = types.TextEdit(
            range=types.Range(
                types.Position(edit.line - 1, edit.column),
                types.Position(edit.line - 1, edit.end),
            ),
            new_text=edit.text,
        )
        action = types.CodeAction(
            title=f"Suppress with # noqa: {finding.code}",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[_diagnostic(finding, types.DiagnosticSeverity.Warning, "")],
            edit=types.WorkspaceEdit(changes={uri: [change]}),
        )
        out.append((action, True))
    return out


def document_filename(uri: str, path: str | None, language_id: str | None) -> str | None:
    """The file name to check a document as, or ``None`` if it is not ours to check."""
    if uri.startswith("file:") and path:
        # A NUL (``%00`` in the URI) cannot be in a real file name: keep it
        # visible as written instead of failing the parse with a false DL001.
        path = path.replace("\x00", "%00")
        return path if path.endswith(CHECKED_SUFFIXES) else None
    if language_id == "python":  # an unsaved buffer: checked as a file in the current directory
        return "untitled.py"
    return None


def build_server(known_filter: KnownFilter | None = None) -> DebtLintsServer:
    """The server with its handlers registered (tests drive it over stdio)."""
    server = DebtLintsServer(known_filter)

    def publish(ls: DebtLintsServer, uri: str, *, edited: bool = False) -> None:
        document = _opened(ls, uri)
        if document is None:
            return
        filename = document_filename(uri, document.path, document.language_id)
        if filename is None:
            return
        started = time.perf_counter()
        ls.checks += 1
        try:
            found = ls.diagnostics(document.source, filename, incremental=edited)
        except Exception as exc:  # a bug in debt-lints must not kill the editor's server
            LOG.exception("debt-lints failed on %s", uri)
            from debt_lints.hosts.session import internal_error_text

            found = [problem_diagnostic(f"internal error: {internal_error_text(exc)}")]
        # ``document.lines`` splits the whole buffer on every access: once per
        # publication, not once per diagnostic.
        lines = document.lines
        for diagnostic in found:
            diagnostic.range = document.position_codec.range_to_client_units(
                lines, diagnostic.range
            )
        if ls.tracing():  # before the publication: a client reading it has the check's log
            took = (time.perf_counter() - started) * 1000
            message = (
                f"checked {uri} (version {document.version}): "
                f"{len(found)} diagnostics in {took:.1f} ms"
                + (" (partial)" if ls.incremental.last_partial else "")
            )
            ls.log_trace(types.LogTraceParams(message=message))
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=document.version)
        )
        if not ls.incremental.last_partial or ls.settling is not None:
            idle_settle(ls)  # re-armed by every publication until it runs

    def idle_settle(ls: DebtLintsServer) -> None:
        """:func:`settle_memory` once the server is idle (no check pending, no input)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # a library caller: no loop to be idle in
            return
        if ls.settling is not None:
            ls.settling.cancel()

        def fire() -> None:
            if ls.scheduled or ls.input_pending():
                ls.settling = loop.call_later(SETTLE_DELAY, fire)
                return
            ls.settling = None
            settle_memory()

        ls.settling = loop.call_later(SETTLE_DELAY, fire)

    def schedule(ls: DebtLintsServer, uri: str) -> None:
        """Check ``uri`` once the input read so far is handled (and ``debounce`` later).

        A newer edit cancels the check still pending; while more input waits
        (the rest of a burst of edits) the check waits too, so a burst is
        checked and published once, for its last version.
        """
        ls.cancel_check(uri)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # called outside the server's loop (a library caller)
            publish(ls, uri, edited=True)
            return

        def fire() -> None:
            if ls.input_pending():
                ls.scheduled[uri] = loop.call_later(INPUT_WAIT, fire)
                return
            ls.scheduled.pop(uri, None)
            publish(ls, uri, edited=True)

        ls.scheduled[uri] = loop.call_later(ls.debounce, fire)

    @server.feature(types.INITIALIZE)
    def initialize(ls: DebtLintsServer, params: types.InitializeParams) -> None:
        root = _root_path(params)
        if root is not None:
            os.chdir(root)  # relative paths in settings and output start at the project
        ls.protocol.trace = params.trace or types.TraceValue.Off
        ls.configure(params.initialization_options)

    def refresh_project(ls: DebtLintsServer, uri: str) -> None:
        document = _opened(ls, uri)
        if document is None:
            return
        filename = document_filename(uri, document.path, document.language_id)
        if filename is not None:
            ls.refresh_project(filename)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DebtLintsServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.cancel_check(params.text_document.uri)
        refresh_project(ls, params.text_document.uri)
        publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DebtLintsServer, params: types.DidChangeTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: DebtLintsServer, params: types.DidSaveTextDocumentParams) -> None:
        if params.text_document.uri.endswith(".toml"):
            ls.reset()
            for uri in list(ls.workspace.text_documents):
                refresh_project(ls, uri)
                publish(ls, uri)
            return
        ls.cancel_check(params.text_document.uri)
        refresh_project(ls, params.text_document.uri)
        publish(ls, params.text_document.uri)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll],
            resolve_provider=True,
        ),
    )
    def code_action(
        ls: DebtLintsServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        uri = params.text_document.uri
        document = _opened(ls, uri)
        if document is None:
            return None
        filename = document_filename(uri, document.path, document.language_id)
        if filename is None or not filename.endswith(PYTHON_SUFFIXES):
            return None
        wanted = [str(getattr(kind, "value", kind)) for kind in params.context.only or ()]
        # A client asking for `source` or `source.fixAll` wants the fix-all action.
        fix_all = not wanted or any(FIX_ALL_KIND.startswith(kind) for kind in wanted)
        quick = not wanted or types.CodeActionKind.QuickFix.value in wanted
        start, end = params.range.start.line, params.range.end.line
        try:
            found = code_actions_for(
                ls.session,
                document.source,
                filename,
                uri,
                (start, end),
                fix_all=fix_all,
                lazy=_resolves_edits(ls),
                memo=ls.checked,
                extra=ls.project.get(filename, ()),
            )
        except Exception:  # a bug in debt-lints must not kill the editor's server
            LOG.exception("debt-lints code actions failed on %s", uri)
            return None
        return in_client_units(found, uri, document, quick=quick)

    @server.feature(types.CODE_ACTION_RESOLVE)
    def code_action_resolve(ls: DebtLintsServer, action: types.CodeAction) -> types.CodeAction:
        data = action.data if isinstance(action.data, dict) else {}
        uri = data.get("uri")
        if not isinstance(uri, str) or action.edit is not None:
            return action
        document = _opened(ls, uri)
        if document is None:
            return action
        filename = document_filename(uri, document.path, document.language_id)
        if filename is None:
            return action
        try:
            found = code_actions_for(
                ls.session,
                document.source,
                filename,
                uri,
                (0, -1),
                memo=ls.checked,
                suppress=False,
            )
        except Exception:  # a bug in debt-lints must not kill the editor's server
            LOG.exception("debt-lints fix all failed on %s", uri)
            return action
        for resolved, by_range in found:
            if not by_range:
                action.edit = resolved.edit
        return action

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DebtLintsServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.cancel_check(params.text_document.uri)
        document = ls.workspace.get_text_document(params.text_document.uri)
        ls.checked.pop(document.path or "", None)
        filename = document_filename(params.text_document.uri, document.path, None)
        if filename is not None:
            ls.incremental.forget(filename)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    return server


def settle_memory() -> None:
    """Collect the garbage now and leave what survives out of later collections.

    A check leaves cyclic garbage and a full collection walks every object
    the server holds (pygls, lsprotocol, the project index): when one falls
    during a keystroke's check it costs that keystroke ~100 ms. After a full
    check (on open, on save, or when an edit reaches too much), the garbage
    is collected once and the survivors are frozen (:func:`gc.freeze`): a
    later full collection walks only what was allocated since. Frozen objects
    are still freed when no longer referenced; the next call unfreezes them
    first, so cyclic garbage among them is collected then.
    """
    import gc

    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _opened(ls: DebtLintsServer, uri: str) -> TextDocument | None:
    """The open document at ``uri``, or None when the client never opened it.

    pygls reads a document it holds no buffer for from disk, and the path may
    be a FIFO (the server would hang) or a link to ``/dev/zero`` (it would
    exhaust memory): only the editor's buffers are ever checked or fixed.
    """
    from urllib.parse import unquote

    documents = ls.workspace.text_documents
    if uri not in documents and unquote(uri) not in documents:
        return None
    return ls.workspace.get_text_document(uri)


def _resolves_edits(ls: DebtLintsServer) -> bool:
    """The client can ask for an action's edit later (``codeAction/resolve``)."""
    try:
        support = ls.client_capabilities.text_document.code_action.resolve_support  # type: ignore[union-attr]  # any missing level is AttributeError
    except AttributeError:
        return False
    return support is not None and "edit" in support.properties


def _root_path(params: types.InitializeParams) -> str | None:
    from pygls.uris import to_fs_path

    folders: Sequence[types.WorkspaceFolder] = params.workspace_folders or []
    uri = folders[0].uri if folders else params.root_uri
    if not uri:
        return params.root_path or None
    path = to_fs_path(uri)
    return path if path and os.path.isdir(path) else None


class StdioEngine:
    """The server as :func:`debt_lints.hosts.lspwire.serve_stdio` drives it."""

    def __init__(self, server: DebtLintsServer) -> None:
        self.server = server

    def attach(self, write: Callable[[bytes], None], pending: Callable[[], bool]) -> None:
        self.server.protocol.set_writer(_Output(write))
        self.server.input_pending = pending

    def handle(self, body: bytes) -> None:
        import json

        from pygls.exceptions import JsonRpcException

        protocol = self.server.protocol
        try:
            message = json.loads(body, object_hook=protocol.structure_message)
            protocol.handle_message(message)
        except SystemExit:
            raise
        except Exception as exc:  # a bad body costs this message only
            LOG.exception("unable to handle a message")
            self.server.report_server_error(exc, JsonRpcException)

    def close(self) -> None:
        self.server.shutdown()  # type: ignore[no-untyped-call]  # pygls leaves it unannotated


class _Output:
    """pygls' writer interface over a function."""

    def __init__(self, write: Callable[[bytes], None]) -> None:
        self.write = write

    def close(self) -> None:
        """Nothing to close: standard output stays with the process."""


def engine() -> StdioEngine:
    """A server to drive over stdio (:func:`debt_lints.hosts.lspwire.serve_stdio`)."""
    return StdioEngine(build_server())


def serve() -> int:
    """Run the language server on standard input and output until the client exits."""
    from debt_lints.hosts.lspwire import serve_stdio

    return serve_stdio(engine, "debt-lints", __version__, eager=True)
