"""``python -m debt_lints``."""

from debt_lints.cli import main

raise SystemExit(main())
