"""The two examples of docs/spec-format.md that use the layer types beyond convolutions (a ConvNeXt block and a
segmentation head): the page shows the files as they are, and their numbers are derived here by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

ROOT = Path(__file__).resolve().parent.parent


def network(run: Run, file: str, *options: str) -> dict[str, Any]:
    code, out, err = run("network", f"tests/data/{file}", "--format", "json", *options)
    assert (code, err) == (0, "")
    [net] = json.loads(out)["networks"]
    return net  # type: ignore[no-any-return]


@pytest.mark.parametrize("file", ["convnext_block.yaml", "decoder.yaml"])
def test_the_page_shows_the_file(file: str) -> None:
    text = (ROOT / "tests" / "data" / file).read_text(encoding="utf-8")
    assert f"```yaml\n{text}```\n" in (ROOT / "docs" / "spec-format.md").read_text(encoding="utf-8")


def test_convnext_block(run: Run) -> None:
    net = network(run, "convnext_block.yaml", "--as", "torchinfo")
    positions = 56 * 56
    dw, norm, fc1, fc2, gamma = 96 * 49 + 96, 2 * 96, 96 * 384 + 384, 384 * 96 + 96, 96
    assert net["totals"]["params"] == dw + norm + fc1 + fc2 + gamma == 79_296
    # the depthwise 7×7 and both channel MLP Linear layers at every position
    assert net["totals"]["mults"] == positions * (96 * 49 + 96 * 384 + 384 * 96) == 245_962_752
    # one per element of the layer-norm, the GELU (384 channels), the scale and the sum
    assert net["totals"]["other_ops"] == positions * (96 + 384 + 96 + 96) == 2_107_392
    # torchinfo 1.8: a conv's params per output position, the norm's and the Linear layers' params once
    assert net["totals"]["as"]["ops"] == dw * positions + norm + fc1 + fc2 == 15_127_200


def test_segmentation_head(run: Run) -> None:
    net = network(run, "decoder.yaml", "--as", "fvcore")
    layers = {layer["name"]: layer for layer in net["layers"]}
    assert [layers[name]["output"]["height"] for name in ("pyramid", "back", "up", "full")] == [2, 14, 28, 112]
    assert layers["up"]["output"]["height"] == (14 - 1) * 2 - 2 * 1 + 4 == 28  # PyTorch's transposed conv rule
    reduce, up, gn, classes = 64 * 16 + 2 * 16, 80 * 32 * 16 + 2 * 32, 2 * 32, 32 * 21 + 21
    assert net["totals"]["params"] == reduce + up + gn + classes == 42_837
    # the transposed conv per input position (14·14·80 inputs × 32·16 weights each)
    assert layers["up"]["mults"] == 14 * 14 * 80 * 32 * 16 == 8_028_160
    assert net["totals"]["mults"] == 64 * 16 * 4 + 8_028_160 + 28 * 28 * 32 * 21 == 8_559_104
    # the pool reads its 4 windows of 7×7 in 64 channels; bilinear upsampling 4 per output element; one per
    # element of batch-norm (16·2·2 and 32·28·28), ReLU and group-norm (32·28·28 each)
    pool, bilinear, per_element = 64 * 4 * 49, 4 * (16 * 14 * 14 + 21 * 112 * 112), 16 * 4 + 3 * 32 * 28 * 28
    assert net["totals"]["other_ops"] == pool + bilinear + per_element == 1_154_112
    # fvcore 0.1.5: adaptive pool 1 per input element, batch-norm 2 and group-norm 5 per element, bilinear
    # upsampling 4 per output element
    fvcore = 64 * 14 * 14 + 2 * (16 * 4 + 32 * 28 * 28) + 5 * 32 * 28 * 28 + bilinear
    assert net["totals"]["as"]["ops"] == net["totals"]["mults"] + fvcore == 9_813_632
