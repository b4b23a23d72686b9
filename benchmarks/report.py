"""The time ``dsc-cost report`` takes to write the page of a 10,000-layer spec, and the page's size.

    python benchmarks/report.py [--runs N] [--layers N]

Generates the 10,000-layer spec of benchmarks/run.py (separable convs, 1×1 convs and residual adds) in a
temporary folder, runs ``dsc-cost report SPEC -o PAGE`` N times (each a fresh process, as users run it) and
prints the median wall time and processor time, the page's size, and beside them ``dsc-cost network SPEC
--format json`` on the same spec (the page embeds that JSON: the difference is the page's own cost). Exits 1
when the median wall time is over the target, 3 s. On a busy machine the wall time exceeds the processor time;
run it on an idle one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import big_spec, write_yaml
from startup import dsc_cost_command, env

TARGET = 3.0
"""Seconds: the most the page of a 10,000-layer spec may take to write, start-up included."""


def measure(argv: list[str], runs: int) -> tuple[float, float, int]:
    """Median wall seconds, median processor seconds (user + system) and the largest peak resident memory
    (KiB) of ``argv`` over ``runs`` starts."""
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env())
        _, status, usage = os.wait4(process.pid, 0)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
        peaks.append(usage.ru_maxrss)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"failed: {' '.join(argv)}\n{process.stderr.read().decode() if process.stderr else ''}")
    return statistics.median(walls), statistics.median(cpus), max(peaks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs to take the median of (default 5)")
    parser.add_argument("--layers", type=int, default=10_000, help="layers of the generated spec (default 10,000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        spec, page = Path(folder) / "big.yaml", Path(folder) / "big.html"
        write_yaml(big_spec(args.layers), spec)
        tool = dsc_cost_command()
        seconds, cpu, peak = measure([*tool, "report", str(spec), "-o", str(page)], max(1, args.runs))
        json_seconds, json_cpu, _ = measure([*tool, "network", str(spec), "--format", "json"], max(1, args.runs))
        size = page.stat().st_size
    ok = seconds <= TARGET
    verdict = "ok" if ok else "MISSED"
    what = f"report, {args.layers:,}-layer YAML spec"
    print(f"{what}: {seconds:.2f} s (processor {cpu:.2f} s); target ≤ {TARGET:g} s: {verdict}")
    print(f"  network --format json on the same spec: {json_seconds:.2f} s (processor {json_cpu:.2f} s)")
    print(f"  page size {size / 1e6:.2f} MB, peak memory {peak / 1024:,.0f} MiB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
