"""The HTML preview of the examples, opened in headless Chromium: a screenshot a person can
look at, kept at ``tests/artifacts/preview-examples.png`` (git-ignored), and checked to be a
real picture of a page, not a blank or an error screen.

Needs Debian's ``chromium`` (marker ``browser``): ``.ci/run`` installs it when it is missing;
``scripts/test`` says so and leaves this test out on a machine without it.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1200,2000",
)


def png_size_and_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines of a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, width, height, idat = 8, 0, 0, b""
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos : pos + 4]), data[pos + 4 : pos + 8]
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.mark.browser
def test_the_examples_preview_renders_in_chromium(tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "install Chromium (apt-get install -y chromium); .ci/run does it in CI"
    page = tmp_path / "preview.html"
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "reconciler",
            "preview",
            "campaigns/",
            "--format",
            "html",
            "--at",
            "2026-03-02T14:00:00Z",
            "--out",
            str(page),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert made.returncode == 0, made.stderr
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "preview-examples.png"
    shot.unlink(missing_ok=True)
    profile = tmp_path / "chromium-profile"
    subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    print(f"screenshot: {shot}")
    assert shot.is_file(), "Chromium wrote no screenshot"
    data = shot.read_bytes()
    width, height, pixels = png_size_and_pixels(data)
    assert (width, height) == (1200, 2000)
    assert len(data) > 40_000, "a page with text compresses less than this"
    assert len(set(pixels)) > 100, "the screenshot is (nearly) one colour"
