"""A block used again with the same arguments on the same input is made from what its first use made
(``_Expander.replay``), not expanded layer by layer: the nodes, their names, inputs and locations, the
costs and every problem must be those of expanding each use as written. Each test loads a spec both ways
(the second with replaying turned off) and compares everything."""

from __future__ import annotations

import json
import textwrap
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsc_cost.errors import SpecError
from dsc_cost.readers.spec.expand import _Expander
from dsc_cost.spec import Bounds, cost_specs, load_text, scaled_network

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = sorted((ROOT / "configs").glob("*.yaml"))


def _load(text: str, file: str, bounds: Bounds) -> Any:
    """What loading gives: each network with its locations, its costs; or every problem, as said."""
    try:
        specs = load_text(text, file, bounds=bounds)
    except SpecError as error:
        return [str(problem) for problem in error.problems]
    return [(s.network, s.origins, s.inner, s.budget) for s in specs], cost_specs(specs)


def both(text: str, monkeypatch: pytest.MonkeyPatch, file: str = "net.yaml", bounds: Bounds | None = None) -> Any:
    """What loading ``text`` gives with replaying, asserted equal to what it gives without; and how many
    uses were replayed, and how many recorded uses were found at replay to need the long way."""
    bounds = bounds or Bounds()
    text = textwrap.dedent(text)
    replayed = []
    real = _Expander.replay

    def counting(self: _Expander, *args: Any) -> Any:
        made = real(self, *args)
        replayed.append(made is not None)
        return made

    monkeypatch.setattr(_Expander, "replay", counting)
    fast = _load(text, file, bounds)
    monkeypatch.setattr(_Expander, "replay", lambda self, *args: None)
    slow = _load(text, file, bounds)
    monkeypatch.undo()
    assert fast == slow
    return fast, sum(replayed), replayed.count(False)


IR = """\
blocks:
  ir:
    params: {out: 16, expand: 2, se: false}
    layers:
      - {name: expand, type: pointwise, out: "in * expand", batchnorm: true}
      - {type: activation, fn: relu6}
      - {name: dw, type: depthwise, kernel: 3, padding: 1}
      - {name: pool, type: pool, mode: avg, global: true, if: se}
      - {name: gate, type: pointwise, out: "in * expand", if: se}
      - {name: scaled, type: mul, inputs: [dw, gate], if: se}
      - {name: project, type: pointwise, out: out, batchnorm: true}
      - {name: residual, type: add, inputs: [input, project], if: "in == out"}
"""


@pytest.mark.parametrize("config", CONFIGS, ids=[c.stem for c in CONFIGS])
def test_every_config_is_the_same_either_way(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    both(config.read_text(), monkeypatch, str(config))


def test_uses_repeat_and_are_replayed(monkeypatch: pytest.MonkeyPatch) -> None:
    text = IR + "input: [16, 8, 8]\nlayers:\n" + "".join(f"  - {{name: s{i}, type: ir}}\n" for i in range(6))
    (networks, results), replayed, _ = both(text, monkeypatch)
    assert replayed == 5  # the first use is expanded as written; the 5 others are made again
    nodes = networks[0][0].nodes
    assert [n.name for n in nodes[-5:]] == ["s5.expand", "s5.activation1", "s5.dw", "s5.project", "s5.residual"]
    assert nodes[-1].inputs == ("s4.residual", "s5.project")
    # 6 uses of: a 1×1 conv 16 → 32 with batch norm (512 + 64), a depthwise 3×3 (288), 1×1 32 → 16 (512 + 32)
    assert results[0].total.params == 6 * (16 * 32 + 2 * 32 + 32 * 9 + 32 * 16 + 2 * 16)


def test_different_arguments_shapes_and_flags_are_not_mixed_up(monkeypatch: pytest.MonkeyPatch) -> None:
    text = IR + textwrap.dedent(
        """\
        input: [16, 8, 8]
        layers:
          - {name: a, type: ir}
          - {name: b, type: ir, se: true}
          - {name: c, type: ir, out: 24}
          - {name: d, type: ir, out: 24}
          - {name: d2, type: ir, out: 24}
          - {name: e, type: ir, out: 24, expand: 3}
          - {name: f, type: ir, out: 24, from: c}
          - {name: h, type: ir, se: true, from: a}
          - {name: i, type: ir, se: true}
          - {name: g, type: ir, out: 24, train_only: true, from: e}
        """
    )
    (networks, results), replayed, _ = both(text, monkeypatch)
    # d2 is d again (24 channels in and out, reading the layer before), and i is b (16 channels, gated);
    # c reads 16 channels, not 24; f reads c, not the layer before; h reads a; g runs in training only
    assert replayed == 2
    nodes = {n.name: n for n in networks[0][0].nodes}
    assert nodes["f.expand"].inputs == ("c.project",)  # from: c (no residual: 16 channels in, 24 out)
    assert nodes["h.expand"].inputs == ("a.residual",)
    assert "i.scaled" in nodes and "a.scaled" not in nodes
    assert nodes["g.dw"].train_only and not nodes["f.dw"].train_only
    assert results[0].training is not None


def test_splits_parts_and_repeats_inside_a_block(monkeypatch: pytest.MonkeyPatch) -> None:
    text = """\
    blocks:
      unit:
        layers:
          - {name: split, type: split, parts: 2}
          - {name: branch, type: pointwise, out: "in / 2", from: split.1, repeat: 2}
          - {name: join, type: concat, inputs: [split.0, branch]}
          - {type: shuffle, groups: 2}
    input: [16, 8, 8]
    layers:
      - {name: u, type: unit, repeat: 3}
      - {name: v, type: unit}
      - {name: w, type: unit}
      - {type: conv, out: 8, kernel: 1, from: v.split.1}
    """
    (networks, _), replayed, _ = both(text, monkeypatch)
    # v and w are u's first copy again; u's copies 2 and 3 differ from it by their number (copy: a name)
    assert replayed == 2
    nodes = {n.name: n for n in networks[0][0].nodes}
    assert nodes["w.branch.1"].inputs == ("w.split.1",)
    assert nodes["w.join"].inputs == ("w.split.0", "w.branch.2")
    assert nodes["conv1"].inputs == ("v.split.1",)


def test_nested_blocks_reading_their_input(monkeypatch: pytest.MonkeyPatch) -> None:
    text = IR + textwrap.dedent(
        """\
          stage:
            params: {out: 16, n: 2}
            layers:
              - {name: first, type: ir, out: out}
              - {name: rest, type: ir, out: out, repeat: "n - 1"}
        input: [16, 8, 8]
        layers:
          - {name: s1, type: stage}
          - {name: s2, type: stage}
          - {name: s3, type: stage, out: 32, n: 3}
          - {name: s4, type: stage, out: 32, n: 3}
        """
    )
    (networks, _), replayed, _ = both(text, monkeypatch)
    assert replayed > 0
    assert networks[0][0].nodes[-1].name == "s4.rest.2.residual"


def test_a_taken_name_at_a_replayed_use_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    text = IR + textwrap.dedent(
        """\
        input: [16, 8, 8]
        layers:
          - {name: s1, type: ir}
          - {name: s2.dw, type: depthwise, kernel: 3, padding: 1}
          - {name: s2, type: ir}
          - {name: s3, type: ir}
        """
    )
    problems, replayed, refused = both(text, monkeypatch)
    assert (replayed, refused) == (0, 1)  # s2 was sent the long way, which said the name (and s3 too, after it)
    assert len(problems) == 1 and "expected a unique name, found 's2.dw' again" in problems[0]


def test_the_bound_passed_at_a_replayed_use_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    text = IR + "input: [16, 8, 8]\nlayers:\n" + "".join(f"  - {{name: s{i}, type: ir}}\n" for i in range(6))
    problems, replayed, refused = both(text, monkeypatch, bounds=Bounds(max_layers=22))
    # each use makes 5 layers (expand, activation, dw, project, residual): s0 … s3 fit in 22, s4 does not
    assert (replayed, refused) == (3, 1)
    assert len(problems) == 1 and "layers[4] (s4" in problems[0] and "22" in problems[0]


def test_a_use_reading_a_train_only_layer_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    text = IR + textwrap.dedent(
        """\
        input: [16, 8, 8]
        layers:
          - {name: s1, type: ir}
          - {name: aux, type: pointwise, out: 16, train_only: true}
          - {name: s2, type: ir, from: s1}
          - {name: s3, type: ir}
          - {name: s4, type: ir, from: aux}
        """
    )
    problems, _, _ = both(text, monkeypatch)
    assert problems and all("layers[4] (s4." in problem for problem in problems)
    assert "reads the train-only layer 'aux'" in problems[0]


def test_problems_after_a_recorded_use_are_all_said(monkeypatch: pytest.MonkeyPatch) -> None:
    text = IR + textwrap.dedent(
        """\
        input: [16, 8, 8]
        layers:
          - {name: s1, type: ir}
          - {name: s2, type: ir, out: 0}
          - {name: s3, type: ir}
          - {name: s4, type: ir, out: 0}
        """
    )
    problems, _, _ = both(text, monkeypatch)
    # a problem of a block's layer is said once, at its first use
    assert problems == ["net.yaml:11:47: layers[1] (s2.project): out: expected a positive integer, found 0"]


def test_a_width_multiplier_is_the_same_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    config = ROOT / "configs" / "mobilenet_v2.yaml"
    [spec] = load_text(config.read_text(), str(config))
    fast = scaled_network(spec, Fraction(1, 2), 8)
    monkeypatch.setattr(_Expander, "replay", lambda self, *args: None)
    assert scaled_network(spec, Fraction(1, 2), 8) == fast


@st.composite
def _uses(draw: st.DrawFn) -> str:
    """A network of uses of the blocks above (and a few plain layers), their arguments, sources, names,
    flags and repeats drawn: uses that repeat one another, and uses that differ by one thing."""
    lines, names = [], ["input"]
    count = draw(st.integers(1, 12))
    for index in range(count):
        kind = draw(st.sampled_from(["ir", "ir", "ir", "unit", "stage", "pointwise", "collision"]))
        name = f"n{index}"
        item: dict[str, Any] = {"name": name, "type": kind}
        if kind == "ir":
            item.update(out=draw(st.sampled_from([16, 24])), expand=draw(st.sampled_from([1, 2])))
            item["se"] = draw(st.booleans())
        elif kind == "stage":
            item.update(out=draw(st.sampled_from([16, 24])), n=draw(st.integers(1, 3)))
        elif kind == "pointwise":
            item["out"] = draw(st.sampled_from([16, 24]))
        elif kind == "collision":  # a layer named as a later use's layer would be
            item = {"name": f"n{index + 1}.dw", "type": "depthwise", "kernel": 3, "padding": 1}
        if draw(st.integers(0, 3)) == 0:
            item["from"] = draw(st.sampled_from(names))
        if kind in ("ir", "unit") and draw(st.integers(0, 3)) == 0:
            item["repeat"] = 2
        if index == count - 1 and draw(st.booleans()):  # an auxiliary head: nothing after it reads it
            item["train_only"] = True
        lines.append(f"  - {json.dumps(item)}\n")
        names.append(item["name"])
    return "".join(lines)


STAGE_AND_UNIT = """\
  stage:
    params: {out: 16, n: 2}
    layers:
      - {name: first, type: ir, out: out}
      - {name: rest, type: ir, out: out, repeat: n, if: "n > 1"}
  unit:
    layers:
      - {name: split, type: split, parts: 2}
      - {name: branch, type: pointwise, out: "in / 2", from: split.1}
      - {name: join, type: concat, inputs: [split.0, branch]}
      - {type: shuffle, groups: 2}
"""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layers=_uses())
def test_any_network_of_uses_is_the_same_either_way(layers: str, monkeypatch: pytest.MonkeyPatch) -> None:
    both(IR + STAGE_AND_UNIT + "input: [16, 8, 8]\nlayers:\n" + layers, monkeypatch)
