"""Costing an ONNX model end to end against loading it with onnx alone, in one run on one machine.

    python benchmarks/onnx_bench.py MODEL.onnx [--runs N]
    python benchmarks/onnx_bench.py --export resnet50 [--runs N]   # needs torch and torchvision

Each row's command is started N times (default 11), interleaved so that a burst of load on the machine hits
both alike; the table shows the median wall time and the median peak memory (resident set) of each, and
their ratios to ``python -c "import onnx; onnx.load(MODEL)"``. With ``--export NAME``, torchvision's NAME is
exported with ``torch.onnx.export(..., dynamo=False)`` into a temporary folder, removed at the end. Exits 1
when a target is missed:

    dsc-cost network MODEL --format json    ≤ 2.5× the time and ≤ 1.5× the peak memory of onnx.load

Run it with the interpreter that has dsc-cost and onnx installed.
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

ROOT = Path(__file__).resolve().parent.parent
TIME_TARGET = 2.5
MEMORY_TARGET = 1.5


def run(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident kilobytes of one run of ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return seconds, usage.ru_maxrss


def export(name: str, folder: str) -> str:
    import torch
    import torchvision

    path = os.path.join(folder, f"{name}.onnx")
    model = getattr(torchvision.models, name)().eval()
    with torch.no_grad():
        torch.onnx.export(model, (torch.zeros(1, 3, 224, 224),), path, dynamo=False)
    return path


def bench(path: str, runs: int) -> bool:
    rows = {
        "onnx.load": [sys.executable, "-c", f"import onnx; onnx.load({path!r})"],
        "dsc-cost network --format json": [sys.executable, "-m", "dsc_cost", "network", path, "--format", "json"],
    }
    samples: dict[str, list[tuple[float, int]]] = {name: [] for name in rows}
    for _ in range(runs):
        for name, command in rows.items():
            samples[name].append(run(command))
    size = os.path.getsize(path) / 1e6
    print(f"{os.path.basename(path)} ({size:.0f} MB), {runs} interleaved runs, medians")
    print(f"{'command':34} {'seconds':>8} {'×':>6} {'peak MB':>8} {'×':>6}")
    base_time = statistics.median(s for s, _ in samples["onnx.load"])
    base_memory = statistics.median(m for _, m in samples["onnx.load"])
    ok = True
    for name in rows:
        seconds = statistics.median(s for s, _ in samples[name])
        memory = statistics.median(m for _, m in samples[name])
        time_ratio, memory_ratio = seconds / base_time, memory / base_memory
        print(f"{name:34} {seconds:8.3f} {time_ratio:6.2f} {memory / 1024:8.0f} {memory_ratio:6.2f}")
        if name != "onnx.load" and (time_ratio > TIME_TARGET or memory_ratio > MEMORY_TARGET):
            ok = False
    print(f"targets: ≤ {TIME_TARGET}× the time, ≤ {MEMORY_TARGET}× the peak memory: {'met' if ok else 'MISSED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?", help="an ONNX file")
    parser.add_argument("--export", metavar="NAME", help="export torchvision's NAME first (needs torch)")
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    if args.export:
        with tempfile.TemporaryDirectory() as folder:
            return 0 if bench(export(args.export, folder), args.runs) else 1
    if not args.model:
        parser.error("give an ONNX file or --export NAME")
    return 0 if bench(args.model, args.runs) else 1


if __name__ == "__main__":
    sys.exit(main())
