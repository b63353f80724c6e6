"""The fix check: every fix of a project applied on a copy, then judged.

A fix is broken when the file it changed does not compile, when it imports a
name the new module does not define (asked of the project index), when a
second run finds something the first did not, or when it creates an import
cycle (a DL601 finding the first run did not have).
"""

from __future__ import annotations

import ast
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.primer.findings import COMMON, CONFIG_NAME, Record, check, config_args, debt_lints


@dataclass
class FixResult:
    project: str
    safe: int = 0
    unsafe: int = 0
    refused: int = 0
    files_changed: int = 0
    #: One line per broken fix: "path: what is wrong".
    broken: list[str] = field(default_factory=list)
    #: New findings a fix is meant to cause: a deprecated module that nothing
    #: imports any more is now unused (DL602), ready to be deleted.
    expected: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(
            {
                "project": self.project,
                "safe": self.safe,
                "unsafe": self.unsafe,
                "refused": self.refused,
                "files_changed": self.files_changed,
                "broken": sorted(self.broken),
                "expected": sorted(self.expected),
            },
            sort_keys=True,
        )


def _fixed_files(before: Path, after: Path) -> list[str]:
    changed = []
    for path in sorted(after.rglob("*.py")):
        if not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(after).as_posix()
        old = before / rel
        if not old.is_file() or old.read_bytes() != path.read_bytes():
            changed.append(rel)
    return changed


def _compiles(path: Path) -> str:
    """'' when the file compiles (``compile`` only: nothing is executed), else why not."""
    try:
        source = path.read_bytes()
        compile(source, str(path), "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return f"does not compile: {exc}"
    return ""


def run_fix_check(  # noqa: PLR0917 - one call site, each argument named there
    project: str,
    pristine: Path,
    copy: Path,
    config: Path | None,
    before: Sequence[Record],
    fixes: Sequence[dict[str, object]],
    paths: Sequence[str] = (".",),
) -> FixResult:
    """Apply every fix (safe and unsafe) in ``copy`` and judge the result.

    ``fixes`` are the JSON findings of the first run that carry a fix (their
    ``requires`` says what the fixed import takes from which module).
    """
    result = FixResult(project)
    for record in before:
        if record.fix == "safe":
            result.safe += 1
        elif record.fix == "unsafe":
            result.unsafe += 1
        elif record.fix == "refused":
            result.refused += 1
    if result.safe + result.unsafe == 0:
        return result
    debt_lints(
        [
            "check",
            "--fix",
            "--unsafe-fixes",
            "--output-format",
            "json",
            *COMMON,
            *config_args(config, copy),
            *paths,
        ],
        copy,
    )
    changed = _fixed_files(pristine, copy)
    result.files_changed = len(changed)
    for rel in changed:
        problem = _compiles(copy / rel)
        if problem:
            result.broken.append(f"{rel}: {problem}")
    result.broken.extend(_missing_names(copy, config, fixes, set(changed)))
    result.broken.extend(_missing_attributes(pristine, copy, config, changed))
    after = check(copy, project, config, paths)
    old = Counter((r.path, r.code, r.scope, r.hash) for r in before)
    deprecated = _deprecated_files(copy, config)
    for record in after:
        key = (record.path, record.code, record.scope, record.hash)
        if old[key] > 0:
            old[key] -= 1
            continue
        line = f"{record.path}:{record.line}: {record.code} {record.message}"
        if record.code == "DL602" and record.path in deprecated:
            result.expected.append(line)
        elif record.code == "DL601":
            result.broken.append(f"{record.path}:{record.line}: creates an import cycle: {line}")
        else:
            result.broken.append(f"{record.path}:{record.line}: second run finds: {line}")
    return result


def _deprecated_files(copy: Path, config: Path | None) -> set[str]:
    """The files of the modules the configuration lists as deprecated."""
    from debt_lints.config import load_config
    from debt_lints.index import project_for

    placed = copy / CONFIG_NAME if config is not None else None
    loaded = load_config(copy, explicit=placed, cwd=copy)
    index = project_for(loaded)
    files = (index.file_of(name) for name in loaded.settings.str_map("deprecated-imports"))
    return {f for f in files if f}


def _missing_names(
    copy: Path, config: Path | None, fixes: Sequence[dict[str, object]], changed: set[str]
) -> list[str]:
    """Each name a fix takes from its new module must exist there (the project index)."""
    from debt_lints.config import load_config
    from debt_lints.index import project_for

    placed = copy / CONFIG_NAME if config is not None else None
    index = project_for(load_config(copy, explicit=placed, cwd=copy))
    out: list[str] = []
    for finding in fixes:
        fix = finding.get("fix")
        path = str(finding.get("path", ""))
        if not isinstance(fix, dict) or path not in changed:
            continue
        requires = fix.get("requires")
        if not isinstance(requires, dict):
            continue
        module = str(requires.get("module", ""))
        names = requires.get("names") or []
        top = module.split(".", maxsplit=1)[0]
        if index.find_module(module) is None:
            # Outside the project (stdlib, a dependency): the index cannot say.
            if index.find_module(top) is not None:
                out.append(f"{path}:{finding.get('line')}: imports {module}, which does not exist")
            continue
        for name in names if isinstance(names, list) else []:
            if index.provides(module, str(name)) is False:
                out.append(
                    f"{path}:{finding.get('line')}: takes {name} from {module}, which lacks it"
                )
    return out


def _imported_modules(tree: ast.AST) -> dict[str, str]:
    """Local name -> dotted module, for ``import a.b as x`` and ``from a import b [as x]``."""
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    out[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                out[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return out


def _missing_attributes(
    pristine: Path, copy: Path, config: Path | None, changed: Sequence[str]
) -> list[str]:
    """A fix that rebinds a name to a new module must keep every ``name.attr`` working.

    ``from luigi.contrib import webhdfs`` rewritten to ``from luigi.contrib.hdfs
    import webhdfs_client as webhdfs`` compiles and imports, yet
    ``webhdfs.WebHdfsTarget`` no longer exists: asked of the project index.
    And ``from celery import task`` rewritten to ``import celery as task`` turns
    ``@task()`` into a call of a module.
    """
    from debt_lints.config import load_config
    from debt_lints.index import project_for

    placed = copy / CONFIG_NAME if config is not None else None
    index = project_for(load_config(copy, explicit=placed, cwd=copy))
    out: list[str] = []
    for rel in changed:
        try:
            before = _imported_modules(ast.parse((pristine / rel).read_bytes()))
            tree = ast.parse((copy / rel).read_bytes())
        except (OSError, SyntaxError, ValueError):
            continue  # a file that does not compile is reported already
        after = _imported_modules(tree)
        rebound = {
            name: module
            for name, module in after.items()
            if before.get(name) != module and index.is_module(module)
        }
        seen: set[tuple[str, str]] = set()
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in rebound
            ):
                out.append(
                    f"{rel}:{node.lineno}: {node.func.id}(...) calls the module "
                    f"{rebound[node.func.id]}"
                )
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in rebound
            ):
                module = rebound[node.value.id]
                if (module, node.attr) in seen:
                    continue
                seen.add((module, node.attr))
                if index.provides(module, node.attr) is False:
                    out.append(
                        f"{rel}:{node.lineno}: {node.value.id}.{node.attr}: "
                        f"{module} does not define {node.attr}"
                    )
    return out
