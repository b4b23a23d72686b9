"""Width multipliers as real networks apply them: written channel counts scaled and rounded, channels that a
block derives from its input following the scaled input, ``width: fixed`` layers and the class count kept."""

from __future__ import annotations

import json
import textwrap
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from dsc_cost.errors import SpecError
from dsc_cost.network import cost_network
from dsc_cost.spec import load_text, scaled_network

SMALL = """\
name: w
input: [3, 8, 8]
blocks:
  ir:
    params: {out: null, expand: 2}
    layers:
      - {name: expand, type: pointwise, out: "in * expand"}
      - {name: project, type: pointwise, out: out}
layers:
  - {name: stem, type: pointwise, out: 24}
  - {name: b, type: ir, out: 40}
  - {name: keep, type: pointwise, out: 64, width: fixed}
  - {type: pool, mode: avg, global: true}
  - {name: fc, type: linear, out: 10}
"""


def variants(run: Run, file: str, *argv: str) -> list[dict[str, Any]]:
    code, out, err = run("sweep", file, *argv, "--format", "json")
    assert (code, err) == (0, "")
    return json.loads(out)["variants"]  # type: ignore[no-any-return]


def channels(text: str, width: str, divisor: int | None) -> dict[str, int]:
    [spec] = load_text(textwrap.dedent(text), "w.yaml")
    result = cost_network(scaled_network(spec, Fraction(width), divisor))
    return {layer.name: layer.output.channels for layer in result.layers}


def test_written_channels_scale_derived_ones_follow_fixed_and_classes_keep() -> None:
    # Width ½, divisor 8: stem 24·½ = 12 → the nearest multiple of 8 is 16 (12/8 = 1.5 rounds up);
    # b.expand is in × 2 = 16 × 2 = 32 (derived from the scaled input, not scaled again);
    # b.project 40·½ = 20 → 24 (20/8 = 2.5 rounds up); keep stays 64 (width: fixed); fc keeps its 10 classes.
    assert channels(SMALL, "0.5", 8) == {"stem": 16, "b.expand": 32, "b.project": 24, "keep": 64, "pool1": 64, "fc": 10}
    # Without a divisor, int(c × ½): 12, then 12 × 2 = 24, 20.
    assert channels(SMALL, "0.5", None) == {
        "stem": 12,
        "b.expand": 24,
        "b.project": 20,
        "keep": 64,
        "pool1": 64,
        "fc": 10,
    }


def test_small_spec_costs_at_half_width(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(SMALL)
    [one, half] = variants(run, str(path), "--width", "1,0.5", "--resolution", "8", "--divisor", "8")
    # Width 1 is the spec as written: 3·24 + 24·48 + 48·40 + 40·64 + 64·10 = 72 + 1,152 + 1,920 + 2,560 + 640.
    assert one["params"] == 72 + 1_152 + 1_920 + 2_560 + 640 == 6_344
    # Width ½: 3·16 + 16·32 + 32·24 + 24·64 + 64·10 params; every conv at 8×8 = 64 positions, fc once.
    params = 3 * 16 + 16 * 32 + 32 * 24 + 24 * 64 + 64 * 10
    assert half["params"] == params == 3_504
    assert half["mults"] == (params - 640) * 64 + 640 == 183_936


@pytest.mark.parametrize(
    ("width", "params", "mults"),
    [
        # torchvision 0.29 mobilenet_v2(width_mult=W): sum(p.numel()), and fvcore's conv + linear count;
        # issue 11 gives the width 0.5 pair, the others were read from the same tools.
        ("0.5", 1_968_680, 97_131_840),
        ("0.75", 2_636_424, 209_069_792),
        ("0.35", 1_677_128, 59_285_808),
    ],
)
def test_mobilenet_v2_widths_are_torchvisions(run: Run, width: str, params: int, mults: int) -> None:
    [variant] = variants(run, "configs/mobilenet_v2.yaml", "--width", width, "--resolution", "224", "--divisor", "8")
    assert (variant["params"], variant["mults"]) == (params, mults)


def test_mobilenet_v2_half_width_by_hand() -> None:
    # torchvision's mobilenet_v2 at width ½: _make_divisible(c × ½, 8) of Table 2's c (32 → 16, 16 → 8,
    # 24 → 16, 32 → 16, 64 → 32, 96 → 48, 160 → 80, 320 → 160), hidden = t × (the scaled input), 1,280 kept.
    rows = [(1, 8, 1, 1), (6, 16, 2, 2), (6, 16, 3, 2), (6, 32, 4, 2), (6, 48, 3, 1), (6, 80, 3, 2), (6, 160, 1, 1)]
    params, c = 3 * 9 * 16 + 2 * 16, 16  # conv1 with its batch-norm
    for t, out, n, _ in rows:
        for _ in range(n):
            hidden = c * t
            expand = (c * hidden + 2 * hidden) if t != 1 else 0
            depthwise = hidden * 9 + 2 * hidden
            project = hidden * out + 2 * out
            params += expand + depthwise + project
            c = out
    params += c * 1280 + 2 * 1280 + 1280 * 1000 + 1000  # conv2 (kept at 1,280) and the classifier
    assert params == 1_968_680


@pytest.mark.parametrize(
    ("config", "width", "params", "mults"),
    [
        # torchvision 0.29 (mobilenet_v3_*(width_mult=W); EfficientNet(_efficientnet_conf("efficientnet_b0",
        # width_mult=W, depth_mult=1.0))) params, and fvcore's conv + linear mults: regression pins read
        # from those tools, as the spec gives them.
        ("mobilenet_v3_large.yaml", "0.75", 3_377_576, 140_033_816),
        ("mobilenet_v3_small.yaml", "0.5", 917_264, 18_970_736),
        ("efficientnet_b0.yaml", "0.5", 1_712_522, 120_051_984),
        ("efficientnet_b0.yaml", "1.1", 6_117_956, 443_010_960),
    ],
)
def test_other_configs_widths_are_torchvisions(run: Run, config: str, width: str, params: int, mults: int) -> None:
    [variant] = variants(run, f"configs/{config}", "--width", width, "--resolution", "224", "--divisor", "8")
    assert (variant["params"], variant["mults"]) == (params, mults)


def test_width_1_is_the_network_itself() -> None:
    [spec] = load_text(SMALL, "w.yaml")
    assert scaled_network(spec, Fraction(1), 8) is spec.network


def test_a_bad_width_value_is_located_everywhere_at_once(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        textwrap.dedent("""\
        input: [3, 8, 8]
        blocks:
          b:
            layers:
              - {type: pointwise, out: 8, width: 0.5}
        layers:
          - {name: stem, type: pointwise, out: 24, width: half}
          - {name: use, type: b, width: [fixed]}
        """)
    )
    code, out, err = run("network", str(path))
    assert (code, out) == (2, "")
    message = "width: expected fixed (the layer keeps its channels under a width multiplier), found"
    assert err.splitlines() == [
        f"{path}:7:51: layers[0] (stem): {message} 'half'",
        f"{path}:8:33: layers[1] (use): {message} ['fixed']",
        f"{path}:5:42: layers[1] (use.layers[0]): {message} 0.5",
    ]


def test_a_problem_only_at_one_width_names_it() -> None:
    text = """\
    input: [8, 4, 4]
    blocks:
      half:
        layers:
          - {type: pointwise, out: "in / 2"}
    layers:
      - {name: stem, type: pointwise, out: 12}
      - {name: h, type: half}
    """
    [spec] = load_text(textwrap.dedent(text), "w.yaml")  # 12 / 2 = 6 at width 1
    with pytest.raises(SpecError) as info:
        scaled_network(spec, Fraction("0.75"), None)  # 12 · ¾ = 9, and 9 / 2 is not whole
    [problem] = info.value.problems
    assert problem.message.startswith("expected a whole number, found 9/2")
    assert problem.message.endswith("(at width 0.75)")


# ---------------------------------------------------------------- network --width, --divisor, --resolution


@pytest.mark.parametrize(
    ("config", "width", "divisor", "resolution"),
    [
        ("mobilenet_v2.yaml", "1.4", "8", "224"),
        ("mobilenet_v2.yaml", "0.5", "8", "160"),
        ("mobilenet_v1.yaml", "0.75", None, "192"),
        ("efficientnet_b0.yaml", "0.5", "8", "128"),
        ("mnasnet1_0.yaml", "1", None, "96"),
    ],
)
def test_network_at_a_width_and_resolution_is_sweeps_variant(
    run: Run, config: str, width: str, divisor: str | None, resolution: str
) -> None:
    options = ["--width", width, "--resolution", resolution, *(["--divisor", divisor] if divisor else [])]
    [variant] = variants(run, f"configs/{config}", *options)
    code, out, err = run("network", f"configs/{config}", *options, "--format", "json")
    assert (code, err) == (0, "")
    [net] = json.loads(out)["networks"]
    totals = net["totals"]
    assert (totals["params"], totals["mults"]) == (variant["params"], variant["mults"])
    assert totals["standard"] == variant["standard"]
    rounded = f"divisor {divisor}, " if divisor else ""
    assert net["name"] == f"{variant['network']}[width {width}, {rounded}resolution {resolution}]"
    assert (net["input"]["height"], net["input"]["width"]) == (int(resolution), int(resolution))


TINY = """\
name: tiny
input: [3, 8, 8]
layers:
  - {name: c, type: conv, out: 32, kernel: 3, padding: 1, bias: false}
  - {name: p, type: pointwise, out: 64}
"""


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("table", "tiny[width 0.5, resolution 4] · input 3×4×4 → output 32×4×4 · 2 layers"),
        ("markdown", "### tiny\\[width 0.5, resolution 4\\]"),
        ("csv", '"tiny[width 0.5, resolution 4]",c,conv,3x4x4,16x4x4,432,6912,'),
        ("json", '"name": "tiny[width 0.5, resolution 4]"'),
    ],
)
def test_network_at_a_width_by_hand_in_every_format(run: Run, tmp_path: Path, fmt: str, expected: str) -> None:
    # at width ½ on 4×4: c is 3 → 16 channels, 3·3·3·16 = 432 params, × 16 positions = 6,912 mults;
    # p is 16 → 32, 16·32 = 512 params, 8,192 mults: 944 params and 15,104 mults in all
    (tmp_path / "tiny.yaml").write_text(TINY, encoding="utf-8")
    code, out, err = run("network", str(tmp_path / "tiny.yaml"), "-w", "0.5", "-r", "4", "--format", fmt, "--exact")
    assert (code, err) == (0, "")
    assert expected in out
    if fmt == "json":
        assert json.loads(out)["networks"][0]["totals"]["params"] == 944
        assert json.loads(out)["networks"][0]["totals"]["mults"] == 15_104
    if fmt == "table":
        assert "total             3×4×4 → 32×4×4      944  15,104" in out


def test_network_at_one_resolution_or_one_width_alone(run: Run, tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(TINY, encoding="utf-8")
    code, out, _ = run("network", str(tmp_path / "tiny.yaml"), "-r", "2", "--format", "json")
    [net] = json.loads(out)["networks"]
    # 2×2 = 4 positions: (864 + 2,048) params × 4 = 11,648 mults
    assert (code, net["name"], net["totals"]["mults"]) == (0, "tiny[resolution 2]", 11_648)
    code, out, _ = run("network", str(tmp_path / "tiny.yaml"), "-w", "2", "--divisor", "8", "--format", "json")
    [net] = json.loads(out)["networks"]
    # 64 and 128 channels on 8×8: 3·9·64 + 64·128 = 1,728 + 8,192 = 9,920 params
    assert (code, net["name"], net["totals"]["params"]) == (0, "tiny[width 2, divisor 8]", 9_920)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["-w", "0"], "Invalid value for '--width' / '-w': expected a positive decimal such as 0.75, found '0'"),
        (["-w", "1,0.5"], "Invalid value for '--width' / '-w': expected one width such as 0.75 (sweep takes a list),"),
        (["-w", "101"], "Invalid value for '--width' / '-w': value too large: expected widths of at most 100,"),
        (["-r", "0"], "Invalid value for '--resolution' / '-r': expected a whole number ≥ 1, found 0"),
        (["-r", "224,160"], "Invalid value for '--resolution' / '-r': expected a whole number ≥ 1, found '224,160'"),
        (["--divisor", "8"], "--divisor: rounds the channels of --width W: give --width too"),
        (["-w", "1", "--divisor", "0"], "Invalid value for '--divisor': expected a whole number ≥ 1, found 0"),
    ],
)
def test_network_bad_width_or_resolution_is_a_usage_error(run: Run, options: list[str], message: str) -> None:
    code, out, err = run("network", "configs/mobilenet_v1.yaml", *options)
    assert (code, out) == (2, "")
    assert f"Error: {message}" in err


def test_network_a_layer_that_does_not_fit_the_resolution_is_located_and_names_the_variant(
    run: Run, tmp_path: Path
) -> None:
    spec = tmp_path / "net.yaml"
    spec.write_text(
        "input: [3, 8, 8]\nlayers:\n  - {name: a, type: conv, out: 8, kernel: 3}\n"
        "  - {name: b, type: conv, out: 8, kernel: 3}\n",
        encoding="utf-8",
    )
    code, out, err = run("network", str(spec), "-w", "0.5", "-r", "4")
    assert (code, out) == (2, "")
    assert err == (
        f"{spec}:4:43: layers[1] (b): kernel: kernel 3 (dilation 1) does not fit the input height 2 with padding 0:"
        " output height would be 0 (at width 0.5, resolution 4)\n"
    )
