"""IANA time zones resolve where the system has no time-zone database (Windows, slim images).

zoneinfo then falls back to the ``tzdata`` package, a runtime requirement of camp. Each test runs
a subprocess with ``PYTHONTZPATH`` pointing at an empty folder, which hides the system database.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LONDON = ROOT / "campaigns" / "coldsend" / "agency-partners.yaml"  # timezone: Europe/London


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    empty = cwd / "no-tz-database"
    empty.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env={**os.environ, "PYTHONTZPATH": str(empty), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def _repository(tmp_path: Path, timezone: str) -> Path:
    shutil.copy(ROOT / "camp.yaml", tmp_path / "camp.yaml")
    (tmp_path / "campaigns").mkdir()
    text = LONDON.read_text(encoding="utf-8").replace("Europe/London", timezone)
    (tmp_path / "campaigns" / LONDON.name).write_text(text, encoding="utf-8")
    return tmp_path


def test_zoneinfo_lists_and_loads_zones_from_tzdata(tmp_path: Path) -> None:
    # What config/checks_common.py and the sandbox's validators ask zoneinfo for.
    code = (
        "import zoneinfo; zones = zoneinfo.available_timezones(); "
        "assert 'Europe/London' in zones, len(zones); zoneinfo.ZoneInfo('Europe/London')"
    )
    result = _run(["-c", code], tmp_path)
    assert result.returncode == 0, result.stderr


def test_validate_accepts_europe_london(tmp_path: Path) -> None:
    result = _run(["-m", "reconciler", "validate"], _repository(tmp_path, "Europe/London"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: 1 campaign in 1 file valid"), result.stdout


def test_validate_still_rejects_a_misspelt_zone_and_suggests_the_name(tmp_path: Path) -> None:
    result = _run(["-m", "reconciler", "validate"], _repository(tmp_path, "Europe/Londn"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith(
        "campaigns/agency-partners.yaml:7:11: error: timezone: 'Europe/Londn' is not an IANA"
        " timezone\n  hint: did you mean 'Europe/London'?\n"
    ), result.stdout
