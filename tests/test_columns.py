"""The per-layer columns of ``network``: one registry that every format reads, and ``--columns``."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import Run

from dsc_cost.analysis import analyze
from dsc_cost.conventions import CONVENTIONS
from dsc_cost.devices import resolve
from dsc_cost.memory import Settings
from dsc_cost.report.columns import BY_NAME, COLUMNS, LAYOUTS, pick, report_columns
from dsc_cost.report.documents import LayerJSON, json_columns, network_json
from dsc_cost.spec import cost_specs, load_files

MBCONV = "tests/data/mbconv.yaml"  # a separable pair, a lone depthwise layer, other operations


def test_every_column_is_declared_once_and_every_layout_names_known_ones() -> None:
    assert len(BY_NAME) == len(COLUMNS)
    for fmt, names in LAYOUTS.items():
        assert len(set(names)) == len(names), fmt
        assert set(names) <= set(BY_NAME), fmt
    assert all(BY_NAME[name].json for name in LAYOUTS["json"])  # every key of a layer's object has a column
    assert all(c.priority >= 0 and c.header and c.description for c in COLUMNS)
    assert [c.name for c in COLUMNS if c.priority == 0] == ["network", "layer", "params", "mults"]


def test_other_ops_and_every_byte_and_time_are_in_each_format() -> None:
    memory = {"weight_bytes", "input_bytes", "output_bytes", "intermediate_bytes", "live_bytes"}
    times = {"intensity", "seconds", "bound", "standard_seconds", "separable_seconds"}
    for fmt in ("table", "csv", "json", "report"):
        assert {"other_ops", *memory, *times} <= set(LAYOUTS[fmt]), fmt


@pytest.mark.parametrize("options", [{}, {"flops": True}, {"tool": "torchinfo"}, {"device": "a100"}])
def test_a_layers_json_line_and_its_dict_are_one(options: dict[str, object]) -> None:
    specs = load_files([MBCONV])
    [result] = cost_specs(specs, batch=2)
    convention = CONVENTIONS[str(options["tool"])] if "tool" in options else None
    device = resolve(str(options["device"]), ()) if "device" in options else None
    settings = Settings("fp16", "fp16", device, True)
    analysis = analyze(result, settings, convention)
    encoder = LayerJSON(json_columns(bool(options.get("flops")), convention, analysis.memory))
    lines = encoder.lines(analysis.layers())
    dicts = [encoder.document(row) for row in analysis.layers()]
    assert [json.loads(line) for line in lines] == dicts
    assert dicts[10]["pair"] == "dw" and "pair" not in dicts[0]  # a pair's names only where set
    text = network_json([result], bool(options.get("flops")), None, convention, settings)
    assert [json.loads(line) for line in lines] == json.loads(text)["networks"][0]["layers"]


def test_columns_pick_and_order_the_table_markdown_and_csv(run: Run) -> None:
    code, out, err = run("network", MBCONV, "--columns", "mults,layer,other_ops", "--exact")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[2].split() == ["mults", "layer", "other", "ops"]
    assert lines[4].split() == ["65,536", "expand", "4,096"]  # 16·64 weights × 8·8; one per element of its batch-norm
    assert lines[19].split() == ["217,248", "total", "27,908"]
    code, out, _ = run("network", MBCONV, "--columns", "layer,other_ops", "--format", "markdown")
    assert "| layer | other ops |\n|:---|---:|\n| expand | 4.096K |\n" in out
    code, out, _ = run("network", MBCONV, "--columns", "layer, live_bytes ,standard_mults", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["layer", "live_bytes", "standard_mults"]  # bytes at fp32 without --memory, when asked for
    assert rows[11] == ["project", "22528", "0"]  # the pair's partner: absorbed into dw as standard
    # JSON keeps every key
    _, with_columns, _ = run("network", MBCONV, "--columns", "layer", "--format", "json")
    _, without, _ = run("network", MBCONV, "--format", "json")
    assert with_columns == without


def test_columns_unknown_or_without_their_option_are_usage_errors(run: Run) -> None:
    code, _, err = run("network", MBCONV, "--columns", "layer,macs")
    assert code == 2 and "--columns: unknown column macs: expected some of network, layer, type," in err
    assert "separable_seconds" in err
    code, _, err = run("network", MBCONV, "--columns", "layer,seconds")
    assert code == 2 and "--columns: seconds needs --device" in err
    code, _, err = run("network", MBCONV, "--columns", "as_params", "--format", "csv")
    assert code == 2 and "--columns: as_params needs --as TOOL" in err
    code, out, _ = run("network", MBCONV, "--columns", "layer,as_params,seconds", "--as", "thop", "--device", "a100")
    assert code == 0 and out.splitlines()[2].split() == ["layer", "thop", "params", "time"]
    code, _, err = run("network", MBCONV, "--columns", " , ")
    assert code == 2 and "--columns: name at least one column" in err


def test_the_reports_table_takes_its_columns_from_the_registry(run: Run) -> None:
    code, page, _ = run("report", MBCONV, "-o", "-")
    assert code == 0
    start = page.index('<script type="application/json" id="dsc-cost-columns">') + len(
        '<script type="application/json" id="dsc-cost-columns">'
    )
    block = json.loads(page[start : page.index("</script>", start)])
    assert block == report_columns() and [c["key"] for c in block] == list(LAYOUTS["report"])
    assert {"key": "other_ops", "title": "other ops", "unit": "count", "path": ["other_ops"]} in block
    with pytest.raises(ValueError, match="unknown column nope"):
        pick(["layer", "nope"])
