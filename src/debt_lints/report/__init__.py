"""``debt-lints report``: where the recorded debt stands and where it is going.

Everything here reads the baseline file, never the code: the ratchet keeps
the committed baseline equal to the real debt, so the file and its git
history are the record.

- :mod:`debt_lints.report.data` — totals per rule and per directory, the
  comparison with a git ref (fixed / new / net) and the :class:`Report`.
- :mod:`debt_lints.report.history` — the trend: one point per commit that
  changed the baseline file.
- :mod:`debt_lints.report.render` — ``text``, ``markdown`` and ``json``.
- :mod:`debt_lints.report.html` — a self-contained page with a burn-down
  chart per rule (matplotlib, imported only there).
"""
