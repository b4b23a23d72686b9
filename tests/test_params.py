"""Network parameters (``params:``): names every expression of a network reads, at the top level (``input``, every
layer field, ``repeat``, ``budget``, ``if``) and in its blocks; top-level expressions without parameters too."""

from __future__ import annotations

import textwrap

import pytest
from conftest import Run

from dsc_cost.formulas import Shape
from dsc_cost.spec import SpecError, cost_specs, load_text

FAMILY = """\
name: fam
params: {width: 0.5, res: 32, depth: 2, c: 16}
input: [3, res, "res // 2"]
budget: {max_params: "1000 * c"}
blocks:
  unit:
    params: {out: null}
    layers:
      - {type: pointwise, out: "out * depth"}
layers:
  - {type: conv, out: "divisible(c * width, 8)", kernel: 3, padding: same}
  - {type: pointwise, out: "c * 2", repeat: "(2 * 11 + 9) // 10"}
  - {type: pointwise, out: 4, if: "depth > 2"}
  - {type: unit, out: c, repeat: depth}
"""


def errors(text: str) -> list[str]:
    with pytest.raises(SpecError) as info:
        load_text(textwrap.dedent(text), "net.yaml")
    return [str(p) for p in info.value.problems]


def test_params_reach_the_input_every_field_repeat_budget_if_and_blocks() -> None:
    [spec] = load_text(FAMILY, "fam.yaml")
    assert spec.network.input == Shape(3, 32, 16)  # res, res // 2
    assert spec.budget == {"max_params": 16000}  # 1000 * c
    names = [node.name for node in spec.network.nodes]
    # conv1; (2·11 + 9) // 10 = 3 pointwise copies; the if: depth > 2 is false; unit used depth = 2 times
    assert names == ["conv1", "pointwise1", "pointwise2", "pointwise3", "unit1.1.pointwise1", "unit1.2.pointwise1"]
    [result] = cost_specs([spec])
    outs = [layer.output.channels for layer in result.layers]
    # divisible(16 · 0.5, 8) = 8; c · 2 = 32 three times; the block's out · depth = 16 · 2 = 32, twice
    assert outs == [8, 32, 32, 32, 32, 32]
    # 3·3·3·8 = 216; 8·32 = 256; 32·32 = 1024 four times
    assert result.total.params == 216 + 256 + 4 * 1024


def test_a_top_level_expression_needs_no_params() -> None:
    [spec] = load_text("input: [3, 8, 8]\nlayers:\n  - {type: pointwise, out: 4, repeat: '(2 * 11 + 9) // 10'}\n")
    assert len(spec.network.nodes) == 3


def test_a_string_that_is_no_expression_is_still_refused_by_its_field() -> None:
    assert errors("input: [3, 8, 8]\nlayers:\n  - {type: conv, out: 4, kernel: '3', padding: sme}\n") == [
        "net.yaml:3:34: layers[0]: kernel: expected a positive integer or [height, width] of them, found '3'",
        "net.yaml:3:48: layers[0]: padding: expected a non-negative integer, [height, width], 'same' or 'valid', "
        "found 'sme'",
    ]


def test_bad_params_and_expressions_are_located() -> None:
    text = """\
    params: {width: 0.5, 2x: 1, in: 3, flag: [1], need: null}
    input: [3, reso, 16]
    budget: {max_params: "1000 * widht"}
    layers:
      - {type: pointwise, out: "widht * 2"}
      - {type: pointwise, out: 8, repeat: "(2 * 11 + 9) / 10"}
      - {type: pointwise, out: 8, if: "widht > 1", name: x}
      - {type: pointwise, out: 8, from: x}
    """
    assert errors(text) == [
        "net.yaml:1:22: params: expected a parameter name (a word), found '2x'",
        "net.yaml:1:29: params: expected a parameter name (a word) (abs, ceil, copy, divisible, false, floor, in, "
        "in_h, in_w, input, int, log, max, min, pow, round, sqrt, true are taken), found 'in'",
        "net.yaml:1:42: params.flag: expected a default (a number, true/false or a word; null: none), found [1]",
        "net.yaml:1:53: params.need: missing value: need has no default (give it with --set need=VALUE or in a "
        "variant)",
        "net.yaml:3:22: budget.max_params: unknown name 'widht': expected one of width; did you mean 'width'? "
        "(in '1000 * widht')",
        "net.yaml:2:12: input: unknown name 'reso': expected one of width (in 'reso')",
        "net.yaml:5:28: layers[0]: out: unknown name 'widht': expected one of width; did you mean 'width'? "
        "(in 'widht * 2')",
        "net.yaml:6:39: layers[1]: repeat: expected a whole number, found 31/10 (in '(2 * 11 + 9) / 10')",
        "net.yaml:7:35: layers[2] (x): if: unknown name 'widht': expected one of width; did you mean 'width'? "
        "(in 'widht > 1')",
    ]


def test_the_command_line_says_it_and_prints_nothing(tmp_path, run: Run) -> None:  # type: ignore[no-untyped-def]
    spec = tmp_path / "net.yaml"
    spec.write_text("input: [3, 8, 8]\nlayers:\n  - {type: pointwise, out: 'c * 2'}\n", encoding="utf-8")
    code, out, err = run("network", str(spec))
    assert (code, out) == (2, "")
    assert err == f"{spec}:3:28: layers[0]: out: unknown name 'c': expected no names here (in 'c * 2')\n"


def test_a_top_level_budget_that_reads_params_is_checked(tmp_path, run: Run) -> None:  # type: ignore[no-untyped-def]
    spec = tmp_path / "fam.yaml"
    spec.write_text(FAMILY, encoding="utf-8")
    code, out, err = run("check", str(spec), "--format", "json")
    assert (code, err) == (0, "")
    assert '"limit": 16000' in out


# ---------------------------------------------------------------- variants and --set

VARIANTS = """\
name: fam
params: {width: 1.0, res: 32}
variants:
  small: {width: 0.5, res: 16}
  big: {width: 2, res: 64}
input: [3, res, res]
layers:
  - {type: conv, out: "divisible(16 * width, 8)", kernel: 3, padding: same}
  - {type: pool, global: true}
  - {type: linear, out: 10}
"""
# conv 3 → C, 3×3, no bias: 27·C params; linear C → 10, no bias: 10·C. As written C = 16: 432 + 160 = 592;
# small: C = divisible(8, 8) = 8: 216 + 80 = 296; big: C = 32: 864 + 320 = 1,184.


def totals(**options: object) -> list[tuple[str, int, Shape]]:
    specs = load_text(VARIANTS, "fam.yaml", **options)  # type: ignore[arg-type]
    return [(s.network.name, r.total.params, s.network.input) for s, r in zip(specs, cost_specs(specs), strict=True)]


def test_a_variant_is_its_values_and_named_after_it() -> None:
    assert totals() == [("fam", 592, Shape(3, 32, 32))]
    assert totals(variants=["small"]) == [("fam[small]", 296, Shape(3, 16, 16))]
    assert totals(variants=["all"]) == [("fam[small]", 296, Shape(3, 16, 16)), ("fam[big]", 1184, Shape(3, 64, 64))]
    assert totals(variants=["big", "all"]) == [
        ("fam[big]", 1184, Shape(3, 64, 64)),
        ("fam[small]", 296, Shape(3, 16, 16)),
    ]


def test_set_comes_after_the_variant() -> None:
    assert totals(variants=["small"], params={"res": "20"}) == [("fam[small]", 296, Shape(3, 20, 20))]
    assert totals(params={"width": "3/4"}) == [("fam", 27 * 16 + 160, Shape(3, 32, 32))]  # divisible(12, 8) = 16
    assert totals(params={"width": 2}) == [("fam", 1184, Shape(3, 32, 32))]


def test_all_of_a_network_without_variants_is_the_network() -> None:
    [spec] = load_text("input: [3, 8, 8]\nlayers: [{type: pointwise, out: 4}]\n", "n.yaml", variants=["all"])
    assert spec.network.name == "n"


def test_a_bad_selection_is_located_with_the_closest_name() -> None:
    with pytest.raises(SpecError) as info:
        load_text(VARIANTS, "fam.yaml", variants=["smal", "all"], params={"widht": "1", "res": "x", "width": "true"})
    assert [str(p) for p in info.value.problems] == [
        "fam.yaml:2:1: --set widht: unknown parameter: expected one of width, res; did you mean 'width'?",
        "fam.yaml:2:1: --set res: expected a number (parameter res), found 'x'",
        "fam.yaml:2:1: --set width: expected a number (parameter width), found true",
        "fam.yaml:3:1: --variant smal: unknown variant: expected one of small, big; did you mean 'small'?",
    ]


def test_bad_variants_are_located() -> None:
    text = VARIANTS.replace("  big: {width: 2, res: 64}", "  big: {widht: 2, res: [1]}\n  all: {}\n  b[1]: {}")
    with pytest.raises(SpecError) as info:
        load_text(text, "fam.yaml")
    assert [str(p) for p in info.value.problems] == [
        "fam.yaml:5:9: variants.big.widht: unknown parameter: expected one of width, res; did you mean 'width'?",
        "fam.yaml:5:24: variants.big.res: expected a number (parameter res), found [1]",
        "fam.yaml:6:3: variants.all: expected a variant name, found 'all' (--variant all picks every one)",
        "fam.yaml:7:3: variants.b[1]: expected a variant name (printable, without [ ] , =)",
    ]


def test_a_problem_of_one_variant_names_it() -> None:
    text = VARIANTS.replace("  big: {width: 2, res: 64}", "  big: {width: 2, res: 0}")
    with pytest.raises(SpecError) as info:
        load_text(text, "fam.yaml", variants=["all"])
    assert [str(p) for p in info.value.problems] == [
        "fam.yaml:6:12: input.height: expected a positive integer, found 0 (variant big)",
        "fam.yaml:6:17: input.width: expected a positive integer, found 0 (variant big)",
    ]


@pytest.mark.parametrize("command", ["network", "sweep", "check", "report", "diff"])
def test_every_command_takes_variant_and_set(command: str, tmp_path, run: Run) -> None:  # type: ignore[no-untyped-def]
    spec = tmp_path / "fam.yaml"
    spec.write_text(VARIANTS, encoding="utf-8")
    files = [str(spec), str(spec)] if command == "diff" else [str(spec)]
    out_file = ["--output", str(tmp_path / "r.html")] if command == "report" else []
    code, out, err = run(command, *files, *out_file, "--variant", "all", "--set", "res=20")
    assert code == 0 and err == ("" if command != "report" else err.startswith("wrote ") and err)
    if command != "report":
        assert "fam[small]" in out and "fam[big]" in out
    code, out, err = run(command, *files, *out_file, "--variant", "smal", "--set", "widht=1")
    assert (code, out) == (2, "")
    assert err == (  # diff: the problems of its first side end it
        f"{spec}:2:1: --set widht: unknown parameter: expected one of width, res; did you mean 'width'?\n"
        f"{spec}:3:1: --variant smal: unknown variant: expected one of small, big; did you mean 'small'?\n"
    )


def test_a_malformed_set_is_a_usage_error(run: Run) -> None:
    code, out, err = run("network", "configs/mobilenet_v1.yaml", "--set", "width")
    assert (code, out) == (2, "")
    assert "expected NAME=VALUE (width=0.75), found 'width'" in err


# ---------------------------------------------------------------- an include's parameters

STAGE = "params: {c: null, n: 1}\ninput: [3, 8, 8]\nlayers:\n  - {type: pointwise, out: c, repeat: n}\n"


def test_an_include_passes_the_files_params(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "stage.yaml").write_text(STAGE, encoding="utf-8")
    text = (
        "params: {w: 2}\ninput: [4, 8, 8]\nlayers:\n"
        "  - {include: stage.yaml, name: s1, c: '8 * w', n: 2}\n"
        "  - {include: stage.yaml, name: s2, c: 4}\n"
    )
    [spec] = load_text(text, str(tmp_path / "net.yaml"))
    [result] = cost_specs([spec])
    # s1: c = 8·2 = 16, two copies: 4·16 = 64, 16·16 = 256; s2: c = 4: 16·4 = 64
    assert [(layer.name, layer.cost.params) for layer in result.layers] == [
        ("s1.pointwise1", 64),
        ("s1.pointwise2", 256),
        ("s2.pointwise1", 64),
    ]


def test_an_includes_unknown_or_missing_params_are_located(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "stage.yaml").write_text(STAGE, encoding="utf-8")
    text = "input: [4, 8, 8]\nlayers:\n  - {include: stage.yaml, name: s3, cc: 4, n: x}\n"
    with pytest.raises(SpecError) as info:
        load_text(text, str(tmp_path / "net.yaml"))
    net = tmp_path / "net.yaml"
    assert [str(p) for p in info.value.problems] == [
        f"{net}:3:37: layers[0] (s3): cc: unknown field: a layer that includes a file takes include, name, from,"
        " train_only, width, c, n; did you mean 'c'?",
        f"{net}:3:47: layers[0] (s3): n: unknown name 'x': expected no names here (in 'x')",
        f"{net}:3:5: layers[0] (s3): c: missing argument: the file's params c have no default",
    ]


# ---------------------------------------------------------------- blocks of other files (use:)

COMMON = """\
blocks:
  unit:
    params: {out: null}
    layers:
      - {type: depthwise, kernel: 3, padding: same}
      - {type: pointwise, out: out}
  bad:
    layers:
      - {type: pointwise, out: "nope"}
"""


def test_use_reads_the_blocks_of_another_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "common.yaml").write_text(COMMON, encoding="utf-8")
    text = "input: [4, 8, 8]\nuse: [common.yaml]\nlayers:\n  - {type: unit, out: 8}\n"
    [spec] = load_text(text, str(tmp_path / "net.yaml"))
    [result] = cost_specs([spec])
    # a 3×3 depthwise on 4 channels: 36 params; then 4 → 8 pointwise: 32
    assert [(layer.name, layer.cost.params) for layer in result.layers] == [
        ("unit1.depthwise1", 36),
        ("unit1.pointwise1", 32),
    ]


def test_use_problems_are_located_in_the_file_used_and_cycles_refused(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "common.yaml").write_text(COMMON + "use: [net.yaml]\n", encoding="utf-8")
    text = "input: [4, 8, 8]\nuse: [common.yaml, /etc/passwd]\nlayers:\n  - {type: bad}\n"
    (tmp_path / "net.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_text(text, "net.yaml")
    assert [str(p) for p in info.value.problems] == [
        "net.yaml:2:7: use: 'common.yaml' has problems (said there)",
        "net.yaml:2:20: use: '/etc/passwd' is outside the folders includes are read from (that of the spec named on"
        " the command line, and the git repository holding it): not read; --allow-include PATH allows another folder",
        "net.yaml:4:5: layers[0]: type: block bad of 'common.yaml' is wrong here",
        "common.yaml:10:7: use: a file may not use itself: net.yaml → common.yaml → net.yaml",
        "common.yaml:9:32: layers[0] (bad1.layers[0]): out: unknown name 'nope': expected one of copy (in 'nope')",
    ]
