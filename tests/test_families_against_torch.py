"""The model families of configs/ (a file whose ``variants:`` are torchvision's models of one family) against
torchvision itself: each variant built with ``weights=None``, its params ``sum(p.numel())`` and fvcore's conv +
linear multiply-accumulates at the variant's own resolution, against the variant's totals.

torch is never a dependency of dsc-cost: without torchvision and fvcore this module is skipped, and under
``DSC_COST_REFERENCE=1`` (CI's reference environment, .ci/run) it fails instead.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from reference_packages import need

from dsc_cost.spec import cost_specs, load_files

CONFIGS = Path(__file__).resolve().parent.parent / "configs"


torch = need("torch")
torchvision = need("torchvision")
fvcore_nn = need("fvcore.nn")


def builder(name: str) -> Callable[[], Any]:
    """torchvision.models.<name>(weights=None)."""
    return lambda: getattr(torchvision.models, name)(weights=None)


def mobilenet_v3_large_0_75() -> Any:
    """MobileNetV3-Large at width 0.75: torchvision has no builder of its own for it (no weights)."""
    mobilenetv3 = importlib.import_module("torchvision.models.mobilenetv3")
    settings, last = mobilenetv3._mobilenet_v3_conf("mobilenet_v3_large", width_mult=0.75)
    return mobilenetv3.MobileNetV3(settings, last)


# (config, variant, the torchvision model, its resolution): the resolution of each torchvision model's weights
# (its transforms' crop size), which the variant sets with its `resolution`.
FAMILIES: list[tuple[str, str, Callable[[], Any], int]] = [
    ("mobilenet_v2.yaml", "0_5", lambda: torchvision.models.mobilenet_v2(weights=None, width_mult=0.5), 224),
    ("mobilenet_v2.yaml", "0_75", lambda: torchvision.models.mobilenet_v2(weights=None, width_mult=0.75), 224),
    ("mobilenet_v2.yaml", "1_0", builder("mobilenet_v2"), 224),
    ("mobilenet_v2.yaml", "1_4", lambda: torchvision.models.mobilenet_v2(weights=None, width_mult=1.4), 224),
    *[
        ("efficientnet.yaml", f"b{n}", builder(f"efficientnet_b{n}"), side)
        for n, side in enumerate([224, 240, 288, 300, 380, 456, 528, 600])
    ],
    ("mobilenet_v3.yaml", "large", builder("mobilenet_v3_large"), 224),
    ("mobilenet_v3.yaml", "large_0_75", mobilenet_v3_large_0_75, 224),
    ("mobilenet_v3.yaml", "small", builder("mobilenet_v3_small"), 224),
    ("mnasnet.yaml", "0_5", builder("mnasnet0_5"), 224),
    ("mnasnet.yaml", "0_75", builder("mnasnet0_75"), 224),
    ("mnasnet.yaml", "1_0", builder("mnasnet1_0"), 224),
    ("mnasnet.yaml", "1_3", builder("mnasnet1_3"), 224),
    *[("shufflenet_v2.yaml", v, builder(f"shufflenet_v2_{v}"), 224) for v in ("x0_5", "x1_0", "x1_5", "x2_0")],
    *[("convnext.yaml", v, builder(f"convnext_{v}"), 224) for v in ("tiny", "small", "base")],
]


@pytest.mark.parametrize(
    ("config", "variant", "model", "resolution"), FAMILIES, ids=[f"{c}[{v}]" for c, v, _, _ in FAMILIES]
)
def test_family_variant_is_torchvisions(config: str, variant: str, model: Callable[[], Any], resolution: int) -> None:
    built = model().eval()
    analysis = fvcore_nn.FlopCountAnalysis(built, torch.zeros(1, 3, resolution, resolution))
    analysis.unsupported_ops_warnings(False)
    analysis.uncalled_modules_warnings(False)
    by_operator = analysis.by_operator()
    [ours] = cost_specs(load_files([str(CONFIGS / config)], variants=[variant]))
    assert tuple(ours.network.input)[-2:] == (resolution, resolution)
    assert (ours.total.params, ours.total.mults) == (
        sum(p.numel() for p in built.parameters()),
        by_operator.get("conv", 0) + by_operator.get("linear", 0),
    )
