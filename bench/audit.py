"""BATTERY.md W7: every pinned dependency audited against a vulnerability database, none vulnerable.

Usage: python bench/audit.py [--service pypi|osv]   (what `make audit` runs, in .venv-audit)

pip-audit prints "No known vulnerabilities found" even when it could audit nothing (offline, every
pin is skipped as "not found"). This wrapper reads its JSON and passes only when every pin of
requirements.txt was looked up and none has a known vulnerability; otherwise it names what was
skipped or vulnerable and exits 1. It needs the network (PyPI's JSON API or OSV), so it is not part
of `make test`, which runs offline.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REQUIREMENTS = Path(__file__).resolve().parents[1] / "requirements.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--service", choices=["pypi", "osv"], default="pypi")
    parser.add_argument("--pip-audit", default="pip-audit", help="the pip-audit executable")
    arguments = parser.parse_args()
    run = subprocess.run(
        [arguments.pip_audit, "--no-deps", "--disable-pip", "-r", str(REQUIREMENTS), "-s", arguments.service,
         "--format", "json", "--progress-spinner", "off"],
        capture_output=True, text=True, check=False)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(f"pip-audit gave no report (exit {run.returncode}): {run.stderr.strip()[-500:]}", file=sys.stderr)
        return 1
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    for dependency in vulnerable:
        ids = ", ".join(v.get("id", "?") for v in dependency["vulns"])
        print(f"VULNERABLE {dependency['name']} {dependency.get('version', '')}: {ids}")
    if skipped:
        print(f"{len(skipped)} of {len(dependencies)} pins could not be audited (is {arguments.service} reachable?),"
              f" e.g. {skipped[0]['skip_reason']}")
    audited = len(dependencies) - len(skipped)
    print(f"{audited} of {len(dependencies)} pins audited against {arguments.service}; {len(vulnerable)} vulnerable")
    return 0 if dependencies and not skipped and not vulnerable else 1


if __name__ == "__main__":
    sys.exit(main())
