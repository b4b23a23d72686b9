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
