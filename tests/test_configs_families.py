"""The model families of configs/ (one file, its `variants:` torchvision's models of one family): every variant
loads and is named ``NAME[variant]``, at its own resolution, and its totals are the published figures.

Published figures: torchvision 0.29's model documentation ("Model builders" pages, the table of each weights
enum), which lists each model's params (sum(p.numel()), batch-norm included) exactly and its GFLOPS (fvcore's
multiply-accumulates) to three decimals. The exact mults of every variant are checked against fvcore itself by
the reference test tests/test_families_against_torch.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from conftest import ROOT, Run, rounds_to

CONFIGS = ROOT / "configs"

# (config, variant, resolution, params, GFLOPS): torchvision 0.29's documentation, each model's weights table
# (e.g. EfficientNet_B7_Weights.IMAGENET1K_V1: 66,347,960 params, 37.746 GFLOPS, crop 600).
PUBLISHED: list[tuple[str, str, int, int, str]] = [
    ("mobilenet_v2.yaml", "1_0", 224, 3_504_872, "0.301"),
    ("efficientnet.yaml", "b0", 224, 5_288_548, "0.386"),
    ("efficientnet.yaml", "b1", 240, 7_794_184, "0.687"),
    ("efficientnet.yaml", "b2", 288, 9_109_994, "1.088"),
    ("efficientnet.yaml", "b3", 300, 12_233_232, "1.827"),
    ("efficientnet.yaml", "b4", 380, 19_341_616, "4.394"),
    ("efficientnet.yaml", "b5", 456, 30_389_784, "10.266"),
    ("efficientnet.yaml", "b6", 528, 43_040_704, "19.068"),
    ("efficientnet.yaml", "b7", 600, 66_347_960, "37.746"),
    ("mobilenet_v3.yaml", "large", 224, 5_483_032, "0.217"),
    ("mobilenet_v3.yaml", "small", 224, 2_542_856, "0.057"),
    ("mnasnet.yaml", "0_5", 224, 2_218_512, "0.104"),
    ("mnasnet.yaml", "0_75", 224, 3_170_208, "0.215"),
    ("mnasnet.yaml", "1_0", 224, 4_383_312, "0.314"),
    ("mnasnet.yaml", "1_3", 224, 6_282_256, "0.526"),
    ("shufflenet_v2.yaml", "x0_5", 224, 1_366_792, "0.040"),
    ("shufflenet_v2.yaml", "x1_0", 224, 2_278_604, "0.145"),
    ("shufflenet_v2.yaml", "x1_5", 224, 3_503_624, "0.296"),
    ("shufflenet_v2.yaml", "x2_0", 224, 7_393_996, "0.583"),
    ("convnext.yaml", "tiny", 224, 28_589_128, "4.456"),
    ("convnext.yaml", "small", 224, 50_223_688, "8.684"),
    ("convnext.yaml", "base", 224, 88_591_464, "15.355"),
]

# Each family and its variants, in the order the file declares them.
FAMILIES: dict[str, list[str]] = {
    "mobilenet_v2.yaml": ["0_5", "0_75", "1_0", "1_4"],
    "efficientnet.yaml": [f"b{n}" for n in range(8)],
    "mobilenet_v3.yaml": ["large", "large_0_75", "small"],
    "mnasnet.yaml": ["0_5", "0_75", "1_0", "1_3"],
    "shufflenet_v2.yaml": ["x0_5", "x1_0", "x1_5", "x2_0"],
    "convnext.yaml": ["tiny", "small", "base"],
}


def variants(run: Run, config: str, *options: str) -> list[dict[str, Any]]:
    """The networks of ``network configs/<config> --format json`` with ``options``: it must succeed quietly."""
    code, out, err = run("network", str(CONFIGS / config), "--format", "json", *options)
    assert (code, err) == (0, "")
    return json.loads(out)["networks"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("config", FAMILIES)
def test_every_variant_loads(run: Run, config: str) -> None:
    declared = yaml.safe_load((CONFIGS / config).read_text(encoding="utf-8"))["variants"]
    assert list(declared) == FAMILIES[config]
    name = yaml.safe_load((CONFIGS / config).read_text(encoding="utf-8"))["name"]
    nets = variants(run, config, "--variant", "all")
    assert [n["name"] for n in nets] == [f"{name}[{v}]" for v in FAMILIES[config]]
    for net, variant in zip(nets, FAMILIES[config], strict=True):
        side = declared[variant].get("resolution", 224)
        assert (net["input"]["height"], net["input"]["width"]) == (side, side)
        assert net["totals"]["params"] > 0 and net["totals"]["mults"] > 0


@pytest.mark.parametrize(("config", "variant", "resolution", "params", "gflops"), PUBLISHED)
def test_published_figures(run: Run, config: str, variant: str, resolution: int, params: int, gflops: str) -> None:
    [net] = variants(run, config, "--variant", variant)
    assert (net["input"]["height"], net["input"]["width"]) == (resolution, resolution)
    assert net["totals"]["params"] == params
    assert rounds_to(net["totals"]["mults"], gflops, 10**9)


def test_mobilenet_v2_widths_are_the_tf_slim_release() -> None:
    """The authors' TF-slim release (tensorflow/models, research/slim/nets/mobilenet/README.md) lists MobileNetV2
    at 224 with 97, 209, 300 and 582 million MACs at widths 0.5, 0.75, 1.0 and 1.4, cut (not rounded) to millions;
    its params leave batch-norm out, so only the MACs are compared."""
    from dsc_cost.spec import cost_specs, load_files

    results = cost_specs(load_files([str(CONFIGS / "mobilenet_v2.yaml")], variants=["all"]))
    assert [r.total.mults // 10**6 for r in results] == [97, 209, 300, 582]


def test_mobilenet_v2_1_4_widens_the_last_conv() -> None:
    """torchvision's last conv has make_divisible(1280 · max(1, width), 8) channels: 1,280 below width 1, 1,792 at
    width 1.4 (1280 × 1.4 = 1792, a multiple of 8)."""
    from dsc_cost.spec import cost_specs, load_files

    results = cost_specs(load_files([str(CONFIGS / "mobilenet_v2.yaml")], variants=["0_5", "1_4"]))
    outs = [next(layer.output for layer in r.layers if layer.name == "conv2")[0] for r in results]
    assert outs == [1280, 1792]


def test_mobilenet_v3_large_0_75_is_the_width_sweeps() -> None:
    """torchvision publishes no MobileNetV3-Large 0.75 weights; its _mobilenet_v3_conf("mobilenet_v3_large",
    width_mult=0.75) builds 3,377,576 params and 140,033,816 fvcore mults (the figures tests/test_width.py holds
    `sweep --width 0.75 --divisor 8` of configs/mobilenet_v3_large.yaml to), which the variant gives too."""
    from dsc_cost.spec import cost_specs, load_files

    [ours] = cost_specs(load_files([str(CONFIGS / "mobilenet_v3.yaml")], variants=["large_0_75"]))
    assert (ours.total.params, ours.total.mults) == (3_377_576, 140_033_816)


@pytest.mark.parametrize(
    ("family", "variant", "single"),
    [
        ("efficientnet.yaml", "b0", "efficientnet_b0.yaml"),
        ("mobilenet_v3.yaml", "large", "mobilenet_v3_large.yaml"),
        ("mobilenet_v3.yaml", "small", "mobilenet_v3_small.yaml"),
        ("mnasnet.yaml", "1_0", "mnasnet1_0.yaml"),
        ("shufflenet_v2.yaml", "x1_0", "shufflenet_v2_x1_0.yaml"),
        ("convnext.yaml", "tiny", "convnext_tiny.yaml"),
    ],
)
def test_a_family_variant_is_its_single_model_config(run: Run, family: str, variant: str, single: str) -> None:
    """The variant and the single-model config beside it are the same network, layer by layer."""
    [ours] = variants(run, family, "--variant", variant)
    [theirs] = variants(run, single)
    assert [(x["name"], x["params"], x["mults"]) for x in ours["layers"]] == [
        (x["name"], x["params"], x["mults"]) for x in theirs["layers"]
    ]
