"""Helpers for the cog blocks of README.md and docs/*.md: examples and tables made by the code itself.

Every example in the docs is a cog block that runs the real command line::

    <!-- [[[cog run("compare -c 3 -o 128 --size 7") ]]] -->
    ```console
    $ dsc-cost compare -c 3 -o 128 --size 7
    ...what the command prints...
    ```
    <!-- [[[end]]] -->

with ``from cogdocs import *`` in a block at the top of the file. Regenerate every page with

    cog -r -I scripts README.md docs/*.md

and check that none has drifted with ``cog --check -I scripts README.md docs/*.md`` (the test suite does).

Each command runs as ``python -m dsc_cost ARGS`` in a subprocess, in the repository root, with an environment
made from scratch: a 100 × 40 terminal, no colour, no CI, so that the output is the same on every machine
(Typer and rich read these variables when they are imported, hence a fresh process for each command).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

__all__ = [
    "columns_table",
    "conventions_table",
    "keras_layers_table",
    "onnx_ops_table",
    "run",
    "savings_list",
    "savings_table",
    "spec_fields_table",
    "spec_types_table",
    "transcript",
]

PINNED = {
    "COLUMNS": "100",
    "LINES": "40",
    "TERMINAL_WIDTH": "100",
    "NO_COLOR": "1",
    "TERM": "dumb",
    "PYTHONUTF8": "1",
    "PYTHONIOENCODING": "utf-8",
    "PYTHONHASHSEED": "0",
    "PYTHONUNBUFFERED": "1",  # stdout and stderr interleaved as on a terminal
}
"""What every documented command sees, besides PATH (and SYSTEMROOT on Windows). Nothing else is inherited:
not FORCE_COLOR, PY_COLORS, GITHUB_ACTIONS, CI, TTY_COMPATIBLE, JUPYTER_COLUMNS or a locale of the machine."""


def environment() -> dict[str, str]:
    """The environment of a documented command: PINNED, the checkout first on the import path."""
    env = {name: os.environ[name] for name in ("PATH", "SYSTEMROOT") if name in os.environ}
    env.update(PINNED)
    env["PYTHONPATH"] = str(ROOT)
    return env


def transcript(args: str) -> str:
    """``$ dsc-cost ARGS``, then what it prints (stdout and stderr as a terminal shows them), then ``$ echo $?``
    and the exit code when it is not 0. Trailing spaces are dropped."""
    ahead = _ahead.get(args)
    output, code = ahead.result() if ahead else _execute(args)
    lines = [line.rstrip() for line in f"$ dsc-cost {args}\n{output}".splitlines()]
    if code:
        lines += ["$ echo $?", str(code)]
    return "\n".join(lines) + "\n"


def _execute(args: str) -> tuple[str, int]:
    """What ``python -m dsc_cost ARGS`` prints, stdout and stderr in the order they were written, and its exit
    code."""
    done = subprocess.run(
        [sys.executable, "-m", "dsc_cost", *shlex.split(args)],
        cwd=ROOT,
        env=environment(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if "Traceback (most recent call last)" in done.stdout:
        raise RuntimeError(f"dsc-cost {args} crashed:\n{done.stdout}")
    return done.stdout, done.returncode


_RUN = re.compile(r"\[\[\[cog run\((?P<quote>[\"'])(?P<args>.*?)(?P=quote)\) \]\]\]")
_pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
_ahead: dict[str, Future[tuple[str, int]]] = {}
"""Examples started ahead of their block, by their arguments; an example on several pages runs once."""
_pages: set[str] = set()


def _run_ahead(page: str) -> None:
    """Start every example of ``page`` in the background, as many at a time as there are processors, so that
    cog finds them done when it reaches their blocks. (Examples must not change files.)"""
    if page in _pages:
        return
    _pages.add(page)
    try:
        text = Path(page).read_text(encoding="utf-8")
    except OSError:
        return
    for args in dict.fromkeys(m.group("args") for m in _RUN.finditer(text)):
        if args not in _ahead:
            _ahead[args] = _pool.submit(_execute, args)


def _out(text: str) -> None:
    import cog  # available inside cog blocks only

    cog.out(text)


def run(args: str) -> None:
    """Write the transcript of ``dsc-cost ARGS`` into the cog block, as a ``console`` code block."""
    import cog

    _run_ahead(str(cog.inFile))
    _out(f"```console\n{transcript(args)}```\n")


# ---------------------------------------------------------------- tables from the code


def _table(header: list[str], align: str, rows: Iterable[list[str]]) -> str:
    """A Markdown table; ``align`` has one letter per column, ``l`` or ``r``."""
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = [header, rule, *rows]
    return "".join("| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |\n" for line in lines)


def _plain(value: Any) -> str:
    """A default value as a spec would write it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        if len(set(value)) == 1:
            return _plain(value[0])
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    return str(value)


def _first_paragraph(doc: str | None) -> str:
    text = (doc or "").strip().split("\n\n")[0]
    return " ".join(text.split())


def layer_types() -> list[Any]:
    """The layer types a spec may use, from the layer registry: each with ``name``, ``doc`` and ``fields``
    (each with ``name``, ``required``, ``default`` and ``expected``)."""
    from dsc_cost.layers import REGISTRY

    return list(REGISTRY.values())


def columns_table() -> None:
    """The per-layer columns of ``network``, from its column registry."""
    from dsc_cost.report.columns import markdown_table

    _out(markdown_table())


def spec_types_table() -> None:
    """The spec format's layer types and their fields, required ones in bold."""
    rows = []
    for kind in layer_types():
        names = [f"**{f.name}**" if f.required else f.name for f in kind.fields]
        rows.append([f"`{kind.name}`", ", ".join(names) or "—", _first_paragraph(kind.doc)])
    _out(_table(["type", "fields (required in bold)", "what it is"], "lll", rows))


def onnx_ops_table() -> None:
    """The ONNX ops the reader reads, from its own registry of handlers: what each becomes, what it reads."""
    from dsc_cost.readers.onnx import HANDLERS

    rows = [[op, handler.costs, handler.reads or "—"] for op, handler in HANDLERS.items()]
    _out(_table(["ONNX op", "what it costs as", "attributes and constant inputs read"], "lll", rows))


def keras_layers_table() -> None:
    """The Keras layer classes the Keras reader reads, from its own registry of handlers: what each becomes, what
    of its config it reads."""
    from dsc_cost.readers.keras import HANDLERS

    rows = [[cls, handler.costs, handler.reads or "—"] for cls, handler in HANDLERS.items()]
    _out(_table(["Keras layer", "what it costs as", "config read"], "lll", rows))


def spec_fields_table() -> None:
    """Every layer field: what it takes, its default, and the types that have it (a row for each different
    meaning of a field, as a pool's stride, whose default is its kernel)."""
    seen: dict[tuple[str, str, str], list[str]] = {}
    reaches: set[tuple[str, str]] = set()  # (type, field): a flat default of the field reaches the type
    for kind in layer_types():
        for field in kind.fields:
            default = "required" if field.required else _plain(field.default)
            seen.setdefault((field.name, str(field.expected or ""), default), []).append(kind.name)
            if field.defaultable:
                reaches.add((kind.name, field.name))
    first = {name: index for index, (name, _, _) in reversed(list(enumerate(seen)))}
    rows = [
        [f"`{name}`", expected, default, ", ".join(kinds), ", ".join(k for k in kinds if (k, name) in reaches) or "—"]
        for (name, expected, default), kinds in sorted(seen.items(), key=lambda item: first[item[0][0]])
    ]
    _out(_table(["field", "expected", "default", "layer types", "`defaults:` reaches"], "lllll", rows))


def _per(amount: int, what: str) -> str:
    return f"+{amount} per {what}" if amount else ""


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p) or "0"


def conventions_table() -> None:
    """How each counter of ``--as`` counts, from ``dsc_cost.conventions.CONVENTIONS``."""
    from dsc_cost.conventions import CONVENTIONS

    rows = []
    for c in CONVENTIONS.values():
        if not c.counts_ops:
            ops = ["—"] * 6
        else:
            both = c.global_avg_per_input and c.global_avg_per_input == c.global_avg_per_output
            ops = [
                "MACs" if c.scale == 1 else f"FLOPs = {c.scale} × MACs",
                _per(c.bias_per_output, "output element") or "ignored",
                _join(_per(c.bn_per_element, "element"), _per(c.bn_per_channel, "channel")),
                _join(_per(c.max_pool_per_input, "input element")),
                _join(_per(c.avg_pool_per_input, "input element"), _per(c.avg_pool_per_output, "output element")),
                _per(c.global_avg_per_input, "input and output element")
                if both
                else _join(
                    _per(c.global_avg_per_input, "input element"), _per(c.global_avg_per_output, "output element")
                ),
            ]
        batch = "—" if not c.counts_ops else "one sample" if c.per_sample else "× N"
        params = "learnable + running statistics" if c.running_stats_in_params else "learnable"
        rows.append([f"`{c.tool}`", c.title, *ops, batch, params])
    header = ["`--as`", "counts as", "unit", "conv / linear bias", "batch-norm", "max pool", "average pool"]
    header += ["global average pool", "batch", "params"]
    _out(_table(header, "llllllllll", rows))


def _savings(links: str) -> list[list[str]]:
    """Per shipped config: its link, params, mults, as standard, saves vs standard, separable layers, pairs and
    lone depthwise layers, costed by the library itself."""
    from dsc_cost.savings import savings_vs_standard
    from dsc_cost.spec import cost_specs, load_files
    from dsc_cost.units import count, percent

    rows = []
    for path in sorted((ROOT / "configs").glob("*.yaml")):
        if path.name == "seeds.yaml":  # the worked examples, several networks: docs/network.md shows them
            continue
        for result in cost_specs(load_files([str(path)])):
            saved = savings_vs_standard(result.total, result.standard).mults
            pairing = result.pairing
            rows.append(
                [
                    f"[`{path.name}`]({links}configs/{path.name})",
                    count(result.total.params, False),
                    count(result.total.mults, False),
                    count(result.standard.mults, False),
                    percent(saved.numerator, saved.denominator),
                    str(sum(layer.type == "separable" for layer in result.layers)),
                    str(len(pairing.pairs)),
                    str(len(pairing.unpaired)),
                ]
            )
    return rows


def savings_table(links: str = "../") -> None:
    """Each shipped config's mults, as standard, and what it saves against its all-standard form (the
    separable pairs however written: dsc_cost.pairs), costed by the library itself; ``links``: the way from the
    page to the repository's root."""
    header = ["config", "params", "mults", "as standard", "saves vs standard", "`separable` layers", "pairs"]
    header += ["depthwise alone"]
    _out(_table(header, "lrrrrrrr", _savings(links)))


def savings_list(links: str = "../") -> None:
    """:func:`savings_table`'s saving vs standard of each config, on one line."""
    _out(" · ".join(f"{row[0]} {row[4]}" for row in _savings(links)) + "\n")
