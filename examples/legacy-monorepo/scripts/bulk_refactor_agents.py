"""
Rewrite agent imports from the MainPC/PC2 utility copies to common/ (audit, week 2).

Usage: python scripts/bulk_refactor_agents.py [--dry-run]
"""
import argparse
import os
import re

# Written on the Windows workstation; the audit says: safe to delete after the migration.
DEFAULT_ROOT = "C:\\Users\\haymayndz\\AI_System_Monorepo"

IMPORT_REWRITES = {
    "main_pc_code.utils.path_manager": "common.utils.path_manager",
    "main_pc_code.utils.config_loader": "common.config_manager",
    "pc2_code.utils.config_loader": "common.config_manager",
    "main_pc_code.utils.log_manager": "common.utils.logger_util",
}
ENV_RENAMES = {"MAIN_PC_IP": "MAINPC_IP", "PC2_IP_ADDRESS": "PC2_IP"}


def rewrite(source):
    for old, new in IMPORT_REWRITES.items():
        source = re.sub(rf"\b{re.escape(old)}\b", new, source)
    for old, new in ENV_RENAMES.items():
        source = source.replace(f'"{old}"', f'"{new}"')
    return source


def agent_files(root):
    for base in ("main_pc_code/agents", "pc2_code/agents"):
        for dirpath, _dirs, files in os.walk(os.path.join(root, base)):
            for name in files:
                if name.endswith(".py"):
                    yield os.path.join(dirpath, name)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", default=os.environ.get("MONOREPO_ROOT", DEFAULT_ROOT))
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    changed = 0
    for path in agent_files(args.root):
        with open(path, encoding="utf-8") as handle:
            before = handle.read()
        after = rewrite(before)
        if after != before:
            changed += 1
            print(("would rewrite " if args.dry_run else "rewrote ") + path)
            if not args.dry_run:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(after)
    print(f"{changed} files")


if __name__ == "__main__":
    main()
