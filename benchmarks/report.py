"""Print the figures as a table, and record them in RESULTS.md between markers."""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.harness import Figure, Section

START = "<!-- benchmark results: written by `python -m benchmarks --record` -->"
END = "<!-- end of benchmark results -->"


def _number(value: float, unit: str) -> str:
    if unit == "calls":
        return f"{value:.0f} {unit}"
    return f"{value:.2f} {unit}"


def _ratio(figure: Figure) -> str:
    ratio = figure.ratio
    return "—" if ratio is None else f"{ratio:.2f}"


def _target(figure: Figure) -> str:
    if figure.max_ratio is None:
        return "(info)"
    if figure.reference == 0:
        return "= 0"
    return f"≤ {figure.max_ratio:.2f}"


def _verdict(figure: Figure) -> str:
    if figure.max_ratio is None:
        return ""
    return "ok" if figure.ok else "MISSED"


def rows(figure: Figure) -> list[str]:
    return [
        figure.name,
        _number(figure.value, figure.unit),
        f"{_number(figure.reference, figure.unit)} ({figure.reference_kind})",
        _ratio(figure),
        _target(figure),
        _verdict(figure),
    ]


HEADER = ["figure", "measured", "reference", "ratio", "target", ""]


def text(sections: Sequence[Section]) -> str:
    table = [HEADER] + [rows(f) for s in sections for f in s.figures]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    lines = []
    for section in sections:
        lines.append(f"\n{section.title}")
        for figure in section.figures:
            cells = rows(figure)
            lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)))
        lines += [f"    · {line}" for line in section.details]
    return "\n".join(lines)


def machine() -> str:
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    return (
        f"{os.cpu_count()} CPUs (nproc), {memory_kb / 1024 / 1024:.1f} GiB memory, "
        f"Python {platform.python_version()} ({sys.implementation.name}), "
        f"{platform.system()} {platform.release()}, {platform.machine()}"
    )


def markdown(sections: Sequence[Section], *, command: str, notes: Sequence[str]) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        START,
        "",
        f"Run {now} with `{command}` on {machine()}.",
        *[f"{note}" for note in notes],
        "",
        "| " + " | ".join([*HEADER[:-1], "verdict"]) + " |",
        "|" + "---|" * len(HEADER),
    ]
    for section in sections:
        out.append(f"| **{section.title}** |  |  |  |  |  |")
        for figure in section.figures:
            out.append("| " + " | ".join(rows(figure)) + " |")
    for section in sections:
        out += ["", f"**{section.title}**", ""]
        out += [f"- {line}" for line in section.details]
    out += ["", END]
    return "\n".join(out)


def record(path: Path, block: str) -> None:
    """Replace the results block of ``path`` (or create the file around it)."""
    if path.exists():
        current = path.read_text(encoding="utf-8")
        if START in current and END in current:
            head, rest = current.split(START, 1)
            tail = rest.split(END, 1)[1]
            path.write_text(head + block + tail, encoding="utf-8")
            return
        path.write_text(current.rstrip() + "\n\n" + block + "\n", encoding="utf-8")
        return
    path.write_text("# Performance results\n\n" + block + "\n", encoding="utf-8")
