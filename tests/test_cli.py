"""The command line, as a user types it: exit codes, exact output, every format, every error path."""

from __future__ import annotations

import csv
import io
import json
import os
import shlex
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

SEED_7x7 = ["compare", "-c", "3", "-o", "128", "-k", "3", "--size", "7"]


def run_json(run: Run, *argv: str) -> Any:
    code, out, err = run(*argv, "--format", "json")
    assert (code, err) == (0, "")
    return json.loads(out)


# ---------------------------------------------------------------- the seeds through the CLI


def test_seed_7x7x3_json(run: Run) -> None:
    doc = run_json(run, *SEED_7x7)
    assert doc["input"] == {"channels": 3, "height": 7, "width": 7}
    assert doc["output"] == {"channels": 128, "height": 5, "width": 5}
    assert doc["standard"] == {"params": 3 * 3 * 3 * 128, "mults": 86_400}
    assert doc["separable"] == {
        "params": 27 + 384,
        "mults": 10_275,  # 675 + 9,600
        "depthwise": {"params": 27, "mults": 675},
        "pointwise": {"params": 384, "mults": 9_600},
    }
    assert doc["ratio"] == {"params": 411 / 3456, "mults": 10_275 / 86_400}
    assert doc["per_position"] == {"standard": 9 * 128, "separable": 9 + 128}


def test_seed_6x6x3_json(run: Run) -> None:
    doc = run_json(run, "compare", "-c", "3", "-o", "4", "-k", "3", "--size", "6")
    assert doc["standard"]["mults"] == 1_728
    assert (doc["separable"]["depthwise"]["mults"], doc["separable"]["pointwise"]["mults"]) == (432, 192)
    assert doc["separable"]["mults"] == 624


def test_seed_16_to_32_json(run: Run) -> None:
    doc = run_json(run, "compare", "-c", "16", "-o", "32", "-k", "3", "--size", "128", "--padding", "1")
    assert doc["separable"]["params"] == 656
    assert doc["separable"]["mults"] == 10_747_904


def test_seed_factor_73_vs_576_json(run: Run) -> None:
    doc = run_json(run, "compare", "-c", "1", "-o", "64", "-k", "3", "--size", "3")
    assert doc["per_position"] == {"standard": 576, "separable": 73}
    assert (doc["standard"]["mults"], doc["separable"]["mults"]) == (576, 73)


# ---------------------------------------------------------------- formats


def test_table(run: Run) -> None:
    code, out, err = run(*SEED_7x7)
    assert (code, err) == (0, "")
    # the layout (a regression pin); every number is the seed's, as test_seed_7x7x3_json checks
    assert out == (
        "input 3×7×7 → output 128×5×5 · kernel 3, stride 1, padding 0\n"
        "\n"
        "                           params        mults\n"
        "──────────────────── ──────────── ────────────\n"
        "standard 3×3 conv          3.456K        86.4K\n"
        "  depthwise 3×3                27          675\n"
        "  pointwise 1×1               384         9.6K\n"
        "──────────────────── ──────────── ────────────\n"
        "separable total               411       10.28K\n"
        "──────────────────── ──────────── ────────────\n"
        "separable / standard       0.1189       0.1189\n"
        "                      8.41× fewer  8.41× fewer\n"
    )


def test_table_exact(run: Run) -> None:
    code, out, _ = run(*SEED_7x7, "--exact")
    assert code == 0
    assert "standard 3×3 conv           3,456       86,400\n" in out
    assert "separable total               411       10,275\n" in out


def test_markdown(run: Run) -> None:
    code, out, _ = run(*SEED_7x7, "--format", "markdown", "--exact")
    assert code == 0
    assert out.startswith("**input 3×7×7 → output 128×5×5 · kernel 3, stride 1, padding 0**\n\n")
    assert "|  | params | mults |\n|:---|---:|---:|\n" in out
    assert "| standard 3×3 conv | 3,456 | 86,400 |\n" in out
    assert "| separable total | 411 | 10,275 |\n" in out


def test_csv(run: Run) -> None:
    code, out, _ = run(*SEED_7x7, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["part"], r["input"], r["output"], int(r["params"]), int(r["mults"])) for r in rows] == [
        ("standard", "3x7x7", "128x5x5", 3_456, 86_400),
        ("depthwise", "3x7x7", "3x5x5", 27, 675),
        ("pointwise", "3x5x5", "128x5x5", 384, 9_600),
        ("separable", "3x7x7", "128x5x5", 411, 10_275),
    ]


def test_flops_in_every_format(run: Run) -> None:
    doc = run_json(run, *SEED_7x7, "--flops")
    assert doc["standard"]["flops"] == 2 * 86_400
    assert doc["separable"]["flops"] == 2 * 10_275
    assert doc["separable"]["depthwise"]["flops"] == 2 * 675
    _, out, _ = run(*SEED_7x7, "--flops", "--exact")
    assert "FLOPs" in out.splitlines()[2] and "172,800" in out
    _, out, _ = run(*SEED_7x7, "--flops", "--format", "csv")
    assert out.splitlines()[1] == "standard,3x7x7,128x5x5,3456,86400,172800"


def test_batch(run: Run) -> None:
    doc = run_json(run, *SEED_7x7, "--batch", "8")
    assert doc["batch"] == 8
    assert doc["standard"] == {"params": 3_456, "mults": 8 * 86_400}


def test_geometry_options(run: Run) -> None:
    # 16 → 32, kernel 3×5, input 128×64, stride 2, padding same → 64×32 (2,048 positions)
    doc = run_json(
        run,
        "compare",
        "-c",
        "16",
        "-o",
        "32",
        "-k",
        "3x5",
        "--height",
        "128",
        "--width",
        "64",
        "--stride",
        "2",
        "--padding",
        "same",
        "--dilation",
        "1",
        "--groups",
        "4",
        "--multiplier",
        "2",
    )
    assert doc["output"] == {"channels": 32, "height": 64, "width": 32}
    assert doc["standard"]["params"] == 32 * 4 * 3 * 5  # O · C/g · Kh · Kw
    assert doc["separable"]["depthwise"] == {"params": 16 * 2 * 15, "mults": 16 * 2 * 15 * 2_048}
    assert doc["separable"]["pointwise"] == {"params": 32 * 32, "mults": 32 * 32 * 2_048}
    assert doc["conv"]["padding"] == "same" and doc["conv"]["kernel"] == [3, 5]


def test_size_hxw_and_height_override(run: Run) -> None:
    doc = run_json(run, "compare", "-c", "3", "-o", "4", "--size", "6x8", "--height", "10")
    assert doc["input"] == {"channels": 3, "height": 10, "width": 8}


def test_bias(run: Run) -> None:
    base = ["compare", "-c", "16", "-o", "32", "-k", "3", "--size", "128", "--padding", "1"]
    doc = run_json(run, *base, "--bias")
    assert doc["separable"]["params"] == 656 + 32  # one bias per output channel, on the pointwise
    assert doc["standard"]["params"] == 4_608 + 32
    doc = run_json(run, *base, "--bias", "both")
    assert doc["separable"]["params"] == 656 + 32 + 16  # 704: two PyTorch convs with bias
    assert doc["separable"]["mults"] == 10_747_904  # bias adds no mults


def test_explain(run: Run) -> None:
    code, out, _ = run(*SEED_7x7, "--explain")
    assert code == 0
    assert "  standard  = O × C × Kh × Kw × Ho × Wo = 128 × 3 × 3 × 3 × 5 × 5 = 86,400\n" in out
    assert "  depthwise = C × Kh × Kw × Ho × Wo = 3 × 3 × 3 × 5 × 5 = 675\n" in out
    assert "  pointwise = C × O × Ho × Wo = 3 × 128 × 5 × 5 = 9,600\n" in out
    assert "  separable = depthwise + pointwise = 675 + 9,600 = 10,275\n" in out
    assert "reduction factor = (1/O + 1/(Kh × Kw)) = (1/128 + 1/9) = 137/1152 ≈ 0.1189 (8.41× fewer)\n" in out
    assert "  Ho = Wo = floor((in + 2p − d(K − 1) − 1) / s) + 1 = floor((7 + 2×0 − 1×(3 − 1) − 1) / 1) + 1 = 5\n" in out


def test_explain_json_and_markdown(run: Run) -> None:
    doc = run_json(run, "compare", "-c", "1", "-o", "64", "--size", "3", "--explain")
    assert (
        "per output position and input channel: standard Kh × Kw × O = 576, separable (Kh × Kw + O) = 73"
        in (doc["explain"])
    )
    _, out, _ = run(*SEED_7x7, "--explain", "--format", "markdown")
    assert "\n```text\noutput size:\n" in out and out.endswith("```\n")


def test_module_entry_point() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "dsc_cost", *SEED_7x7, "--format", "json"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["standard"]["mults"] == 86_400


def test_version(run: Run) -> None:
    from dsc_cost import __version__

    assert run("--version") == (0, f"dsc-cost {__version__}\n", "")


IMPORTS = (
    "import sys; from dsc_cost.cli import main; main(%r); "
    "sys.stderr.write(repr(sorted(m for m in sys.modules if m in %r or m.startswith('yaml.'))))"
)
WATCHED = (
    "typer", "rich.table", "yaml", "dsc_cost.conventions", "dsc_cost.check", "dsc_cost.spec", "dsc_cost.readers.spec.load",
)  # fmt: skip


def _table_is_rich() -> bool:
    from dsc_cost import report
    from dsc_cost.comparison import Conv, compare

    result = compare(Conv(3, 8, (3, 3)), 8, 8)
    return not isinstance(
        report.compare_output(result, "table", exact=False, flops=False, convention=None, explain=False), str
    )


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_compare_imports_typer_and_only_what_its_format_needs(fmt: str) -> None:
    # the JSON path pays for Typer, not for rich tables, YAML or the conventions; a rich table needs rich.table
    code = IMPORTS % ([*SEED_7x7, "--format", fmt], WATCHED)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0
    expected = ["rich.table", "typer"] if fmt == "table" and _table_is_rich() else ["typer"]
    assert done.stderr == repr(expected)


def test_importtime_of_compare_json_shows_typer_and_no_rich_table() -> None:
    argv = [sys.executable, "-X", "importtime", "-m", "dsc_cost", "compare", "-c", "3", "-o", "8", "-k", "3"]
    done = subprocess.run([*argv, "--size", "8", "--format", "json"], capture_output=True, text=True)
    assert done.returncode == 0
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "typer" in imported
    assert not imported & {"rich.table", "yaml", "dsc_cost.conventions", "dsc_cost.spec", "dsc_cost.readers.spec.load"}


# ---------------------------------------------------------------- usage errors: exit 2, click's message, no traceback


def usage(command: str, message: str) -> str:
    """What click prints for a usage error of ``command``."""
    return f"Usage: dsc-cost {command} [OPTIONS]\nTry 'dsc-cost {command} --help' for help.\n\nError: {message}\n"


BAD_SIZE = "expected N or HxW of whole numbers ≥ 1, such as 224 or 224x160"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compare", "-c", "3"], "Missing option '--out-channels' / '-o'."),
        (
            ["compare", "-c", "0", "-o", "4", "--size", "6"],
            "Invalid value for '--in-channels' / '-c': expected a whole number ≥ 1, found 0",
        ),
        (
            ["compare", "-c", "x", "-o", "4", "--size", "6"],
            "Invalid value for '--in-channels' / '-c': expected a whole number ≥ 1, found 'x'",
        ),
        (
            ["compare", "-c", "3", "-o", "4", "-k", "3x", "--size", "6"],
            "Invalid value for '--kernel' / '-k': expected N or HxW, such as 3 or 3x5, found '3x'",
        ),
        # each HxW option shows its own examples
        (
            ["compare", "-c", "3", "-o", "4", "--size", "0x5"],
            f"Invalid value for '--size' / '-s': {BAD_SIZE}, found '0x5'",
        ),
        (
            ["compare", "-c", "3", "-o", "4", "--size", "6x"],
            "Invalid value for '--size' / '-s': expected N or HxW, such as 224 or 224x160, found '6x'",
        ),
        (
            ["compare", "-c", "3", "-o", "4", "--size", "6", "--stride", "0"],
            "Invalid value for '--stride': expected N or HxW of whole numbers ≥ 1, such as 2 or 2x1, found '0'",
        ),
        (
            ["compare", "-c", "3", "-o", "4", "--size", "6", "--padding", "full"],
            "Invalid value for '--padding': expected N or HxW of whole numbers ≥ 0 (such as 1 or 1x2), 'same' or 'valid', found 'full'",
        ),
        (
            ["compare", "-c", "3", "-o", "4", "--size", "6", "--format", "xml"],
            "Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', 'csv', 'markdown'.",
        ),
        (
            ["compare", "-c", "3", "-o", "4", "--size", "6", "--as", "keras3"],
            "Invalid value for '--as': 'keras3' is not one of 'torchinfo', 'ptflops', 'fvcore', 'thop', 'keras', 'flops'.",
        ),
        (
            ["compare", "-c", "3", "-o", "4", "--size", "6", "--bias", "depthwise"],
            "Got unexpected extra argument(s) (depthwise)",
        ),
        (["compare", "-c", "3", "-o", "4"], "the input size is missing: give --size, or both --height and --width"),
        (
            ["compare", "-c", "3", "-o", "4", "--height", "6"],
            "the input size is missing: give --size, or both --height and --width",
        ),
        (
            ["compare", "-c", "3", "-o", "4", "--size", "2"],
            "Invalid value for '--kernel': kernel 3 (dilation 1) does not fit the input height 2 with padding 0: output height would be 0",
        ),
        (
            ["compare", "-c", "3", "-o", "4", "--size", "6", "-g", "2"],
            "Invalid value for '--groups': groups 2 must divide both in_channels 3 and out_channels 4",
        ),
        (
            ["compare", "-c", "3", "-o", "4", "--size", "6", "--explain", "--format", "csv"],
            "--explain: not available with --format csv (use table, markdown or json)",
        ),
        # a mistyped option: did you mean, and the help of the command it was given to
        (
            ["compare", "-c", "3", "-o", "4", "--size", "6", "--strid", "2"],
            "No such option: --strid. Did you mean --stride?",
        ),
        (
            ["compare", "-c", "3", "-o", "4", "--size", "6", "--explian"],
            "No such option: --explian. Did you mean --explain?",
        ),
    ],
)
def test_error_usage(run: Run, argv: list[str], message: str) -> None:
    assert run(*argv) == (2, "", usage(argv[0], message))


def test_mistyped_option_names_the_help_of_its_command(run: Run) -> None:
    code, out, err = run("sweep", "configs/mobilenet_v1.yaml", "--sortt", "mults")
    assert (code, out) == (2, "")
    assert err == (
        "Usage: dsc-cost sweep [OPTIONS] FILE...\nTry 'dsc-cost sweep --help' for help.\n\n"
        "Error: No such option: --sortt. Did you mean --sort?\n"
    )
    code, out, err = run("check", "configs/mobilenet_v1.yaml", "--max-mult", "1M")
    assert err.endswith("Error: No such option: --max-mult. Did you mean --max-mults?\n")
    assert "Try 'dsc-cost check --help' for help." in err


def test_unknown_command_and_no_command(run: Run) -> None:
    code, out, err = run("frobnicate")
    assert (code, out) == (2, "")
    assert (
        err
        == "Usage: dsc-cost [OPTIONS] COMMAND [ARGS]...\nTry 'dsc-cost --help' for help.\n\nError: No such command 'frobnicate'.\n"
    )
    assert run("comprae", "-c", "3")[2].endswith("Error: No such command 'comprae'. Did you mean 'compare'?\n")
    code, out, err = run()
    assert code in (0, 2) and "compare" in out + err and "Traceback" not in err


def test_error_usage_from_console_script() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dsc_cost", "compare", "-c", "3", "-o", "4", "--size", "2"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == usage(
        "compare",
        "Invalid value for '--kernel': kernel 3 (dilation 1) does not fit the input height 2 "
        "with padding 0: output height would be 0",
    )


def test_bias_both_old_spelling_and_new_flag_agree(run: Run) -> None:
    base = ["compare", "-c", "16", "-o", "32", "-k", "3", "--size", "128", "--padding", "1", "-f", "json"]
    new = run(*base, "--bias-both")
    assert new == run(*base, "--bias", "both") == run(*base, "--bias=both")
    assert json.loads(new[1])["separable"]["params"] == 656 + 32 + 16


def test_legacy_spellings_stop_at_double_dash() -> None:
    from dsc_cost.cli import _legacy

    assert _legacy(["compare", "--bias", "both", "-c", "3"]) == ["compare", "--bias-both", "-c", "3"]
    assert _legacy(["conventions", "--", "--bias", "both"]) == ["conventions", "--", "--bias", "both"]
    assert _legacy(["compare", "--bias", "-c", "3"]) == ["compare", "--bias", "-c", "3"]


def test_min_savings_is_an_alias_of_min_savings_vs_standard() -> None:
    from dsc_cost.cli import parse

    for flag in ("--min-savings", "--min-savings-vs-standard"):
        name, values = parse(["check", "configs/mobilenet_v1.yaml", flag, "85%"])
        assert name == "check" and values["min_savings"] == Fraction(85, 100)


# ---------------------------------------------------------------- unexpected errors and interrupts


def _broken(*args: object, **kwargs: object) -> None:
    raise RuntimeError("a bug")


def test_internal_error_is_one_line_and_exit_70(monkeypatch: pytest.MonkeyPatch, run: Run) -> None:
    import dsc_cost.report

    monkeypatch.setattr(dsc_cost.report, "compare_output", _broken)
    code, out, err = run(*SEED_7x7)
    assert (code, out) == (70, "")
    assert err == (
        "dsc-cost: internal error: RuntimeError: a bug. This is a bug in dsc-cost: please report it with the "
        "command that caused it (--debug shows the traceback).\n"
    )


@pytest.mark.parametrize("how", ["flag", "flag after the command", "environment"])
def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch, run: Run, how: str) -> None:
    import dsc_cost.report

    monkeypatch.setattr(dsc_cost.report, "compare_output", _broken)
    if how == "flag":
        code, _, err = run("--debug", *SEED_7x7)
    elif how == "flag after the command":
        code, _, err = run(*SEED_7x7, "--debug")
    else:
        monkeypatch.setenv("DSC_COST_DEBUG", "1")
        code, _, err = run(*SEED_7x7)
    assert code == 70
    assert err.startswith("Traceback (most recent call last):") and "RuntimeError: a bug" in err
    assert err.endswith("please report it with the command that caused it.\n")


def test_interrupt_inside_a_command_exits_130(monkeypatch: pytest.MonkeyPatch, run: Run) -> None:
    import dsc_cost.report

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(dsc_cost.report, "compare_output", interrupted)
    assert run(*SEED_7x7) == (130, "", "dsc-cost: interrupted\n")


def test_broken_pipe_exits_quietly() -> None:
    # `dsc-cost network … | head -1`: the reader goes away; no traceback, no error
    done = subprocess.run(
        f"{shlex.quote(sys.executable)} -m dsc_cost network configs/mobilenet_v1.yaml configs/vgg16.yaml "
        "configs/xception.yaml --format csv | head -1",
        shell=True, capture_output=True, text=True,
    )  # fmt: skip
    assert done.stdout.startswith("network,layer,")
    assert done.stderr == ""


# ---------------------------------------------------------------- help and completion

HELP_ENV = {"TERMINAL_WIDTH": "100", "COLUMNS": "100", "NO_COLOR": "1"}


@pytest.mark.parametrize("command", ["compare", "network", "sweep", "check", "conventions"])
def test_every_command_has_help_with_panels_and_examples(
    monkeypatch: pytest.MonkeyPatch, run: Run, command: str
) -> None:
    for name, value in HELP_ENV.items():
        monkeypatch.setenv(name, value)
    code, out, err = run(command, "--help")
    assert (code, err) == (0, "")
    assert f"Usage: dsc-cost {command} [OPTIONS]" in out
    assert "─ Output ─" in out
    examples = out[out.index("Examples:") :]
    assert examples.count(f"dsc-cost {command} ") >= 3
    assert "\x1b[" not in out  # no colour when not a terminal


def test_help_panels_of_compare_and_check(monkeypatch: pytest.MonkeyPatch, run: Run) -> None:
    for name, value in HELP_ENV.items():
        monkeypatch.setenv(name, value)
    _, out, _ = run("compare", "--help")
    assert [panel in out for panel in ("─ Shape ─", "─ Conventions ─", "─ Output ─")] == [True] * 3
    assert out.index("--stride") < out.index("─ Conventions ─") < out.index("--as ") < out.index("─ Output ─")
    _, out, _ = run("check", "--help")
    assert "─ Budgets ─" in out and "─ Baseline ─" in out
    assert "--min-savings-vs-standard" in out


def test_network_help_summarises_the_spec_format(monkeypatch: pytest.MonkeyPatch, run: Run) -> None:
    from dsc_cost.cli.network import spec_format_summary

    summary = spec_format_summary().splitlines()
    from dsc_cost.layers import REGISTRY

    eight = ["conv", "separable", "depthwise", "pointwise", "linear", "pool", "add", "concat"]
    assert [line.split(":")[0] for line in summary if line.split(":")[0] in eight] == eight
    assert [line.split(":")[0] for line in summary] == list(REGISTRY)  # every type, in the registry's order
    assert summary[0].split()[:3] == ["conv:", "out*,", "kernel*,"]  # required fields first, starred
    assert [line.split() for line in summary if line.startswith("concat:")] == [["concat:", "inputs*"]]
    for name, value in HELP_ENV.items():
        monkeypatch.setenv(name, value)
    _, out, _ = run("network", "--help")
    assert "docs/spec-format.md" in out
    for line in summary:
        assert line.split(",")[0] in out


def test_top_level_help_lists_the_commands(monkeypatch: pytest.MonkeyPatch, run: Run) -> None:
    for name, value in HELP_ENV.items():
        monkeypatch.setenv(name, value)
    code, out, _ = run("--help")
    assert code == 0
    for command in ("compare", "network", "sweep", "check", "conventions"):
        assert f"│ {command} " in out
    assert "--version" in out and "--install-completion" in out and "--debug" in out


def complete(words: str) -> list[str]:
    """What bash completion offers after ``dsc-cost WORDS`` (the last word being completed)."""
    line = f"dsc-cost {words}"
    env = {
        **os.environ, "_DSC_COST_COMPLETE": "complete_bash", "COMP_WORDS": line,
        "COMP_CWORD": str(len(line.split()) - (0 if line.endswith(" ") else 1)),
    }  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "dsc_cost"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_completion_lists_commands_and_choices() -> None:
    assert complete("") == [
        "calibrate",
        "check",
        "compare",
        "conventions",
        "devices",
        "diff",
        "export",
        "import",
        "measure",
        "network",
        "report",
        "sweep",
    ]
    assert complete("compare --format ") == ["table", "json", "csv", "markdown"]
    assert complete("network x.yaml --as ") == ["torchinfo", "ptflops", "fvcore", "thop", "keras", "flops"]
    assert complete("network x.yaml --as t") == ["torchinfo", "thop"]
    assert complete("sweep x.yaml --sort ") == ["params", "mults", "weight_bytes", "peak_memory", "latency"]
    assert complete("check x.yaml -f ") == ["text", "json", "github"]
    assert "--stride" in complete("compare --str")


def test_show_completion_prints_a_script() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dsc_cost", "--show-completion", "bash"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "_DSC_COST_COMPLETE=complete_bash" in done.stdout


# ---------------------------------------------------------------- network

MOBILENET = "configs/mobilenet_v1.yaml"


def test_network_json_shape(run: Run) -> None:
    doc = run_json(run, "network", "configs/seeds.yaml")
    first = doc["networks"][0]
    assert set(first) >= {
        "name",
        "input",
        "output",
        "layers",
        "totals",
        "by_kind",
        "savings_vs_standard",
        "separable_potential",
    }
    assert first["name"] == "seed 7x7x3 to 128"
    assert first["input"] == {"channels": 3, "height": 7, "width": 7}
    assert first["output"] == {"channels": 128, "height": 5, "width": 5}
    [layer] = first["layers"]
    assert layer == {
        "name": "conv",
        "type": "conv",
        "input": {"channels": 3, "height": 7, "width": 7},
        "output": {"channels": 128, "height": 5, "width": 5},
        "params": 3_456,
        "mults": 86_400,
        "other_ops": 0,  # a conv without batch-norm: none
        "trainable_params": 3_456,
        "non_trainable_params": 0,
        "standard": {"params": 3_456, "mults": 86_400},
        "separable": {"params": 411, "mults": 10_275},  # 27 + 384, 675 + 9,600
        # fp32: 3,456 weights × 4; 3·7·7 = 147 input values × 4; 128·5·5 = 3,200 output values × 4
        "memory": {
            "weight_bytes": 13_824,
            "input_bytes": 588,
            "output_bytes": 12_800,
            "intermediate_bytes": 0,
            "live_bytes": 588 + 12_800,
        },
    }
    assert first["totals"] == {
        "params": 3_456,
        "mults": 86_400,
        "other_ops": 0,
        "trainable_params": 3_456,
        "non_trainable_params": 0,
        "batchnorm_params": 0,
        "standard": {"params": 3_456, "mults": 86_400},
        "separable": {"params": 411, "mults": 10_275},
        "memory": {
            "weight_bytes": 13_824,
            "activation_bytes": 12_800,
            "peak_bytes": 13_388,
            "peak_layer": "conv",
            "weight_dtype": "fp32",
            "activation_dtype": "fp32",
        },
    }
    assert set(first["by_kind"]) == {"conv", "depthwise", "pointwise", "linear", "other"}
    # the 6×6×3 seed as depthwise + pointwise layers: 432 + 192 = 624
    last = doc["networks"][3]
    assert [layer["mults"] for layer in last["layers"]] == [432, 192]
    assert last["totals"]["mults"] == 624
    assert last["by_kind"]["depthwise"] == {"params": 27, "mults": 432}


def test_network_linear_output_is_out_by_1_by_1(run: Run) -> None:
    doc = run_json(run, "network", MOBILENET)
    fc = doc["networks"][0]["layers"][-1]
    assert fc["input"] == {"channels": 1024, "height": 1, "width": 1}
    assert fc["output"] == {"channels": 1000, "height": 1, "width": 1}
    assert (fc["params"], fc["mults"]) == (1024 * 1000 + 1000, 1024 * 1000)
    assert len(doc["networks"][0]["layers"]) == 16  # block7's repeat: 5 lists 5 layers


def test_network_batch_and_flops(run: Run) -> None:
    doc = run_json(run, "network", "configs/seed_16_to_32.json", "--batch", "4", "--flops")
    totals = doc["networks"][0]["totals"]
    assert totals["params"] == 656
    assert totals["mults"] == 4 * 10_747_904
    assert totals["flops"] == 8 * 10_747_904
    assert doc["networks"][0]["batch"] == 4


def test_network_table(run: Run) -> None:
    code, out, err = run("network", "configs/seed_16_to_32.json", "--exact")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "seed 16 to 32 channels, 128x128 · input 16×128×128 → output 32×128×128 · 2 layers"
    assert lines[5].split() == [
        "pointwise",
        "pointwise",
        "16×128×128",
        "→",
        "32×128×128",
        "512",
        "8,388,608",
        "78.05%",
        "████████",
        "in",  # the depthwise layer before it and this pointwise partner are one separable pair: as standard,
        "depthwise",  # one 3×3 conv 16 → 32 on the depthwise row (4,608 weights × 128·128 = 75,497,472 mults)
        "8,388,608",
        "0",  # other ops: none (no batch-norm, no activation)
    ]
    assert lines[4].split()[-3:-1] == ["75,497,472", "2,359,296"]
    assert lines[7].split()[:1] == ["total"] and lines[7].split()[-6:-4] == ["656", "10,747,904"]


def test_network_several_networks_end_with_a_summary(run: Run) -> None:
    code, out, _ = run("network", "configs/seeds.yaml", "configs/seed_16_to_32.json")
    assert code == 0
    tail = out[out.index("All networks") :].splitlines()
    assert tail[2].split()[:1] == ["network"]
    assert len(tail) == 4 + 5  # title, blank, header, rule, five networks


def test_network_markdown_and_csv(run: Run) -> None:
    code, out, _ = run("network", MOBILENET, "--format", "markdown")
    assert code == 0
    assert out.startswith("### MobileNet V1 1.0-224\n")
    assert "| block1 | separable | 32×112×112 → 64×112×112 | 2.336K | 29.3M | 5.15% | 231.2M | 29.3M | 0 |" in out
    code, out, _ = run("network", MOBILENET, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 16
    assert rows[0] == {
        "network": "MobileNet V1 1.0-224", "layer": "conv1", "type": "conv", "input": "3x224x224",
        "output": "32x112x112", "params": "864", "mults": "10838016",  # 32·3·9 = 864; 864 · 112·112
        "other_ops": "0",  # a conv without batch-norm or activation: none
        "standard_params": "864", "standard_mults": "10838016",
        "separable_params": str(3 * 9 + 3 * 32), "separable_mults": str((3 * 9 + 3 * 32) * 112 * 112),
        "non_trainable_params": "0",
    }  # fmt: skip


def test_network_stdin() -> None:
    text = Path("configs/seed_16_to_32.json").read_text()
    done = subprocess.run(
        [sys.executable, "-m", "dsc_cost", "network", "-", "--format", "json"],
        input=text.replace('"name": "seed 16 to 32 channels, 128x128",', ""),
        capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    network = json.loads(done.stdout)["networks"][0]
    assert (network["name"], network["totals"]["mults"]) == ("stdin", 10_747_904)


def test_network_error_prints_every_problem_and_no_table(run: Run) -> None:
    code, out, err = run("network", MOBILENET, "tests/data/bad.yaml")
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 5
    assert all(line.startswith("tests/data/bad.yaml:") for line in lines)
    assert lines[0] == (
        "tests/data/bad.yaml:4:50: layers[0] (stem): strid: unknown field: conv layers take batchnorm, bias, dilation, "
        "from, groups, kernel, name, out, padding, repeat, stride; did you mean 'stride'?"
    )
    assert "Traceback" not in err


def test_network_usage_errors(run: Run) -> None:
    code, out, err = run("network")
    assert (code, out) == (2, "")
    assert err == (
        "Usage: dsc-cost network [OPTIONS] FILE...\nTry 'dsc-cost network --help' for help.\n\n"
        "Error: Missing argument 'FILE'.\n"
    )
    code, _, err = run("network", MOBILENET, "--batch", "0")
    assert code == 2 and "Error: Invalid value for '--batch' / '-b': expected a whole number ≥ 1, found 0\n" in err


def test_network_json_does_not_import_rich_tables() -> None:
    code = "import sys; from dsc_cost.cli import main; main(['network', %r, '-f', 'json']); sys.stderr.write(repr(sorted(m for m in sys.modules if m.startswith('rich.table'))))"
    done = subprocess.run([sys.executable, "-c", code % MOBILENET], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "[]")


def test_network_json_lines_are_the_document() -> None:
    # the fast one-line-per-layer JSON encodes exactly network_document's values
    from dsc_cost.report.documents import network_document, network_json
    from dsc_cost.spec import cost_specs, load_files

    specs = load_files(["configs/xception.yaml", "configs/seeds.yaml"])
    results = cost_specs(specs, batch=3)
    for flops in (False, True):
        expected = {"networks": [network_document(r, flops, s.file) for r, s in zip(results, specs, strict=True)]}
        assert json.loads(network_json(results, flops, [s.file for s in specs])) == expected


# ---------------------------------------------------------------- sweep


def test_sweep_json_reproduces_table_6(run: Run) -> None:
    # MobileNet paper Table 6; exact mults as Keras' MobileNet(alpha=…) counts them without batch-norm
    doc = run_json(run, "sweep", MOBILENET, "--resolution", "224")
    rows = doc["variants"]
    assert [(r["width"], r["resolution"], r["mults"]) for r in rows] == [
        (1.0, 224, 568_740_352), (0.75, 224, 325_400_448), (0.5, 224, 149_497_088), (0.25, 224, 41_030_272),
    ]  # fmt: skip
    assert set(rows[0]) == {"network", "width", "resolution", "params", "mults", "standard", "savings_vs_standard"}
    assert rows[0]["standard"] == {"params": 29_282_120, "mults": 4_867_293_184}
    assert rows[0]["savings_vs_standard"] == 1 - 568_740_352 / 4_867_293_184


def test_sweep_limits_and_sort(run: Run) -> None:
    doc = run_json(run, "sweep", MOBILENET, "--max-mults", "300M", "--max-params", "2M", "--sort", "mults")
    mults = [r["mults"] for r in doc["variants"]]
    assert mults == sorted(mults) and max(mults) <= 300_000_000
    assert all(r["params"] <= 2_000_000 for r in doc["variants"])
    # widths 0.5 and 0.25 at four resolutions fit 2M params; all eight fit 300M mults
    assert len(mults) == 8


def test_sweep_divisor(run: Run) -> None:
    doc = run_json(run, "sweep", "configs/mobilenet_v2.yaml", "--width", "1", "--resolution", "224", "--divisor", "8")
    assert doc["variants"][0]["mults"] == 300_774_272  # width 1 changes nothing


def test_sweep_formats(run: Run) -> None:
    code, out, _ = run("sweep", MOBILENET, "-w", "0.5", "-r", "160", "--exact")
    assert code == 0
    assert out.splitlines()[2].split()[-6:] == ["0.5", "160", "1,320,648", "76,524,800", "622,592,000", "87.71%"]
    _, out, _ = run("sweep", MOBILENET, "-w", "0.5", "-r", "160", "--format", "csv")
    assert out.splitlines()[1] == "MobileNet V1 1.0-224,0.5,160,1320648,76524800,7577496,622592000,0.877087"
    _, out, _ = run("sweep", MOBILENET, "-w", "0.5", "-r", "160", "--format", "markdown")
    assert out.splitlines()[2] == "| MobileNet V1 1.0-224 | 0.5 | 160 | 1.321M | 76.52M | 622.6M | 87.71% |"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--width", "1,0"],
            "Invalid value for '--width' / '-w': expected positive decimals such as 1,0.75,0.5, found '0'",
        ),
        (
            ["--width", "1/2"],
            "Invalid value for '--width' / '-w': expected positive decimals such as 1,0.75,0.5, found '1/2'",
        ),
        (
            ["--resolution", "224,x"],
            "Invalid value for '--resolution' / '-r': expected a whole number ≥ 1, found 'x' (a comma-separated list such as 224,192,160)",
        ),
        (["--max-mults", "6OOM"], "Invalid value for '--max-mults': expected a count such as 600M"),
        (
            ["--sort", "speed"],
            "Invalid value for '--sort': 'speed' is not one of 'params', 'mults', 'weight_bytes', 'peak_memory', 'latency'.",
        ),
    ],
)
def test_sweep_usage_errors(run: Run, argv: list[str], message: str) -> None:
    code, out, err = run("sweep", MOBILENET, *argv)
    assert (code, out) == (2, "")
    assert err.startswith("Usage: dsc-cost sweep [OPTIONS] FILE...\nTry 'dsc-cost sweep --help' for help.\n\nError: ")
    assert message in err and "Traceback" not in err


def test_sweep_resolution_that_does_not_fit(run: Run) -> None:
    code, out, err = run("sweep", "configs/vgg16.yaml", "--resolution", "8", "--width", "1")
    assert (code, out) == (2, "")
    assert "\nError: --width/--resolution: VGG-16" in err
    assert "width 1, resolution 8: layers[" in err


# ---------------------------------------------------------------- progress and warnings


def test_no_progress_bar_when_stderr_is_not_a_terminal() -> None:
    from dsc_cost.cli._shared import progress

    with progress(["configs/mobilenet_v1.yaml"] * 5000) as advance:
        assert advance is None  # pytest's stderr is no terminal


def test_progress_bar_on_a_terminal_for_slow_work(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from dsc_cost.cli import _shared

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with _shared.progress(["configs/mobilenet_v1.yaml"]) as advance:
        assert advance is None  # one small file: well under a second
    seen: list[str] = []
    monkeypatch.setattr(_shared, "expected_seconds", lambda paths: 2.0)
    with _shared.progress(["configs/mobilenet_v1.yaml", "configs/vgg16.yaml"]) as advance:
        assert advance is not None
        from dsc_cost.spec import load_files

        specs = load_files(
            ["configs/mobilenet_v1.yaml", "configs/vgg16.yaml"], progress=lambda p: (seen.append(p), advance(p))
        )
    assert seen == ["configs/mobilenet_v1.yaml", "configs/vgg16.yaml"] and len(specs) == 2
    assert capsys.readouterr().out == ""  # the bar never touches standard output


def test_expected_seconds() -> None:
    from dsc_cost.cli._shared import expected_seconds as _expected_seconds

    # 1,000 files of about 1 KB of YAML: 1,000 × (1 ms + 1 KB / 0.5 MB per second) ≈ 3 s
    assert 1 < _expected_seconds(["configs/mobilenet_v1.yaml"] * 1000) < 10
    assert _expected_seconds(["configs/mobilenet_v1.yaml", "no/such/file.yaml"]) < 0.1


def test_interrupt_exits_130_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from dsc_cost import cli

    def interrupted(argv: object = None) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "main", interrupted)
    with pytest.raises(SystemExit) as info:
        cli.run()
    assert info.value.code == 130
    assert capsys.readouterr().err == "dsc-cost: interrupted\n"


def test_install_completion_writes_the_bash_script(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    done = subprocess.run(
        [sys.executable, "-m", "dsc_cost", "--install-completion", "bash"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    scripts = [p for p in tmp_path.rglob("*") if p.is_file() and "_DSC_COST_COMPLETE" in p.read_text()]
    assert scripts, sorted(str(p) for p in tmp_path.rglob("*"))


def test_the_command_about_to_run_is_built_alone() -> None:
    from dsc_cost.cli import COMMANDS, command

    assert sorted(command().commands) == sorted(COMMANDS)  # type: ignore[attr-defined]
    for name in COMMANDS:
        assert list(command(name).commands) == [name]  # type: ignore[attr-defined]


def test_sweep_takes_several_files(run: Run) -> None:
    # as the other commands do: a row per variant of every network of every file
    code, out, err = run("sweep", "configs/mobilenet_v1.yaml", "configs/mnasnet1_0.yaml", "-w", "1", "-r", "224",
                         "--format", "csv")  # fmt: skip
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["network"] for row in rows] == ["MobileNet V1 1.0-224", "MNASNet 1.0"]
    assert rows[0]["mults"] == "568740352"  # MobileNet V1's Table 2: 569M (test_papers.py derives it exactly)


def test_at_most_fifty_problems_of_each_file_then_how_many_more(run: Run, tmp_path: Path) -> None:
    # 120 layers with a misspelt field in one file, 3 in another: 50 lines of the first, then "… and 70 more"
    bad = "input: [3, 8, 8]\nlayers:\n" + "  - {type: conv, out: 8, kernel: 3, strid: 2}\n" * 120
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(bad)
    second.write_text("input: [3, 8, 8]\nlayers:\n" + "  - {type: conv, out: 8, kernel: 3, strid: 2}\n" * 3)
    code, out, err = run("network", str(first), str(second))
    lines = err.splitlines()
    assert (code, out) == (2, "")
    assert len(lines) == 50 + 3 + 1
    assert lines[-1] == f"{first}: … and 70 more problems (--max-problems 0 shows them all)"
    assert sum(line.startswith(f"{second}:") for line in lines) == 3  # a file under the cap: all of them
    code, _, err = run("network", str(first), "--max-problems", "0")
    assert code == 2 and len(err.splitlines()) == 120
    code, _, err = run("--max-problems", "5", "check", str(first))
    assert code == 2 and err.splitlines()[-1].endswith(": … and 115 more problems (--max-problems 0 shows them all)")
    code, _, err = run("network", str(first), "--max-problems", "many")
    assert code == 2 and "Invalid value for '--max-problems'" in err
