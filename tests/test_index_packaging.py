"""What a project publishes (``Project.publication``, ``Project.public_api``), read as data.

Each test writes a small repository in the shape of a real one (a hatchling
library, a src layout, a setup.py listing packages, one computing them, a
monorepo of applications) and asks the project index which files ship.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from debt_lints.index import Project


def tree(root: Path, files: dict[str, str]) -> Project:
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return Project(root, (".",))


PACKAGE = {"__init__.py": "", "core.py": "", "_impl.py": "", "tests/__init__.py": ""}


def package(prefix: str) -> dict[str, str]:
    return {f"{prefix}/{name}": text for name, text in PACKAGE.items()}


def test_hatchling_discovers_the_package_named_after_the_project(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": """
            [build-system]
            build-backend = "hatchling.build"
            [project]
            name = "Web-Lib"
        """,
        **package("web_lib"),
        "tools/release.py": "",
    }
    project = tree(tmp_path, files)
    shipped = project.publication()
    assert shipped.ships("web_lib/core.py")
    assert shipped.ships("web_lib/tests/__init__.py")  # hatchling ships the folder whole
    assert not shipped.ships("tools/release.py")
    assert project.public_api("web_lib/core.py")
    assert not project.public_api("web_lib/_impl.py")  # private by its name
    assert not project.public_api("web_lib/tests/__init__.py")  # test code
    assert not project.public_api("tools/release.py")  # not shipped


def test_hatch_wheel_packages_and_poetry_packages(tmp_path: Path) -> None:
    hatch = tree(
        tmp_path / "hatch",
        {
            "pyproject.toml": """
                [build-system]
                build-backend = "hatchling.build"
                [project]
                name = "Twisted"
                [tool.hatch.build.targets.wheel]
                packages = ["src/twisted"]
            """,
            **package("src/twisted"),
            "src/twisted/web/guard.py": "",
        },
    )
    assert hatch.public_api("src/twisted/web/guard.py")
    poetry = tree(
        tmp_path / "poetry",
        {
            "pyproject.toml": """
                [tool.poetry]
                name = "app"
                packages = [{include = "lib", from = "src"}]
            """,
            **package("src/lib"),
            **package("src/other"),
        },
    )
    assert poetry.public_api("src/lib/core.py")
    assert not poetry.publication().ships("src/other/core.py")


def test_setuptools_lists_find_and_package_dir(tmp_path: Path) -> None:
    # paramiko: packages = [...] ships only the packages listed, not their subpackages.
    listed = tree(
        tmp_path / "listed",
        {
            "pyproject.toml": """
                [build-system]
                build-backend = "setuptools.build_meta"
                [project]
                name = "paramiko"
                [tool.setuptools]
                packages = ["paramiko"]
            """,
            **package("paramiko"),
            "paramiko/sub/__init__.py": "",
            "paramiko/sub/mod.py": "",
        },
    )
    assert listed.public_api("paramiko/core.py")
    assert not listed.publication().ships("paramiko/sub/mod.py")
    # trac: setup.cfg's find: with exclude; the excluded tests do not ship.
    cfg = tree(
        tmp_path / "cfg",
        {
            "setup.py": "from setuptools import setup\nsetup()\n",
            "setup.cfg": """
                [options]
                packages = find:
                [options.packages.find]
                exclude =
                    *.tests
                    *.tests.*
            """,
            **package("trac"),
            "trac/tests/compat.py": "",
            "trac/util/__init__.py": "",
            "trac/util/dist.py": "",
        },
    )
    assert cfg.public_api("trac/util/dist.py")
    assert not cfg.publication().ships("trac/tests/compat.py")
    # carbon: setup(packages=[...], package_dir={"": "lib"}, **kwargs we cannot read).
    carbon = tree(
        tmp_path / "carbon",
        {
            "setup.py": """
                from setuptools import setup
                kwargs = dict(zip_safe=0)
                setup(name="carbon", packages=["carbon"], package_dir={"": "lib"}, **kwargs)
            """,
            **package("lib/carbon"),
        },
    )
    assert carbon.public_api("lib/carbon/core.py")
    assert carbon.publication().uncertain == ()


def test_a_setup_py_dict_with_a_conditional_ships_both_branches(tmp_path: Path) -> None:
    project = tree(
        tmp_path,
        {
            "setup.py": """
                import os
                from setuptools import setup, find_packages
                WHEEL = os.environ.get("WHEEL")
                args = {
                    "packages": ["bb", "bb.test.util"] + ([] if WHEEL else ["bb.test.unit"]),
                }
                setup(**args)
            """,
            **package("bb"),
            "bb/test/util/fake.py": "",
            "bb/test/unit/helper.py": "",
            "bb/contrib/old.py": "",
        },
    )
    shipped = project.publication()
    assert shipped.ships("bb/test/util/fake.py")
    assert shipped.ships("bb/test/unit/helper.py")
    assert not shipped.ships("bb/contrib/old.py")
    assert not project.public_api("bb/test/util/fake.py")  # shipped, but test code


def test_computed_packages_cannot_be_told_so_every_package_counts(tmp_path: Path) -> None:
    project = tree(
        tmp_path,
        {
            "setup.py": """
                from setuptools import setup
                def get_packages():
                    return ["spyder"]
                setup(name="spyder", packages=get_packages())
            """,
            **package("spyder"),
            "spyder/utils/__init__.py": "",
            "spyder/utils/debug.py": "",
            "scripts/tool.py": "",
        },
    )
    shipped = project.publication()
    assert shipped.uncertain == (".",)
    assert project.public_api("spyder/utils/debug.py")
    assert not shipped.ships("scripts/tool.py")


@pytest.mark.parametrize(
    "files",
    [
        # no packaging metadata: an application
        {**package("agents"), **package("common")},
        # a [project] without packages, two top-level packages: setuptools refuses to guess
        {"pyproject.toml": '[project]\nname = "ai-system"\n', **package("a"), **package("b")},
        # broken metadata is no publication (the configuration reports a broken toml)
        {"pyproject.toml": "[project\n", **package("a")},
        {"setup.py": "def (:\n", **package("a")},
    ],
    ids=["nothing", "flat-layout-of-several", "broken-toml", "broken-setup-py"],
)
def test_applications_publish_nothing(tmp_path: Path, files: dict[str, str]) -> None:
    project = tree(tmp_path, files)
    if "setup.py" in files:
        # a setup.py that does not parse cannot be read: every package may ship
        assert project.publication().uncertain == (".",)
        return
    assert project.publication().packages == frozenset()
    assert not project.public_api("a/core.py")
    assert not project.public_api("agents/core.py")


def test_a_src_layout_and_a_project_in_a_subfolder(tmp_path: Path) -> None:
    project = tree(
        tmp_path,
        {
            "services/api/pyproject.toml": '[project]\nname = "api"\n',
            **package("services/api/src/api"),
            **package("services/worker"),
        },
    )
    assert project.publication().packages == frozenset()  # the root publishes nothing
    shipped = project.publication(["services/api"])
    assert shipped.ships("services/api/src/api/core.py")
    assert not shipped.ships("services/worker/core.py")


def test_a_find_table_with_namespaces_false_ships_only_folders_with_an_init(
    tmp_path: Path,
) -> None:
    files = {
        "pyproject.toml": """
            [project]
            name = "cluster"
            [tool.setuptools.packages.find]
            exclude = ["*tests*"]
            namespaces = false
        """,
        **package("cluster"),
        "benchmarks/profile.py": "",
        "benchmarks/suite/run.py": "",
    }
    shipped = tree(tmp_path, files).publication()
    assert shipped.ships("cluster/core.py")
    assert not shipped.ships("benchmarks/profile.py")  # no __init__.py: no package
    assert not shipped.ships("benchmarks/suite/run.py")  # nor below it
    files["pyproject.toml"] = files["pyproject.toml"].replace("false", "true")
    assert tree(tmp_path / "ns", files).publication().ships("benchmarks/profile.py")


# --- lockstep companions: a requirement pinned to the project's own release series --------

#: The packaging of a scheduler released with its array library: the version only in
#: PKG-INFO (setuptools-scm), the array library pinned to this very release.
LOCKSTEP = {
    "pyproject.toml": """
        [project]
        name = "cluster"
        dynamic = ["version"]
        dependencies = ["arrays >=2031.4.0,<2031.4.1", "click >= 8.0"]
        [project.optional-dependencies]
        bundle = ["cluster-www ==2031.4.0"]
        [tool.setuptools.packages.find]
        exclude = ["*tests*"]
        namespaces = false
    """,
    "PKG-INFO": textwrap.dedent(
        """
        Metadata-Version: 2.4
        Name: cluster
        Version: 2031.4.0
        Requires-Dist: arrays<2031.4.1,>=2031.4.0
        Requires-Dist: click>=8.0
        Requires-Dist: cluster-www==2031.4.0; extra == "bundle"

        Version: 1.0 (the description, not a header)
        """
    ).lstrip(),  # the headers start the file
    **package("cluster"),
    "tools/release.py": "",
}


def test_a_requirement_pinned_to_the_own_release_makes_a_lockstep_companion(
    tmp_path: Path,
) -> None:
    from debt_lints.analysis.packaging import (
        core_requirements,
        lockstep_companions,
        own_release,
    )

    project = tree(tmp_path, LOCKSTEP)
    assert own_release(project.finder) == "2031.4.0"
    required = core_requirements(project.finder)
    assert "click>=8.0" in required
    assert not any("cluster-www" in line for line in required)  # an extra's
    assert lockstep_companions(project.finder) == ("arrays (arrays<2031.4.1,>=2031.4.0)",)
    shipped = project.publication()
    assert shipped.companions == ("arrays (arrays<2031.4.1,>=2031.4.0)",)
    assert shipped.shares("cluster/_impl.py")  # private, but the companion's too
    assert shipped.shares("cluster/core.py")
    assert not shipped.shares("cluster/tests/__init__.py")  # does not ship
    assert not shipped.shares("tools/release.py")
    # Without PKG-INFO (a fresh checkout), setuptools-scm's version is not in the tree...
    checkout = {k: v for k, v in LOCKSTEP.items() if k != "PKG-INFO"}
    checkout["pyproject.toml"] += '[tool.setuptools_scm]\nversion_file = "cluster/_version.py"\n'
    assert not tree(tmp_path / "checkout", checkout).publication().shared
    # ... until an install writes its version file.
    checkout["cluster/_version.py"] = "__version__ = version = '2031.4.0.post3.dev0'\n"
    assert tree(tmp_path / "installed", checkout).publication().shares("cluster/_impl.py")


@pytest.mark.parametrize(
    ("requirement", "release", "companion"),
    [
        ("arrays >=2031.4.0,<2031.4.1", "2031.4.0", "arrays"),
        ("arrays ==2031.4.*", "2031.4.0", "arrays"),
        ("Arrays_Lib ==2031.4.0", "2031.4.0", "arrays-lib"),
        ("arrays ~=5.7.0", "5.7.2", "arrays"),
        ("otel-api ==0.49b0", "0.49b0", "otel-api"),
        ("arrays ==5.7.0; python_version >= '3.10'", "5.7.0", "arrays"),
        ("arrays >=5.7.0", "5.7.0", None),  # no upper bound: any later release
        ("arrays <5.8", "5.7.0", None),  # no lower bound: any earlier release
        ("arrays >=5.0,<6", "5.7.0", None),  # a whole major version
        ("vine ==5.1.0", "5.7.0", None),  # pinned, to another version
        ("arrays ==5.7.0; extra == 'bundle'", "5.7.0", None),  # optional
        ("arrays", "5.7.0", None),
        ("arrays ^5.7", "5.7.0", None),  # poetry's syntax, not PEP 440
        ("arrays ==5.7.0", "not a version", None),
        ("# a comment", "5.7.0", None),
    ],
)
def test_in_lockstep(requirement: str, release: str, companion: str | None) -> None:
    from debt_lints.analysis.packaging import in_lockstep

    assert in_lockstep(requirement, release) == companion


@pytest.mark.parametrize(
    ("files", "release"),
    [
        ({"pyproject.toml": '[project]\nname = "broker"\nversion = "5.7.0"\n'}, "5.7.0"),
        ({"setup.cfg": "[metadata]\nname = broker\nversion = 5.7.0\n"}, "5.7.0"),
        ({"setup.cfg": "[metadata]\nversion = attr: broker.__version__\n"}, None),
        (
            {"setup.py": 'from setuptools import setup\nsetup(name="broker", version="5.7.0")\n'},
            "5.7.0",
        ),
        ({"setup.py": 'V = "5.7.0"\nsetup(version=V)\n'}, "5.7.0"),
        ({"setup.py": "setup(version=read_version())\n"}, None),
        ({"setup.cfg": "[metadata\nversion = 5.7.0\n"}, None),  # does not parse
        ({"pyproject.toml": '[project]\nname = "broker"\ndynamic = ["version"]\n'}, None),
        # Read from the module an attr: names, as data.
        (
            {
                "pyproject.toml": '[project]\ndynamic = ["version"]\n'
                '[tool.setuptools.dynamic]\nversion = {attr = "broker.__version__"}\n',
                "broker/__init__.py": '"""Broker."""\n__version__ = "5.7.0"\n',
            },
            "5.7.0",
        ),
        (
            {
                "setup.cfg": "[metadata]\nversion = attr: broker.release.VERSION\n",
                "src/broker/release.py": 'VERSION: str = "5.7.0"\n',
            },
            "5.7.0",
        ),
        (
            {
                "setup.cfg": "[metadata]\nversion = attr: broker.__version__\n",
                "broker/__init__.py": "__version__ = read_version()\n",
            },
            None,
        ),
        # The version file setuptools-scm / hatch-vcs write when the checkout is installed.
        (
            {
                "pyproject.toml": '[project]\ndynamic = ["version"]\n'
                '[tool.setuptools_scm]\nversion_file = "broker/_version.py"\n',
                "broker/_version.py": "__version__ = version = '5.7.0'\n",
            },
            "5.7.0",
        ),
        (
            {
                "pyproject.toml": '[project]\ndynamic = ["version"]\n'
                '[tool.hatch.build.hooks.vcs]\nversion-file = "src/broker/_version.py"\n',
            },
            None,  # a fresh checkout: the file is not written yet
        ),
    ],
)
def test_own_release(tmp_path: Path, files: dict[str, str], release: str | None) -> None:
    from debt_lints.analysis.packaging import own_release

    assert own_release(tree(tmp_path, files).finder) == release


def test_core_requirements_of_setup_cfg_and_setup_py(tmp_path: Path) -> None:
    from debt_lints.analysis.packaging import core_requirements, lockstep_companions

    project = tree(
        tmp_path,
        {
            "setup.cfg": """
                [metadata]
                version = 4.3.0
                [options]
                install_requires =
                    worker-lib ==4.3.*
                    twisted >=22.1.0
                [options.extras_require]
                bundle = www ==4.3.0
            """,
            "setup.py": """
                from setuptools import setup
                setup(install_requires=["txaio ==4.3.0"], tests_require=["mock ==4.3.0"])
            """,
        },
    )
    assert core_requirements(project.finder) == (
        "worker-lib ==4.3.*",
        "twisted >=22.1.0",
        "txaio ==4.3.0",
    )
    assert lockstep_companions(project.finder) == (
        "worker-lib (worker-lib ==4.3.*)",
        "txaio (txaio ==4.3.0)",
    )


# --- programs the packaging installs ---------------------------------------------------


def test_program_entry_points_from_every_packaging_file(tmp_path: Path) -> None:
    from debt_lints.analysis.packaging import FileTree, program_entry_points

    tree(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "a"
                [project.scripts]
                a-run = "a.cli:main"
                [project.gui-scripts]
                a-gui = "a.gui:App.start"
                [project.entry-points.pytest11]
                a = "a.plugin"
                [tool.poetry.scripts]
                a-old = "a.old:run"
                a-new = { reference = "a.new:run", type = "console" }
                """,
            "setup.cfg": """
                [options.entry_points]
                console_scripts =
                    a-cfg = a.cfg:main [extra]
                flake8.extension =
                    A = a.checker:Checker
                """,
            "setup.py": """
                from setuptools import setup
                SCRIPTS = ["a-py = a.py_cli:main"]
                setup(
                    entry_points={"console_scripts": SCRIPTS, "pylint.plugins": ["x = a.x:y"]},
                )
                setup(entry_points=\"\"\"
                [console_scripts]
                a-ini = a.ini:main
                \"\"\")
                """,
        },
    )
    assert program_entry_points(FileTree(tmp_path)) == {
        ("a.cli", "main"),
        ("a.gui", "App.start"),
        ("a.old", "run"),
        ("a.new", "run"),
        ("a.cfg", "main"),
        ("a.py_cli", "main"),
        ("a.ini", "main"),
    }


def test_program_entry_points_of_a_dict_filled_key_by_key(tmp_path: Path) -> None:
    # deluge's setup.py: the groups are assigned, extended on one platform, then the
    # dict is handed to setup(); other groups are plugins, not programs.
    from debt_lints.analysis.packaging import FileTree, program_entry_points

    tree(
        tmp_path,
        {
            "setup.py": """
                import sys
                from setuptools import setup
                eps = {"console_scripts": [], "gui_scripts": [], "app.ui": []}
                eps["console_scripts"] = ["app-console = app.console:start"]
                eps["gui_scripts"] += ["appd = app.daemon:start_daemon"]
                if sys.platform == "win32":
                    eps["console_scripts"].extend(["appd-debug = app.debug:start"])
                    eps["gui_scripts"].append("app-gtk = app.gtk:start")
                eps["app.ui"] = ["web = app.web:Web"]
                eps[key] = ["computed = app.computed:main"]
                setup(entry_points=eps)
                """,
        },
    )
    assert program_entry_points(FileTree(tmp_path)) == {
        ("app.console", "start"),
        ("app.daemon", "start_daemon"),
        ("app.debug", "start"),
        ("app.gtk", "start"),
    }


def test_program_entry_points_of_pbr(tmp_path: Path) -> None:
    # pbr (OpenStack, ryu) reads setup.cfg's [entry_points], not [options.entry_points].
    from debt_lints.analysis.packaging import FileTree, program_entry_points

    tree(
        tmp_path,
        {
            "setup.py": """
                import setuptools
                setuptools.setup(setup_requires=["pbr"], pbr=True)
                """,
            "setup.cfg": """
                [metadata]
                name = ryu
                [files]
                packages =
                    ryu
                [entry_points]
                console_scripts =
                    ryu-manager = ryu.cmd.manager:main
                    ryu = ryu.cmd.ryu_base:main
                ryu.plugins =
                    x = ryu.plugin:X
                """,
        },
    )
    assert program_entry_points(FileTree(tmp_path)) == {
        ("ryu.cmd.manager", "main"),
        ("ryu.cmd.ryu_base", "main"),
    }


def test_no_packaging_installs_no_program(tmp_path: Path) -> None:
    from debt_lints.analysis.packaging import FileTree, program_entry_points

    tree(tmp_path, {"pyproject.toml": "[project\n", "setup.py": "def (:\n"})
    assert program_entry_points(FileTree(tmp_path)) == frozenset()
