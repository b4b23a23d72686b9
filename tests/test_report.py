"""The report layer: one model, one writer per format; tables that fit the terminal; colour only
where the console allows it; names that cannot act as spreadsheet formulas or break a Markdown row."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import Run
from markdown_it import MarkdownIt
from rich.console import Console

from dsc_cost import report
from dsc_cost.check import Limits, evaluate, load, parse_budget
from dsc_cost.comparison import Conv, compare
from dsc_cost.conventions import CONVENTIONS, network_subject, rows
from dsc_cost.formulas import Cost
from dsc_cost.network import NetworkCost
from dsc_cost.report import model
from dsc_cost.report.csvtext import csv_text, safe_cell
from dsc_cost.report.markdown import markdown
from dsc_cost.report.rich_writer import FittedTable, bar
from dsc_cost.savings import fraction_saved, savings_vs_standard, separable_potential
from dsc_cost.spec import SpecError, cost_specs, load_files, load_text
from dsc_cost.variants import sweep

ROOT = Path(__file__).resolve().parent.parent
MOBILENET = str(ROOT / "configs" / "mobilenet_v1.yaml")

# One separable block, 3 → 128 channels, 3×3, on 7×7 (the first worked example): params 27 + 384 = 411,
# mults 675 + 9,600 = 10,275; as a standard conv 3,456 params and 128 · 3 · 9 · 25 = 86,400 mults.
TINY = """\
name: tiny
input: [3, 7, 7]
layers:
  - {name: block, type: separable, out: 128, kernel: 3}
"""
# The same layer as a standard conv: it saves nothing against itself, but could save 1 − 10,275 / 86,400.
STANDARD = """\
name: standard
input: [3, 7, 7]
layers:
  - {name: conv, type: conv, out: 128, kernel: 3}
"""
ESCAPE = re.compile(r"\x1b\[")
COLOUR = re.compile(r"\x1b\[[0-9;]*(?:3[0-9]|9[0-7]|38;)[0-9;]*m")  # a foreground colour SGR sequence


def _costs(text: str) -> list[NetworkCost]:
    return cost_specs(load_text(text, "net.yaml"))


def _mobilenet() -> list[NetworkCost]:
    return cost_specs(load_files([MOBILENET]))


# ---------------------------------------------------------------- the two savings


def test_savings_by_hand() -> None:
    [tiny] = _costs(TINY)
    [standard] = _costs(STANDARD)
    assert savings_vs_standard(tiny.total, tiny.standard) == (
        Fraction(3_456 - 411, 3_456),
        Fraction(86_400 - 10_275, 86_400),
    )
    assert separable_potential(tiny.standard, tiny.separable) == savings_vs_standard(tiny.total, tiny.standard)
    # a network of standard convs saves nothing against its all-standard self, and could save as much
    assert savings_vs_standard(standard.total, standard.standard) == (Fraction(0), Fraction(0))
    assert separable_potential(standard.standard, standard.separable).mults == Fraction(76_125, 86_400)
    assert fraction_saved(5, 0) == 0


def test_mobilenet_savings_differ_in_meaning() -> None:
    # 568,740,352 mults (the network) against 4,867,293,184 (every conv standard): 88.32% saved;
    # the all-separable what-if saves 88.51% (its first conv separable too)
    [mobilenet] = _mobilenet()
    saved = savings_vs_standard(mobilenet.total, mobilenet.standard).mults
    assert saved == 1 - Fraction(568_740_352, 4_867_293_184)
    assert f"{float(saved):.2%}" == "88.32%"
    potential = separable_potential(mobilenet.standard, mobilenet.separable).mults
    assert f"{float(potential):.2%}" == "88.51%"  # regression pin: the README's network example


def test_network_json_names_both_savings() -> None:
    [tiny, standard] = json.loads(str(report.network_output(_costs(TINY) + _costs(STANDARD), "json")))["networks"]
    assert "savings" not in tiny
    assert tiny["savings_vs_standard"] == {"params": 3_045 / 3_456, "mults": 76_125 / 86_400}
    assert tiny["separable_potential"] == {"params": 3_045 / 3_456, "mults": 76_125 / 86_400}
    assert standard["savings_vs_standard"] == {"params": 0.0, "mults": 0.0}
    assert standard["separable_potential"] == {"params": 3_045 / 3_456, "mults": 76_125 / 86_400}


def test_network_tables_label_both_savings() -> None:
    text = report.to_text(report.network_output(_costs(STANDARD), "table"), 200)
    assert re.search(r"^saves vs standard +0\.00% +0\.00%$", text, re.M)
    assert re.search(r"^separable potential +88\.11% +88\.11%$", text, re.M)
    markdown_text = str(report.network_output(_costs(STANDARD), "markdown"))
    assert "| saves vs standard | 0.00% | 0.00% |" in markdown_text
    assert "| separable potential | 88.11% | 88.11% |" in markdown_text
    several = report.to_text(report.network_output(_costs(TINY) + _costs(STANDARD), "table"), 200)
    assert re.search(r"saves vs standard +separable potential$", several, re.M)


def test_sweep_names_savings_vs_standard() -> None:
    [spec] = load_text(TINY, "net.yaml")
    variants = sweep(spec.network, [Fraction(1)], [7])
    [row] = json.loads(str(report.sweep_output(variants, "json")))["variants"]
    assert "savings" not in row and row["savings_vs_standard"] == 76_125 / 86_400
    header, line = str(report.sweep_output(variants, "csv")).splitlines()
    assert header.endswith(",savings_vs_standard") and line.endswith(f",{76_125 / 86_400:.6f}")
    assert "saves vs standard" in report.to_text(report.sweep_output(variants, "table"), 200)


def test_budget_alias_min_savings_means_the_same() -> None:
    new, problems = parse_budget({"min_savings_vs_standard": "80%"})
    old, old_problems = parse_budget({"min_savings": "80%"})
    assert problems == old_problems == []
    assert new == old == Limits(None, None, None, Fraction(4, 5))  # positional, as before


def test_budget_with_both_names_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "net.yaml"
    path.write_text(TINY + "budget:\n  min_savings_vs_standard: 0.8\n  min_savings: 0.9\n", encoding="utf-8")
    with pytest.raises(SpecError) as error:
        load([str(path)])
    assert str(error.value) == (
        f"{path}:7:3: budget.min_savings: duplicate limit: min_savings is min_savings_vs_standard by another name; "
        "give one of them"
    )


def test_check_json_and_alias_point_at_the_key_written(tmp_path: Path) -> None:
    path = tmp_path / "net.yaml"
    path.write_text(TINY + "budget:\n  min_savings: 0.9\n", encoding="utf-8")
    result = evaluate(load([str(path)]))
    [limit] = result.checks
    assert limit.where.path == ("budget", "min_savings")  # an annotation points at the line the file has
    document = json.loads(str(report.check_output(result, "json")))
    assert list(document["networks"][0]["limits"]) == ["min_savings_vs_standard"]
    assert str(report.check_output(result, "github")).startswith(
        f"::error file={path},line=6,col=16,title=tiny%3A savings vs standard below budget::"
    )


# ---------------------------------------------------------------- tables that fit


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w.,])\d[\d,.]*[KMGT%]?(?![\w.,])", text))


def _outputs() -> dict[str, object]:
    nets = _mobilenet()
    subjects = [(s, rows(s)) for s in map(network_subject, nets)]
    comparison = compare(Conv(3, 128, (3, 3)), 7, 7)
    return {
        "network": report.network_output(nets, "table"),
        "network --as --flops": report.network_output(
            nets, "table", flops=True, convention=CONVENTIONS["torchinfo"], exact=True
        ),
        "conventions": report.conventions_output(subjects, "table"),
        "compare --as --flops": report.compare_output(comparison, "table", flops=True, convention=CONVENTIONS["thop"]),
        "sweep": report.sweep_output(sweep(nets[0].network, [Fraction(1)], [224]), "table", exact=True),
        "check": report.check_output(evaluate(load([MOBILENET]), Limits(max_mults=500_000_000)), "text"),
    }


@pytest.mark.parametrize("name", list(_outputs()))
def test_tables_fit_80_columns_and_never_split_a_number(name: str) -> None:
    renderable = _outputs()[name]
    wide = report.to_text(renderable, 200)
    narrow = report.to_text(renderable, 80)
    assert max(len(line) for line in narrow.splitlines()) <= 80
    narrow = narrow.replace("hidden at 80 columns", "hidden")  # the note under a table that hid columns
    assert _numbers(narrow) <= _numbers(wide)  # every number shown narrow is a whole number of the wide table


def test_network_table_drops_columns_by_priority() -> None:
    renderable = _outputs()["network"]
    header = next(line for line in report.to_text(renderable, 200).splitlines() if line.startswith("layer"))
    assert header.split() == ["layer", "type", "input", "→", "output", "params", "mults", "share", "as",
                              "standard", "as", "separable", "other", "ops"]  # fmt: skip
    narrow = next(line for line in report.to_text(renderable, 80).splitlines() if line.startswith("layer"))
    # the shapes abbreviated to the output alone before a column goes; name, type, shape, params, mults go last
    assert narrow.split() == ["layer", "type", "output", "params", "mults", "share", "as", "standard"]
    assert "hidden at 80 columns: as separable, other ops" in " ".join(report.to_text(renderable, 80).split())


def test_wide_as_flops_table_keeps_every_column_at_200() -> None:
    text = report.to_text(_outputs()["network --as --flops"], 200)
    for title in ("type", "input → output", "FLOPs", "share", "as standard", "as separable", "torchinfo params",
                  "torchinfo MACs"):  # fmt: skip
        assert title in text
    assert "1,137,480,704" in text  # FLOPs = 2 × 568,740,352


def test_conventions_wraps_reasons_and_keeps_every_column() -> None:
    narrow = report.to_text(_outputs()["conventions"], 80)
    assert "tool" in narrow and "unit" in narrow and "differs from dsc-cost by" in narrow
    assert "568,740,352" in narrow and "1,137,480,704" in narrow


def test_fitted_table_learns_the_width_at_print_time() -> None:
    table = model.Table(
        [model.Column("name", wrap=True), model.Column("n", "right"), model.Column("extra", "right", priority=1)],
        [model.Row(["a long name of a layer", "1,234,567", "9"])],
    )
    fitted = FittedTable(table)
    assert fitted.kept(200) == [0, 1, 2]
    assert fitted.kept(30) == [0, 1]
    for width, columns in ((200, 3), (30, 2)):
        console = Console(file=io.StringIO(), width=width, color_system=None)
        console.print(fitted)
        out = console.file.getvalue()  # type: ignore[attr-defined]
        assert ("extra" in out.splitlines()[0]) == (columns == 3)
        assert ("hidden at 30 columns: extra" in out) == (columns == 2)
        assert "1,234,567" in out
    console = Console(file=io.StringIO(), width=16, color_system=None)
    console.print(fitted)
    lines = console.file.getvalue().splitlines()  # type: ignore[attr-defined]
    assert max(len(line) for line in lines) <= 16 and any("1,234,567" in line for line in lines)


# ---------------------------------------------------------------- bars


def test_a_zero_share_draws_no_bar() -> None:
    # conv 3 → 64, 3×3 on 224×224: 3 · 9 · 64 · 222 · 222 = 85,162,752 mults; the linear layer 64 → 1 after
    # a global pool: 64 mults, 0.0000752% of the total, shown as 0.00%: no bar, not a sliver
    spec = """\
name: slivers
input: [3, 224, 224]
layers:
  - {name: big, type: conv, out: 64, kernel: 3}
  - {name: pool, type: pool, mode: avg, global: true}
  - {name: tiny, type: linear, out: 1}
"""
    [result] = _costs(spec)
    assert [layer.cost.mults for layer in result.layers] == [85_162_752, 0, 64]
    text = report.to_text(report.network_output([result], "table"), 200)
    lines = {line.split()[0]: line for line in text.splitlines() if line.split()}
    assert "0.00%" in lines["tiny"] and not re.search("[▏▎▍▌▋▊▉█]", lines["tiny"])
    assert "0.00%" in lines["pool"] and not re.search("[▏▎▍▌▋▊▉█]", lines["pool"])
    assert "████████" in lines["big"]
    # 8 cells of 8 eighths: 1/64 is one eighth, 1/10 is 6.4 eighths rounded to 6, 10/10 all 64
    assert bar(0, 10) == "" and bar(1, 64) == "▏" and bar(1, 10) == "▊" and bar(10, 10) == "████████"


# ---------------------------------------------------------------- colour and escape codes


def _print(renderable: object, width: int = 120, **console: object) -> str:
    out = io.StringIO()
    Console(file=out, width=width, **console).print(renderable)  # type: ignore[arg-type]
    return out.getvalue()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLORTERM", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_colour_on_a_terminal_none_in_a_file(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("TERM", "xterm-256color")
    failing = _outputs()["check"]
    assert COLOUR.search(_print(failing, force_terminal=True))
    assert not ESCAPE.search(_print(failing, force_terminal=False))
    assert not ESCAPE.search(_print(failing))  # a StringIO is not a terminal
    assert not ESCAPE.search(report.to_text(failing))


def test_no_color_removes_colour(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("TERM", "xterm-256color")
    clean_env.setenv("NO_COLOR", "1")
    out = _print(_outputs()["check"], force_terminal=True)
    assert not COLOUR.search(out)
    assert "FAIL" in out


def test_force_color_colours_a_pipe(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("TERM", "xterm-256color")
    clean_env.setenv("FORCE_COLOR", "1")
    assert COLOUR.search(_print(_outputs()["check"]))


def test_term_dumb_draws_no_escape_codes(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("TERM", "dumb")
    assert not ESCAPE.search(_print(_outputs()["network"], force_terminal=True))


def test_names_are_not_console_markup() -> None:
    spec = TINY.replace("name: block", "name: '[bold red]x[/]'")
    text = report.to_text(report.network_output(_costs(spec), "table"), 200)
    assert "[bold red]x[/]" in text


# ---------------------------------------------------------------- names are data: CSV and Markdown


@pytest.mark.parametrize("name", ["=HYPERLINK(1)", "+1+2", "-cmd", "@SUM(A1)"])
def test_csv_cells_cannot_start_a_formula(name: str) -> None:
    spec = TINY.replace("name: tiny", f"name: '{name}'").replace("name: block", f"name: '{name}'")
    text = str(report.network_output(_costs(spec), "csv"))
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["network"] == row["layer"] == "'" + name
    assert row["params"] == "411" and row["mults"] == "10275"  # numbers untouched


def test_csv_numbers_are_not_quoted() -> None:
    assert safe_cell(-5) == -5 and safe_cell("-0.25") == "-0.25" and safe_cell("1e-3") == "1e-3"
    assert safe_cell("a-b") == "a-b" and safe_cell("") == ""
    assert csv_text(model.Grid(["x"], [["=1+1"], [-1]])) == "x\n'=1+1\n-1\n"


def test_markdown_escapes_pipes_and_line_breaks() -> None:
    table = model.Table(
        [model.Column("name"), model.Column("n", "right")],
        [model.Row(["a|b", "1"]), model.Row(["x\\|y", "2"]), model.Row(["line\n| 9 | injected |", "3"])],
    )
    text = markdown(model.Document([table]))
    lines = text.splitlines()
    assert len(lines) == 5  # header, alignment, three rows: no name breaks a row
    assert lines[2] == "| a\\|b | 1 |"
    assert lines[3] == "| x\\\\\\|y | 2 |"  # the backslash escaped too, so that the pipe stays escaped
    assert lines[4] == "| line \\| 9 \\| injected \\| | 3 |"


def test_markdown_network_name_with_a_pipe() -> None:
    spec = TINY.replace("name: block", "name: 'a|b'")
    text = str(report.network_output(_costs(spec), "markdown"))
    assert "| a\\|b | separable |" in text


# ---------------------------------------------------------------- formats and imports


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format 'html'"):
        report.sweep_output([], "html")
    with pytest.raises(ValueError, match="expected one of text, json, github"):
        report.check_output(evaluate([]), "table")


def test_compare_csv_has_no_derivation() -> None:
    with pytest.raises(ValueError, match="--explain"):
        report.compare_output(compare(Conv(3, 8, (3, 3)), 8, 8), "csv", explain=True)


def test_compare_explain_below_the_table() -> None:
    comparison = compare(Conv(3, 128, (3, 3)), 7, 7)
    text = report.to_text(report.compare_output(comparison, "table", explain=True))
    assert "separable total" in text and "separable = depthwise + pointwise = 675 + 9,600 = 10,275" in text
    document = json.loads(str(report.compare_output(comparison, "json", explain=True)))
    assert "  separable = depthwise + pointwise = 675 + 9,600 = 10,275" in document["explain"]
    assert str(report.compare_output(comparison, "markdown", explain=True)).endswith("```\n")


def test_json_lines_already_encoded_are_laid_out_as_the_values_would_be() -> None:
    from dsc_cost.report.jsontext import RawJSON, json_text

    expected = '{\n  "name": "n",\n  "layers": [\n    {"a": 1},\n    {"b": [2, 3]}\n  ]\n}\n'
    assert json_text({"name": "n", "layers": [{"a": 1}, {"b": [2, 3]}]}, inline_depth=2) == expected
    assert json_text({"name": "n", "layers": [RawJSON('{"a": 1}'), RawJSON('{"b": [2, 3]}')]}) == expected
    one = '{\n  "layers": [\n    {"a": 1}\n  ]\n}\n'
    assert json_text({"layers": [RawJSON('{"a": 1}')]}) == one


def test_table_formats_are_renderables_and_others_strings() -> None:
    nets = _costs(TINY)
    assert not isinstance(report.network_output(nets, "table"), str)
    for fmt in ("json", "csv", "markdown"):
        assert isinstance(report.network_output(nets, fmt), str)
    assert report.to_text("as it is") == "as it is"


@pytest.mark.parametrize("command", ["compare", "network"])
def test_json_imports_no_rich(command: str) -> None:
    code = f"""
import sys
from dsc_cost import report
if {command!r} == "compare":
    from dsc_cost.comparison import Conv, compare
    report.compare_output(compare(Conv(3, 8, (3, 3)), 8, 8), "json", explain=True)
else:
    from dsc_cost.spec import cost_specs, load_files
    report.network_output(cost_specs(load_files([{MOBILENET!r}])), "json")
sys.stdout.write(repr(sorted(m for m in sys.modules if m.split(".")[0] == "rich")))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]"


def test_check_text_lists_failures_first() -> None:
    text = report.to_text(_outputs()["check"], 200)
    assert text.splitlines() == [
        "FAIL  MobileNet V1 1.0-224  mults 568.7M / 500M (13.7% over)",
        "ok    MobileNet V1 1.0-224  params 4.21M / 4.5M (6.4% headroom)",
        "",
        "FAIL: 1 network, 2 checks: 1 passed, 1 failed",
    ]


def test_cost_values_are_exact_in_csv() -> None:
    text = str(report.compare_output(compare(Conv(3, 128, (3, 3)), 7, 7), "csv"))
    assert text.splitlines()[1] == "standard,3x7x7,128x5x5,3456,86400"
    assert Cost(1, 2).flops == 4


def test_long_tables_drawn_line_by_line_look_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    layers = "".join(f"  - {{name: l{i}, type: separable, out: 16, kernel: 3, padding: same}}\n" for i in range(40))
    nets = _costs(f"name: long\ninput: [16, 8, 8]\nlayers:\n{layers}") + _mobilenet()
    for width in (200, 120, 80):
        shown = []
        for fast_rows in (0, 10**9):  # every table drawn line by line; every table drawn by rich.table
            monkeypatch.setattr(FittedTable, "FAST_ROWS", fast_rows)
            out = _print(report.network_output(nets, "table"), width, force_terminal=True, color_system="truecolor")
            shown.append(re.sub(r"\x1b\[[0-9;]*m", "", out))
        assert shown[0] == shown[1]


# ---------------------------------------------------------------- names cannot drive a terminal or a log


def _hostile() -> list[NetworkCost]:
    [result] = _costs(TINY)
    network = result.network._replace(name="x\x1b[31mRED")
    layer = result.layers[0]._replace(name="a\n::error file=x::pwned")
    return [result._replace(network=network, layers=(layer,))]


def test_escape_codes_in_names_reach_no_terminal(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("TERM", "xterm-256color")
    table = _print(report.network_output(_hostile(), "table"), 200, force_terminal=True, color_system="truecolor")
    markdown_text = str(report.network_output(_hostile(), "markdown"))
    rendered = MarkdownIt("commonmark").enable("table").render(markdown_text)  # what a reader of it sees
    for out in (re.sub(r"\x1b\[[0-9;]*m", "", table), markdown_text, rendered):
        assert "\x1b" not in out and not re.search(r"^::error", out, re.M)
    for out in (re.sub(r"\x1b\[[0-9;]*m", "", table), rendered):
        assert "x\\x1b[31mRED" in out
    assert "a\\x0a::error file=x::pwned" in table
    assert "| a ::error file=x::pwned | separable |" in markdown_text  # a line break in a cell: a space


def test_github_annotations_keep_names_on_their_line(tmp_path: Path) -> None:
    [target] = load([str(ROOT / "configs" / "seed_16_to_32.json")])
    name = "ok\n::error file=x::pwned"
    spec = target.spec._replace(network=target.spec.network._replace(name=name))
    result = evaluate([dataclasses.replace(target, spec=spec)], Limits(max_params=1, max_mults=10**9))
    text = str(report.check_output(result, "github"))
    lines = text.splitlines()
    assert lines[0].endswith(
        ",title=ok%0A%3A%3Aerror file=x%3A%3Apwned%3A params over budget::"
        "ok%0A::error file=x::pwned: params 656 / 1 (65500.0%25 over)"
    )
    assert lines[1] == "ok  ok\\x0a::error file=x::pwned  mults 10.75M / 1G (98.9% headroom)"
    assert not any(line.startswith("::error file=x") for line in lines)


def test_a_layer_value_repeated_on_other_inputs_shows_its_own_numbers() -> None:
    from dsc_cost.spec import cost_specs, load_text

    text = """\
input: [8, 4, 4]
layers:
  - {name: a, type: pointwise, out: 8}
  - {name: b, type: pointwise, out: 8}
  - {name: down, type: pool, kernel: 2, stride: 2}
  - {name: c, type: pointwise, out: 8}
"""
    [spec] = load_text(text, "net.yaml")
    assert spec.network.nodes[0].layer is spec.network.nodes[3].layer  # one value, on 8×4×4 and on 8×2×2
    table = report.network_output(cost_specs([spec]), "markdown", exact=True)
    assert isinstance(table, str)
    lines = {line.split("|")[1].strip(): line for line in table.splitlines() if line.startswith("| ")}
    # 8·8 = 64 weights; 64 mults per position: 16 positions on 4×4, 4 on 2×2
    assert "| 8×4×4 → 8×4×4 | 64 | 1,024 |" in lines["a"] and lines["a"].replace("| a ", "| b ") == lines["b"]
    assert "| 8×2×2 → 8×2×2 | 64 | 256 |" in lines["c"]  # 256 of 2,304 mults: 11.11%
    assert "| 11.11% |" in lines["c"] and "| 44.44% |" in lines["a"]  # 1,024 of 2,304


# ---------------------------------------------------------------- narrow terminals: what is hidden is said


def _header(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(("layer ", "network ")))


@pytest.mark.parametrize(
    ("width", "shown", "hidden"),
    [
        ("80", ["type", "output", "params", "mults", "share", "as standard"], "as separable, other ops"),
        ("120", ["type", "input → output", "params", "mults", "share", "as standard", "other ops"], None),
    ],
)
def test_network_at_a_narrow_terminal_names_the_hidden_columns(
    run: Run, monkeypatch: pytest.MonkeyPatch, width: str, shown: list[str], hidden: str | None
) -> None:
    monkeypatch.setenv("COLUMNS", width)
    code, out, err = run("network", "configs/mobilenet_v1.yaml")
    assert (code, err) == (0, "")
    assert all(title in _header(out) for title in shown)
    note = " ".join(out.split())
    if hidden is None:
        assert "hidden at" not in note
    else:
        assert f"hidden at {width} columns: {hidden} — --wide shows every column, --columns picks them" in note
    code, out, err = run("network", "configs/mobilenet_v1.yaml", "--wide")
    assert (code, err) == (0, "") and "hidden at" not in out
    for title in ("input → output", "as standard", "as separable", "other ops"):
        assert title in _header(out)


def test_sweep_and_diff_at_80_columns_say_what_they_hid_and_wide_keeps_all(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run("sweep", "configs/mobilenet_v1.yaml")
    assert code == 0 and "hidden at 80 columns: as standard — --wide shows every column" in out
    code, out, _ = run("sweep", "configs/mobilenet_v1.yaml", "--wide")
    assert code == 0 and "as standard" in _header(out) and "hidden at" not in out
    old, new = "tests/data/mobilenet_v1_earlier.yaml", "tests/data/mobilenet_v1_edited.yaml"
    code, out, _ = run("diff", old, new)
    assert "params before" in " ".join(out.split()).partition("hidden at 80 columns:")[2]
    code, out, _ = run("diff", old, new, "--wide")
    assert "params before" in _header(out) and "mults before" in _header(out) and "hidden at" not in out


def test_long_names_keep_type_and_shapes_last(run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # names as long as an ONNX model's: type and the shapes outlast every other droppable column
    spec = tmp_path / "long.yaml"
    spec.write_text(
        "name: long\ninput: [3, 32, 32]\nlayers:\n"
        "  - {name: /backbone/stage1/block1/conv1/Conv, type: conv, out: 64, kernel: 3}\n"
        "  - {name: /backbone/stage1/block1/conv2/Conv, type: conv, out: 64, kernel: 3}\n"
    )
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run("network", str(spec))
    assert (code, err) == (0, "")
    header = _header(out)
    assert "type" in header and "output" in header and "share" not in header
    assert "hidden at 80 columns: share, as standard, as separable" in " ".join(out.split())
