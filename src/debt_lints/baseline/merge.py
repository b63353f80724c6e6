"""Three-way merge of baseline files (``debt-lints baseline merge``, a git merge driver).

Entries are a multiset. The result applies both sides' changes to the
common ancestor: an entry either side removed is gone, an entry either side
added is there (``max(0, ours + theirs - base)`` copies of each). Added on
both sides, it appears twice: over-suppression that the next ``check --ci``
reports as stale, never hidden debt. The output is the sorted, canonical
file, whatever order the inputs had.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from debt_lints.baseline.lock import locked
from debt_lints.baseline.store import Baseline, BaselineError, Entry, load, parse, save


def merge_options(base: Baseline, ours: Baseline, theirs: Baseline) -> dict[str, str]:
    """The header's option hashes, merged key by key (a side that changed one wins)."""
    b, o, t = base.option_map(), ours.option_map(), theirs.option_map()
    out: dict[str, str] = {}
    for code in sorted(b.keys() | o.keys() | t.keys()):
        value = o.get(code) if o.get(code) != b.get(code) else t.get(code)
        if value is not None:
            out[code] = value
    return out


def merge(base: Baseline, ours: Baseline, theirs: Baseline) -> list[Entry]:
    """The merged entries (sorted)."""
    b, o, t = Counter(base.entries), Counter(ours.entries), Counter(theirs.entries)
    out: Counter[Entry] = Counter()
    for entry in b.keys() | o.keys() | t.keys():
        count = o[entry] + t[entry] - b[entry]
        if count > 0:
            out[entry] = count
    return sorted(out.elements())


def _read(path: Path, *, empty_ok: bool) -> Baseline:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if empty_ok:
            return Baseline()
        raise BaselineError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read: {exc}") from None
    if empty_ok and not text.strip():
        # git passes an empty ancestor when both branches added the file.
        return Baseline()
    return parse(text, str(path))


def merge_files(base: Path, ours: Path, theirs: Path) -> None:
    """Merge ``theirs`` into ``ours`` (in place), as git's ``%O %A %B`` driver."""
    sides = (
        _read(base, empty_ok=True),
        _read(ours, empty_ok=False),
        _read(theirs, empty_ok=False),
    )
    with locked(ours):
        if load(ours) is None:
            raise BaselineError(f"{ours}: disappeared during the merge")
        save(ours, merge(*sides), merge_options(*sides))
