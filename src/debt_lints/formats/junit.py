"""``--format junit``: JUnit XML for CI systems that show test reports (GitLab, Jenkins).

Layout (the one ESLint's and ruff's JUnit reporters made familiar):

- one ``<testsuite>`` per checked file, named by its path;
- one ``<testcase>`` per finding, named ``DL201 sys-path-injection (2:1)``,
  with a ``<failure>`` carrying the message and ``path:line:col`` (GitLab's
  merge-request widget and Jenkins list each finding as its own failed test,
  so a second finding in a file is not hidden behind the first);
- a finding the baseline matched is a ``<skipped>`` testcase (known debt is
  visible but does not fail);
- a clean file is one passing testcase, so the report counts files checked.

``classname`` is the path without its suffix and with ``.`` for ``/``
(``pkg/sub/mod.py`` -> ``pkg.sub.mod``): Jenkins splits class names on dots
into a package tree. The ``file`` and ``line`` attributes keep the real path
for GitLab's links.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence

from debt_lints.core.model import Finding
from debt_lints.formats import RenderContext

#: Characters XML 1.0 cannot carry at all, even escaped (controls, lone surrogates).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    return _INVALID_XML.sub("\ufffd", value)


def classname(path: str) -> str:
    """``pkg/sub/mod.py`` -> ``pkg.sub.mod`` (Jenkins' package tree)."""
    stem = re.sub(r"\.[^./]*$", "", path)
    return _text(stem.replace("/", ".").strip(".") or path)


def _testcase(parent: ET.Element, path: str, name: str, line: int = 0) -> ET.Element:
    attrs = {"name": _text(name), "classname": classname(path), "file": _text(path), "time": "0"}
    if line > 0:
        attrs["line"] = str(line)
    return ET.SubElement(parent, "testcase", attrs)


def _finding_case(suite: ET.Element, finding: Finding, known: bool) -> None:
    where = f"{finding.line}:{finding.column}"
    case = _testcase(suite, finding.path, f"{finding.code} {finding.name} ({where})", finding.line)
    if known:
        ET.SubElement(case, "skipped", {"message": "known debt, matched by the baseline"})
        return
    failure = ET.SubElement(
        case, "failure", {"message": _text(finding.message), "type": finding.code}
    )
    failure.text = _text(f"{finding.path}:{where}: {finding.code} {finding.message}")


def render(findings: Sequence[Finding], context: RenderContext) -> str:
    """The JUnit XML document."""
    by_path: dict[str, list[tuple[Finding, bool]]] = defaultdict(list)
    for finding in findings:
        by_path[finding.path].append((finding, False))
    for finding in context.known:
        by_path[finding.path].append((finding, True))
    for path in context.files:
        by_path.setdefault(path, [])

    root = ET.Element("testsuites", {"name": "debt-lints"})
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for path in sorted(by_path):
        entries = sorted(by_path[path], key=lambda item: item[0].sort_key())
        suite = ET.SubElement(root, "testsuite", {"name": _text(path)})
        for finding, known in entries:
            _finding_case(suite, finding, known)
        if not entries:
            _testcase(suite, path, "debt-lints")
        counts = {
            "tests": max(len(entries), 1),
            "failures": sum(not known for _, known in entries),
            "skipped": sum(known for _, known in entries),
        }
        suite.attrib.update({key: str(value) for key, value in counts.items()})
        suite.set("errors", "0")
        suite.set("time", "0")
        for key, value in counts.items():
            totals[key] += value
    if not by_path:
        # Nothing checked and nothing found: one passing test, so that CI
        # systems show a green report rather than "no tests".
        suite = ET.SubElement(root, "testsuite", {"name": "debt-lints"})
        _testcase(suite, "debt-lints", "no findings")
        suite.attrib.update({"tests": "1", "failures": "0", "skipped": "0", "errors": "0"})
        totals["tests"] = 1
    root.attrib.update({key: str(value) for key, value in totals.items()})
    root.set("errors", "0")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
