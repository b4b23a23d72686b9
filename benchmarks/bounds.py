"""The bounds on hostile input, measured: each figure the time of one fresh ``dsc-cost`` process.

    python benchmarks/bounds.py [--quick]

* a 1,000,000-layer file (36 MB) is refused by its size: target under a second;
* a 100,001-layer spec is refused (the layer bound) in no more time than a 100,000-layer spec is costed;
* the 20-document ``repeat: 100000`` file is refused at once: target under a second;
* a 100,000-layer spec whose last layer is bad is reported in at most 1.5 × the time the valid spec is
  costed (positions are found once, with libyaml's marks);
* ``check --format github`` on 500 small networks over budget in one file: target 2 s;
* an alias sharing a 100 KB string across 2,000 names: stderr stays small (target under 1 MB);
* includes: 20 files each including the next twice (a diamond: 2^20 inclusions), and 9 files of 3 KB in all
  each including the next 10 times (10^8), with ``--max-layers`` at 10 million: each refused, target 2 s;
  ``include:`` of a named pipe no one writes: refused, not waited on, target 2 s.

Prints one line per figure with its target and exits 1 when one is missed. ``--quick`` uses 10,000 layers
instead of 100,000 (and --max-layers to match) for a fast look; its ratios are the ones to read. The files it
generates live in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(*args: str) -> tuple[float, int, int]:
    """Wall seconds, exit code and bytes of stderr of ``dsc-cost ARGS`` (stdout discarded)."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "dsc_cost", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        check=False,
    )
    seconds = time.perf_counter() - start
    if b"Traceback" in done.stderr:
        raise SystemExit(f"dsc-cost {' '.join(args)} crashed:\n{done.stderr.decode()[-2000:]}")
    return seconds, done.returncode, len(done.stderr)


def layers(count: int, last: str = "  - {type: pool, global: true}\n") -> str:
    head = "name: big\ninput: [3, 32, 32]\nlayers:\n  - {type: conv, out: 8, kernel: 3}\n"
    return head + "  - {type: pool, global: true}\n" * (count - 2) + last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 layers instead of 100,000")
    options = parser.parse_args()
    n = 10_000 if options.quick else 100_000
    bound = ["--max-layers", str(n)]
    rows: list[tuple[str, str, bool]] = []

    def row(what: str, figure: str, ok: bool) -> None:
        rows.append((what, figure, ok))
        print(f"{'ok  ' if ok else 'MISS'}  {what:<58} {figure}", flush=True)

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)

        million = tmp / "million.yaml"
        million.write_text("input: [3, 8, 8]\nlayers:\n" + "  - {type: conv, out: 8, kernel: 3}\n" * 1_000_000)
        seconds, code, _ = timed("network", str(million))
        row(
            "1,000,000-layer file (36 MB) refused by size", f"{seconds:.2f} s (target < 1 s)", code == 2 and seconds < 1
        )

        valid, over, bad = tmp / "valid.yaml", tmp / "over.yaml", tmp / "bad.yaml"
        valid.write_text(layers(n))
        over.write_text(layers(n + 1))
        bad.write_text(layers(n, last="  - {type: pool, global: true, bogus: 1}\n"))
        costed, code, _ = timed("network", str(valid), *bound)
        assert code == 0, "the valid spec failed"
        refused, code, _ = timed("network", str(over), *bound)
        row(
            f"{n + 1:,} layers refused vs {n:,} costed",
            f"{refused:.2f} s vs {costed:.2f} s = {refused / costed:.2f}× (target ≤ 1×)",
            code == 2 and refused <= costed,
        )
        located, code, _ = timed("network", str(bad), *bound)
        row(
            f"{n:,} layers, the last bad, vs valid",
            f"{located:.2f} s vs {costed:.2f} s = {located / costed:.2f}× (target ≤ 1.5×)",
            code == 2 and located <= 1.5 * costed,
        )

        repeats = tmp / "repeats.yaml"
        repeats.write_text("---\ninput: [3, 8, 8]\nlayers: [{type: pool, global: true, repeat: 100000}]\n" * 20)
        seconds, code, size = timed("network", str(repeats))
        row(
            "20 documents of repeat: 100000 refused",
            f"{seconds:.2f} s, {size:,} bytes of stderr (target < 1 s)",
            code == 2 and seconds < 1,
        )

        many = tmp / "many.yaml"
        many.write_text(
            "---\n".join(
                f"name: n{i}\ninput: [3, 8, 8]\nbudget: {{max_params: 1}}\n"
                "layers: [{type: conv, out: 8, kernel: 3}]\n"
                for i in range(500)
            )
        )
        text_seconds, code, _ = timed("check", str(many))
        github_seconds, github_code, _ = timed("check", str(many), "--format", "github")
        row(
            "check --format github, 500 networks over budget",
            f"{github_seconds:.2f} s (text: {text_seconds:.2f} s; target ≤ 2 s)",
            code == github_code == 1 and github_seconds <= 2,
        )

        alias = tmp / "alias.yaml"
        names = ["  - {type: pool, global: true, name: &n " + "x" * 100_000 + "}"]
        names += ["  - {type: pool, global: true, name: *n}"] * 1999
        alias.write_text("input: [3, 8, 8]\nlayers:\n" + "\n".join(names) + "\n")
        seconds, code, size = timed("network", str(alias))
        row(
            "a 100 KB name aliased by 2,000 layers",
            f"{size:,} bytes of stderr in {seconds:.2f} s (target < 1 MB)",
            code == 2 and size < 1_000_000,
        )

        for name, files, uses in (("diamond", 20, 2), ("fan-out", 9, 10)):
            folder = tmp / name
            folder.mkdir()
            for level in range(files):
                included = "".join(
                    f"  - {{name: u{k}, include: f{level + 1}.yaml}}\n" for k in range(uses if level < files - 1 else 0)
                )
                (folder / f"f{level}.yaml").write_text(
                    f"input: [3, 8, 8]\nlayers:\n{included}  - {{type: pointwise, out: 3}}\n"
                )
            seconds, code, _ = timed("network", str(folder / "f0.yaml"), "--max-layers", "10000000")
            row(
                f"includes: {files} files each including the next {uses}×",
                f"{seconds:.2f} s (target < 2 s)",
                code == 2 and seconds < 2,
            )

        if hasattr(os, "mkfifo"):
            os.mkfifo(tmp / "pipe")
            (tmp / "pipe.yaml").write_text("input: [3, 8, 8]\nlayers:\n  - {include: pipe}\n")
            seconds, code, _ = timed("network", str(tmp / "pipe.yaml"))
            row("include: a named pipe no one writes", f"{seconds:.2f} s (target < 2 s)", code == 2 and seconds < 2)
    return 0 if all(ok for _, _, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
