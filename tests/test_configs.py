"""The reference configs in configs/: every file runs in every format, and each of the five networks
gives exact totals that are pinned here, each one justified in a comment: either it equals a published
exact count (a framework's figure minus its batch-norm, counted by hand), or it is the tool's output,
checked against the published rounded figure with the tolerance of its rounding, or (for the what-ifs,
which nobody publishes) re-derived here from the paper's layer table with plain arithmetic."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Run, config_network, rounds_to, truncates_to

CONFIGS = Path(__file__).resolve().parent.parent / "configs"
FILES = sorted(p for p in CONFIGS.iterdir() if p.suffix in {".yaml", ".yml", ".json"})
FORMATS = ("table", "json", "csv", "markdown")
M, G = 10**6, 10**9


def output(run: Run, *argv: str) -> str:
    """What ``dsc-cost ARGV`` prints, which must succeed with nothing on stderr."""
    code, out, err = run(*argv)
    assert (code, err) == (0, "")
    return out


def totals(net: dict[str, Any]) -> tuple[int, int, int, int, int, int]:
    """(params, mults, as-standard params and mults, as-separable params and mults)."""
    t = net["totals"]
    return (
        t["params"], t["mults"],
        t["standard"]["params"], t["standard"]["mults"],
        t["separable"]["params"], t["separable"]["mults"],
    )  # fmt: skip


def share(part: int, total: int) -> str:
    return f"{100 * part / total:.2f}"


def standard_minus_separable(c: int, o: int, k: int, hw: int, n: int = 1) -> tuple[int, int]:
    """What n standard k×k convs C→O with an hw×hw output cost more than depthwise k×k + pointwise
    (a bias, if any, is the same O on both sides): (params, mults)."""
    params = c * k * k * o - (c * k * k + c * o)
    return n * params, n * params * hw * hw


def sum_pairs(pairs: list[tuple[int, int]]) -> tuple[int, int]:
    return sum(p for p, _ in pairs), sum(m for _, m in pairs)


# ---------------------------------------------------------------- every config, every format


def test_the_config_set() -> None:
    names = {p.name for p in FILES}
    assert {
        "mobilenet_v1.yaml", "mobilenet_v2.yaml", "resnet18.yaml", "vgg16.yaml", "xception.yaml",
        "seeds.yaml", "seed_16_to_32.json",
    } <= names  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_config_runs_in_every_format(run: Run, path: Path, fmt: str) -> None:
    out = output(run, "network", str(path), "--format", fmt)
    assert out.strip()
    if fmt == "json":
        nets = json.loads(out)["networks"]
        assert nets and all(n["layers"] and n["totals"]["params"] > 0 for n in nets)
    elif fmt == "csv":
        header, *rows = list(csv.reader(io.StringIO(out)))
        assert header[:3] == ["network", "layer", "type"]
        assert rows and all(len(row) == len(header) for row in rows)
    elif fmt == "markdown":
        assert out.startswith("### ")
    else:
        assert "\ntotal " in out


@pytest.mark.parametrize(
    ("file", "layer", "shape"),
    [
        ("mobilenet_v2.yaml", "block17.project", (320, 7, 7)),
        ("mobilenet_v2.yaml", "conv2", (1280, 7, 7)),
        ("resnet18.yaml", "maxpool", (64, 56, 56)),
        ("resnet18.yaml", "layer4.1.add", (512, 7, 7)),
        ("vgg16.yaml", "pool5", (512, 7, 7)),
        ("xception.yaml", "block1_conv2", (64, 147, 147)),
        ("xception.yaml", "block4.add", (728, 19, 19)),  # the middle flow's 19×19×728 of Figure 5
        ("xception.yaml", "block13.add", (1024, 10, 10)),
        ("xception.yaml", "block14_sepconv2", (2048, 10, 10)),
    ],
)
def test_feature_map_sizes(run: Run, file: str, layer: str, shape: tuple[int, ...]) -> None:
    net = config_network(run, file)
    [found] = [x["output"] for x in net["layers"] if x["name"] == layer]
    assert (found["channels"], found["height"], found["width"]) == shape
    assert net["output"] == {"channels": 1000, "height": 1, "width": 1}


# ---------------------------------------------------------------- MobileNet V1


def test_mobilenet_v1(run: Run) -> None:
    # Howard et al. 2017, Table 4: 569M mult-adds, 4.2M params; as all-standard ("Conv MobileNet")
    # 4866M and 29.3M.
    net = config_network(run, "mobilenet_v1.yaml")
    params, mults, std_params, std_mults, sep_params, sep_mults = totals(net)
    fc_params, fc_mults = 1024 * 1000 + 1000, 1024 * 1000

    # Published exact: Keras' MobileNet (alpha 1.0, 224) has 4,253,864 params, BN included at 4 per
    # channel (gamma, beta, moving mean, moving variance; its 21,888 non-trainable = 2 × 10,944).
    # BN channels: conv1 32, then each block's depthwise (in) and pointwise (out):
    # 32+64, 64+128, 128+128, 128+256, 256+256, 256+512, 5 × (512+512), 512+1024, 1024+1024.
    bn = 32 + 96 + 192 + 256 + 384 + 512 + 768 + 5 * 1024 + 1536 + 2048
    assert bn == 10_944
    assert params == 4_253_864 - 4 * bn == 4_210_088
    assert rounds_to(params, "4.2", M)

    # Tool output, checked against the published 569M.
    assert mults == 568_740_352
    assert rounds_to(mults, "569", M)

    # As standard, tool output: 29.3M params matches, fc included (28.26M without it).
    assert std_params == 29_282_120
    assert rounds_to(std_params, "29.3", M) and not rounds_to(std_params - fc_params, "29.3", M)
    # The published 4866M does not: 4,867.29M rounds to 4867. Only without the fc's 1.024M mults
    # (4,866.27M) does it round to 4866, while the 569M and 29.3M beside it include the fc; so the
    # paper's 4866 seems to leave the fc out (or is a slip). The tool counts the fc, as for 569M.
    assert std_mults == 4_867_293_184
    assert not rounds_to(std_mults, "4866", M)
    assert rounds_to(std_mults - fc_mults, "4866", M)

    # As separable, no published figure: re-derived, conv1 (3→32, 3×3, out 112×112) as
    # depthwise + pointwise, everything else as it is.
    saved = standard_minus_separable(3, 32, 3, 112)
    assert (sep_params, sep_mults) == (params - saved[0], mults - saved[1]) == (4_209_347, 559_445_248)


def test_mobilenet_v1_table_2_shares(run: Run) -> None:
    # Howard et al. 2017, Table 2, "Resource per layer type".
    net = config_network(run, "mobilenet_v1.yaml")
    kind, params, mults = net["by_kind"], net["totals"]["params"], net["totals"]["mults"]
    # Mult-adds: 1×1 94.86%, depthwise 3.06%, full 3×3 conv 1.91%, FC 0.18%. The paper prints 1.19% for
    # the full conv, a transposition: the four printed shares sum to 99.29%, with 1.91% to 100.01%.
    assert [share(kind[k]["mults"], mults) for k in ("pointwise", "depthwise", "conv", "linear")] == [
        "94.86", "3.06", "1.91", "0.18",
    ]  # fmt: skip
    # Parameters, with the fc's bias (1,000) as the spec counts it.
    assert [share(kind[k]["params"], params) for k in ("pointwise", "depthwise", "conv", "linear")] == [
        "74.57", "1.06", "0.02", "24.35",
    ]  # fmt: skip
    # Without it, exactly the paper's printed 74.59%, 1.06%, 0.02%, 24.33%: its Table 2 counts the fc's
    # weights only.
    weights = params - 1000
    assert [
        share(kind["pointwise"]["params"], weights), share(kind["depthwise"]["params"], weights),
        share(kind["conv"]["params"], weights), share(kind["linear"]["params"] - 1000, weights),
    ] == ["74.59", "1.06", "0.02", "24.33"]  # fmt: skip


# ---------------------------------------------------------------- MobileNetV2

# Table 2 of Sandler et al. 2018: (t, c, n, s) per bottleneck row, from 32 channels at 112×112.
V2_ROWS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


def v2_blocks() -> list[tuple[int, int, int, int]]:
    """(in, expanded, out, output size) of the 17 bottleneck blocks."""
    blocks, c, size = [], 32, 112
    for t, out, n, s in V2_ROWS:
        for i in range(n):
            size //= s if i == 0 else 1
            blocks.append((c, c * t, out, size))
            c = out
    return blocks


def test_mobilenet_v2(run: Run) -> None:
    # Sandler et al. 2018, Table 4: 300M multiply-adds, 3.4M params.
    params, mults, std_params, std_mults, sep_params, sep_mults = totals(config_network(run, "mobilenet_v2.yaml"))

    # Published exact: torchvision's mobilenet_v2 has 3,504,872 params, BN included at 2 per channel
    # (weight, bias); Keras' MobileNetV2 agrees: 3,504,872 trainable + 34,112 non-trainable (moving
    # mean and variance, 2 × 17,056). BN channels: conv1 32, each block's expansion (t·in; none when
    # t = 1), depthwise (t·in) and projection (out), conv2 1280.
    blocks = v2_blocks()
    bn = 32 + sum((mid if mid != c else 0) + mid + out for c, mid, out, _ in blocks) + 1280
    assert bn == 17_056
    # The spec has batch-norm after every conv, as torchvision: its params are torchvision's exactly,
    # and without batch-norm they are the paper's network.
    net = config_network(run, "mobilenet_v2.yaml")
    assert params == 3_504_872
    assert net["totals"]["batchnorm_params"] == net["totals"]["non_trainable_params"] == 2 * bn
    bn_params = 2 * bn
    params -= bn_params
    assert params == 3_504_872 - 2 * bn == 3_470_760
    # The published figures are cut, not rounded: 3,470,760 params and 300,774,272 mults round to 3.5M
    # and 301M but cut to 3.4M and 300M. The authors' TF-slim release (tensorflow/models,
    # research/slim/nets/mobilenet/README.md) cuts its MACs the same way at every width and resolution
    # (e.g. 0.5-96: 18.89M listed as 18, 0.35-96: 11.93M as 11) and lists 1.0-224 at 300M MACs, 3.47M params.
    assert params == 3_470_760
    assert truncates_to(params, "3.4", M) and not rounds_to(params, "3.4", M)
    assert rounds_to(params, "3.47", M)

    # Tool output, checked against the published 300M (cut, as above).
    assert mults == 300_774_272
    assert truncates_to(mults, "300", M) and not rounds_to(mults, "300", M)

    # As standard, no published figure: re-derived, every block's depthwise 3×3 + projection
    # (expanded → out), a separable pair, as one full 3×3 conv.
    # With batch-norm: the pair normalizes after both steps (2·mid + 2·out), its full conv only after
    # itself (2·out), so the depthwise batch-norm of every block (Σ mid = 7,136 channels) goes away.
    extra = sum_pairs([standard_minus_separable(mid, out, 3, size) for _, mid, out, size in blocks])
    mids = sum(mid for _, mid, _, _ in blocks)
    assert mids == 7_136
    assert (std_params, std_mults) == (params + bn_params + extra[0] - 2 * mids, mults + extra[1])
    assert (std_params, std_mults) == (11_131_976, 1_224_972_288)

    # As separable, no published figure: re-derived, conv1 (3→32, 3×3, out 112×112) as depthwise + pointwise.
    # With batch-norm, its depthwise step gains a batch-norm of its own: 2·3 params.
    saved = standard_minus_separable(3, 32, 3, 112)
    assert (sep_params, sep_mults) == (params + bn_params - saved[0] + 2 * 3, mults - saved[1])
    assert (sep_params, sep_mults) == (3_504_137, 291_479_168)


def test_mobilenet_v2_runs_what_torchvision_runs(run: Run) -> None:
    # Each block is torchvision's InvertedResidual, layer by layer: the expansion and its ReLU6 (not when t = 1),
    # the depthwise 3×3 and its ReLU6, the linear projection, and the residual add where stride 1 and in == out.
    net = config_network(run, "mobilenet_v2.yaml")
    layers = {layer["name"]: layer for layer in net["layers"]}
    for n, (c, mid, out, size) in enumerate(v2_blocks(), 1):
        steps = (["expand", "expand_relu6"] if mid != c else []) + ["dw", "dw_relu6", "project"]
        steps += ["residual"] if c == out and layers[f"block{n}.dw"]["input"]["height"] == size else []
        assert [name for name in layers if name.startswith(f"block{n}.")] == [f"block{n}.{s}" for s in steps]
        # the depthwise conv and its projection are one separable pair, the BN and ReLU6 between them
        assert (layers[f"block{n}.dw"]["pair"], layers[f"block{n}.project"]["pair"]) == (
            f"block{n}.project", f"block{n}.dw",
        )  # fmt: skip
        assert layers[f"block{n}.dw_relu6"]["output"] == {"channels": mid, "height": size, "width": size}
    # the ReLU6 after each depthwise conv: 1 other operation per element, Table 2's t·in channels at the
    # depthwise output's size: 32·112² + 96·56² + 144·56² + 144·28² + 2·192·28² + 192·14² + 4·384·14²
    # + 2·576·14² + 576·7² + 3·960·7²
    elements = sum(mid * size**2 for _, mid, _, size in v2_blocks())
    assert elements == 2_301_824
    assert sum(layer["other_ops"] for name, layer in layers.items() if name.endswith(".dw_relu6")) == elements


# ---------------------------------------------------------------- ResNet-18


def test_resnet18(run: Run) -> None:
    # He et al. 2016, Table 1: 1.8×10^9 FLOPs (multiply-adds in that paper).
    params, mults, std_params, std_mults, sep_params, sep_mults = totals(config_network(run, "resnet18.yaml"))

    # Published exact: torchvision's resnet18 has 11,689,512 params, BN included at 2 per channel.
    # BN channels: bn1 64; per stage 2 blocks × 2 convs, plus the downsample's BN in layer2-4.
    bn = 64 + 2 * 2 * 64 + (2 * 2 * 128 + 128) + (2 * 2 * 256 + 256) + (2 * 2 * 512 + 512)
    assert bn == 4_800
    # The spec has batch-norm after every conv, as torchvision: its params are torchvision's exactly.
    assert params == 11_689_512
    assert config_network(run, "resnet18.yaml")["totals"]["batchnorm_params"] == 2 * bn
    assert params - 2 * bn == 11_679_912

    # Tool output, checked against the published 1.8G (torchinfo prints 1.81G for torchvision's resnet18).
    assert mults == 1_814_073_344
    assert rounds_to(mults, "1.8", G) and rounds_to(mults, "1.81", G)

    # As standard: the network itself, it has no separable layer.
    assert (std_params, std_mults) == (params, mults)

    # As separable, no published figure: re-derived, conv1 (7×7, 3→64, out 112) and the sixteen 3×3
    # convs as depthwise + pointwise; the 1×1 shortcuts and the fc stay.
    saved = sum_pairs([
        standard_minus_separable(3, 64, 7, 112),
        standard_minus_separable(64, 64, 3, 56, n=4),
        standard_minus_separable(64, 128, 3, 28), standard_minus_separable(128, 128, 3, 28, n=3),
        standard_minus_separable(128, 256, 3, 14), standard_minus_separable(256, 256, 3, 14, n=3),
        standard_minus_separable(256, 512, 3, 7), standard_minus_separable(512, 512, 3, 7, n=3),
    ])  # fmt: skip
    # With batch-norm each converted conv's depthwise step gains 2 params per input channel:
    # conv1 2·3, layer1 4 × 2·64, layer2 2·64 + 3 × 2·128, layer3 2·128 + 3 × 2·256, layer4 2·256 + 3 × 2·512.
    depthwise_bn = 2 * (3 + 4 * 64 + (64 + 3 * 128) + (128 + 3 * 256) + (256 + 3 * 512))
    assert depthwise_bn == 6_790
    assert (sep_params, sep_mults) == (params - saved[0] + depthwise_bn, mults - saved[1]) == (1_952_897, 223_042_560)


# ---------------------------------------------------------------- VGG-16


def test_vgg16(run: Run) -> None:
    # Simonyan & Zisserman 2015, Table 2: 138M params for configuration D. No mult-adds in the paper.
    net = config_network(run, "vgg16.yaml")
    params, mults, std_params, std_mults, sep_params, sep_mults = totals(net)

    # Published exact: torchvision's vgg16 (and Keras' VGG16) have 138,357,544 params and no BN.
    assert params == 138_357_544
    assert rounds_to(params, "138", M)

    # Tool output, checked against the commonly cited 15.5G and torchvision's 15.47 "GFLOPS" (MACs).
    assert mults == 15_470_264_320
    assert rounds_to(mults, "15.5", G) and rounds_to(mults, "15.47", G)
    # He et al. 2016 (Section 4.1) give VGG-16 15.3 billion FLOPs: the thirteen convs alone round to
    # that (15.35G), though their VGG-19 figure of 19.6 billion includes the FC layers (19.63G; 19.51G
    # without), so where the 15.3 comes from is unclear.
    assert net["by_kind"]["conv"]["mults"] == 15_346_630_656
    assert rounds_to(net["by_kind"]["conv"]["mults"], "15.3", G)

    # As standard: the network itself.
    assert (std_params, std_mults) == (params, mults)

    # As separable, no published figure: re-derived, the thirteen 3×3 convs as depthwise + pointwise,
    # each bias kept on the pointwise step.
    saved = sum_pairs([
        standard_minus_separable(3, 64, 3, 224), standard_minus_separable(64, 64, 3, 224),
        standard_minus_separable(64, 128, 3, 112), standard_minus_separable(128, 128, 3, 112),
        standard_minus_separable(128, 256, 3, 56), standard_minus_separable(256, 256, 3, 56, n=2),
        standard_minus_separable(256, 512, 3, 28), standard_minus_separable(512, 512, 3, 28, n=2),
        standard_minus_separable(512, 512, 3, 14, n=3),
    ])  # fmt: skip
    assert (sep_params, sep_mults) == (params - saved[0], mults - saved[1]) == (125_315_011, 1_910_551_552)


# ---------------------------------------------------------------- Xception


def test_xception(run: Run) -> None:
    # Chollet 2017: 22,855,952 params (Table 3); Keras lists 22,910,480 (22.9M); about 8.4G mult-adds is
    # the figure usually cited (the paper gives none).
    params, mults, std_params, std_mults, sep_params, sep_mults = totals(config_network(run, "xception.yaml"))

    # Published exact: Keras' Xception has 22,910,480 params, BN included at 4 per channel; its 54,528
    # non-trainable ones are 2 × 27,264 (moving mean and variance), and its 22,855,952 trainable ones,
    # the paper's figure, still include BN's gamma and beta. BN channels: block1 32 + 64; blocks 2-4 two
    # separable convs and the shortcut each; the middle flow 8 × 3 × 728; block13 728 + 1024 + 1024
    # (shortcut); block14 1536 + 2048.
    bn = (32 + 64) + 3 * 128 + 3 * 256 + 3 * 728 + 8 * 3 * 728 + (728 + 1024 + 1024) + (1536 + 2048)
    assert bn == 27_264
    assert params == 22_910_480 - 4 * bn == 22_855_952 - 2 * bn == 22_801_424
    # So the published 22.9M holds with BN only; without it the network has 22.8M.
    assert rounds_to(params + 4 * bn, "22.9", M) and rounds_to(params, "22.8", M)

    # Tool output, checked against the cited 8.4G.
    assert mults == 8_357_403_496
    assert rounds_to(mults, "8.4", G)

    # As standard, no published figure: re-derived, every separable conv as a full 3×3 conv.
    extra = sum_pairs([
        standard_minus_separable(64, 128, 3, 147), standard_minus_separable(128, 128, 3, 147),
        standard_minus_separable(128, 256, 3, 74), standard_minus_separable(256, 256, 3, 74),
        standard_minus_separable(256, 728, 3, 37), standard_minus_separable(728, 728, 3, 37),
        standard_minus_separable(728, 728, 3, 19, n=8 * 3 + 1),  # the middle flow and block13_sepconv1
        standard_minus_separable(728, 1024, 3, 19),
        standard_minus_separable(1024, 1536, 3, 10), standard_minus_separable(1536, 2048, 3, 10),
    ])  # fmt: skip
    assert (std_params, std_mults) == (params + extra[0], mults + extra[1]) == (179_017_160, 68_818_345_696)

    # As separable, no published figure: re-derived, the two block1 convs as depthwise + pointwise.
    saved = sum_pairs([standard_minus_separable(3, 32, 3, 149), standard_minus_separable(32, 64, 3, 147)])
    assert (sep_params, sep_mults) == (params - saved[0], mults - saved[1]) == (22_784_587, 7_993_134_091)
