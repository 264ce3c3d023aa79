"""bandit, the Python security linter, finds nothing in the deployed code (so `make test` gates
it). Its configuration is [tool.bandit] in pyproject.toml; every exception is a `# nosec BXXX:
why` on its line and is listed in docs/security.md, section "bandit"."""

import json
import re
import subprocess  # nosec B404: runs bandit, an argument list and no shell
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)$")
JUSTIFIED = re.compile(r"^\s+(B\d{3})(\s+B\d{3})*\s*:\s*\S")


def excluded(path):
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["bandit"]
    parts = path.relative_to(ROOT).parts
    return any(part in config["exclude_dirs"] for part in parts)


def project_sources():
    return sorted(path for path in ROOT.rglob("*.py") if not excluded(path))


def test_bandit_finds_no_issues():
    completed = subprocess.run(  # nosec B603: fixed argument list, this interpreter, no shell
        [sys.executable, "-m", "bandit", "-c", "pyproject.toml", "-r", ".", "-f", "json", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(completed.stdout)
    assert report["errors"] == []
    findings = [
        f"{item['filename']}:{item['line_number']} {item['test_id']} {item['issue_text']}"
        for item in report["results"]
    ]
    assert findings == [], "bandit:\n" + "\n".join(findings)
    assert report["metrics"]["_totals"]["loc"] > 10_000  # it did scan the project
    assert completed.returncode == 0


def test_every_exception_names_its_check_and_says_why_and_is_listed():
    listed = (ROOT / "docs" / "security.md").read_text()
    unjustified, unlisted = [], []
    for path in project_sources():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            match = NOSEC.search(line)
            if not match:
                continue
            where = f"{path.relative_to(ROOT)}:{number}"
            if not JUSTIFIED.match(match["rest"]):
                unjustified.append(where)
            if f"`{path.relative_to(ROOT)}`" not in listed:
                unlisted.append(where)
    assert unjustified == [], "write `# nosec BXXX: why`"
    assert unlisted == [], "list these in docs/security.md, section bandit"


def test_the_scan_skips_only_code_that_is_not_deployed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["bandit"]
    assert set(config["exclude_dirs"]) <= {
        ".venv",
        "node_modules",
        "var",
        "tests",
        "bench",
        "migrations",
    }
    assert not config.get("skips"), "no check is switched off for the whole project"
    sources = [str(path.relative_to(ROOT)) for path in project_sources()]
    assert "portal/settings/production.py" in sources
    assert not any(source.startswith("tests/") for source in sources)
