"""Regenerate the example files here from the two specs (run by hand, not by the tests).

    git --git-dir=<commonmark-spec>.git show 0.31.2:spec.txt > /tmp/commonmark.txt
    git --git-dir=<cmark-gfm>.git show <commit>:test/spec.txt > /tmp/gfm.txt
    python extract_examples.py /tmp/commonmark.txt commonmark-0.31.2.json
    python extract_examples.py /tmp/gfm.txt gfm-0.29.json

The reading of a spec file is the one of the specs' own runner (``test/spec_tests.py``): an
example is a fenced block opened by 32 backticks and `` example`` (GFM adds the extension's
name), the Markdown before a line holding ``.`` and the HTML after it, ``→`` standing for a tab.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

FENCE = "`" * 32
HEADER = re.compile(r"#+ ")


def examples(spec: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    state, section, extension = 0, "", ""
    markdown: list[str] = []
    html: list[str] = []
    for line in spec.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith(FENCE + " example"):
            state, extension = 1, " ".join(stripped[len(FENCE + " example") :].split())
        elif stripped == FENCE:
            found.append(
                {
                    "example": len(found) + 1,
                    "section": section,
                    "extension": extension,
                    "markdown": "".join(markdown).replace("→", "\t"),
                    "html": "".join(html).replace("→", "\t"),
                }
            )
            state, markdown, html = 0, [], []
        elif stripped == "." and state == 1:
            state = 2
        elif state == 1:
            markdown.append(line)
        elif state == 2:
            html.append(line)
        elif HEADER.match(line):
            section = HEADER.sub("", line).strip()
    return found


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    text = json.dumps(examples(source.read_text(encoding="utf-8")), indent=1, ensure_ascii=False)
    (Path(__file__).parent / target).write_text(text + "\n", encoding="utf-8")
