"""Train-only layers (auxiliary heads): the totals are the inference cost, and training's cost is apart."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from pathlib import Path
from typing import Any

from conftest import Run

from dsc_cost.network import network_totals
from dsc_cost.spec import cost_specs, load_text

AUX = """\
name: aux
input: [3, 8, 8]
blocks:
  head:
    layers:
      - {type: pool, mode: avg, global: true}
      - {name: fc, type: linear, out: 10, bias: true}
layers:
  - {name: stem, type: conv, out: 8, kernel: 3, padding: 1}
  - {name: mid, type: pointwise, out: 16}
  - {name: aux, type: head, train_only: true}
  - {name: head, type: pointwise, out: 32, from: mid}
  - {type: pool, mode: avg, global: true}
  - {name: fc, type: linear, out: 10, bias: true}
"""
# By hand, 8×8 = 64 positions: stem 3·9·8 = 216 params, 216·64 = 13,824 mults; mid 8·16 = 128, 8,192;
# head 16·32 = 512, 32,768; fc 32·10 + 10 = 330, 320. The auxiliary head's fc: 16·10 + 10 = 170 params, 160 mults.
INFERENCE = (216 + 128 + 512 + 330, 13_824 + 8_192 + 32_768 + 320)
TRAINING = (INFERENCE[0] + 170, INFERENCE[1] + 160)


def network_json(run: Run, path: Path) -> dict[str, Any]:
    code, out, err = run("network", str(path), "--format", "json")
    assert (code, err) == (0, "")
    [net] = json.loads(out)["networks"]
    return net  # type: ignore[no-any-return]


def test_totals_are_inference_and_training_is_apart(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "aux.yaml"
    path.write_text(AUX)
    net = network_json(run, path)
    totals = net["totals"]
    assert (totals["params"], totals["mults"]) == INFERENCE == (1_186, 55_104)
    assert totals["training"] == {"params": TRAINING[0], "mults": TRAINING[1]} == {"params": 1_356, "mults": 55_264}
    assert (totals["standard"]["params"], totals["standard"]["mults"]) == INFERENCE  # no separable layer
    flagged = [layer["name"] for layer in net["layers"] if layer.get("train_only")]
    assert flagged == ["aux.pool1", "aux.fc"]
    assert net["output"] == {"channels": 10, "height": 1, "width": 1}
    assert net["by_kind"]["linear"] == {"params": 330, "mults": 320}  # the auxiliary fc is not in it


def test_no_training_key_without_train_only_layers(run: Run) -> None:
    net = network_json(run, Path("configs/mobilenet_v1.yaml"))
    assert "training" not in net["totals"] and not any("train_only" in layer for layer in net["layers"])


def test_table_csv_and_markdown_show_them(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "aux.yaml"
    path.write_text(AUX)
    code, table, _ = run("network", str(path), "--exact")
    assert code == 0
    assert "linear (train only)" in table
    lines = [" ".join(line.split()) for line in table.splitlines()]
    assert "training, with train-only layers 1,356 55,264" in lines
    assert "this network, at inference 1,186 55,104" in lines
    code, out, _ = run("network", str(path), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["train_only"] for r in rows] == ["false", "false", "true", "true", "false", "false", "false"]
    code, markdown, _ = run("network", str(path), "--format", "markdown")
    assert "| aux.fc | linear (train only) |" in markdown
    assert "| training, with train-only layers |" in markdown


def test_network_totals_leave_them_out_too() -> None:
    [spec] = load_text(AUX, "aux.yaml")
    totals = network_totals(spec.network)
    assert (totals.total.params, totals.total.mults) == INFERENCE
    [result] = cost_specs([spec])
    assert result.training is not None and tuple(result.training) == TRAINING


def test_reading_a_train_only_output_at_inference_is_located(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        textwrap.dedent("""\
        input: [3, 8, 8]
        blocks:
          head:
            layers:
              - {type: pool, mode: avg, global: true}
              - {name: fc, type: linear, out: 10}
        layers:
          - {name: stem, type: conv, out: 8, kernel: 3, padding: 1}
          - {name: aux, type: head, train_only: true}
          - {name: after, type: pointwise, out: 16}
          - {name: sum, type: add, inputs: [stem, aux]}
          - {name: odd, type: pointwise, out: 4, train_only: "yes", from: stem}
          - {name: fine, type: pointwise, out: 4, train_only: true, from: aux}
        """)
    )
    code, out, err = run("network", str(path))
    assert (code, out) == (2, "")
    reads = "reads the train-only layer 'aux.fc': expected a layer that runs at inference"
    assert err.splitlines() == [
        f"{path}:10:5: layers[2] (after): from: {reads} (it comes just before: from: names the layer to read)",
        f"{path}:11:36: layers[3] (sum): inputs: {reads}",
        f"{path}:12:54: layers[4] (odd): train_only: expected true or false, found 'yes'",
    ]


def test_conventions_count_the_inference_network(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "aux.yaml"
    path.write_text(AUX)
    code, out, err = run("conventions", str(path), "--format", "json")
    assert (code, err) == (0, "")
    [net] = json.loads(out)["conventions"]
    torchinfo = next(t for t in net["tools"] if t["tool"] == "torchinfo")
    # torchinfo adds one per output element of a biased layer: fc's 10 (the auxiliary fc's are not at inference).
    assert torchinfo["ops"] == INFERENCE[1] + 10


def test_json_keeps_the_train_only_total_beside(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "aux.yaml"
    path.write_text(AUX, encoding="utf-8")
    totals = network_json(run, path)["totals"]
    assert (totals["train_only"]["params"], totals["train_only"]["mults"]) == (170, 160)  # the aux head's fc


def test_a_missing_from_after_a_train_only_branch_is_one_problem_at_its_root(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "aux.yaml"
    path.write_text(AUX.replace(", from: mid}", "}"), encoding="utf-8")  # head now reads the aux head
    code, out, err = run("network", str(path))
    assert (code, out) == (2, "")
    assert err == (
        f"{path}:12:5: layers[3] (head): from: reads the train-only layer 'aux.fc': expected a layer that runs at"
        " inference (it comes just before: from: names the layer to read)\n"
    )
