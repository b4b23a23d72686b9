"""Help and tables at 80 and 120 columns, without colour and with it forced: every command's help, read the way a
user at such a terminal reads it, and network's tables on a config and on a spec with names as long as an ONNX
model's (issue 26)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
import typer
import typer.core
import typer.main
from rich.cells import cell_len

from dsc_cost.cli import _screen, command, main
from dsc_cost.cli._help import Typer
from dsc_cost.cli.network import spec_format_summary

ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(r"\x1b\[[0-9;]*m")
WIDTHS = (80, 120)
COLOURS = {"no colour": {"NO_COLOR": "1"}, "forced colour": {"FORCE_COLOR": "1"}}
SETTINGS = ("COLUMNS", "TERMINAL_WIDTH", "NO_COLOR", "FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "TERM")


def commands() -> list[str]:
    """Every registered command (not a list written here: a new command is in the matrix by registering)."""
    return list(command().commands)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``terminal(width, colour)``: the environment of a terminal that wide, without colour or forcing it."""

    def set_(width: int, colour: str) -> None:
        for name in SETTINGS:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("COLUMNS", str(width))
        for name, value in COLOURS[colour].items():
            monkeypatch.setenv(name, value)

    yield set_


def show(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[str, str]:
    """What ``dsc-cost ARGV`` writes (exit 0, nothing on stderr), as written and without its colour codes."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    return out, ANSI.sub("", out)


def too_wide(text: str, width: int) -> list[str]:
    return [line for line in text.splitlines() if cell_len(line) > width]


def panel_rows(text: str) -> list[str]:
    """The rows inside the panels of a help screen, without their borders."""
    return [line[2:-2] for line in text.splitlines() if line.startswith("│ ") and line.endswith(" │")]


def starts(row: str, names: str) -> bool:
    return re.match(rf"(?:[* ]  ?)?{re.escape(names)}(,| |$)", row) is not None  # the star, then one or two spaces


def row_of(rows: list[str], names: str, others: list[str] | None = None) -> list[str]:
    """The lines of the row whose names column starts with ``names`` (``--size``), up to the next row: a line
    that starts with a name of ``others``, or any option or argument when they are not given."""
    start = next(i for i, row in enumerate(rows) if starts(row, names))
    end = start + 1
    while end < len(rows) and not (
        any(starts(rows[end], other) for other in others)
        if others is not None
        else re.match(r"[* ]? {0,2}[-A-Z]", rows[end])
    ):
        end += 1
    return rows[start:end]


def label(param: Any) -> str:
    """What starts a parameter's row: its first long name, or the argument's name."""
    if param.param_type_name == "argument":
        return f"{param.metavar}{'...' * (param.nargs != 1)}"
    return sorted(param.opts, key=lambda opt: not opt.startswith("--"))[0]


def source_examples(cmd: Any) -> list[str]:
    """The example commands of a command's help and epilog, as written in the code."""
    text = "\n".join(part for part in (cmd.help, cmd.epilog) if part)
    return [line.strip() for line in text.splitlines() if line.strip().startswith("dsc-cost ")]


def shown_examples(text: str, width: int) -> list[str]:
    """The example commands of a help screen, each line checked: it fits, and a command that goes on ends its
    line with `` \\`` (so that a copied command runs); the commands joined again."""
    lines = text.splitlines()
    found: list[str] = []
    going_on = False
    for line in lines:
        if going_on:
            assert line.startswith("      "), f"a continuation is indented: {line!r}"
            found[-1] += " " + line.strip().removesuffix("\\").strip()
        elif line.startswith("  dsc-cost "):
            found.append(line.strip().removesuffix("\\").strip())
        else:
            continue
        assert cell_len(line) <= width
        going_on = line.endswith(" \\")
    return found


# ---------------------------------------------------------------- every command's help


@pytest.mark.parametrize("colour", list(COLOURS))
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["", *commands()])
def test_help_reads_right_at_the_width(
    terminal: Any, capsys: pytest.CaptureFixture[str], name: str, width: int, colour: str
) -> None:
    terminal(width, colour)
    argv = [name, "--help"] if name else ["--help"]
    raw, text = show(capsys, *argv)
    assert ("\x1b[" in raw) == (colour == "forced colour")
    assert too_wide(text, width) == []
    for wrong in ("<bool>", "<list[", "<str>", "<int>", "[default: (", "…"):
        assert wrong not in text
    assert re.search(r"\{[A-Z]+\}", text) is None  # usage shows FILE..., never {FILE}...
    group = command()
    cmd = group.commands[name] if name else group
    rows = panel_rows(text)
    with group.make_context("dsc-cost", [name] if name else [], resilient_parsing=True) as ctx:
        sub = cmd.make_context(name, [], parent=ctx, resilient_parsing=True) if name else ctx
        params = [p for p in cmd.get_params(sub) if not p.hidden]
        labels = [label(p) for p in params]
        for param in params:
            shown = label(param)
            if param.param_type_name == "argument":
                assert f" {_screen.usage_name(param)}" in text.splitlines()[1]  # the usage line
                block = row_of(rows, shown, labels)
            else:
                names = sorted(param.opts, key=lambda opt: not opt.startswith("--"))
                block = row_of(rows, names[0], labels)
                for opt in param.opts:  # never cut: each name whole, on the row's lines
                    assert re.search(rf"(^|[ ,]){re.escape(opt)}(,|\s|$)", " ".join(block)), opt
            flat = " ".join(" ".join(block).split())
            text_of_help, notes, required = _screen.extras(param, sub)
            # starred and said when required; a flag shows no value, an option its metavar
            assert block[0].startswith("*") == bool(required), param.name
            if required:
                assert required in flat
            words = block[0].split()  # the first line: the names there, then a metavar or the help
            words = words[words[0] == "*" :]
            while words and (words[0].rstrip(",") in (*param.opts, *param.secondary_opts, shown) or words[0] == "/"):
                words = words[1:]
            metavar = _screen.metavar(param)
            expected = metavar or (text_of_help.split() or [notes[0] if notes else required])[0]
            assert words[0].startswith(expected.split()[0]), (param.name, words[:3])
            for note in notes:  # choices whole, defaults as written on the command line
                assert note in flat, (param.name, note)
    if name:
        examples = shown_examples(text, width)
        assert examples == source_examples(cmd)  # joined again, each is the command as written: it runs as copied


def test_help_marks_what_issue_26_found(terminal: Any, capsys: pytest.CaptureFixture[str]) -> None:
    terminal(80, "no colour")
    _, text = show(capsys, "check", "--help")
    rows = panel_rows(text)
    assert " ".join(" ".join(row_of(rows, "--tolerance")).split()).endswith("[default: 0]")
    names = row_of(rows, "--min-savings-vs-standard", ["--baseline"])
    assert names[0].split()[0] == "--min-savings-vs-standard," and names[1].split()[0] == "--min-savings"
    assert "*  FILE...  " in text and "Usage: dsc-cost check [OPTIONS] FILE..." in text
    _, text = show(capsys, "compare", "--help")
    size = row_of(panel_rows(text), "--size")
    assert size[0].startswith("*  --size, -s") and "[required unless --height and --width]" in " ".join(
        " ".join(size).split()
    )
    assert row_of(panel_rows(text), "--exact")[0].split()[:3] == ["--exact,", "-e", "Full"]
    _, text = show(capsys, "sweep", "--help")
    sort = " ".join(" ".join(row_of(panel_rows(text), "--sort")).split())
    assert "[choices: params, mults, weight_bytes, peak_memory, latency]" in sort


@pytest.mark.parametrize("width", WIDTHS)
def test_network_help_lists_the_layer_types_with_a_hanging_indent(
    terminal: Any, capsys: pytest.CaptureFixture[str], width: int
) -> None:
    terminal(width, "no colour")
    _, text = show(capsys, "network", "--help")
    summary = spec_format_summary().splitlines()
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  conv:"))
    hang = 2 + summary[0].index(summary[0].split()[1])  # where the fields start
    joined: list[str] = []
    block = lines[start : lines.index("", start)]
    for line in block:
        if line.startswith(" " * hang):
            joined[-1] += " " + line.strip()  # a field list goes on under its fields, never at column 0
        else:
            assert re.match(r"  [a-z0-9_]+:", line), line
            joined.append(line[2:])
    assert [line.split() for line in joined] == [line.split() for line in summary]
    assert (len(block) > len(summary)) == (width == 80)  # at 80 columns some lists did wrap


def test_help_in_a_fresh_process_reads_the_terminal(tmp_path: Path) -> None:
    # the real command line, in a process of its own: the width and colour come from the environment then
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    for width, colour in ((80, "forced colour"), (120, "no colour")):
        done = subprocess.run(
            [sys.executable, "-m", "dsc_cost", "check", "--help"],
            env={**env, "COLUMNS": str(width), **COLOURS[colour]},
            cwd=ROOT,
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        assert (done.returncode, done.stderr) == (0, "")
        assert ("\x1b[" in done.stdout) == (colour == "forced colour")
        text = ANSI.sub("", done.stdout)
        assert too_wide(text, width) == [] and max(map(cell_len, text.splitlines())) == width
        assert "<bool>" not in text and "[default: 0]" in text


def test_command_lines_keep_options_with_their_values() -> None:
    long = "dsc-cost report configs/mobilenet_v1.yaml configs/efficientnet_b0.yaml --device a100 -o - > out.html"
    lines = _screen.command_lines(long, 40)
    assert all(len(line) <= 40 for line in lines)
    assert all(line.endswith(" \\") for line in lines[:-1]) and not lines[-1].endswith("\\")
    assert any("--device a100" in line for line in lines) and lines[-1].endswith(" -o - > out.html")
    assert _screen.command_lines(long, 200) == [long]
    assert shlex.split(" ".join(line.removesuffix("\\") for line in lines)) == shlex.split(long)


# ---------------------------------------------------------------- network's tables


def onnx_like_spec(path: Path) -> Path:
    """A spec with layer names as long as an exported ONNX model's, of every kind of conv."""
    layers = ["  - {name: /model/stem/conv/Conv, type: conv, out: 32, kernel: 3, stride: 2, padding: 1}"]
    for block in range(4):
        base = f"/model/backbone/features.{block}/block/block.{block}"
        layers += [
            f"  - {{name: {base}.0/depthwise/Conv, type: depthwise, kernel: 3, padding: 1}}",
            f"  - {{name: {base}.1/pointwise/Conv, type: pointwise, out: {32 * (block + 2)}}}",
            f"  - {{name: {base}.2/activation/Relu, type: activation, fn: relu}}",
        ]
    layers += ["  - {name: /model/classifier/pool/GlobalAveragePool, type: pool, global: true}"]
    layers += ["  - {name: /model/classifier/fc/Gemm, type: linear, out: 1000}"]
    path.write_text("name: onnx-like\ninput: [3, 224, 224]\nlayers:\n" + "\n".join(layers) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("colour", list(COLOURS))
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("spec", ["configs/mobilenet_v1.yaml", "onnx-like"])
def test_network_tables_fit_and_say_what_they_hide(
    terminal: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path, spec: str, width: int, colour: str
) -> None:
    file = str(onnx_like_spec(tmp_path / "onnx_like.yaml")) if spec == "onnx-like" else spec
    terminal(width, colour)
    _, text = show(capsys, "network", file)
    assert too_wide(text, width) == []
    _, wide = show(capsys, "network", file, "--wide")
    header = next(line for line in text.splitlines() if line.startswith("layer "))
    every = next(line for line in wide.splitlines() if line.startswith("layer "))
    titles = [title for title in re.split(r"\s{2,}", every.strip()) if title]
    flat = " ".join(text.split())
    note = re.search(rf"hidden at {width} columns: (.*?) — --wide shows every column", flat)
    # a column shown abbreviated ("input → output" as "output") is not hidden
    missing = [title for title in titles if title not in header and title.split()[-1] not in header.split()]
    if missing:
        assert note is not None, f"columns hidden without a note: {missing}"
        named = note.group(1).split(", ")
        for title in missing:  # the note names each hidden column (an abbreviated one under its short name)
            assert title in named or any(title.endswith(name.split()[-1]) for name in named), (title, named)
    else:
        assert note is None
    assert "hidden at" not in wide
    if spec == "onnx-like" and width == 80:
        assert missing  # names this long leave no room for every column at 80


def test_a_new_command_gets_the_help_with_nothing_to_add(terminal: Any) -> None:
    # a command declared as any other would be, with Typer's own class: its help is drawn the same way
    app = Typer(name="dsc-cost", rich_markup_mode="markdown")

    @app.command(cls=typer.core.TyperCommand, epilog="Examples:\n\n```\n" + "dsc-cost measure " + "x " * 50 + "\n```")
    def measure(
        files: Annotated[list[str], typer.Argument(metavar="FILE", help="Specs.")],
        quick: Annotated[bool, typer.Option("--quick", help="Quickly.")] = False,
        mode: Annotated[Literal["first", "second-best"], typer.Option("--mode", help="How.")] = "first",
        sets: Annotated[list[str] | None, typer.Option("--set", metavar="KEY=VALUE", help="Set.")] = None,
    ) -> None:
        """Measure."""

    @app.callback()
    def root() -> None:
        """Root."""

    terminal(80, "no colour")
    group = typer.main.get_command(app)
    with group.make_context("dsc-cost", ["measure"], resilient_parsing=True) as ctx:
        sub = group.commands["measure"]
        with sub.make_context("measure", [], parent=ctx, resilient_parsing=True) as inner:
            text = sub.get_help(inner)
    assert "Usage: dsc-cost measure [OPTIONS] FILE..." in text and "<bool>" not in text and "<list[" not in text
    rows = panel_rows(text)
    assert row_of(rows, "--quick")[0].split()[:2] == ["--quick", "Quickly."]
    assert " ".join(" ".join(row_of(rows, "--mode")).split()).startswith(
        "--mode MODE How. [choices: first, second-best]"
    )
    assert row_of(rows, "--set")[0].split()[:2] == ["--set", "KEY=VALUE"]
    assert too_wide(text, 80) == [] and shown_examples(text, 80) == ["dsc-cost measure " + " ".join(["x"] * 50)]
