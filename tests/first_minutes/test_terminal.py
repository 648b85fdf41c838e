"""`lotse chat` at a real terminal (issue 14): arrow keys edit the line instead of landing in the
question as `^[[D`, and Ctrl-D ends the chat."""

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

LEFT = "\x1b[D"


def read_until(fd: int, wanted: str, within: float = 60) -> str:
    """What the terminal shows until `wanted` appears (or the time is up)."""
    seen = b""
    deadline = time.monotonic() + within
    while wanted.encode() not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    return seen.decode(errors="replace")


def test_arrow_keys_edit_the_line_and_ctrl_d_quits(tmp_path: Path) -> None:
    (tmp_path / "lotse.toml").write_text("[knowledge]\nload_starter = false\n\n[kompass]\nload_starter = false\n",
                                         encoding="utf-8")
    main, terminal = pty.openpty()
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).parents[2]), "TERM": "xterm",
           "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state"), "LOTSE_KNOWLEDGE__ENCODER": "none",
           "PROMPT_TOOLKIT_NO_CPR": "1"}
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "chat"], cwd=tmp_path, stdin=terminal,
                               stdout=terminal, stderr=terminal, env=env, close_fds=True)
    os.close(terminal)
    try:
        assert "/quit oder Strg-D beendet den Chat." in read_until(main, "beendet den Chat.")
        read_until(main, ">", within=10)
        os.write(main, f"halo{LEFT}l\r".encode())
        shown = read_until(main, "Ich bin Lotse.")
        assert "Hallo! Ich bin Lotse." in shown, shown
        read_until(main, ">", within=10)
        os.write(main, b"\x04")
        assert process.wait(timeout=30) == 0
        assert (tmp_path / "state" / "lotse").is_dir(), "the history is kept per user"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(main)
