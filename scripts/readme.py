"""Regenerate the README's command examples from the real command line.

Every example in README.md is written as

    <!-- run: compare -c 3 -o 128 --size 7 -->
    ```console
    $ dsc-cost compare -c 3 -o 128 --size 7
    ...what the command prints...
    ```

``python scripts/readme.py`` rewrites each block with what the command prints now;
``python scripts/readme.py --check`` exits 1 when any block has drifted (the test
suite runs the same check). Commands run in-process, in the repository root, with a
fixed terminal width so that help text wraps the same everywhere.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
EXAMPLE = re.compile(r"<!-- run: (?P<args>.+?) -->\n```(?P<lang>\w*)\n(?P<body>.*?)```\n", re.S)


def run(args: str) -> str:
    """What ``dsc-cost ARGS`` prints (stdout, then stderr), as a console transcript."""
    from dsc_cost.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = {name: os.environ.get(name) for name in ("COLUMNS", "LINES")}
    os.environ["COLUMNS"], os.environ["LINES"] = "100", "40"
    cwd = os.getcwd()
    try:
        os.chdir(ROOT)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(shlex.split(args))
            except SystemExit as exit_:  # --help and --version exit through argparse
                code = int(exit_.code or 0)
    finally:
        os.chdir(cwd)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    transcript = f"$ dsc-cost {args}\n{out.getvalue()}{err.getvalue()}"
    if code:
        transcript += f"$ echo $?\n{code}\n"
    return transcript


def commands(text: str) -> list[str]:
    """The argument strings of every example in ``text``."""
    return [m.group("args") for m in EXAMPLE.finditer(text)]


def regenerate(text: str) -> str:
    """``text`` with every example block replaced by what its command prints now."""

    def replace(match: re.Match[str]) -> str:
        return f"<!-- run: {match.group('args')} -->\n```{match.group('lang')}\n{run(match.group('args'))}```\n"

    return EXAMPLE.sub(replace, text)


def main() -> int:
    text = README.read_text(encoding="utf-8")
    new = regenerate(text)
    if "--check" in sys.argv[1:]:
        if new != text:
            import difflib

            sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), new.splitlines(True), "README.md", "now"))
            print("README.md examples are out of date: run python scripts/readme.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
