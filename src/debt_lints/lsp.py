"""The language server: debt-lints findings as diagnostics in any editor (``debt-lints lsp``).

Every open Python (``.py``, ``.pyi``) or YAML document is checked on open,
on every change and on save, from the editor's buffer, exactly as
``debt-lints check`` checks the file (same configuration lookup, selection,
excludes and ``# noqa``; :class:`~debt_lints.hosts.HostSession`). Diagnostics
carry the rule's code, a link to its documentation when the docs are
installed, and a severity that tells new debt from known debt: findings the
project's baseline covers are *Information* (or *Hint*), the others
*Warning*, so a developer sees at once what an edit introduced.

The baseline is consulted through a :data:`KnownFilter`; :class:`BaselineFilter`
is the real one (the project's baseline file, re-read when it changes).

Initialization options (all optional): ``config`` (an explicit TOML file, as
``check --config``), ``knownSeverity`` (``"information"`` or ``"hint"``),
``useBaseline`` (``false`` shows every finding as new).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from debt_lints import __version__
from debt_lints.config import Config, relpath_posix
from debt_lints.engine import PYTHON_SUFFIXES, YAML_SUFFIXES
from debt_lints.hosts import HostSession, doc_url
from debt_lints.model import Finding
from debt_lints.plugin_ids import PLUGIN_ERROR_CODE

LOG = logging.getLogger(__name__)
SOURCE = "debt-lints"
CHECKED_SUFFIXES = PYTHON_SUFFIXES + YAML_SUFFIXES

#: ``(config, path relative to its root, findings) -> (new, known)``.
KnownFilter = Callable[[Config, str, list[Finding]], tuple[list[Finding], list[Finding]]]


def no_baseline(
    config: Config, relpath: str, findings: list[Finding]
) -> tuple[list[Finding], list[Finding]]:
    """Every finding is new."""
    return findings, []


class BaselineFilter:
    """Splits a file's findings into new and known debt with the project's baseline.

    The baseline file is re-read when its modification time changes, so
    ``debt-lints baseline create`` or a ratchet run shows up without a
    restart. A broken baseline file makes every finding new (and is logged).
    Only the entries of the document's own path are matched: the rename pass
    of ``debt-lints check`` (entries of a deleted file matching a new one)
    needs the whole tree, which an editor buffer does not give.
    """

    def __init__(self) -> None:
        self._cache: dict[Path, tuple[int, Any]] = {}

    def _entries(self, config: Config, relpath: str) -> list[Any] | None:
        from debt_lints.baseline import BaselineError, baseline_file, load

        path = baseline_file(config)
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            return None
        cached = self._cache.get(path)
        if cached is None or cached[0] != stamp:
            try:
                baseline = load(path)
            except BaselineError as exc:
                LOG.warning("%s", exc)
                baseline = None
            cached = self._cache[path] = (stamp, baseline)
        baseline = cached[1]
        if baseline is None:
            return None
        return [entry for entry in baseline.entries if entry.path == relpath]

    def __call__(
        self, config: Config, relpath: str, findings: list[Finding]
    ) -> tuple[list[Finding], list[Finding]]:
        from debt_lints.baseline import identity_of, match

        entries = self._entries(config, relpath)
        if not entries:
            return findings, []
        result = match(entries, [(f, identity_of(f, relpath)) for f in findings])
        known = [finding for finding, _ in result.known]
        return sorted(result.new, key=Finding.sort_key), sorted(known, key=Finding.sort_key)


class DebtLintsServer(LanguageServer):
    """A pygls server holding the run's configuration cache and baseline filter."""

    def __init__(self, known_filter: KnownFilter | None = None) -> None:
        super().__init__("debt-lints", __version__)
        self.known_filter: KnownFilter = known_filter or BaselineFilter()
        self.known_severity = types.DiagnosticSeverity.Information
        self.config_file: str | None = None
        self.session = HostSession()
        #: Findings of the whole-repository rules (DL6xx) per document, computed
        #: from the files on disk when a document is opened or saved.
        self.project: dict[str, list[Finding]] = {}

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
        self.reset()

    def reset(self) -> None:
        """Forget cached configurations (a ``pyproject.toml`` was saved)."""
        self.session = HostSession(self.config_file)

    def diagnostics(self, source: str, filename: str) -> list[types.Diagnostic]:
        """The diagnostics of one document, positions in code points (0-based)."""
        return diagnostics_for(
            self.session,
            source,
            filename,
            self.known_filter,
            self.known_severity,
            extra=self.project.get(filename, ()),
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
    extra: Sequence[Finding] = (),
) -> list[types.Diagnostic]:
    """Check one document's text and turn the findings into LSP diagnostics.

    Positions are 0-based lines and code-point columns; the caller converts
    columns to the encoding the client negotiated. ``extra`` are findings of
    the whole-repository rules for this document (:func:`project_findings`).
    """
    result = session.check(source, filename)
    out: list[types.Diagnostic] = []
    findings = [*result.findings, *extra]
    if findings:
        config = session.config_for(filename)
        relpath = relpath_posix(session.absolute(filename), config.root)
        new, known = known_filter(config, relpath, findings)
        out.extend(_diagnostic(f, types.DiagnosticSeverity.Warning, "") for f in new)
        out.extend(_diagnostic(f, known_severity, " (known debt: in the baseline)") for f in known)
    for problem in result.problems():
        out.append(
            types.Diagnostic(
                range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                message=f"debt-lints could not check this file: {problem}",
                severity=types.DiagnosticSeverity.Error,
                code=PLUGIN_ERROR_CODE,
                source=SOURCE,
            )
        )
    return out


def project_findings(session: HostSession, filename: str) -> list[Finding]:
    """The whole-repository rules' findings (DL601-DL603) for one file, from disk.

    They are computed on the whole project, with the cache (a warm run reads
    no file but this one), and need the file saved: the editor's unsaved
    text is not what other modules import.
    """
    from debt_lints.repograph import ProjectRule
    from debt_lints.runner import enabled_rules, run

    path = session.absolute(filename)
    if path.suffix != ".py" or not path.is_file():
        return []
    config = session.config_for(filename)
    rules = [r for r in enabled_rules(config) if issubclass(r, ProjectRule)]
    if not rules:
        return []
    try:
        return run([str(path)], config, rules, jobs=1, cache=True).findings
    except Exception:  # a bug in debt-lints must not kill the editor's server
        LOG.exception("debt-lints failed on the repository of %s", filename)
        return []


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


def document_filename(uri: str, path: str | None, language_id: str | None) -> str | None:
    """The file name to check a document as, or ``None`` if it is not ours to check."""
    if uri.startswith("file:") and path:
        return path if path.endswith(CHECKED_SUFFIXES) else None
    if language_id == "python":  # an unsaved buffer: checked as a file in the current directory
        return "untitled.py"
    return None


def build_server(known_filter: KnownFilter | None = None) -> DebtLintsServer:
    """The server with its handlers registered (tests drive it over stdio)."""
    server = DebtLintsServer(known_filter)

    def publish(ls: DebtLintsServer, uri: str) -> None:
        document = ls.workspace.get_text_document(uri)
        filename = document_filename(uri, document.path, document.language_id)
        if filename is None:
            return
        try:
            found = ls.diagnostics(document.source, filename)
        except Exception:  # a bug in debt-lints must not kill the editor's server
            LOG.exception("debt-lints failed on %s", uri)
            return
        for diagnostic in found:
            diagnostic.range = document.position_codec.range_to_client_units(
                document.lines, diagnostic.range
            )
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=document.version)
        )

    @server.feature(types.INITIALIZE)
    def initialize(ls: DebtLintsServer, params: types.InitializeParams) -> None:
        root = _root_path(params)
        if root is not None:
            os.chdir(root)  # relative paths in settings and output start at the project
        ls.configure(params.initialization_options)

    def refresh_project(ls: DebtLintsServer, uri: str) -> None:
        document = ls.workspace.get_text_document(uri)
        filename = document_filename(uri, document.path, document.language_id)
        if filename is not None:
            ls.refresh_project(filename)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DebtLintsServer, params: types.DidOpenTextDocumentParams) -> None:
        refresh_project(ls, params.text_document.uri)
        publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DebtLintsServer, params: types.DidChangeTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: DebtLintsServer, params: types.DidSaveTextDocumentParams) -> None:
        if params.text_document.uri.endswith(".toml"):
            ls.reset()
            for uri in list(ls.workspace.text_documents):
                refresh_project(ls, uri)
                publish(ls, uri)
            return
        refresh_project(ls, params.text_document.uri)
        publish(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DebtLintsServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    return server


def _root_path(params: types.InitializeParams) -> str | None:
    from pygls.uris import to_fs_path

    folders: Sequence[types.WorkspaceFolder] = params.workspace_folders or []
    uri = folders[0].uri if folders else params.root_uri
    if not uri:
        return params.root_path or None
    path = to_fs_path(uri)
    return path if path and os.path.isdir(path) else None


def serve() -> None:
    """Run the language server on standard input and output until the client exits."""
    build_server().start_io()
