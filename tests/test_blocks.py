"""Blocks: named groups of layers with parameters, used as a layer (``type: NAME``), expanded at load."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsc_cost.errors import BoundError, DscCostError, SpecError
from dsc_cost.layers import REGISTRY
from dsc_cost.spec import Bounds, cost_specs, load_text

MBCONV = """\
blocks:
  mbconv:
    params: {out: null, expand: 1, kernel: 3, stride: 1}
    layers:
      - {name: expand, type: pointwise, out: "in * expand", batchnorm: true, if: "expand != 1"}
      - {name: dw, type: depthwise, kernel: kernel, stride: stride, padding: "kernel // 2", batchnorm: true}
      - {name: project, type: pointwise, out: out, batchnorm: true}
      - {name: residual, type: add, inputs: [input, project], if: "stride == 1 and in == out"}
"""


def cost(text: str, file: str = "net.yaml"):  # type: ignore[no-untyped-def]
    [spec] = load_text(textwrap.dedent(text), file)
    [result] = cost_specs([spec])
    return result


def errors(text: str, bounds: Bounds | None = None) -> list[str]:
    with pytest.raises(SpecError) as info:
        load_text(textwrap.dedent(text), "net.yaml", bounds=bounds or Bounds())
    return [str(p) for p in info.value.problems]


BLOCKED = (
    "input: [16, 56, 56]\n"
    + MBCONV
    + """\
layers:
  - {name: s1, type: mbconv, out: 24, expand: 6, stride: 2}
  - {name: s2, type: mbconv, out: 24, expand: 6}
"""
)

FLAT = """\
input: [16, 56, 56]
layers:
  - {type: pointwise, out: 96, batchnorm: true}
  - {type: depthwise, kernel: 3, stride: 2, padding: 1, batchnorm: true}
  - {name: p1, type: pointwise, out: 24, batchnorm: true}
  - {type: pointwise, out: 144, batchnorm: true}
  - {type: depthwise, kernel: 3, padding: 1, batchnorm: true}
  - {name: p2, type: pointwise, out: 24, batchnorm: true}
  - {type: add, inputs: [p1, p2]}
"""


def test_a_block_costs_what_the_same_layers_written_out_cost() -> None:
    blocked, flat = cost(BLOCKED), cost(FLAT)
    # by hand, 16×56×56 in; batch-norm adds 2 × out params to each layer:
    # s1: expand 16·96 + 192, 16·96·56·56; dw 96·9 + 192, 96·9·28·28; project 96·24 + 48, 96·24·28·28
    # s2 (stride 1, 24 = 24: residual): expand 24·144 + 288; dw 144·9 + 288; project 144·24 + 48, all at 28×28
    params = (16 * 96 + 192) + (96 * 9 + 192) + (96 * 24 + 48) + (24 * 144 + 288) + (144 * 9 + 288) + (144 * 24 + 48)
    mults = 16 * 96 * 56 * 56 + (96 * 9 + 96 * 24 + 24 * 144 + 144 * 9 + 144 * 24) * 28 * 28
    assert (params, mults) == (13_968, 13_735_680)
    assert blocked.total == flat.total == (params, mults)
    assert blocked.standard == flat.standard and blocked.separable == flat.separable
    assert blocked.by_kind == flat.by_kind and blocked.other_ops == flat.other_ops
    assert [x.name for x in blocked.layers] == [
        "s1.expand", "s1.dw", "s1.project", "s2.expand", "s2.dw", "s2.project", "s2.residual",
    ]  # fmt: skip
    assert [x.type for x in blocked.layers] == [x.type for x in flat.layers]


def test_the_residual_is_there_only_when_stride_is_1_and_in_equals_out() -> None:
    text = "input: [24, 8, 8]\n" + MBCONV + "layers:\n  - {name: b, type: mbconv, out: OUT, stride: STRIDE}\n"
    names = {
        (out, stride): [x.name for x in cost(text.replace("OUT", str(out)).replace("STRIDE", str(stride))).layers]
        for out, stride in [(24, 1), (32, 1), (24, 2)]
    }
    assert names[24, 1] == ["b.dw", "b.project", "b.residual"]  # expand 1: no expansion layer either
    assert names[32, 1] == names[24, 2] == ["b.dw", "b.project"]


def test_repeat_chains_copies_and_scopes_their_names() -> None:
    result = cost("input: [16, 8, 8]\n" + MBCONV + "layers:\n  - {name: st, type: mbconv, out: 16, repeat: 3}\n"
                  "  - {type: add, inputs: [st.1, st]}\n")  # fmt: skip
    names = [x.name for x in result.layers]
    assert names[:3] == ["st.1.dw", "st.1.project", "st.1.residual"]
    assert names[-2] == "st.3.residual" and names[-1] == "add1"
    assert len(names) == 3 * 3 + 1
    # each copy: dw 16·9, project 16·16, no batch-norm biases beyond 2·16 each
    assert result.total.params == 3 * ((16 * 9 + 32) + (16 * 16 + 32))


def test_blocks_use_blocks_and_unnamed_uses_are_numbered() -> None:
    text = """\
    input: [6, 4, 4]
    blocks:
      pair:
        params: {width: null}
        layers:
          - {type: pointwise, out: width}
          - {type: pointwise, out: "width * 2"}
      stage:
        params: {width: 8, n: 1}
        layers:
          - {name: a, type: pair, width: width}
          - {name: b, type: pair, width: "in", repeat: n}
    layers:
      - {type: stage, width: 4, n: 2}
      - {type: stage}
    """
    result = cost(text)
    assert [x.name for x in result.layers][:6] == [
        "stage1.a.pointwise1", "stage1.a.pointwise2",
        "stage1.b.1.pointwise1", "stage1.b.1.pointwise2", "stage1.b.2.pointwise1", "stage1.b.2.pointwise2",
    ]  # fmt: skip
    # an argument is evaluated once, at the use, with the names of the block it is written in: "in" is 6,
    # the input of stage1 (not 8, the input of stage1.b), for both copies
    assert [x.output.channels for x in result.layers][:6] == [4, 8, 6, 12, 6, 12]
    assert result.layers[6].name == "stage2.a.pointwise1"


def test_expressions_set_lists_and_words_stay_words() -> None:
    text = """\
    input: [3, 32, 32]
    blocks:
      stem:
        params: {k: 3, pad: same, width: 0.5}
        layers:
          - {type: conv, out: "divisible(32 * width, 8)", kernel: [k, 1], padding: pad}
          - {type: conv, out: "min(in, 7) + max(1, 2)", kernel: 1, padding: same}
    layers:
      - {type: stem, width: 0.75}
    """
    result = cost(text)
    # divisible(32 × 0.75 = 24, 8) = 24; then min(3, 7) + 2 = 5 (in: the block's input, 3 channels);
    # padding 'same' on a 3×1 kernel keeps 32×32
    assert [(x.output.channels, x.output.height) for x in result.layers] == [(24, 32), (5, 32)]


def test_the_layer_bound_counts_the_layers_blocks_make() -> None:
    text = "input: [4, 4, 4]\n" + MBCONV + "layers:\n  - {type: mbconv, out: 4, expand: 2, repeat: 10}\n"
    with pytest.raises(BoundError) as info:
        load_text(text, "net.yaml", bounds=Bounds(max_layers=35))  # 10 copies × 4 layers
    assert "more than 35 layers" in str(info.value.problems[0])
    assert len(load_text(text, "net.yaml", bounds=Bounds(max_layers=40))[0].network.nodes) == 40


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        (
            "  - {type: mbconvv, out: 8}",
            [
                f"net.yaml:11:12: layers[0]: type: expected one of {', '.join(REGISTRY)}, or a block: "
                "mbconv, found 'mbconvv'; did you mean 'mbconv'?"
            ],
        ),
        (
            "  - {name: s, type: mbconv}",
            ["net.yaml:11:5: layers[0] (s): out: missing argument: block mbconv needs out"],
        ),
        (
            "  - {name: s, type: mbconv, out: 8, kernal: 5}",
            [
                "net.yaml:11:37: layers[0] (s): kernal: unknown argument: block mbconv takes out, expand, kernel, "
                "stride; did you mean 'kernel'?"
            ],
        ),
        (
            "  - {name: s, type: mbconv, out: 8, stride: true}",
            ["net.yaml:11:45: layers[0] (s): stride: expected a number (block mbconv's stride), found true"],
        ),
        (
            "  - {name: s, type: mbconv, out: 8, kernel: 0}",  # the problem is in the block, at its line
            [
                "net.yaml:7:45: layers[0] (s.dw): kernel: expected a positive integer or [height, width] of them, "
                "found 0"
            ],
        ),
        (
            "  - {name: s, type: mbconv, out: 8, expand: 0}\n  - {name: t, type: mbconv, out: 8, expand: 0}",
            ["net.yaml:6:46: layers[0] (s.expand): out: expected a positive integer, found 0"],  # said once
        ),
        (
            "  - {name: s, type: mbconv, out: 8 // 0}",
            ["net.yaml:11:34: layers[0] (s): out: division by zero (in '8 // 0')"],
        ),
        (
            "  - {name: s, type: mbconv, out: 'x % 2'}",
            [
                "net.yaml:11:34: layers[0] (s): out: '%' is not allowed: expected numbers, names, + - * / // **, "
                "comparisons, and/or/not, and the functions abs, ceil, divisible, floor, int, log, max, min, pow, round and"
                " sqrt (in 'x % 2')"
            ],
        ),
        (
            "  - {name: s, type: mbconv, out: 'in * 1.5'}",
            ["net.yaml:8:47: layers[0] (s.project): out: expected a whole number, found 3/2 (in 'out')"],
        ),
    ],
)
def test_errors_are_located(layers: str, expected: list[str]) -> None:
    text = "input: [1, 8, 8]\n" + MBCONV + "layers:\n" + layers + "\n"
    assert errors(text) == expected


def test_errors_in_a_block_definition_are_all_said() -> None:
    text = """\
    input: [4, 8, 8]
    blocks:
      d: {params: {n: 1, in: 2, w: [1]}, layers: [{type: pointwise, out: 4}]}
      a:
        layers:
          - {type: b}
      b:
        layers:
          - {type: a}
      e:
        layers:
          - {type: pointwise, if: "n ==", name: x, out: 4}
          - {type: pointwise, out: "nope + 1"}
          - {type: pointwise, out: 4, from: x}
      conv: {layers: [{type: conv, out: 1, kernel: 1}]}
      c: {params: {}, layrs: []}
    layers:
      - {type: e}
      - {type: pointwise, out: 4, if: true}
    """
    assert errors(text) == [
        "net.yaml:3:22: blocks.d.params: expected a parameter name (a word) (copy, divisible, in, in_h, in_w, "
        "input, max, min are taken), found 'in'",
        "net.yaml:3:32: blocks.d.params.w: expected a default (a number, true/false or a word; null: required), "
        "found [1]",
        "net.yaml:15:3: blocks.conv: expected a block name, found the layer type 'conv'",
        "net.yaml:16:19: blocks.c.layrs: unknown key: expected params or layers; did you mean 'layers'?",
        "net.yaml:16:6: blocks.c.layers: expected a non-empty list of layers, found nothing",
        "net.yaml:9:16: blocks.b.layers[0]: a block may not use itself: a → b → a",
        "net.yaml:12:31: layers[0] (e1.x): if: not a valid expression (in 'n ==')",
        "net.yaml:13:32: layers[0] (e1.layers[1]): out: unknown name 'nope': expected one of copy (in 'nope + 1')",
        "net.yaml:14:41: layers[0] (e1.layers[2]): from: unknown layer 'x': expected 'input' or the name of an "
        "earlier layer",
        "net.yaml:19:35: layers[1]: if: expected no if: outside a block (a block's layers may have one)",
    ]


def test_a_reference_to_a_layer_left_out_is_an_error_only_when_used() -> None:
    text = """\
    input: [4, 8, 8]
    blocks:
      se:
        params: {use: false}
        layers:
          - {name: gate, type: pointwise, out: 4, if: use}
          - {type: mul, inputs: [input, gate], if: use}
          - {type: add, inputs: [input, gate]}
    layers:
      - {name: x, type: se, use: true}
      - {name: y, type: se}
    """
    assert errors(text) == [
        "net.yaml:8:37: layers[1] (y.layers[2]): inputs: layer 'gate' is left out (its if: is false here): expected a "
        "layer that is kept"
    ]


def test_ten_thousand_uses_of_an_eight_layer_block_expand_to_eighty_thousand_layers() -> None:
    block = """\
    blocks:
      b:
        params: {expand: 4, se: 4}
        layers:
          - {type: pointwise, out: "in * expand", batchnorm: true}
          - {type: activation, fn: relu6}
          - {type: depthwise, kernel: 3, padding: same, batchnorm: true}
          - {name: squeeze, type: pool, global: true}
          - {type: pointwise, out: "divisible(in * expand / se, 8)"}
          - {type: pointwise, out: "in * expand"}
          - {name: gate, type: activation, fn: hardsigmoid}
          - {name: project, type: pointwise, out: in, batchnorm: true}
    """
    text = "input: [16, 8, 8]\n" + textwrap.dedent(block) + "layers:\n" + "  - {type: b}\n" * 10_000
    [spec] = load_text(text, "big.yaml")
    [result] = cost_specs([spec])
    assert len(result.layers) == 80_000  # speed is benchmarks/run.py's job, not a unit test's
    assert result.layers[-1].name == "b10000.project"  # unnamed uses are named by type and count


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    argument=st.one_of(
        st.integers(-3, 40),
        st.booleans(),
        st.none(),
        st.floats(allow_nan=True),
        st.text(max_size=12),
        st.sampled_from(
            [
                "in",
                "in // 0",
                "divisible(in, 8)",
                "min()",
                "in * 2 ** 2",
                "expand and 1",
                "1/3",
                "x.y",
                "(" * 40 + "1" + ")" * 40,
                "9" * 30,
                "in if stride == 1 else 0",
                "not 1",
            ]
        ),
        st.lists(st.integers(0, 3), max_size=3),
    ),
    key=st.sampled_from(["out", "expand", "kernel", "stride", "repeat", "bogus", "from"]),
    expression=st.sampled_from(["in * expand", "kernel // 2", "out", "in_h - 1", "divisible(in * expand, 8)", "1 <"]),
)
def test_any_argument_and_expression_is_a_result_or_located_problems(
    argument: object, key: str, expression: str
) -> None:
    import yaml

    spec = yaml.safe_load("input: [8, 8, 8]\n" + MBCONV + "layers:\n  - {name: s, type: mbconv, out: 8}\n")
    spec["blocks"]["mbconv"]["layers"][2]["out"] = expression
    spec["layers"][0][key] = argument
    try:
        cost_specs(load_text(yaml.safe_dump(spec), "net.yaml", bounds=Bounds(max_layers=200)))
    except DscCostError as error:
        assert error.problems
        assert all(str(p).startswith("net.yaml:") for p in error.problems)


def test_the_worked_example_of_the_docs() -> None:

    root = Path(__file__).resolve().parent.parent
    example = (root / "tests" / "data" / "blocks.yaml").read_text(encoding="utf-8")
    assert f"```yaml\n{example}```" in (root / "docs" / "spec-format.md").read_text(encoding="utf-8")
    result = cost(example, "blocks.yaml")
    # by hand: stage1 at 28×28 → 14×14: expand 16·96 + 192 (1,536 × 784 mults), dw 96·9 + 192 (864 × 196),
    # project 96·24 + 48 (2,304 × 196); each copy of stage2 at 14×14: expand 24·144 + 288, dw 144·25 + 288,
    # SE 144 → divisible(144 / 4 = 36, 8) = 40 → 144 with biases (5,760 mults each way), project 144·24 + 48
    stage1 = (16 * 96 + 192 + 96 * 9 + 192 + 96 * 24 + 48, 1_536 * 784 + (864 + 2_304) * 196)
    copy = (24 * 144 + 288 + 144 * 25 + 288 + 144 * 40 + 40 + 40 * 144 + 144 + 144 * 24 + 48,
            (3_456 + 3_600 + 3_456) * 196 + 2 * 5_760)  # fmt: skip
    assert result.total == (stage1[0] + 2 * copy[0], stage1[1] + 2 * copy[1]) == (50_816, 5_968_896)
    names = [x.name for x in result.layers]
    assert "stage1.se.gate" not in names and "stage1.residual" not in names  # se: false; stride 2
    assert "stage2.2.se.gate" in names and names[-1] == "stage2.2.residual"


def test_a_huge_repeat_inside_a_block_stops_at_the_bound_at_once() -> None:
    # found by fuzzing: a named layer of a block with repeat 2**70 looked for its copies' names one by one
    text = """\
    input: [4, 4, 4]
    blocks:
      b: {layers: [{name: x, type: pointwise, out: 4, repeat: 1180591620717411303424}]}
    layers:
      - {name: u, type: b}
    """
    start = time.perf_counter()
    with pytest.raises(BoundError) as info:
        load_text(textwrap.dedent(text), "net.yaml")
    assert time.perf_counter() - start < 10  # a guard against walking 2**70 copies, not a speed target
    assert [str(p) for p in info.value.problems] == [
        "net.yaml:3:59: layers[0] (u.x): repeat: the specs would have more than 100,000 layers in all (the bound "
        "of one run; --max-layers N raises it)"
    ]


def test_a_shape_problem_of_a_layer_a_block_made_is_located_at_its_line_in_the_block() -> None:
    text = """\
    input: [8, 8, 8]
    blocks:
      res:
        params: {out: null}
        layers:
          - {name: p, type: pointwise, out: out}
          - {type: add, inputs: [input, p]}
    layers:
      - {name: r, type: res, out: 16}
    """
    with pytest.raises(SpecError) as info:
        cost_specs(load_text(textwrap.dedent(text), "net.yaml"))
    assert [str(p) for p in info.value.problems] == [
        "net.yaml:7:29: layers[0] (r.add1): inputs: add needs equal shapes, found 8×8×8 and 16×8×8"
    ]


def test_an_efficientnet_stage_strides_only_its_first_copy_and_squeezes_to_a_quarter_of_its_input() -> None:
    # torchvision's MBConv: expand, depthwise (the stage's stride on its first block only), SE squeezing to
    # max(1, block input // 4), project, and the residual where the shape keeps (every block after the first)
    text = (root_example := Path(__file__).resolve().parent / "data" / "efficientnet_stage.yaml").read_text()
    result = cost(text, root_example.name)
    copy1 = (16 * 96 + 192 + 96 * 9 + 192 + 96 * 4 + 4 + 4 * 96 + 96 + 96 * 24 + 48,
             1_536 * 16 * 16 + (864 + 2_304) * 8 * 8 + 2 * 384)  # fmt: skip
    copy2 = (24 * 144 + 288 + 144 * 9 + 288 + 144 * 6 + 6 + 6 * 144 + 144 + 144 * 24 + 48,
             (3_456 + 1_296 + 3_456) * 8 * 8 + 2 * 864)  # fmt: skip
    assert result.total == (copy1[0] + copy2[0], copy1[1] + copy2[1]) == (16_714, 1_123_776)
    shapes = {x.name: (x.output.channels, x.output.height) for x in result.layers}
    assert shapes["s.1.dw"] == (96, 8) and shapes["s.2.dw"] == (144, 8)
    assert shapes["s.1.se1.pointwise1"] == (4, 1) and shapes["s.2.se1.pointwise1"] == (6, 1)
    assert "s.1.add1" not in shapes and shapes["s.2.add1"] == (24, 8)
