"""``dsc-cost report`` without a browser: the page embeds exactly the data of ``network --format json``
(with each layer's inputs), is self-contained, and the command writes it or says why not."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Run

from dsc_cost import files
from dsc_cost.report.html import embedded_json, html_page

CONFIGS = ["configs/mobilenet_v1.yaml", "configs/efficientnet_b0.yaml"]

RESIDUAL = """\
name: residual
input: [8, 4, 4]
layers:
  - {name: a, type: conv, out: 8, kernel: 3, padding: 1}
  - {name: b, type: conv, out: 8, kernel: 3, padding: 1}
  - {name: sum, type: add, inputs: [a, b]}
  - {name: head, type: conv, out: 4, kernel: 1}
"""


def block(page: str, name: str) -> str:
    """The text of a report page's JSON block ``name``."""
    match = re.search(rf'<script type="application/json" id="{name}">(.*?)</script>', page, re.S)
    assert match, f"the page has no {name} block"
    return match.group(1)


def embedded(page: str) -> Any:
    """The data block of a report page, parsed."""
    return json.loads(block(page, "dsc-cost-data"))


def test_the_embedded_data_is_network_json(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    code, _, err = run("report", *CONFIGS, "-o", str(out))
    assert code == 0, err
    code, text, err = run("network", *CONFIGS, "--format", "json")
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert json.loads(block(page, "dsc-cost-data")) == json.loads(text)
    assert block(page, "dsc-cost-data") == "\n" + text  # the very text, written by the same function
    data = embedded(page)
    assert [len(n["layers"]) for n in data["networks"]] == [16, 189]  # a regression pin of the two configs
    inputs = json.loads(block(page, "dsc-cost-inputs"))
    assert [len(names) for names in inputs] == [16, 189]
    assert inputs[0][:2] == [["input"], ["conv1"]]


def test_the_embedded_data_follows_the_memory_and_device_options(run: Run) -> None:
    options = ["--device", "jetson-orin-nano", "--dtype", "fp16", "--weight-dtype", "int8"]
    code, page, err = run("report", *CONFIGS, *options, "-o", "-")
    assert code == 0, err
    code, text, err = run("network", *CONFIGS, *options, "--format", "json")
    assert code == 0, err
    assert block(page, "dsc-cost-data") == "\n" + text
    mobilenet = embedded(page)["networks"][0]
    memory, roofline = mobilenet["totals"]["memory"], mobilenet["totals"]["roofline"]
    # int8 weights: one byte a param
    assert memory["weight_bytes"] == mobilenet["totals"]["params"]
    # by hand, at fp16: block1 holds its input (32×112×112), its depthwise output (32×112×112) and its output
    # (64×112×112) alive at once, 128 × 12,544 values of 2 bytes, the most of any layer
    assert (memory["peak_bytes"], memory["peak_layer"]) == (2 * 128 * 112 * 112, "block1")
    assert (memory["weight_dtype"], memory["activation_dtype"], roofline["dtype"]) == ("int8", "fp16", "fp16")
    assert roofline["device"] == "jetson-orin-nano"
    assert all("roofline" in layer for layer in mobilenet["layers"])


def test_the_device_may_come_from_a_file_and_onnx_files_take_input(run: Run) -> None:
    options = ["--devices", "docs/devices-example.yaml", "--device", "my-board"]
    code, page, err = run("report", "configs/seeds.yaml", *options, "-o", "-")
    assert code == 0, err
    code, text, _ = run("network", "configs/seeds.yaml", *options, "--format", "json")
    assert embedded(page) == json.loads(text)
    assert embedded(page)["networks"][0]["totals"]["roofline"]["device"] == "my-board"
    pytest.importorskip("onnx")
    onnx = ["tests/data/tiny.onnx", "--input", "3x64x64", "--strict"]
    code, page, err = run("report", *onnx, "-o", "-")
    assert code == 0, err
    code, text, _ = run("network", *onnx, "--format", "json")
    assert embedded(page) == json.loads(text)
    assert embedded(page)["networks"][0]["input"] == {"channels": 3, "height": 64, "width": 64}


def test_an_unknown_device_writes_nothing(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code, _, err = run("report", CONFIGS[0], "--device", "abacus", "-o", str(out))
    assert code == 2
    assert "unknown device" in err and "Traceback" not in err
    assert not out.exists()


def test_the_embedded_data_follows_batch(run: Run) -> None:
    code, page, _ = run("report", CONFIGS[0], "--batch", "8", "-o", "-")
    assert code == 0
    code, text, _ = run("network", CONFIGS[0], "--batch", "8", "--format", "json")
    assert embedded(page) == json.loads(text)
    # MobileNet V1's 568,740,352 mults a sample (the published 569M), times 8
    assert embedded(page)["networks"][0]["totals"]["mults"] == 8 * 568_740_352


def test_each_layer_names_what_it_reads(run: Run, tmp_path: Path) -> None:
    spec = tmp_path / "residual.yaml"
    spec.write_text(RESIDUAL)
    code, page, _ = run("report", str(spec), "-o", "-")
    assert code == 0
    [network] = embedded(page)["networks"]
    assert json.loads(block(page, "dsc-cost-inputs")) == [[["input"], ["a"], ["a", "b"], ["sum"]]]
    # by hand: a 3×3 conv of 8 to 8 channels has 8·8·9 = 576 params and 576 mults at each of the 4·4 positions
    assert [(layer["params"], layer["mults"]) for layer in network["layers"][:2]] == [(576, 9216), (576, 9216)]
    # the 1×1 head: 8·4 = 32 params, 32 mults at each of 16 positions
    assert (network["layers"][3]["params"], network["layers"][3]["mults"]) == (32, 512)


def test_the_page_is_self_contained() -> None:
    page = html_page({"networks": []})
    assert "<script src" not in page and "<link" not in page and "@import" not in page and "url(" not in page
    # the only URL is the SVG namespace, a name and never fetched
    assert set(re.findall(r"[a-z]+://[^\s\"')]+", page)) == {"http://www.w3.org/2000/svg"}
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_typical_reports_stay_small(run: Run) -> None:
    code, page, _ = run("report", *CONFIGS, "-o", "-")
    assert code == 0
    assert len(page.encode()) < 2_000_000


def test_no_text_in_the_data_can_end_its_script() -> None:
    data = {"networks": [{"name": "</script><script>alert(1)</script><!--", "layers": []}]}
    text = embedded_json(data)
    assert "<" not in text
    assert json.loads(text) == data
    page = html_page(data)
    assert page.count("</script>") == 5  # the four data blocks' and the script's own
    assert "&lt;/script&gt;" in page  # the title, escaped


def test_memory_and_roofline_pass_through() -> None:
    layer = {"name": "c", "memory": {"weight_bytes": 4, "input_bytes": 8, "output_bytes": 16},
             "roofline": {"intensity": 0.5, "seconds": 1e-6, "bound": "memory"}}  # fmt: skip
    data = {"networks": [{"name": "n", "layers": [layer], "totals": {"memory": {"peak_bytes": 24}}}]}
    assert embedded(html_page(data)) == data
    assert block(html_page(data, [[["input"]]]), "dsc-cost-inputs") == '[[["input"]]]'


def test_output_to_stdout_and_the_message(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code, text, err = run("report", CONFIGS[0], "-o", str(out))
    assert (code, text) == (0, "")
    size = len(out.read_bytes())
    assert err == f"wrote {out}: 1 network, 16 layers, {size / 1000:,.0f} kB\n"
    code, page, err = run("report", CONFIGS[0], "--output", "-")
    assert (code, err) == (0, "")
    assert page == out.read_text(encoding="utf-8")


def test_an_unwritable_output_is_one_line(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "r.html"
    code, text, err = run("report", CONFIGS[0], "-o", str(target))
    assert (code, text) == (2, "")
    assert err == f"dsc-cost: {target}: cannot write the report: No such file or directory\n"


def test_a_failed_write_leaves_the_old_report(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "r.html"
    out.write_text("the old page")

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)  # the disk fills while the page is written
    code, text, err = run("report", CONFIGS[0], "-o", str(out))
    assert (code, text) == (2, "")
    assert err == f"dsc-cost: {out}: cannot write the report: No space left on device\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"] and out.read_text() == "the old page"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_report_to_a_pipe_is_written_into_it(run: Run, tmp_path: Path) -> None:
    """What is not a regular file (a named pipe, /dev/null, /dev/stdout) is written to, not replaced."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    read: list[str] = []
    reader = threading.Thread(target=lambda: read.append(pipe.read_text(encoding="utf-8")))
    reader.start()
    code, _, err = run("report", CONFIGS[0], "-o", str(pipe))
    reader.join(10)
    assert code == 0 and err.startswith(f"wrote {pipe}: 1 network")
    assert stat.S_ISFIFO(pipe.stat().st_mode) and read[0].startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_a_bad_spec_writes_nothing(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code, _, err = run("report", "tests/data/bad.yaml", "-o", str(out))
    assert code == 2
    assert "Traceback" not in err and err.startswith("tests/data/bad.yaml:")
    assert not out.exists()


def test_output_is_required(run: Run) -> None:
    code, _, err = run("report", CONFIGS[0])
    assert code == 2
    assert "Missing option '--output' / '-o'" in err


@pytest.mark.parametrize("asset", sorted(p.name for p in (ROOT / "dsc_cost" / "report" / "assets").iterdir()))
def test_every_asset_ships_in_the_wheel(asset: str) -> None:
    line = re.search(r"^dsc_cost = \[(.*)\]$", (ROOT / "pyproject.toml").read_text(), re.M)  # package-data
    assert line
    patterns = json.loads(f"[{line.group(1)}]")
    assert any(Path("report/assets", asset).match(pattern) for pattern in patterns)


def test_a_spec_named_like_markup_keeps_its_name(run: Run, tmp_path: Path) -> None:
    spec = tmp_path / "odd.yaml"
    spec.write_text(RESIDUAL.replace("name: residual", "name: '</script><!-- & <b>'"))
    code, page, _ = run("report", str(spec), "-o", "-")
    assert code == 0
    code, text, _ = run("network", str(spec), "--format", "json")
    assert embedded(page) == json.loads(text)
    assert embedded(page)["networks"][0]["name"] == "</script><!-- & <b>"


ONE_CONV = """\
name: one-conv
input: [3, 224, 224]
layers:
  - {name: a, type: conv, out: 16, kernel: 3, padding: 1}
"""

HUGE = """\
name: huge
input: [1, 1, 1]
layers:
  - {name: q, type: conv, out: 9007199254740992, kernel: 1}
  - {name: p, type: conv, out: 9007199254740993, kernel: 1, from: input}
"""
"""Two 1×1 convs of the input's one channel to 2^53 and 2^53 + 1 channels: as many params and mults each, counts
a JavaScript number cannot tell apart (2^53 + 1 rounds to 2^53)."""


def test_bytes_read_the_same_in_the_table_markdown_and_page(run: Run, tmp_path: Path) -> None:
    spec = tmp_path / "one.yaml"
    spec.write_text(ONE_CONV)
    # by hand, at fp32: the input, 3×224×224 = 150,528 values, and a's output, 16×224×224 = 802,816 values, are
    # alive at a: 953,344 values of 4 bytes, 3,813,376 bytes, 3.813 MB in decimal units (3.637 MiB in binary
    # ones, which no output uses); a's 16·3·9 = 432 weights are 1,728 bytes, 1.728 kB
    peak, weights = 4 * (3 + 16) * 224 * 224, 4 * 16 * 3 * 9
    assert (peak, weights) == (3_813_376, 1_728)
    code, table, _ = run("network", str(spec), "--memory")
    assert code == 0
    assert re.search(r"peak activation memory, at a +3\.813 MB\n", table)
    assert re.search(r"weights \(fp32\) +1\.728 kB\n", table)
    code, text, _ = run("network", str(spec), "--memory", "--format", "markdown")
    assert code == 0
    assert "| peak activation memory, at a | 3.813 MB |" in text and "| weights (fp32) | 1.728 kB |" in text
    # a's row: weights; input 150,528 × 4 = 602,112 bytes; output 802,816 × 4 = 3,211,264; no intermediate; live
    assert "| 1.728 kB | 602.1 kB | 3.211 MB | 0 B | 3.813 MB ◀ peak |" in text
    code, page, _ = run("report", str(spec), "-o", "-")
    assert code == 0
    numbers = json.loads(block(page, "dsc-cost-text"))
    assert numbers["bytes"][str(peak)] == "3.813 MB" and numbers["bytes"][str(weights)] == "1.728 kB"
    # JSON and CSV: exact bytes
    assert embedded(page)["networks"][0]["totals"]["memory"]["peak_bytes"] == peak
    code, text, _ = run("network", str(spec), "--memory", "--format", "csv")
    [row] = csv.DictReader(io.StringIO(text))
    assert (row["live_bytes"], row["weight_bytes"]) == ("3813376", "1728")


def test_counts_beyond_2_to_the_53_are_exact_in_the_page(run: Run, tmp_path: Path) -> None:
    spec = tmp_path / "huge.yaml"
    spec.write_text(HUGE)
    code, page, err = run("report", str(spec), "-o", "-")
    assert code == 0, err
    data = block(page, "dsc-cost-data")
    # the digits themselves, as JSON integers: 2^53 + 1, and the total 2^53 + 2^53 + 1 = 2^54 + 1
    assert '"params": 9007199254740993, "mults": 9007199254740993' in data
    assert '"mults": 18014398509481985' in data
    network = embedded(page)["networks"][0]
    assert network["totals"]["mults"] == 2**54 + 1 == 18_014_398_509_481_985
    # their short forms, made as the table makes them: 1.8014…e16 to four digits
    numbers = json.loads(block(page, "dsc-cost-text"))
    assert numbers["counts"]["18014398509481985"] == "1.801e16"
