"""Start-up time of `dsc-cost compare` against the bare interpreter, in one run on one machine.

    python benchmarks/startup.py [--runs N]

Each command is started N times (default 21, at least 15), interleaved so that a
burst of load on the machine hits all of them alike; the table shows the median
wall time and its ratio to `python -c pass`. Targets: json ≤ 6×, table ≤ 9×.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

QUESTION = ["compare", "-c", "3", "-o", "128", "-k", "3", "--size", "7"]
TARGETS = {"json": 6.0, "table": 9.0}


def dsc_cost_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m dsc_cost``."""
    script = Path(sys.executable).with_name("dsc-cost")
    if script.exists():
        return [str(script)]
    found = shutil.which("dsc-cost")
    return [found] if found else [sys.executable, "-m", "dsc_cost"]


def env() -> dict[str, str]:
    """The environment of every timed command: as the user's, except that Python may cache
    compiled modules (as it does after ``pip install``) even where PYTHONDONTWRITEBYTECODE is set."""
    variables = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    variables.pop("PYTHONDONTWRITEBYTECODE", None)
    return variables


def time_commands(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall seconds of each command over ``runs`` interleaved starts."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    variables = env()
    for argv in commands.values():  # warm the file cache and any .pyc compilation
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True, env=variables)
    for _ in range(runs):
        for name, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, check=True, env=variables)
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    runs = max(15, args.runs)
    tool = dsc_cost_command()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "json": [*tool, *QUESTION, "--format", "json"],
        "table": [*tool, *QUESTION, "--format", "table"],
    }
    medians = time_commands(commands, runs)
    base = medians["python -c pass"]
    print(f"start-up, median of {runs} runs ({' '.join(Path(tool[0]).name for _ in tool[:1])} {' '.join(QUESTION)})")
    print(f"{'command':<16} {'median ms':>10} {'× bare':>7} {'target':>7}")
    ok = True
    for name, seconds in medians.items():
        ratio = seconds / base
        target = TARGETS.get(name)
        mark = "" if target is None else (f"≤ {target:g}×" + ("" if ratio <= target else "  MISSED"))
        ok = ok and (target is None or ratio <= target)
        print(f"{name:<16} {seconds * 1000:>10.1f} {ratio:>6.2f}× {mark:>7}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
