"""The split layer: the channels cut into parts of given sizes or into equal parts, each part an output
of its own (NAME.0, NAME.1, …), nothing counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsc_cost.conventions import CONVENTIONS, extra_ops, layer_elements
from dsc_cost.formulas import Cost, Shape, ShapeError
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import other_ops
from dsc_cost.layers.split import SplitLayer
from dsc_cost.network import (
    ConcatLayer,
    DepthwiseLayer,
    Network,
    Node,
    PointwiseLayer,
    cost_network,
    evaluate,
    layer_inputs,
    what_ifs,
)
from dsc_cost.spec import SpecError, cost_specs, load_text

X = Shape(116, 28, 28)  # ShuffleNetV2 1×'s second stage


def test_registered() -> None:
    split = REGISTRY["split"]
    assert split.layer is SplitLayer and split.required == () and not split.multi_input
    assert [f.name for f in split.fields] == ["sizes", "parts"]


def test_equal_parts_and_given_sizes() -> None:
    half = Shape(58, 28, 28)
    assert SplitLayer(parts=2).outputs(X) == (half, half)
    # 116 = 4 · 29
    assert SplitLayer(parts=4).outputs(X) == (Shape(29, 28, 28),) * 4
    # 116 = 16 + 36 + 64, in order
    assert SplitLayer(sizes=(16, 36, 64)).outputs(X) == (Shape(16, 28, 28), Shape(36, 28, 28), Shape(64, 28, 28))
    assert SplitLayer(sizes=(16, 36, 64), parts=3).outputs(X)[2] == Shape(64, 28, 28)
    assert SplitLayer(parts=3).part_count == SplitLayer(sizes=(1, 2, 3)).part_count == 3


def test_a_split_costs_nothing_and_its_output_is_part_0() -> None:
    result = SplitLayer(sizes=(16, 100)).evaluate((X,))
    standard, separable = what_ifs(SplitLayer(sizes=(16, 100)), (X,))
    assert result.output == Shape(16, 28, 28)
    assert (result.cost, standard, separable) == (Cost(0, 0), Cost(0, 0), Cost(0, 0))
    assert result.parts == (("other", 0, 0),) and result.bn_params == 0
    elements = SplitLayer(sizes=(16, 100)).elements((X,), result.output)
    # a view of the input (torch.split, x.chunk): no other operations, and no counter sees any
    # (fvcore ignores aten::split and aten::chunk; torchinfo, thop and ptflops see no module)
    assert other_ops(elements) == 0
    assert all(extra_ops(convention, elements) == 0 for convention in CONVENTIONS.values())


def test_sizes_must_sum_to_the_channels_and_parts_divide_them() -> None:
    with pytest.raises(
        ShapeError, match=r"^sizes: expected sizes summing to the in channels 116, found 16 \+ 36 = 52$"
    ):
        SplitLayer(sizes=(16, 36)).evaluate((X,))
    with pytest.raises(ShapeError, match=r"^parts: expected a number of parts dividing the in channels 116, found 3$"):
        SplitLayer(parts=3).evaluate((X,))


def test_a_network_reads_each_part() -> None:
    # 116 channels split 58 + 58; part 1 through a 1×1 conv (58·58 = 3,364 weights, at 28·28 = 784
    # positions: 2,637,376 mults) and a depthwise 3×3 (58·9 = 522 weights, 409,248 mults); part 0 kept
    net = Network(
        "unit",
        X,
        (
            Node("s", "split", SplitLayer(parts=2)),
            Node("pw", "pointwise", PointwiseLayer(58), ("s.1",)),
            Node("dw", "depthwise", DepthwiseLayer((3, 3), padding=(1, 1))),
            Node("cat", "concat", ConcatLayer(), ("s.0", "dw")),
        ),
    )
    result = cost_network(net)
    assert result.total == Cost(3_364 + 522, 2_637_376 + 409_248)
    assert [layer.output for layer in result.layers] == [Shape(58, 28, 28)] * 3 + [X]
    half = Shape(58, 28, 28)
    assert layer_inputs(result) == [(X,), (half,), (half,), (half, half)]
    assert len(layer_elements(result)) == 4
    # without inputs, the layer after a split reads its part 0, as the split's output
    chained = Network(
        "chained",
        Shape(10, 4, 4),
        (Node("s", "split", SplitLayer(sizes=(4, 6))), Node("p", "pointwise", PointwiseLayer(2))),
    )
    assert cost_network(chained).total == Cost(4 * 2, 4 * 2 * 16)
    assert [shape for _, shape, _ in evaluate(chained)] == [Shape(10, 4, 4), Shape(4, 4, 4)]


SHUFFLE_UNIT = """\
input: [116, 28, 28]
layers:
  - {name: s, type: split, parts: 2}
  - {name: pw1, type: pointwise, out: 58, from: s.1}
  - {name: dw, type: depthwise, kernel: 3, padding: 1}
  - {name: pw2, type: pointwise, out: 58}
  - {name: cat, type: concat, inputs: [s.0, pw2]}
  - {type: shuffle, groups: 2}
"""


def test_from_a_spec() -> None:
    [result] = cost_specs(load_text(SHUFFLE_UNIT, "u.yaml"))
    # ShuffleNetV2's stride-1 unit on 116×28×28: two 1×1 convs of 58·58 = 3,364 weights and a depthwise 3×3 of
    # 58·9 = 522, each at 28·28 = 784 positions: 7,250 params, 5,684,000 mults
    assert result.total == Cost(2 * 3_364 + 522, 784 * (2 * 3_364 + 522))
    assert result.total == Cost(7_250, 5_684_000)
    assert result.network.nodes[1].inputs == ("s.1",)
    assert result.network.nodes[4].inputs == ("s.0", "pw2")
    assert result.output == X
    assert result.other_ops == 0  # no activations here; split, concat and shuffle count nothing


def test_the_layer_after_a_split_reads_part_0() -> None:
    text = "input: [10, 4, 4]\nlayers:\n  - {name: s, type: split, sizes: [4, 6]}\n  - {type: pointwise, out: 2}\n"
    [result] = cost_specs(load_text(text, "n.yaml"))
    assert result.network.nodes[1].inputs == ("s.0",)
    assert result.layers[1].input == Shape(4, 4, 4)
    assert result.total == Cost(8, 128)  # 4·2 weights at 4·4 positions


def test_a_repeated_split_and_its_parts() -> None:
    # copies s.1 and s.2: s.2 splits part 0 of s.1 (8 → 4 + 4 → 2 + 2); s.0 means the last copy's part 0
    text = (
        "input: [8, 4, 4]\nlayers:\n  - {name: s, type: split, parts: 2, repeat: 2}\n"
        "  - {name: a, type: pointwise, out: 1, from: s.1.1}\n  - {name: b, type: pointwise, out: 1, from: s.0}\n"
    )
    [result] = cost_specs(load_text(text, "n.yaml"))
    assert [node.inputs for node in result.network.nodes] == [(), (), ("s.1.1",), ("s.2.0",)]
    assert [layer.input.channels for layer in result.layers] == [8, 4, 4, 2]
    assert result.total == Cost(4 + 2, 16 * (4 + 2))


def test_a_split_in_a_block() -> None:
    text = """\
input: [16, 8, 8]
blocks:
  unit:
    layers:
      - {name: split, type: split, parts: 2}
      - {name: pw, type: pointwise, out: "in // 2", from: split.1}
      - {type: concat, inputs: [split.0, pw]}
layers:
  - {name: stage, type: unit, repeat: 2}
  - {name: tail, type: pointwise, out: 4, from: stage.2.split.1}
"""
    [result] = cost_specs(load_text(text, "b.yaml"))
    names = [node.name for node in result.network.nodes]
    assert names[:3] == ["stage.1.split", "stage.1.pw", "stage.1.concat1"]
    assert result.network.nodes[1].inputs == ("stage.1.split.1",)
    assert result.network.nodes[2].inputs == ("stage.1.split.0", "stage.1.pw")
    assert result.network.nodes[-1].inputs == ("stage.2.split.1",)
    # two 1×1 convs 8 → 8 (64 weights each) and one 8 → 4 (32), at 8·8 = 64 positions
    assert result.total == Cost(64 + 64 + 32, 64 * (64 + 64 + 32))


def problems(text: str, cost: bool = False) -> list[str]:
    with pytest.raises(SpecError) as info:
        specs = load_text(text, "n.yaml")
        if cost:
            cost_specs(specs)
    return [str(problem) for problem in info.value.problems]


def test_located_problems_all_at_once() -> None:
    text = """\
input: [8, 4, 4]
layers:
  - {name: s, type: split, sizes: [3, 5]}
  - {name: a, type: pointwise, out: 4, from: s}
  - {name: b, type: pointwise, out: 4, from: s.5}
  - {name: c, type: concat, inputs: [s.0, s.01]}
  - {name: s.1, type: pointwise, out: 2}
  - {name: t, type: split}
  - {name: u, type: split, sizes: [1, 2], parts: 3}
  - {name: v, type: split, sizes: [1], parts: 1}
  - {name: w, type: split, parts: 5000}
  - {name: q, type: split, parts: 6, from: input}
  - {name: r, type: pointwise, out: 1, from: q.6}
"""
    assert problems(text) == [
        "n.yaml:4:46: layers[1] (a): from: expected a part of split 's': 's.0' or 's.1', found 's'",
        "n.yaml:5:46: layers[2] (b): from: expected a part of split 's': 's.0' or 's.1', found 's.5'",
        "n.yaml:6:43: layers[3] (c): inputs: expected a part of split 's': 's.0' or 's.1', found 's.01'",
        "n.yaml:7:5: layers[4] (s.1): name: expected a unique name, found 's.1', a part of split 's'",
        "n.yaml:8:5: layers[5] (t): sizes: missing: split layers need sizes or parts",
        "n.yaml:9:5: layers[6] (u): parts: expected 2, the number of sizes, found 3",
        "n.yaml:10:35: layers[7] (v): sizes: expected a list of 2 to 4,096 positive integers (the channels of each"
        " part), found [1]",
        "n.yaml:10:47: layers[7] (v): parts: expected an integer from 2 to 4,096, found 1",
        "n.yaml:11:35: layers[8] (w): parts: expected an integer from 2 to 4,096, found 5000",
        "n.yaml:13:46: layers[10] (r): from: expected a part of split 'q': 'q.0', 'q.1', 'q.2', …, 'q.5', found 'q.6'",
    ]


def test_shape_problems_are_located_at_the_field() -> None:
    text = (
        "input: [8, 4, 4]\nlayers:\n  - {name: s, type: split, sizes: [3, 4]}\n"
        "  - {name: t, type: split, parts: 3, from: input}\n"
    )
    assert problems(text, cost=True) == [
        "n.yaml:3:35: layers[0] (s): sizes: expected sizes summing to the in channels 8, found 3 + 4 = 7",
        "n.yaml:4:35: layers[1] (t): parts: expected a number of parts dividing the in channels 8, found 3",
    ]


def test_a_name_taken_by_a_part_and_a_part_of_a_left_out_split() -> None:
    text = "input: [8, 4, 4]\nlayers:\n  - {name: s.0, type: pointwise, out: 8}\n  - {name: s, type: split, parts: 2}\n"
    assert problems(text) == [
        "n.yaml:4:12: layers[1] (s): name: expected a unique name, but part 's.0' of this split is an earlier layer's"
    ]
    text = """\
input: [8, 4, 4]
blocks:
  b:
    params: {use: false}
    layers:
      - {name: s, type: split, parts: 2, if: use}
      - {name: p, type: pointwise, out: 2, from: s.1}
layers:
  - {type: b}
"""
    assert problems(text) == [
        "n.yaml:7:50: layers[0] (b1.p): from: layer 's.1' is left out (its if: is false here): expected a"
        " layer that is kept"
    ]


def test_the_example_of_the_docs() -> None:
    root = Path(__file__).resolve().parent.parent
    example = (root / "tests" / "data" / "shuffle_unit.yaml").read_text(encoding="utf-8")
    assert f"```yaml\n{example}```" in (root / "docs" / "spec-format.md").read_text(encoding="utf-8")
    [result] = cost_specs(load_text(example, "shuffle_unit.yaml"))
    # as the docs derive it: two 1×1 convs of 58·58 weights + 2·58 batch-norm params, 58·58·784 mults each;
    # a depthwise 3×3 of 58·9 + 2·58, 58·9·784 mults
    assert result.total == Cost(2 * (58 * 58 + 116) + 58 * 9 + 116, 784 * (2 * 58 * 58 + 58 * 9))
    assert result.total == Cost(7_598, 5_684_000)
    # other operations: two relus and three batch-norms over 58·28·28 = 45,472 elements each
    assert result.other_ops == 5 * 45_472


def test_a_block_used_on_a_part_reads_its_shape() -> None:
    text = """\
input: [12, 4, 4]
blocks:
  half: {layers: [{type: pointwise, out: "in // 2"}]}
layers:
  - {name: s, type: split, sizes: [4, 8]}
  - {name: h, type: half, from: s.1}
  - {name: bad, type: half, from: s}
"""
    assert problems(text) == [
        "n.yaml:7:35: layers[2] (bad): from: expected a part of split 's': 's.0' or 's.1', found 's'"
    ]
    [result] = cost_specs(load_text(text.replace("  - {name: bad, type: half, from: s}\n", ""), "n.yaml"))
    # in is part 1's 8 channels: a 1×1 conv 8 → 4 at 4·4 positions
    assert result.network.nodes[1].inputs == ("s.1",)
    assert result.total == Cost(32, 32 * 16)
