"""ShuffleNet V2 1× (configs/shufflenet_v2_x1_0.yaml): its totals are the exact figures of issue 11's table
(torchvision 0.29 at 224×224: params are sum(p.numel()) with batch-norm, mults fvcore's conv + linear
multiply-accumulates), re-derived here from torchvision's layer definitions with plain arithmetic, and held
against the paper's rounded figures."""

from __future__ import annotations

from pathlib import Path

from conftest import Run, config_network, conv, rounds_to

CONFIGS = Path(__file__).resolve().parent.parent / "configs"


def dw(channels: int, size: int) -> tuple[int, int]:
    return conv(channels, channels, 3, size, groups=channels)


def down(cin: int, out: int, size: int) -> list[tuple[int, int]]:
    """torchvision's InvertedResidual with stride 2 on cin × size × size: branch1 (depthwise 3×3 stride 2,
    1×1 to out // 2) and branch2 (1×1 to out // 2 at the input's size, depthwise 3×3 stride 2, 1×1)."""
    half, t = out // 2, size // 2
    return [dw(cin, t), conv(cin, half, 1, t), conv(cin, half, 1, size), dw(half, t), conv(half, half, 1, t)]


def unit(channels: int, size: int) -> list[tuple[int, int]]:
    """torchvision's InvertedResidual with stride 1: x.chunk(2), branch2 (1×1, depthwise 3×3, 1×1) on one half."""
    half = channels // 2
    return [conv(half, half, 1, size), dw(half, size), conv(half, half, 1, size)]


def test_shufflenet_v2_x1_0_is_torchvisions(run: Run) -> None:
    net = config_network(run, "shufflenet_v2_x1_0.yaml")
    t = net["totals"]
    # Issue 11's table (torchvision 0.29 shufflenet_v2_x1_0): 2,278,604 params, 144,907,992 mults.
    assert (t["params"], t["mults"]) == (2_278_604, 144_907_992)
    assert t["standard"] and t["separable"]  # the what-if columns are there
    # By hand, torchvision's shufflenetv2.py: conv1 3×3 stride 2 to 24 (112×112), max pool to 56×56, stages of
    # [4, 8, 4] units to [116, 232, 464] channels (28, 14, 7), conv5 1×1 to 1024, x.mean([2, 3]), fc to 1000.
    parts = [conv(3, 24, 3, 112)]
    cin, size = 24, 56
    for out, units in [(116, 4), (232, 8), (464, 4)]:
        parts += down(cin, out, size)
        cin, size = out, size // 2
        for _ in range(units - 1):
            parts += unit(out, size)
    parts += [conv(464, 1024, 1, 7), (1024 * 1000 + 1000, 1024 * 1000)]
    assert sum(p for p, _ in parts) == 2_278_604
    assert sum(m for _, m in parts) == 144_907_992
    # every unit of stride 1 splits its channels in two, so 3 + 7 + 3 = 13 splits, each read by its parts
    splits = [x for x in net["layers"] if x["type"] == "split"]
    assert len(splits) == 13 and all(x["params"] == x["mults"] == 0 for x in splits)
    assert splits[0]["name"] == "stage2.unit.1.split"


def test_shufflenet_v2_x1_0_against_the_papers_figures(run: Run) -> None:
    t = config_network(run, "shufflenet_v2_x1_0.yaml")["totals"]
    # Ma et al., ECCV 2018, Table 5 (and Table 8): ShuffleNet V2 1× has 146M FLOPs (multiply-adds) and 2.3M
    # params. The params round to 2.3M; the mults, 144.9M, round to 145M, not 146M.
    assert rounds_to(t["params"], "2.3", 10**6)
    assert not rounds_to(t["mults"], "146", 10**6) and rounds_to(t["mults"], "145", 10**6)
    # The paper's figures are those of the authors' own code (megvii-model/ShuffleNet-Series, whose README gives
    # 146M and 2.3M for 1.0x): its stride-2 unit gives the shortcut branch the unit's input channels
    # (depthwise 3×3, then 1×1 from cin to cin) and the main branch out − cin, so stage 2's first unit
    # at 24 → 116 has a 24-channel shortcut and a 92-channel main branch where torchvision has 58 and 58.
    # The other stride-2 units have cin = out // 2: the same in both. Its classifier has no bias.
    torchvision_unit = down(24, 116, 56)
    half, t28 = 58, 28
    megvii_unit = [dw(24, t28), conv(24, 24, 1, t28), conv(24, half, 1, 56), dw(half, t28), conv(half, 92, 1, t28)]
    extra_mults = sum(m for _, m in megvii_unit) - sum(m for _, m in torchvision_unit)
    extra_params = sum(p for p, _ in megvii_unit) - sum(p for p, _ in torchvision_unit)
    # 24·24 + 58·92 − 24·58 − 58·58 = 1,156 more weights at 28·28 positions; the same 256 batch-norm channels in both
    assert (extra_params, extra_mults) == (1_156, 1_156 * 784) == (1_156, 906_304)
    megvii_mults, megvii_params = t["mults"] + extra_mults, t["params"] + extra_params - 1000
    assert (megvii_mults, megvii_params) == (145_814_296, 2_278_760)
    assert rounds_to(megvii_mults, "146", 10**6) and rounds_to(megvii_params, "2.3", 10**6)
