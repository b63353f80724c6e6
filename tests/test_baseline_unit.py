"""The baseline's parts on their own: identity, file format, matching, merge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debt_lints.baseline import (
    Baseline,
    BaselineError,
    Coverage,
    Entry,
    Identity,
    dumps,
    identity_of,
    load,
    match,
    parse,
)
from debt_lints.baseline.identity import normalise, snippet_hash
from debt_lints.baseline.lock import lock_path, locked
from debt_lints.baseline.merge import merge
from debt_lints.baseline.ratchet import compare as ratchet_compare
from debt_lints.core.model import Finding

INSERT = "sys.path.insert(0, HERE)"


def finding(line: int, snippet: str = INSERT, scope: str = "", code: str = "DL201") -> Finding:
    return Finding(
        path="pkg/a.py", line=line, column=1, code=code, scope=scope, snippet=snippet, message="m"
    )


def entry(line: int, snippet: str = INSERT, scope: str = "", path: str = "pkg/a.py") -> Entry:
    return Entry(path, line, "DL201", scope, snippet_hash("DL201", path, snippet))


def located(*findings: Finding, path: str = "pkg/a.py") -> list[tuple[Finding, Identity]]:
    return [(f, identity_of(f, path)) for f in findings]


# --- identity -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "other",
    [
        "sys.path.insert( 0,HERE )",
        "sys.path.insert(0, HERE,)",
        "sys.path.insert(\n    0,\n    HERE,\n)",
        "sys.path.insert(0,  # why\n HERE)",
    ],
)
def test_hash_ignores_layout_trailing_commas_and_comments(other: str) -> None:
    assert snippet_hash("DL201", "a.py", other) == snippet_hash("DL201", "a.py", INSERT)


def test_hash_ignores_string_quote_style() -> None:
    assert normalise("f('x', r\"y\")") == normalise("f(\"x\", 'y')")


def test_hash_changes_with_the_code() -> None:
    assert snippet_hash("DL201", "a.py", INSERT) != snippet_hash(
        "DL201", "a.py", "sys.path.insert(0, THERE)"
    )


def test_identity_has_no_line_and_no_message() -> None:
    a = identity_of(finding(3), "pkg/a.py")
    b = identity_of(
        Finding(
            path="elsewhere/a.py", line=90, column=7, code="DL201", snippet=INSERT, message="x"
        ),
        "pkg/a.py",
    )
    assert a == b
    assert a.fingerprint() == b.fingerprint()


def test_syntax_error_identity_ignores_the_parser_message() -> None:
    one = snippet_hash("DL001", "a.py", "cannot parse: invalid syntax")
    assert one == snippet_hash("DL001", "a.py", "cannot parse: expected ':'")


def test_unbalanced_snippet_still_hashes_deterministically() -> None:
    cut = "call(a, b, " + "x" * 10
    assert normalise(cut) == normalise(cut) and normalise(cut).startswith("call ( a")


# --- file format --------------------------------------------------------------------


def test_dumps_is_sorted_one_entry_per_line_and_valid_json() -> None:
    entries = [entry(9, path="b.py"), entry(2, "sys.path.append(X)"), entry(5)]
    text = dumps(entries)
    assert text == dumps(list(reversed(entries)))
    lines = text.splitlines()
    assert lines[0] == '[{"format": "debt-lints-baseline", "version": 1}'
    assert lines[-1] == "]"
    assert all(line.startswith(",{") for line in lines[1:-1])
    assert [json.loads(line[1:])["path"] for line in lines[1:-1]] == [
        "b.py",
        "pkg/a.py",
        "pkg/a.py",
    ]
    data = json.loads(text)
    assert len(data) == 4
    assert parse(text, "x") == Baseline.of(entries)


def test_reason_is_kept_and_round_trips() -> None:
    e = Entry("a.py", 3, "DL201", "f", "0" * 16, "vendored code, removed in Q3")
    assert parse(dumps([e]), "x").entries == (e,)
    assert '"reason": "vendored code, removed in Q3"' in dumps([e])


def test_union_merged_file_is_still_valid() -> None:
    # merge=union keeps both sides' lines of a conflicting hunk: still one entry per line.
    base = dumps([entry(1), entry(2, "a()"), entry(3, "b()")]).splitlines(keepends=True)
    union = [*base[:2], base[3], base[2], *base[3:]]
    assert len(parse("".join(union), "x")) == 4


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        (
            '[{"format": "debt-lints-baseline", "version": 1}\n,{"path": "a.py", "co',
            "not valid JSON",
        ),
        ("<<<<<<< HEAD\n[]\n=======\n[]\n>>>>>>> branch\n", "merge conflict"),
        ('[{"format": "debt-lints-baseline", "version": 99}\n]\n', "version 99"),
        ('{"entries": []}', "not a debt-lints baseline"),
        ("[1]", "not a debt-lints baseline"),
    ],
)
def test_broken_files_are_clear_errors(text: str, problem: str) -> None:
    with pytest.raises(BaselineError, match=problem) as info:
        parse(text, "debt-lints-baseline.json")
    assert str(info.value).startswith("debt-lints-baseline.json")


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"path": "../outside.py"}, "inside the project root"),
        ({"path": "/etc/passwd"}, "relative"),
        ({"path": "C:/x.py"}, "relative"),
        ({"path": "a\\\\b.py"}, "'/'"),
        ({"code": "E501"}, "not a rule code"),
        ({"hash": "xyz"}, "hex"),
        ({"line": 0}, "positive"),
        ({"colour": "red"}, "unknown key"),
    ],
)
def test_bad_entries_name_the_line(fields: dict[str, object], problem: str) -> None:
    good = {"path": "a.py", "code": "DL201", "scope": "", "hash": "0" * 16, "line": 1}
    bad = json.dumps({**good, **fields})
    text = f'[{{"format": "debt-lints-baseline", "version": 1}}\n,{json.dumps(good)}\n,{bad}\n]\n'
    with pytest.raises(BaselineError, match=problem) as info:
        parse(text, "b.json")
    assert str(info.value).startswith("b.json:3:")


def test_load_missing_file_is_none(tmp_path: Path) -> None:
    assert load(tmp_path / "nope.json") is None


def test_lock_is_exclusive_and_cleaned_up(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    with locked(path):
        assert lock_path(path).exists()
        with pytest.raises(BaselineError, match="another debt-lints run"), locked(path, 0.1):
            pass
    assert not lock_path(path).exists()


# --- matching -----------------------------------------------------------------------


def test_exact_match_ignores_lines_and_messages() -> None:
    result = match([entry(5)], located(finding(45)))
    assert [f.line for f, _ in result.known] == [45]
    assert not result.new and not result.unmatched


def test_duplicates_match_one_to_one_and_the_extra_is_new_at_its_line() -> None:
    entries = [entry(5), entry(30)]
    result = match(entries, located(finding(5), finding(6), finding(30)))
    assert [f.line for f in result.new] == [6]


def test_duplicate_after_a_shift_uses_anchors() -> None:
    # 40 lines inserted above, then line 45 duplicated below itself; the unique
    # finding at line 60 (was 20) tells the file moved down by 40.
    entries = [entry(5), entry(20, "other()"), entry(30)]
    result = match(entries, located(finding(45), finding(46), finding(60, "other()"), finding(70)))
    assert [f.line for f in result.new] == [46]


def test_fix_one_and_add_one_is_one_stale_and_one_new() -> None:
    result = match(
        [entry(5), entry(9, "sys.path.append(X)")],
        located(finding(5), finding(12, "sys.path.append(Y)")),
    )
    assert [f.line for f in result.new] == [12]
    assert [e.line for e in result.unmatched] == [9]


def test_renamed_function_still_matches() -> None:
    result = match([entry(5, scope="old")], located(finding(5, scope="new")))
    assert len(result.known) == 1 and not result.new


def test_rename_of_a_file_is_followed() -> None:
    entries = [entry(3), entry(8, "g()", scope="f")]
    findings = [
        *located(finding(3), path="pkg/b.py"),
        *located(finding(8, "g()", scope="f"), path="pkg/b.py"),
    ]
    result = match(entries, findings, exists=lambda p: p != "pkg/a.py")
    assert len(result.known) == 2 and not result.new and not result.unmatched
    assert {new for _, new in result.moved} == {"pkg/b.py"}


def test_ambiguous_rename_is_new() -> None:
    findings = [*located(finding(3), path="pkg/b.py"), *located(finding(3), path="pkg/c.py")]
    result = match([entry(3)], findings, exists=lambda p: p != "pkg/a.py")
    assert len(result.new) == 2 and [e.path for e in result.unmatched] == ["pkg/a.py"]


def test_coverage() -> None:
    cov = Coverage(frozenset({"a.py"}), frozenset({"DL201"}), walked=("src",))
    assert cov.covers("a.py", "DL201")
    assert not cov.covers("a.py", "DL301")
    assert not cov.covers("b.py", "DL201")
    assert not cov.covers("src/gone.py", "DL201")
    assert cov.covers("src/gone.py", "DL201", exists=False)
    assert not cov.covers("lib/gone.py", "DL201", exists=False)
    assert not Coverage.nothing().covers("a.py", "DL201")


# --- merge and ratchet ----------------------------------------------------------------


def test_merge_applies_both_sides_removals_and_additions() -> None:
    a, b, c, d, e = (entry(n, f"f{n}()") for n in range(1, 6))
    base = Baseline.of([a, b, c])
    ours = Baseline.of([b, c, d])  # fixed a, added d
    theirs = Baseline.of([a, c, e])  # fixed b, added e
    assert merge(base, ours, theirs) == sorted([c, d, e])
    assert merge(base, theirs, ours) == merge(base, ours, theirs)


def test_ratchet_needs_a_reason_for_growth(tmp_path: Path) -> None:
    old = entry(1)
    grown = entry(2, "g()")
    explained = Entry("pkg/a.py", 3, "DL201", "", snippet_hash("DL201", "x.py", "h()"), "legacy")
    report = ratchet_compare(
        Baseline.of([old]),
        Baseline.of([Entry(old.path, 50, old.code, old.scope, old.hash), grown, explained]),
        tmp_path,
    )
    assert report.unexplained == [grown]
    assert report.accepted == [explained]
    assert not report.removed


# --- writers ----------------------------------------------------------------------------


def test_prune_keeps_a_concurrent_writers_change(tmp_path: Path) -> None:
    from debt_lints.baseline.gate import prune
    from debt_lints.baseline.store import save

    path = tmp_path / "b.json"
    a, b, c = entry(1, "a()"), entry(2, "b()"), entry(3, "c()")
    save(path, [a, b, c])
    # Another run removed b after we read the file; we remove a.
    save(path, [a, c])
    assert prune(path, [a, b]) == [a]
    loaded = load(path)
    assert loaded is not None and loaded.entries == (c,)


def test_prune_never_adds(tmp_path: Path) -> None:
    from debt_lints.baseline.gate import prune
    from debt_lints.baseline.store import save

    path = tmp_path / "b.json"
    a = entry(1, "a()")
    save(path, [a])
    before = path.read_bytes()
    assert prune(path, [entry(9, "gone()")]) == []
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", False), ("0", False), ("false", False), ("False", False), ("true", True), ("1", True)],
)
def test_ci_environment(value: str, expected: bool) -> None:
    from debt_lints.baseline import is_ci

    assert is_ci(False, {"CI": value}) is expected
    assert is_ci(True, {"CI": value}) is True
    assert is_ci(False, {}) is False


def test_fix_command_repeats_the_runs_scope() -> None:
    from debt_lints.baseline.gate import fix_command

    assert fix_command([]) == "debt-lints check"
    assert (
        fix_command(["src", "my dir"], select="DL2", config="ci.toml")
        == "debt-lints check src 'my dir' --select DL2 --config ci.toml"
    )


def test_fix_command_of_a_run_over_many_files_checks_the_project() -> None:
    """pre-commit ``--all-files`` passed 1,100 paths; the command was a 30 KB line."""
    from debt_lints.baseline.gate import fix_command

    many = [f"pkg/m{n}.py" for n in range(1100)]
    assert fix_command(many, select="DL2") == "debt-lints check --select DL2"
    assert fix_command(many[:3]) == "debt-lints check pkg/m0.py pkg/m1.py pkg/m2.py"


def test_merge_driver_rejects_a_broken_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from debt_lints.adapters.cli import main

    good = dumps([entry(1)])
    (tmp_path / "base").write_text("", encoding="utf-8")  # both sides added the file
    (tmp_path / "ours").write_text(good, encoding="utf-8")
    (tmp_path / "theirs").write_text(good[:-8], encoding="utf-8")
    argv = ["baseline", "merge", *(str(tmp_path / n) for n in ("base", "ours", "theirs"))]
    assert main(argv) == 2
    assert "theirs" in capsys.readouterr().err
    assert (tmp_path / "ours").read_text(encoding="utf-8") == good
    (tmp_path / "theirs").write_text(dumps([entry(2, "b()")]), encoding="utf-8")
    assert main(argv) == 0
    merged = load(tmp_path / "ours")
    assert merged is not None and len(merged) == 2


# --- properties -------------------------------------------------------------------------

_occurrence = st.tuples(
    st.sampled_from(["pkg/a.py", "pkg/b.py"]),
    st.integers(1, 60),
    st.sampled_from(["", "f", "C.m"]),
    st.sampled_from(["x()", "y()", "sys.path.insert(0, X)"]),
)


def _finding(path: str, line: int, scope: str, snippet: str) -> tuple[Finding, Identity]:
    f = Finding(path=path, line=line, column=1, code="DL201", scope=scope, snippet=snippet)
    return f, identity_of(f, path)


@settings(max_examples=150, deadline=None)
@given(
    before=st.lists(_occurrence, max_size=25),
    removed=st.sets(st.integers(0, 24)),
    added=st.lists(_occurrence, max_size=5),
    shift=st.integers(0, 50),
)
def test_matching_is_one_to_one_and_counts_add_up(
    before: list[tuple[str, int, str, str]],
    removed: set[int],
    added: list[tuple[str, int, str, str]],
    shift: int,
) -> None:
    entries = [
        Entry(i.path, f.line, i.code, i.scope, i.hash)
        for f, i in (_finding(*occ) for occ in before)
    ]
    kept = [(p, line + shift, s, c) for n, (p, line, s, c) in enumerate(before) if n not in removed]
    findings = [_finding(*occ) for occ in kept + added]
    result = match(entries, findings)
    assert len(result.known) + len(result.new) == len(findings)
    assert len(result.known) + len(result.unmatched) == len(entries)
    assert len({id(f) for f, _ in result.known}) == len(result.known)
    # Nothing was added: everything is known, exactly the removed entries are left.
    if not added:
        assert not result.new
        assert len(result.unmatched) == len(before) - len(kept)
    # At least as many new findings as occurrences were added beyond what was removed.
    assert len(result.new) >= len(added) - (len(before) - len(kept))


def test_header_options_round_trip_and_are_validated() -> None:
    text = dumps([entry(1)], {"DL101": "0123abcd"})
    assert text.startswith('[{"format": "debt-lints-baseline", "version": 1, "options": {"DL101"')
    assert parse(text, "x").option_map() == {"DL101": "0123abcd"}
    with pytest.raises(BaselineError, match="options"):
        parse(text.replace("0123abcd", "nope"), "x")
    with pytest.raises(BaselineError, match="unknown header key"):
        parse(text.replace('"options"', '"colour"'), "x")


def test_merge_options_takes_the_side_that_changed() -> None:
    from debt_lints.baseline.merge import merge_options

    base = Baseline.of([], options={"DL101": "00000000", "DL103": "11111111"})
    ours = Baseline.of([], options={"DL101": "aaaaaaaa", "DL103": "11111111"})
    theirs = Baseline.of([], options={"DL101": "00000000", "DL103": "bbbbbbbb"})
    assert merge_options(base, ours, theirs) == {"DL101": "aaaaaaaa", "DL103": "bbbbbbbb"}


# Pinned: the normal form must be the same on every Python version (the stdlib
# tokenizer's is not: PEP 701), or a baseline made on 3.12 breaks on 3.10.
@pytest.mark.parametrize(
    ("snippet", "normal"),
    [
        ('sys.path.insert(0, f"{ROOT}/lib")', 'sys . path . insert ( 0 , f"{ROOT}/lib" )'),
        ("f'a{b!r:>{w}}c' + x", "f'a{b!r:>{w}}c' + x"),
        ('call("abc', 'call ( "abc'),
        ('call(a, "x" "y", """doc""", b)', "call ( a , 'x' 'y' , 'doc' , b )"),
        ("x = (1,\n 2,)  # c", "x = ( 1 , 2 )"),
        ('print(rb"\\d", u"é")', "print ( b'\\\\d' , 'é' )"),
        ("a := b ** -1.5e-3", "a := b ** - 1.5e-3"),
        ("x[1:2, ...] @= y  \\\n  >> 2", "x [ 1 : 2 , ... ] @= y >> 2"),
    ],
)
def test_normal_form_is_pinned(snippet: str, normal: str) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert normalise(snippet) == normal


def test_a_comment_inside_a_multiline_finding_neither_counts_nor_hides_code() -> None:
    from debt_lints.baseline.identity import identity_of
    from debt_lints.core.settings import Settings
    from debt_lints.engine.registry import lookup
    from debt_lints.engine.walk import RuleSet, check_source

    rule = lookup("DL201")
    assert rule is not None
    ruleset = RuleSet([rule], Settings())

    def identity(comment: str, directory: str) -> object:
        source = f"import sys\nsys.path.insert(  # {comment}\n    0,\n    {directory!r},\n)\n"
        (finding,) = check_source(source, "m.py", "m.py", ruleset).findings
        return identity_of(finding, "m.py")

    assert identity("vendored libs", "lib") == identity("see ticket 12", "lib")
    # The code after the comment is part of the identity: other code, other debt.
    assert identity("vendored libs", "lib") != identity("vendored libs", "plugins")
