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
* ONNX graphs (built with onnx.helper), each exit 0 or 2 within 2 s of CPU time (wall time shown beside it: on
  a busy machine it is the CPU's that says what the work costs) and 500 MB: inf, negative and zero values
  (Resize scales, a Conv's group and weight dims, Concat and Flatten axes, GroupNormalization's num_groups, float
  Gather indices); 200,000 nodes (refused by the layer bound) and --max-layers 2 on tests/data/tiny.onnx; 30,000
  Relu nodes unnamed and 30,000 all named ``r``; 20,000 chained 1×1 convs; a shape constant doubled through 40
  Concats; a 30 MB graph of tiny nodes; and a model of 100 MB of weights read under the default bounds.
* the hostile inputs of the third round, each under 1 MB: a float literal beyond a float in an expression, absurd
  bounds, lone surrogates, git folders and a git file past the size bound, blocks that make no layer nested
  three deep, a parameter passed down 8,000 unused blocks, an alias bomb of a devices file, 100,000 unknown keys
  (anchored, or not) in one layer, a 1,000-character name repeated 99,999 times: each exits 2 (or 0) with located
  lines, target under 2 s and 500 MB of memory each; and SIGKILL during ``check --update-baseline``: the next
  run leaves no temporary file beside the baseline.

Prints one line per figure with its target and exits 1 when one is missed. ``--quick`` uses 10,000 layers
instead of 100,000 (and --max-layers to match) for a fast look; its ratios are the ones to read; ``--onnx`` runs
the ONNX rows alone. The files it generates live in a temporary folder.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def measured(*args: str, cwd: Path = ROOT) -> tuple[float, int, int, float]:
    """Wall seconds, exit code, lines of stderr and peak memory (MB) of ``dsc-cost ARGS`` (stdout discarded). The
    memory is the child's own peak resident size (:data:`PEAK`), not what it inherited from this process."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen(
            [sys.executable, "-c", PEAK, *args], stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=cwd
        )
        code = child.wait()
        seconds = time.perf_counter() - start
        err.seek(0)
        text = err.read()
    if b"Traceback" in text or code == 70:
        raise SystemExit(f"dsc-cost {' '.join(args)} crashed:\n{text.decode(errors='replace')[-2000:]}")
    text, _, peak = text.rstrip().rpartition(b"peak ")
    return seconds, code, len(text.splitlines()), int(peak) / 1000


PEAK = """import runpy, sys
sys.argv = ['dsc-cost', *sys.argv[1:]]
try:
    runpy.run_module('dsc_cost', run_name='__main__')
finally:
    with open('/proc/self/status') as status:  # VmHWM: this process's peak, not inherited across exec
        peak = next(line.split()[1] for line in status if line.startswith('VmHWM'))
    print(f'peak {peak}', file=sys.stderr)
"""


def timed(*args: str, memory: list[float] | None = None) -> tuple[float, int, int]:
    """Wall seconds, exit code and bytes of stderr of ``dsc-cost ARGS`` (stdout discarded); ``memory`` receives
    the peak resident size in MB and the CPU seconds of the process (Linux)."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    start = time.perf_counter()
    command = [sys.executable, "-m", "dsc_cost", *args]
    if memory is not None:
        command = [sys.executable, "-c", PEAK, *args]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        check=False,
    )
    seconds = time.perf_counter() - start
    if b"Traceback" in done.stderr or done.returncode == 70:
        raise SystemExit(f"dsc-cost {' '.join(args)} crashed:\n{done.stderr.decode()[-2000:]}")
    stderr = done.stderr
    if memory is not None:
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        stderr, _, peak = stderr.rstrip().rpartition(b"peak ")
        memory += [int(peak) / 1000, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime]
    return seconds, done.returncode, len(stderr)


def layers(count: int, last: str = "  - {type: pool, global: true}\n") -> str:
    head = "name: big\ninput: [3, 32, 32]\nlayers:\n  - {type: conv, out: 8, kernel: 3}\n"
    return head + "  - {type: pool, global: true}\n" * (count - 2) + last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 layers instead of 100,000")
    parser.add_argument("--onnx", action="store_true", help="the ONNX rows alone")
    options = parser.parse_args()
    n = 10_000 if options.quick else 100_000
    bound = ["--max-layers", str(n)]
    rows: list[tuple[str, str, bool]] = []

    def row(what: str, figure: str, ok: bool) -> None:
        rows.append((what, figure, ok))
        print(f"{'ok  ' if ok else 'MISS'}  {what:<58} {figure}", flush=True)

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if options.onnx:
            onnx_rows(tmp, row)
            return 0 if all(ok for _, _, ok in rows) else 1

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
        onnx_rows(tmp, row)
        hostile(tmp, row)
    return 0 if all(ok for _, _, ok in rows) else 1


def onnx_rows(tmp: Path, row: Callable[[str, str, bool], None]) -> None:
    """One row per class of hostile ONNX graph: exit 0 or 2 within 2 s and 500 MB (inputs under 1 MB; the 30 MB
    graph and the 100 MB model are read under the default bounds)."""
    try:
        import onnx
        from onnx import TensorProto, helper
    except ImportError:
        print("skip  ONNX rows: pip install onnx")
        return

    def save(name: str, nodes: list[Any], inits: list[Any] | None = None, channels: int = 3) -> str:
        graph = helper.make_graph(
            nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, channels, 8, 8])],
            [helper.make_tensor_value_info(nodes[-1].output[0], TensorProto.FLOAT, None)], inits or [],
        )  # fmt: skip
        path = tmp / f"{name}.onnx"
        onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)]), str(path))
        return str(path)

    def weight(name: str, dims: list[int]) -> Any:
        return helper.make_tensor(name, TensorProto.FLOAT, dims, [0.0] * math.prod(dims))

    def chain(op: str, count: int, name: Callable[[int], str], inputs: tuple[str, ...] = ()) -> list[Any]:
        return [helper.make_node(op, [f"t{i}" if i else "x", *inputs], [f"t{i + 1}"], name(i)) for i in range(count)]

    negative = TensorProto(name="w", data_type=TensorProto.FLOAT)
    negative.dims.extend([-4, 3, 3, 3])
    conv = helper.make_node
    gather = [conv("Shape", ["x"], ["s"], "shape"), conv("Gather", ["s", "i"], ["g"], "gather")]
    gather.append(conv("Reshape", ["x", "g"], ["y"], "reshape"))
    doubling = [conv("Shape", ["x"], ["s0"], "shape")]
    doubling += [conv("Concat", [f"s{i}", f"s{i}"], [f"s{i + 1}"], f"c{i}", axis=0) for i in range(40)]
    doubling.append(conv("Reshape", ["x", "s40"], ["y"], "reshape"))
    cases: list[tuple[str, str, list[str]]] = [
        ("Resize scales inf", save("inf", [conv("Resize", ["x", "", "s"], ["y"], "r")],
            [helper.make_tensor("s", TensorProto.FLOAT, [4], [1, 1, math.inf, math.inf])]), []),
        ("Resize scales -2", save("neg", [conv("Resize", ["x", "", "s"], ["y"], "r")],
            [helper.make_tensor("s", TensorProto.FLOAT, [4], [1, 1, -2, -2])]), []),
        ("Conv weight dims (-4, 3, 3, 3)", save("dims", [conv("Conv", ["x", "w"], ["y"], "c")], [negative]), []),
        ("Conv group -1", save("group", [conv("Conv", ["x", "w"], ["y"], "c", group=-1)],
            [weight("w", [4, 3, 3, 3])]), []),
        ("Concat axis 10^18", save("concat", [conv("Concat", ["x", "x"], ["y"], "c", axis=10**18)]), []),
        ("Flatten axis -10^18", save("flatten", [conv("Flatten", ["x"], ["y"], "f", axis=-(10**18))]), []),
        ("GroupNormalization num_groups 0", save("gn", [conv("GroupNormalization", ["x", "g", "b"], ["y"], "n",
            num_groups=0)], [weight("g", [3]), weight("b", [3])]), []),
        ("Gather indices inf on a shape", save("gather", gather,
            [helper.make_tensor("i", TensorProto.FLOAT, [1], [math.inf])]), []),
        ("200,000 nodes (the layer bound)", save("many", chain("Relu", 200_000, lambda i: "")), []),
        ("tiny.onnx --max-layers 2", str(ROOT / "tests" / "data" / "tiny.onnx"), ["--max-layers", "2"]),
        ("30,000 Relu nodes, unnamed", save("relus", chain("Relu", 30_000, lambda i: "")), []),
        ("30,000 Relu nodes all named r", save("named", chain("Relu", 30_000, lambda i: "r")), []),
        ("20,000 chained 1×1 convs", save("convs", chain("Conv", 20_000, lambda i: f"c{i}", ("w",)),
            [weight("w", [3, 3, 1, 1])]), []),
        ("a shape constant doubled through 40 Concats", save("doubling", doubling), []),
        ("30 MB graph of tiny nodes", save("tiny_nodes", chain("Relu", 750_000, lambda i: f"relu{i:08}")), []),
    ]  # fmt: skip
    for what, path, extra in cases:
        size = os.path.getsize(path)
        measured: list[float] = []
        seconds, code, _ = timed("network", path, "--format", "json", *extra, memory=measured)
        mb, cpu = measured
        row(
            f"ONNX: {what} ({size / 1e6:.1f} MB)",
            f"exit {code}, {cpu:.2f} s CPU ({seconds:.2f} s wall), {mb:.0f} MB (target 0 or 2, ≤ 2 s, ≤ 500 MB)",
            code in (0, 2) and cpu <= 2 and mb <= 500,
        )
    big = save("weights", [conv("Conv", ["x", "w"], ["y"], "c")], [weight("w", [131072, 3, 8, 8])])
    onnx_load = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import onnx; onnx.load({big!r})"], check=True)
    onnx_load = time.perf_counter() - onnx_load
    seconds, code, _ = timed("network", big, "--format", "json")
    row(
        f"ONNX: 100 MB of weights ({os.path.getsize(big) / 1e6:.0f} MB) read, default bounds",
        f"exit {code}, {seconds:.2f} s vs onnx.load {onnx_load:.2f} s (target exit 0, ≤ 2.5×)",
        code == 0 and seconds <= 2.5 * onnx_load,
    )


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.com", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@example.com", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo)}  # fmt: skip
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def hostile(tmp: Path, row: Callable[[str, str, bool], None]) -> None:
    """The cases of the third round: each a class of attack, its target exit code, under 2 s and 500 MB."""
    import json

    def case(what: str, codes: tuple[int, ...], *args: str, lines: int | None = 1, cwd: Path = ROOT) -> None:
        seconds, code, said, memory = measured(*args, cwd=cwd)
        ok = code in codes and seconds < 2 and memory < 500 and (lines is None or said == lines)
        shown = f"exit {code}, {said:,} line{'s' * (said != 1)}, {seconds:.2f} s, {memory:.0f} MB"
        row(what, f"{shown} (target {'/'.join(map(str, codes))}, < 2 s, < 500 MB)", ok)

    block = (
        "input: [3, 8, 8]\nblocks:\n  b:\n    params: {c: 8}\n    layers:\n      - {type: conv, out: OUT, kernel: 3}\n"
    )
    floats = tmp / "float.yaml"
    floats.write_text(block.replace("OUT", '"c * 1e309"') + "layers:\n  - {type: b}\n")
    case("a float literal 1e309 in an expression", (2,), "network", str(floats))
    case("--max-file-size 99999999999999999999G", (2,), "network", str(floats), "--max-file-size", "9" * 20 + "G",
         lines=None)  # fmt: skip
    huge = tmp / "huge.yaml"
    huge.write_text("input: [3, 8, 8]\nlayers:\n  - {type: pool, global: true, repeat: " + "1" + "0" * 29 + "}\n")
    case("--max-layers 10^30, repeat: 10^29", (2,), "network", str(huge), "--max-layers", "1" + "0" * 30, lines=None)

    lone = tmp / "lone.json"
    lone.write_text('{"name": "n\\ud800", "input": [3, 8, 8], "layers": [{"type": "conv", "out": 8, "kernel": 3}]}')
    case("a lone surrogate: report", (2,), "report", str(lone), "-o", str(tmp / "lone.html"))
    case("a lone surrogate: check --update-baseline", (2,), "check", str(lone), "--update-baseline", "--baseline",
         str(tmp / "lone-baseline.json"))  # fmt: skip
    case("a lone surrogate: network --format json", (2,), "network", str(lone), "--format", "json")

    repo = tmp / "repo"
    (repo / "configs").mkdir(parents=True)
    (repo / "configs" / "x.yaml").write_text("input: [3, 8, 8]\nlayers:\n  - {type: conv, out: 8, kernel: 3}\n")
    with open(repo / "configs" / "big.yaml", "w") as big:  # a spec past the size bound: 40 MB of comment
        big.write("input: [3, 8, 8]\nlayers:\n  - {type: conv, out: 8, kernel: 3}\n")
        for _ in range(40):
            big.write("#" + "x" * 999_999 + "\n")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    for side in ("git:HEAD:configs/", "git:HEAD:configs/.."):
        case(f"diff {side}", (2,), "diff", side, "configs/x.yaml", cwd=repo)
    case("diff of a 40 MB git file (over --max-file-size)", (2,), "diff", "git:HEAD:configs/big.yaml",
         "configs/x.yaml", cwd=repo)  # fmt: skip

    nested = tmp / "nested.yaml"
    nested.write_text(
        "input: [3, 8, 8]\nblocks:\n  a:\n    layers:\n      - {type: conv, out: 8, kernel: 3, if: false}\n"
        "  b:\n    layers:\n      - {type: a, repeat: 99999}\n  c:\n    layers:\n      - {type: b, repeat: 99999}\n"
        "layers:\n  - {type: c, repeat: 99999}\n"
    )
    case("blocks of no layer (if: false), 3 levels x 99,999", (2,), "network", str(nested))
    chain = tmp / "chain.yaml"
    text = "input: [3, 8, 8]\nblocks:\n"
    text += "".join(
        f"  b{i}:\n    params: {{c: 8}}\n    layers:\n      - {{type: b{i + 1}, c: c}}\n" for i in range(7999)
    )
    text += "  b7999:\n    params: {c: 8}\n    layers:\n      - {type: conv, out: c, kernel: 3}\n"
    chain.write_text(text + "layers:\n  - {type: conv, out: 8, kernel: 3}\n")
    case(f"8,000 unused blocks passing a parameter ({len(text) // 1000} KB)", (0,), "network", str(chain), lines=0)

    devices = tmp / "devices.yaml"
    bomb = ["a0: &a0 [" + ", ".join(["x"] * 9) + "]"]
    bomb += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    devices.write_text("\n".join(bomb) + "\n")
    case(f"an alias bomb of a devices file ({devices.stat().st_size} bytes)", (2,), "network",
         "configs/mobilenet_v1.yaml", "--devices", str(devices), lines=10)  # fmt: skip

    keys = tmp / "keys.yaml"
    keys.write_text("input: [3, 8, 8]\nlayers:\n  - {type: conv, out: 8, kernel: 3, "
                    + ", ".join(f"k{i}: 1" for i in range(90_000)) + "}\n")  # fmt: skip
    case(f"90,000 unknown keys in one layer ({keys.stat().st_size // 1000} KB)", (2,), "network", str(keys),
         lines=10_001)  # fmt: skip
    anchors = tmp / "anchors.yaml"
    anchors.write_text("input: [3, 8, 8]\nlayers:\n  - {type: conv, out: 8, kernel: 3, "
                       + ", ".join(f"k{i}: &a{i} 1" for i in range(60_000)) + "}\n")  # fmt: skip
    case(f"60,000 distinct anchors in one layer ({anchors.stat().st_size // 1000} KB)", (2,), "network",
         str(anchors), lines=10_001)  # fmt: skip
    name = tmp / "name.yaml"
    name.write_text(
        "input: [3, 8, 8]\nlayers:\n  - {type: pool, global: true, name: " + "x" * 1000 + ", repeat: 99999}\n"
    )
    case("a 1,000-character name, repeat: 99999", (2,), "network", str(name))

    baseline = tmp / "killed" / "baseline.json"
    baseline.parent.mkdir()
    many = tmp / "many.yaml"
    many.write_text(layers(20_000))
    left = 0
    for trial in range(14):
        child = subprocess.Popen(
            [sys.executable, "-m", "dsc_cost", "check", str(many), "--update-baseline", "--baseline", str(baseline)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
        )  # fmt: skip
        time.sleep(1.0 + 0.25 * trial)  # at different points of the run, the write among them
        child.kill()
        child.wait()
        left += sum(1 for p in baseline.parent.iterdir() if p.name.endswith(".tmp"))
        if baseline.exists():
            json.loads(baseline.read_text())  # whole, whatever the moment
    _, code, _, _ = measured("check", "configs/mobilenet_v1.yaml", "--update-baseline", "--baseline",
                                   str(baseline))  # fmt: skip
    after = sum(1 for p in baseline.parent.iterdir() if p.name.endswith(".tmp"))
    row(
        "SIGKILL during check --update-baseline, 14 trials",
        f"{left} temporary files seen after the kills, {after} after the next run (target 0 after)",
        after == 0 and code == 0,
    )


if __name__ == "__main__":
    sys.exit(main())
