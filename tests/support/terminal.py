"""Run ``camp`` on a pseudo-terminal, as a person at a keyboard would: stdin, stdout and stderr
are a TTY, so the CLI prompts and draws its live progress line.

``answer`` is typed at once; ``interrupt_when`` sends SIGINT (Ctrl-C) as soon as that text has
been printed. Returns the exit status and everything the terminal showed.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path


def camp_on_a_terminal(
    cwd: Path,
    env: Mapping[str, str],
    *args: str,
    answer: str = "",
    interrupt_when: str = "",
    timeout: float = 60,
) -> tuple[int, str]:
    main, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "reconciler", *args],
        cwd=cwd,
        env=dict(env),
        stdin=child,
        stdout=child,
        stderr=child,
        close_fds=True,
    )
    os.close(child)
    if answer:
        os.write(main, answer.encode() + b"\n")
    output, deadline, sent = b"", time.monotonic() + timeout, False
    while time.monotonic() < deadline:
        if interrupt_when and not sent and interrupt_when.encode() in output:
            process.send_signal(signal.SIGINT)
            sent = True
        ready, _, _ = select.select([main], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        elif process.poll() is not None:
            break
    os.close(main)
    return process.wait(timeout=30), output.decode(errors="replace")
