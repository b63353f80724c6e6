"""The pinned corpus: read ``corpus.toml``, fetch, verify and unpack each project."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the project supports 3.10, where tomli is its dependency
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
CORPUS_FILE = HERE / "corpus.toml"


class PrimerError(Exception):
    """A problem the primer reports in one line (bad corpus file, checksum, download)."""


@dataclass(frozen=True)
class Project:
    """One pinned project of the corpus."""

    name: str
    version: str = ""
    sha256: str = ""
    #: The sdist's file name in the cache (pip's name for it).
    sdist: str = ""
    #: Instead of an sdist, a committed folder (the offline mini-corpus of the tests).
    path: Path | None = None
    #: The ``[tool.debt-lints]`` settings file (ruff.toml style: keys at top level).
    config: Path | None = None
    #: Folders of the unpacked tree that are checked (default: all of it).
    subdirs: tuple[str, ...] = ()
    old: bool = False
    #: pip requirement specifiers that bound the build dependencies pip installs to
    #: prepare the sdist's metadata (``setuptools<58`` for a ``setup.py`` that
    #: needs an old setuptools); passed as ``PIP_CONSTRAINT``.
    build_constraints: tuple[str, ...] = ()


def cache_dir() -> Path:
    """Where sdists are kept, outside the repository."""
    env = os.environ.get("DEBT_LINTS_PRIMER_CACHE")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "debt-lints-primer"


def load_corpus(path: Path = CORPUS_FILE) -> list[Project]:
    """The projects of ``path`` (TOML: one ``[[project]]`` table each)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PrimerError(f"{path}: cannot read the corpus: {exc}") from exc
    raw = data.get("project")
    if not isinstance(raw, list) or not raw:
        raise PrimerError(f"{path}: no [[project]] tables")
    projects: list[Project] = []
    for entry in raw:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise PrimerError(f"{path}: a [[project]] has no name")
        name = entry["name"]
        local = entry.get("path")
        config = entry.get("config", f"configs/{name}.toml")
        subdirs = entry.get("subdirs", [])
        if not isinstance(config, str) or not isinstance(subdirs, list):
            raise PrimerError(f"{path}: project {name}: config or subdirs has a wrong type")
        constraints = entry.get("build-constraints", [])
        if not isinstance(constraints, list) or not all(
            isinstance(c, str) and c.strip() and "\n" not in c for c in constraints
        ):
            raise PrimerError(
                f"{path}: project {name}: build-constraints is not a list of requirements"
            )
        if local is None:
            for key in ("version", "sha256", "sdist"):
                if not isinstance(entry.get(key), str) or not entry[key]:
                    raise PrimerError(f"{path}: project {name}: {key} is missing")
        config_path = path.parent / config
        projects.append(
            Project(
                name=name,
                version=str(entry.get("version", "")),
                sha256=str(entry.get("sha256", "")).lower(),
                sdist=str(entry.get("sdist", "")),
                path=(path.parent / local) if isinstance(local, str) else None,
                config=config_path if config_path.is_file() else None,
                subdirs=tuple(str(s) for s in subdirs),
                old=entry.get("old") is True,
                build_constraints=tuple(constraints),
            )
        )
    names = [p.name for p in projects]
    if len(set(names)) != len(names):
        raise PrimerError(f"{path}: a project is listed twice")
    return projects


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(project: Project, cache: Path, download: bool = True) -> Path:
    """The project's sdist in the cache, downloaded if missing, its sha256 verified."""
    sdists = cache / "sdists"
    target = sdists / project.sdist
    if not target.is_file():
        if not download:
            raise PrimerError(
                f"{project.name}: {target} is not in the cache (run without --offline)"
            )
        sdists.mkdir(parents=True, exist_ok=True)
        argv = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            # Only this project's sdist: `:all:` would also build its build
            # dependencies from source (ipykernel's and ipyparallel's reach
            # platformdirs, whose own build needs a package that has no sdist);
            # pip still prepares the project's metadata, nothing is installed.
            "--no-binary",
            project.name,
            "--dest",
            str(sdists),
            f"{project.name}=={project.version}",
        ]
        env = None
        if project.build_constraints:
            # pip applies PIP_CONSTRAINT to the isolated build environment too
            # (ryu's setup.py reads easy_install.get_script_args, gone from
            # current setuptools); the constraints stay in the cache.
            constraints = sdists / f"{project.name}-build-constraints.txt"
            constraints.write_text("\n".join(project.build_constraints) + "\n", encoding="utf-8")
            env = {**os.environ, "PIP_CONSTRAINT": str(constraints)}
        done = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
        if done.returncode != 0 or not target.is_file():
            tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
            raise PrimerError(f"{project.name}: pip download failed: {tail[0]}")
    actual = sha256_of(target)
    if actual != project.sha256:
        raise PrimerError(
            f"{project.name}: sha256 of {target} is {actual}, corpus.toml pins {project.sha256}"
        )
    return target


def unpack(project: Project, cache: Path, dest: Path, download: bool = True) -> Path:
    """A fresh copy of the project's source under ``dest``; returns its root."""
    if dest.exists():
        shutil.rmtree(dest)
    if project.path is not None:
        shutil.copytree(project.path, dest, symlinks=True)
        return dest
    archive = fetch(project, cache, download)
    tmp = dest.with_name(dest.name + ".unpack")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            for member in zf.namelist():
                target = (tmp / member).resolve()
                if not target.is_relative_to(tmp.resolve()):
                    raise PrimerError(f"{archive.name}: member {member!r} leaves the folder")
            zf.extractall(tmp)
    else:
        try:
            with tarfile.open(archive) as tf:
                # The "data" filter refuses links and paths leading out, devices, setuid bits.
                tf.extractall(tmp, filter="data")
        except (tarfile.TarError, OSError) as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise PrimerError(f"{archive.name}: cannot unpack: {exc}") from exc
    entries = list(tmp.iterdir())
    if len(entries) == 1 and entries[0].is_dir():
        entries[0].rename(dest)  # the sdist's NAME-VERSION/ folder
        shutil.rmtree(tmp)
    else:
        tmp.rename(dest)
    return dest


def count_lines(root: Path, subdirs: tuple[str, ...] = ()) -> tuple[int, int]:
    """Python files and their lines under ``root`` (or its ``subdirs``)."""
    files = lines = 0
    bases = [root / s for s in subdirs] if subdirs else [root]
    for base in bases:
        for path in sorted(base.rglob("*.py")):
            if not path.is_file() or path.is_symlink():
                continue
            files += 1
            with path.open("rb") as fh:
                lines += sum(1 for _ in fh)
    return files, lines
