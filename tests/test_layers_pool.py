"""The pool layer: max or average, windowed or global; costs nothing."""

from __future__ import annotations

import pytest

from dsc_cost.formulas import Cost, Shape, ShapeError
from dsc_cost.layers import REGISTRY
from dsc_cost.layers.base import Elements, other_ops
from dsc_cost.layers.pool import PoolLayer
from dsc_cost.spec import SpecError, load_text

X = Shape(3, 7, 7)


def test_registered() -> None:
    pool = REGISTRY["pool"]
    assert pool.layer is PoolLayer and pool.required == ()
    assert [f.name for f in pool.fields] == ["mode", "kernel", "stride", "padding", "global", "ceil_mode", "output"]
    assert pool.by_name["stride"].default == "the kernel"


def test_from_a_spec() -> None:
    [spec] = load_text("input: [3, 7, 7]\nlayers: [{type: pool, mode: avg, global: true}]\n", "net.yaml")
    assert spec.network.nodes[0].layer == PoolLayer("avg", global_=True)
    with pytest.raises(SpecError, match=r"kernel: missing: pool layers need a kernel, an output size or global: true"):
        load_text("input: [3, 7, 7]\nlayers: [{type: pool, mode: avg}]\n", "net.yaml")


@pytest.mark.parametrize(
    ("layer", "output"),
    [
        (PoolLayer("avg", global_=True), Shape(3, 1, 1)),
        (PoolLayer("max", (2, 2)), Shape(3, 3, 3)),  # stride defaults to the kernel: floor((7 − 2)/2) + 1
        (PoolLayer("max", (3, 3), (2, 2), "same"), Shape(3, 4, 4)),  # ceil(7/2)
        (PoolLayer("max", (3, 3), (2, 2), (1, 1)), Shape(3, 4, 4)),  # floor((7 + 2 − 3)/2) + 1
    ],
)
def test_pool(layer: PoolLayer, output: Shape) -> None:
    result = layer.evaluate((X,))
    assert (result.output, result.cost) == (output, Cost(0, 0))


def test_padding_beyond_half_the_kernel() -> None:
    with pytest.raises(ShapeError, match=r"expected at most half the kernel 2, found 2"):
        PoolLayer("max", (2, 2), padding=(2, 2)).evaluate((X,))


def test_elements() -> None:
    # 3×7×7 = 147 input elements; a 2×2 pool gives 3×3×3 = 27 outputs, each reading 2·2 = 4: 108 reads
    assert PoolLayer("max", (2, 2)).elements((X,), Shape(3, 3, 3)) == Elements(max_pool_inputs=147, pool_reads=108)
    assert PoolLayer("avg", (2, 2)).elements((X,), Shape(3, 3, 3)) == Elements(
        avg_pool_inputs=147, avg_pool_outputs=27, pool_reads=108
    )
    assert PoolLayer("avg", global_=True).elements((X,), Shape(3, 1, 1)) == Elements(
        global_avg_inputs=147, global_avg_outputs=3, pool_reads=147
    )
    assert other_ops(PoolLayer("max", (2, 2)).elements((X,), Shape(3, 3, 3))) == 108


def side(length: int, kernel: int, stride: int, padding: int = 0, ceil_mode: bool = True) -> int:
    """The output height of a square pool on a 1-channel square input."""
    layer = PoolLayer("max", (kernel, kernel), (stride, stride), (padding, padding), ceil_mode=ceil_mode)
    return layer.evaluate((Shape(1, length, length),)).output.height


def test_ceil_mode_googlenet() -> None:
    # GoogLeNet's 3×3 stride-2 max pools with ceil_mode=True at 224×224: conv1 (7×7/2, padding 3) gives 112;
    # 112: ceil((112 − 3)/2) + 1 = ceil(54.5) + 1 = 56 (floor: 54 + 1 = 55)
    assert (side(112, 3, 2), side(112, 3, 2, ceil_mode=False)) == (56, 55)
    # 56: ceil(53/2) + 1 = 28; 28: ceil(25/2) + 1 = 14; 14: ceil(11/2) + 1 = 7 (the paper's 28, 14, 7)
    assert (side(56, 3, 2), side(28, 3, 2), side(14, 3, 2)) == (28, 14, 7)
    # torchvision's GoogLeNet maxpool4 is 2×2 stride 2, ceil: 14 → ceil(12/2) + 1 = 7
    assert side(14, 2, 2) == 7


def test_ceil_mode_squeezenet() -> None:
    # SqueezeNet 1.0 at 227×227: conv1 7×7/2 gives floor(220/2) + 1 = 111; its ceil pools then give
    # 111: ceil(108/2) + 1 = 55; 55: ceil(52/2) + 1 = 27; 27: ceil(24/2) + 1 = 13 (exact: floor gives the same)
    assert (side(111, 3, 2), side(55, 3, 2), side(27, 3, 2)) == (55, 27, 13)
    # at 224×224 they differ: conv1 gives floor(217/2) + 1 = 109; 109: ceil(106/2) + 1 = 54 (floor: 54);
    # 54: ceil(51/2) + 1 = 27 (floor: 26); 27: 13 (floor from 26: floor(23/2) + 1 = 12)
    assert (side(109, 3, 2), side(54, 3, 2), side(27, 3, 2)) == (54, 27, 13)
    assert (side(54, 3, 2, ceil_mode=False), side(26, 3, 2, ceil_mode=False)) == (26, 12)


def test_ceil_mode_last_window_must_start_inside() -> None:
    # 5 wide, 2×2 stride 2, padding 1: ceil((5 + 2 − 2)/2) + 1 = ceil(2.5) + 1 = 4, but the 4th window would
    # start at (4 − 1)·2 = 6 ≥ 5 + 1 (beyond the input and its left padding): PyTorch drops it, 3
    assert side(5, 2, 2, padding=1) == 3
    # 8 wide, 3×3 stride 2, padding 1: ceil(7/2) + 1 = 5, the last starts at 8 < 9: kept (floor: 4)
    assert (side(8, 3, 2, padding=1), side(8, 3, 2, padding=1, ceil_mode=False)) == (5, 4)
    # 'same' already rounds up: ceil(7/2) = 4 either way
    same = PoolLayer("max", (3, 3), (2, 2), "same", ceil_mode=True).evaluate((X,)).output
    assert same == Shape(3, 4, 4)


def test_ceil_mode_from_a_spec() -> None:
    [spec] = load_text(
        "input: [1, 112, 112]\nlayers: [{type: pool, kernel: 3, stride: 2, ceil_mode: true}]\n", "n.yaml"
    )
    assert spec.network.nodes[0].layer == PoolLayer("max", (3, 3), (2, 2), ceil_mode=True)
    with pytest.raises(SpecError, match=r"ceil_mode: expected true or false, found 'yes'"):
        load_text("input: [1, 8, 8]\nlayers: [{type: pool, kernel: 2, ceil_mode: 'yes'}]\n", "n.yaml")


def test_adaptive_output_size() -> None:
    # PyTorch's AdaptiveAvgPool2d((7, 7)) (VGG's) and AdaptiveAvgPool2d((2, 3)): the output size as given
    assert PoolLayer("avg", output=(7, 7)).evaluate((Shape(512, 14, 14),)).output == Shape(512, 7, 7)
    assert PoolLayer("max", output=(2, 3)).evaluate((X,)).output == Shape(3, 2, 3)
    assert PoolLayer("avg", output=(3, 3)).evaluate((X,)).cost == Cost(0, 0)
    # output 1 is the global pool, counted alike
    one = PoolLayer("avg", output=(1, 1))
    assert one.evaluate((X,)).output == Shape(3, 1, 1)
    assert one.elements((X,), Shape(3, 1, 1)) == PoolLayer("avg", global_=True).elements((X,), Shape(3, 1, 1))


def test_adaptive_windows() -> None:
    # 7 → 3: windows [0, 3), [2, 5), [4, 7) (floor(i·7/3) to ceil((i + 1)·7/3)): 3 + 3 + 3 = 9 reads per axis,
    # 3 channels · 9 · 9 = 243 (they overlap); 14 → 7: windows of 2, 14 per axis, 512 · 14 · 14 = 100,352
    assert PoolLayer("avg", output=(3, 3)).elements((X,), Shape(3, 3, 3)) == Elements(
        global_avg_inputs=147, global_avg_outputs=27, pool_reads=243
    )
    big = Shape(512, 14, 14)
    assert PoolLayer("max", output=(7, 7)).elements((big,), Shape(512, 7, 7)) == Elements(
        max_pool_inputs=100_352, pool_reads=100_352
    )


def test_adaptive_for_counters() -> None:
    from dsc_cost.conventions import CONVENTIONS, extra_ops

    big = Shape(512, 14, 14)  # 100,352 elements in, 512·7·7 = 25,088 out
    average = PoolLayer("avg", output=(7, 7)).elements((big,), Shape(512, 7, 7))
    maximum = PoolLayer("max", output=(7, 7)).elements((big,), Shape(512, 7, 7))
    found = {t: (extra_ops(CONVENTIONS[t], average), extra_ops(CONVENTIONS[t], maximum)) for t in CONVENTIONS}
    assert found == {
        "torchinfo": (0, 0),  # no parameters
        # pool_flops_counter_hook, then the patched F.adaptive_avg_pool2d / F.adaptive_max_pool2d: 2 per input
        "ptflops": (2 * 100_352, 2 * 100_352),
        "fvcore": (100_352, 0),  # aten::adaptive_avg_pool2d: elementwise_flop_counter(1, 0); max: no handle
        # count_adap_avgpool: (14/7 · 14/7 + 1) per output element = inputs + outputs; AdaptiveMaxPool2d zero_ops
        "thop": (100_352 + 25_088, 0),
        "keras": (0, 0),
        "flops": (0, 0),
    }


def test_output_with_a_kernel_or_global_must_agree() -> None:
    # 7 with a 2×2 stride-2 kernel gives 3; output 3 agrees and the pool stays windowed
    assert PoolLayer("max", (2, 2), output=(3, 3)).evaluate((X,)).output == Shape(3, 3, 3)
    with pytest.raises(ShapeError, match=r"output: output 4×4 disagrees with the kernel's output 3×3 of the input 7×7"):
        PoolLayer("max", (2, 2), output=(4, 4)).evaluate((X,))
    assert PoolLayer("avg", global_=True, output=(1, 1)).evaluate((X,)).output == Shape(3, 1, 1)
    with pytest.raises(ShapeError, match=r"output: global: true pools to 1×1, found output 2×2"):
        PoolLayer("avg", global_=True, output=(2, 2)).evaluate((X,))


def test_adaptive_from_a_spec() -> None:
    [spec] = load_text("input: [512, 14, 14]\nlayers: [{type: pool, mode: avg, output: 7}]\n", "n.yaml")
    assert spec.network.nodes[0].layer == PoolLayer("avg", output=(7, 7))
    [spec] = load_text("input: [512, 14, 14]\nlayers: [{type: pool, output: [2, 3]}]\n", "n.yaml")
    assert spec.network.nodes[0].layer == PoolLayer("max", output=(2, 3))
    with pytest.raises(SpecError, match=r"output: expected a positive integer or \[height, width\] of them, found 0"):
        load_text("input: [3, 7, 7]\nlayers: [{type: pool, output: 0}]\n", "n.yaml")
