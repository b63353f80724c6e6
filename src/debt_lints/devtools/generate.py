"""Every generated file of the repository, written by one command.

``python -m debt_lints.devtools.generate`` renders, from the registry and the
configuration declarations:

- ``docs/rules/``: one page per rule and the index (whole files; a generated
  page whose rule is gone is removed);
- the rules table of ``README.md``, the pylint/flake8/bandit id table of
  ``docs/plugins.md``, the key reference of ``docs/configuration.md`` and
  the bandit entry points of ``pyproject.toml`` (bandit loads each test from
  an entry point of its own), each between a pair of markers in a
  hand-written file (:func:`begin_marker`, :func:`end_marker`);
- ``src/debt_lints/engine/catalogue.py``: each rule's code, name, module,
  evidence and options, so that configuration validation and rule selection
  import no rule (:func:`render_catalogue`).

``--check`` writes nothing and exits 1 naming the stale files; the test that
keeps the committed files fresh (``tests/test_generate.py``) runs the same
comparison. Nothing here imports or runs checked code: it only reads the
registry and writes below the checkout.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from debt_lints import package_root
from debt_lints.config import FEATURE_KEYS, Key
from debt_lints.docs import GENERATE_COMMAND, GENERATED_NOTE

#: Where the rule pages live, relative to the checkout.
RULES_DIR = "docs/rules"
#: The generated rule catalogue, relative to the checkout.
CATALOGUE = "src/debt_lints/engine/catalogue.py"


def _typing_keys() -> Sequence[Key]:
    from debt_lints.strict.settings import KEYS

    return KEYS


#: The key declarations of each feature sub-table of ``[tool.debt-lints]``,
#: by table. Their names must be those ``config.FEATURE_KEYS`` accepts, table
#: by table, or the generator stops (a key would go undocumented).
FEATURE_DOCS: dict[str, Callable[[], Sequence[Key]]] = {
    "typing": _typing_keys,
    "report": lambda: (),
}


class GenerateError(Exception):
    """A generated region cannot be placed (markers missing) or a declaration is missing."""


@dataclass(frozen=True)
class Region:
    """Generated text between two markers of a hand-written file."""

    path: str
    name: str
    render: Callable[[], str]
    #: How the file writes a comment: ``html`` (Markdown) or ``hash`` (TOML).
    style: str = "html"


def _rules_table() -> str:
    from debt_lints.docs import rules_table

    return rules_table()


def _id_table() -> str:
    from debt_lints.hosts.plugin_ids import id_table

    return id_table()


def _bandit_entry_points() -> str:
    from debt_lints.hosts.plugin_ids import bandit_entry_points

    return bandit_entry_points()


def _configuration() -> str:
    from debt_lints.docs import render_configuration

    declared = {table: tuple(FEATURE_DOCS[table]()) for table in FEATURE_DOCS}
    for table, names in FEATURE_KEYS.items():
        documented = {key.name for key in declared.get(table, ())}
        if table not in declared or documented != names:
            raise GenerateError(
                f"[tool.debt-lints.{table}] accepts {sorted(names)} but declares "
                f"{sorted(documented)}: declare each key "
                "(debt_lints.devtools.generate.FEATURE_DOCS)"
            )
    return render_configuration({table: declared[table] for table in FEATURE_KEYS})


REGIONS: tuple[Region, ...] = (
    Region("README.md", "rules-table", _rules_table),
    Region("docs/plugins.md", "id-table", _id_table),
    Region("docs/configuration.md", "reference", _configuration),
    Region("pyproject.toml", "bandit-entry-points", _bandit_entry_points, style="hash"),
)


def begin_marker(name: str, style: str = "html") -> str:
    """The line that opens a generated region."""
    return _comment(f"begin generated {name}: {GENERATE_COMMAND}", style)


def end_marker(name: str, style: str = "html") -> str:
    """The line that closes a generated region."""
    return _comment(f"end generated {name}", style)


def _comment(text: str, style: str) -> str:
    return f"# {text}" if style == "hash" else f"<!-- {text} -->"


def fill(document: str, name: str, body: str, where: str = "document", style: str = "html") -> str:
    """``document`` with the text between the markers of region ``name`` replaced by ``body``."""
    begin, end = begin_marker(name, style), end_marker(name, style)
    start = document.find(begin + "\n")
    stop = document.find(end, start + 1) if start >= 0 else -1
    if start < 0 or stop < 0 or document.count(begin) != 1:
        raise GenerateError(
            f"{where}: needs the lines {begin!r} and {end!r} once each, around the generated text"
        )
    head = document[: start + len(begin) + 1]
    return head + body + document[stop:]


def default_root() -> Path:
    """The checkout the package runs from (an editable install), else the current directory."""
    checkout = package_root().parents[1]
    if (checkout / "pyproject.toml").is_file() and (checkout / "docs").is_dir():
        return checkout
    return Path.cwd()


def expected(root: Path) -> dict[str, str | None]:
    """Root-relative path -> the content it must have (``None``: it must not exist)."""
    from debt_lints.docs import expected_pages

    out: dict[str, str | None] = {}
    pages = expected_pages()
    for name, content in pages.items():
        out[f"{RULES_DIR}/{name}"] = content
    out[CATALOGUE] = render_catalogue()
    directory = root / RULES_DIR
    if directory.is_dir():
        for path in sorted(directory.glob("*.md")):
            if path.name not in pages and GENERATED_NOTE in _read(path, ""):
                out[f"{RULES_DIR}/{path.name}"] = None
    documents: dict[str, str] = {}
    for region in REGIONS:
        text = documents.get(region.path)
        if text is None:
            text = _read(root / region.path, None)
        documents[region.path] = fill(text, region.name, region.render(), region.path, region.style)
    out.update(documents)
    return out


def _literal(value: object, indent: int) -> str:
    """``value`` as Python source that fits the line length at ``indent`` spaces."""
    import pprint

    text = pprint.pformat(value, width=max(100 - indent - 14, 40), sort_dicts=True)
    return text.replace("\n", "\n" + " " * indent)


def render_catalogue() -> str:
    """The source of :mod:`debt_lints.engine.catalogue`, from the registry."""
    from debt_lints.engine.registry import all_options, all_rules

    lines = [
        '"""The rule catalogue: what configuration and selection need, without importing a rule.',
        "",
        f"Generated from the registry by ``{GENERATE_COMMAND}``; do not edit.",
        "``tests/test_generate.py`` keeps it equal to the registry.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from debt_lints.core.model import Option",
        "",
        "# fmt: off",
        "#: code -> (name, module, opt_in, evidence, the names of the options it declares)",
        "RULES: dict[str, tuple[str, str, bool, tuple[bytes, ...] | None, tuple[str, ...]]] = {",
    ]
    for rule in all_rules():
        evidence = getattr(rule, "evidence", None)
        row = (
            rule.name,
            rule.__module__,
            rule.opt_in,
            None if evidence is None else tuple(evidence),
            tuple(option.name for option in rule.options),
        )
        lines.append(f"    {rule.code!r}: {_literal(row, 4)},")
    lines.append("}")
    lines.append("#: Every rule option by key (two rules may share one).")
    lines.append("OPTIONS: dict[str, Option] = {")
    imports: set[str] = set()
    for name, option in all_options().items():
        lines.append(f"    {name!r}: Option(")
        for attr in ("name", "kind", "default", "help", "extendable", "form"):
            lines.append(f"        {attr}={_literal(getattr(option, attr), 8)},")
        if option.auto is not None:
            # A value computed from the project: named by where it is defined.
            module, qualname = option.auto.__module__, option.auto.__qualname__
            imports.add(module)
            lines.append(f"        auto={module}.{qualname},")
            lines.append(f"        auto_help={_literal(option.auto_help, 8)},")
        lines.append("    ),")
    lines.append("}")
    lines.append("# fmt: on")
    at = lines.index("from debt_lints.core.model import Option")
    lines[at:at] = [f"import {module}" for module in sorted(imports)]
    return "\n".join(lines) + "\n"


def _read(path: Path, missing: str | None) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if missing is None:
            raise GenerateError(f"{path}: missing (it holds generated text)") from None
        return missing


def stale(root: Path, wanted: dict[str, str | None] | None = None) -> list[str]:
    """The root-relative paths whose committed content is not what is generated."""
    if wanted is None:
        wanted = expected(root)
    return [
        relpath
        for relpath, content in wanted.items()
        if content is None or _read(root / relpath, "\0missing") != content
    ]


def write(root: Path) -> list[str]:
    """Bring every generated file up to date; return the root-relative paths changed."""
    from debt_lints.core.atomic import atomic_write_text

    wanted = expected(root)
    changed = stale(root, wanted)
    for relpath in changed:
        path = root / relpath
        content = wanted[relpath]
        if content is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(path, content)
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m debt_lints.devtools.generate [--check] [--root DIR]``."""
    parser = argparse.ArgumentParser(
        prog="python -m debt_lints.devtools.generate",
        description="Write every generated file (rule pages, README rules table, "
        "plugin id table, configuration reference).",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 when a file is stale"
    )
    parser.add_argument("--root", type=Path, default=None, help="the checkout (default: ours)")
    args = parser.parse_args(argv)
    root: Path = args.root or default_root()
    try:
        if args.check:
            paths = stale(root)
            for relpath in paths:
                print(f"stale: {relpath}")
            if paths:
                print(f"run {GENERATE_COMMAND}", file=sys.stderr)
            return 1 if paths else 0
        for relpath in write(root):
            print(f"{'wrote' if (root / relpath).exists() else 'removed'} {relpath}")
    except (GenerateError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
