"""torchvision models exported to ONNX with torch.onnx.export, both with the default dynamo exporter and with
``dynamo=False``, costed by dsc-cost from the file: its mults equal fvcore's conv + linear count of the torch
model, its params equal the graph's (its float initializers, scalars left out), and the spec ``dsc-cost import``
writes costs the same. The numbers are those of docs/onnx.md's table (scripts/onnx_table.py makes it).

Skipped where torch, torchvision, fvcore, onnx or onnxscript is missing, as tests/test_against_torch.py is;
with ``DSC_COST_REFERENCE=1`` a missing package fails the run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from reference_packages import need

ROOT = Path(__file__).resolve().parent.parent


for _name in ("torch", "torchvision", "fvcore.nn", "onnx", "onnxscript"):
    need(_name)

sys.path.insert(0, str(ROOT / "scripts"))
import onnx_table  # noqa: E402

# (fvcore's conv + linear mults, the graph's params) of each model, as fvcore 0.1.5 and torch 2.14.1's exporters
# give them (regression pins of their output; the test measures both again). MobileNetV3-Small's
# 54,896,576 + 1,613,824 = 56,510,400, EfficientNet-B0's 385,814,752 and ResNet-50's 4,089,184,256 are fvcore's
# conv + linear counts, as configs/ and tests/test_configs*.py pin them. The params are the graph's, counted from
# its initializers by onnx_table.graph_params: batch-norm folded into the convs, each batch-norm's 2 × C became C
# conv biases (ConvNeXt-Tiny has none to fold: torch's own 28,589,128).
EXPECTED = {
    "mobilenet_v2": (300_774_272, 3_487_816),
    "mobilenet_v3_small": (56_510_400, 2_536_800),
    # the graph's params: torch's 5,483,032 less the 12,200 channels whose batch-norm (2 per channel) became a bias
    "mobilenet_v3_large": (216_589_760, 5_470_832),
    "efficientnet_b0": (385_814_752, 5_267_540),
    "mnasnet1_0": (314_415_872, 4_364_352),
    "shufflenet_v2_x1_0": (144_907_992, 2_270_514),
    # ResNet-18: torch's 11,689,512 less its 4,800 batch-normalized channels (9,600 γ and β, 4,800 biases)
    "resnet18": (1_814_073_344, 11_684_712),
    "resnet50": (4_089_184_256, 25_530_472),
    "regnet_y_400mf": (401_842_848, 4_330_568),
    "convnext_tiny": (4_455_531_264, 28_589_128),
    "vgg16": (15_470_264_320, 138_357_544),  # no batch-norm: torch's own count
}


@pytest.mark.parametrize("exporter", onnx_table.EXPORTERS)
@pytest.mark.parametrize("name", onnx_table.MODELS)
def test_onnx_export_costs_what_fvcore_and_the_graph_say(tmp_path: Path, name: str, exporter: str) -> None:
    row = onnx_table.measure(name, exporter, tmp_path)
    mults, params = EXPECTED[name]
    assert row.mults == row.fvcore == mults
    assert row.params == row.graph == params
    assert row.round_trip  # the spec `dsc-cost import` writes costs the same, ShuffleNetV2's channel splits too
