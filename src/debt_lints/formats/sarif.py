"""``--format sarif``: a SARIF 2.1.0 log that GitHub code scanning accepts.

One run with the whole rule catalogue in ``tool.driver.rules`` (so a rule's
``ruleIndex`` does not depend on which rules fired), one result per finding.

- Locations are relative URIs under ``uriBaseId`` ``%SRCROOT%`` (the
  directory debt-lints ran in; run it from the repository root).
- ``partialFingerprints`` carry the finding's line-independent identity (the
  one the baseline matches on), under ``debtLints/v1`` and also as
  ``primaryLocationLineHash``, the key code scanning reads: an alert then
  follows its code when lines are inserted above it instead of being closed
  and reopened.
- When a baseline is in use, new findings have ``baselineState: "new"``;
  findings the baseline matched are included with ``"unchanged"`` and an
  external, accepted suppression, so viewers show known debt as suppressed.
- A result from a file that did not parse (its DL001, and what the rules
  found in the part that could be recovered) has ``properties.partial``
  ``true``; the run's ``properties.partialFiles`` counts such files.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from debt_lints import __version__
from debt_lints.core.model import Finding, Rule, Severity
from debt_lints.formats import RenderContext

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
#: Our own fingerprint key; versioned so a change of identity is not a silent mismatch.
FINGERPRINT_KEY = "debtLints/v1"

LEVELS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
}


def identity(finding: Finding, root: Path | None = None) -> str:
    """The finding's line-independent identity, as the baseline computes it (hex)."""
    from debt_lints.baseline.identity import identity_of
    from debt_lints.config import relpath_posix

    relpath = relpath_posix(finding.path, root) if root is not None else finding.path
    return identity_of(finding, relpath).fingerprint()


def fingerprints(findings: Iterable[Finding], root: Path | None = None) -> list[str]:
    """A fingerprint per finding, in the order given (sort them by position first).

    Identical findings are told apart by occurrence: like CodeQL's
    ``primaryLocationLineHash`` (``hash:occurrence``), the n-th finding with
    the same identity gets the suffix ``:n``.
    """
    seen: Counter[str] = Counter()
    out: list[str] = []
    for finding in findings:
        digest = identity(finding, root)
        seen[digest] += 1
        out.append(f"{digest}:{seen[digest]}")
    return out


def rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    """A SARIF ``reportingDescriptor`` for one rule, from its documentation."""
    from debt_lints.docs import sections

    parts = sections(rule)
    what = _plain(parts.get("What it does", "")) or rule.summary
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": what},
        "help": {"text": rule.doc(), "markdown": rule.doc()},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": _tags(rule)},
    }
    help_uri = rule_help_uri(rule.code)
    if help_uri is not None:
        descriptor["helpUri"] = help_uri
    if rule.security is not None:
        descriptor["properties"]["security-severity"] = _SECURITY_SEVERITY.get(
            rule.security.bandit_severity, "5.0"
        )
    return descriptor


def typing_descriptor(code: str) -> dict[str, Any]:
    """A ``reportingDescriptor`` for a ``mypy[<error-code>]`` finding."""
    name = code[len("mypy[") : -1] if code.startswith("mypy[") else code
    text = f"mypy --strict reports an error with code {name!r}"
    return {
        "id": code,
        "name": name,
        "shortDescription": {"text": text},
        "fullDescription": {
            "text": f"{text}; debt-lints ratchets strict typing (see `debt-lints typing`)."
        },
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["maintainability", "typing"]},
    }


#: GitHub ranks security alerts by this property (a CVSS-like score as a string).
_SECURITY_SEVERITY = {"HIGH": "8.0", "MEDIUM": "5.0", "LOW": "2.0"}


def _tags(rule: type[Rule]) -> list[str]:
    tags = ["maintainability", rule.family()]
    if rule.security is not None:
        tags += ["security", f"external/cwe/cwe-{rule.security.cwe}"]
    return tags


def _plain(markdown: str) -> str:
    """A section's text on one paragraph per blank-line block, without code fences."""
    return " ".join(markdown.replace("`", "").split())


def rule_help_uri(code: str) -> str | None:
    """Where the rule's page is published: ``<Documentation URL>/rules/DLxxx.md``.

    Taken from the installed distribution's ``Project-URL: Documentation``
    (pointing at the ``docs/`` folder), so no address is invented; without one
    the full documentation is still in the descriptor's ``help``.
    """
    base = _project_url("documentation", "docs")
    return f"{base.rstrip('/')}/rules/{code}.md" if base else None


def _project_url(*labels: str) -> str | None:
    """The first ``Project-URL`` of the installed distribution with one of ``labels``."""
    from importlib import metadata

    try:
        urls = metadata.metadata("debt-lints").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() in labels and url.strip():
            return str(url.strip())
    return None


def result(
    finding: Finding,
    rule_index: dict[str, int],
    fingerprint: str,
    baseline_state: str | None,
) -> dict[str, Any]:
    """A SARIF ``result`` for one finding."""
    region: dict[str, int] = {}
    if finding.line > 0:
        region["startLine"] = finding.line
        if finding.column > 0:
            region["startColumn"] = finding.column
        end_line = max(finding.end_line, finding.line)
        region["endLine"] = end_line
        # SARIF's endColumn is exclusive, like ours.
        if finding.end_column > 0 and (
            end_line > finding.line or finding.end_column > finding.column
        ):
            region["endColumn"] = finding.end_column
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": _uri(finding.path), "uriBaseId": SRCROOT}
    }
    if region:
        physical["region"] = region
    out: dict[str, Any] = {
        "ruleId": finding.code,
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": finding.message or finding.name},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {
            FINGERPRINT_KEY: fingerprint,
            "primaryLocationLineHash": fingerprint,
        },
    }
    if finding.code in rule_index:
        out["ruleIndex"] = rule_index[finding.code]
    if finding.fix is not None:
        out["fixes"] = [_fix(finding)]
    if finding.partial:
        # The file did not parse: the finding comes from the part that could be recovered.
        out["properties"] = {"partial": True}
    if finding.scope:
        out["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": finding.scope}]
    if baseline_state is not None:
        out["baselineState"] = baseline_state
        if baseline_state == "unchanged":
            out["suppressions"] = [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": "known debt recorded in the debt-lints baseline",
                }
            ]
    return out


def _fix(finding: Finding) -> dict[str, Any]:
    """A SARIF ``fix``: the replacements, and whether ``--fix`` applies it (a property)."""
    fix = finding.fix
    assert fix is not None
    replacements = [
        {
            "deletedRegion": {
                "startLine": edit.line,
                "startColumn": edit.column,
                "endLine": edit.end_line,
                "endColumn": edit.end_column,
            },
            "insertedContent": {"text": edit.content},
        }
        for edit in fix.edits
    ]
    return {
        "description": {"text": fix.message or "apply the fix"},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": _uri(finding.path), "uriBaseId": SRCROOT},
                "replacements": replacements,
            }
        ],
        "properties": {"applicability": fix.applicability.value},
    }


def _uri(path: str) -> str:
    """A relative URI reference for a ``/`` path (spaces, ``#``, ``%`` ... percent-encoded)."""
    from urllib.parse import quote

    return quote(path, safe="/")


def sarif_log(findings: Sequence[Finding], context: RenderContext) -> dict[str, Any]:
    """The SARIF log as a JSON-ready mapping."""
    from debt_lints.engine.registry import all_rules

    rules = sorted(all_rules(), key=lambda r: r.code)
    rule_index = {rule.code: i for i, rule in enumerate(rules)}
    known = list(context.known)
    descriptors = [rule_descriptor(rule) for rule in rules]
    # Strict-typing findings (``check --typing``) carry mypy's codes: one
    # descriptor per code that occurs, after the catalogue.
    for code in sorted({f.code for f in (*findings, *known)} - set(rule_index)):
        rule_index[code] = len(descriptors)
        descriptors.append(typing_descriptor(code))
    with_baseline = context.baseline_in_use or bool(known)
    entries = [(f, "new" if with_baseline else None) for f in findings]
    entries += [(f, "unchanged") for f in known]
    entries.sort(key=lambda item: item[0].sort_key())
    prints = fingerprints((f for f, _ in entries), context.root)
    driver: dict[str, Any] = {
        "name": "debt-lints",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": descriptors,
    }
    home = _project_url("homepage", "home", "repository", "source")
    if home is not None:
        driver["informationUri"] = home
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [
            result(f, rule_index, fp, state) for (f, state), fp in zip(entries, prints, strict=True)
        ],
    }
    if context.partial_files:
        run["properties"] = {"partialFiles": len(context.partial_files)}
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def render(findings: Sequence[Finding], context: RenderContext) -> str:
    """The SARIF log, pretty-printed JSON."""
    return json.dumps(sarif_log(findings, context), indent=2, ensure_ascii=False) + "\n"
