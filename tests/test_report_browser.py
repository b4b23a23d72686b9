"""``dsc-cost report``'s page in a real browser: headless Chromium driven by Playwright's Python API.

The browser is the system's Chromium (Debian's ``chromium`` package; ``DSC_COST_CHROMIUM`` names another),
else Playwright's own. Where neither Playwright nor a browser is installed these tests are skipped, saying
why; with ``DSC_COST_BROWSER=1`` (set by CI) a missing one fails them instead.

Every page is opened from disk with every request routed: one for anything but the page's own file (or a
data: URL) fails the test, as does any error or warning on the console.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Run

from dsc_cost.report.html import html_page

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from screenshot import ARGS, system_browser  # the flags and the search docs/report.png is made with

REQUIRED = os.environ.get("DSC_COST_BROWSER", "") not in ("", "0")


def unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"{reason} (DSC_COST_BROWSER=1: the browser tests must run)")
    pytest.skip(reason)


def system_chromium() -> str | None:
    return os.environ.get("DSC_COST_CHROMIUM") or system_browser()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[test]')")
    executable = system_chromium()
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, args=ARGS)
        except Error as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            unavailable(
                f"no Chromium to run: install Debian's chromium package, or run 'playwright install chromium' ({first})"
            )
        yield chromium
        chromium.close()


class Opened:
    """A report open in a tab, with what it logged and asked for."""

    def __init__(self, browser: Any, path: Path, **options: Any) -> None:
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.context = browser.new_context(viewport={"width": 1200, "height": 900}, **options)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("html[data-ready]", timeout=30_000)

    def _route(self, route: Any) -> None:
        url = route.request.url
        self.requests.append(url)
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def check_clean(self, path: Path) -> None:
        assert self.problems == []
        assert all(url.startswith(("file:", "data:")) for url in self.requests), self.requests
        assert path.as_uri() in self.requests

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def two_networks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from dsc_cost.cli import main

    path = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", "configs/mobilenet_v1.yaml", "configs/efficientnet_b0.yaml", "-o", str(path)]) == 0
    return path


@pytest.fixture
def opened(browser: Any, two_networks: Path) -> Iterator[Opened]:
    tab = Opened(browser, two_networks)
    yield tab
    tab.check_clean(two_networks)
    tab.close()


def embedded(path: Path) -> Any:
    page = path.read_text(encoding="utf-8")
    start = page.index('id="dsc-cost-data">') + len('id="dsc-cost-data">')
    return json.loads(page[start : page.index("</script>", start)])


def test_loads_clean_with_one_bar_per_layer(opened: Opened, two_networks: Path, tmp_path: Path) -> None:
    page = opened.page
    assert page.locator("section.network").count() == 2
    assert page.locator("table.summary tbody tr").count() == 2
    # MobileNet V1's Table 1: a conv, 13 separable blocks, a pool and the classifier
    assert page.locator("#network-1 svg.bars .bar").count() == 16
    assert page.locator("#network-2 svg.bars .bar").count() == 189  # a regression pin of configs/efficientnet_b0.yaml
    assert page.locator("#network-1 .graph .node[data-i]").count() == 16
    assert page.locator("#network-1 table.layers tbody tr").count() == 16
    # every network has its memory chart (network --format json always has bytes); no device, no roofline
    assert page.locator("#network-1 .memory-chart, #network-2 .memory-chart").count() == 2
    assert page.locator(".roofline-chart").count() == 0
    # the summary gains each network's peak activations, and no time without a device
    heads = page.locator("table.summary th").all_inner_texts()
    assert heads[-1] == "peak memory" and "est. time" not in heads
    # MobileNet V1 at fp32, by hand: block1 holds its input (32×112×112), its depthwise output (32×112×112)
    # and its output (64×112×112), 128 × 12,544 values of 4 bytes: 6,422,528 bytes, 6.423 MB in decimal units
    assert page.locator("table.summary tbody tr").first.locator("td").last.inner_text() == "6.423 MB"
    peak = page.locator("#network-1 .memory-chart line.peak")
    assert peak.get_attribute("data-bytes") == str(4 * 128 * 112 * 112) == "6422528"
    assert peak.get_attribute("data-layer") == "block1"
    assert page.locator("#network-1 .memory-chart .peak-label").text_content() == "peak 6.423 MB at block1"
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000


def test_hovering_a_bar_shows_that_layers_numbers(opened: Opened) -> None:
    page = opened.page
    page.locator("#network-1 .bar[data-i='5']").hover()
    tip = page.locator("#network-1 .per-layer .tooltip")
    assert tip.is_visible()
    text = tip.inner_text()
    assert "block5" in text and "separable" in text and "256×28×28 → 256×28×28" in text
    # block5 by hand: a 3×3 depthwise conv of 256 channels on 28×28, then a 1×1 conv of 256 to 256
    depthwise, pointwise = 256 * 9 * 28 * 28, 256 * 256 * 28 * 28  # 1,806,336 + 51,380,224
    standard = 256 * 256 * 9 * 28 * 28
    assert f"{depthwise + pointwise:,}" in text  # 53,186,560 mults
    assert f"{256 * 9 + 256 * 256:,}" in text  # 67,840 params
    assert f"{standard:,}" in text  # 462,422,016 mults as standard
    page.mouse.move(0, 0)
    assert not tip.is_visible()


def test_the_params_switch_redraws_the_bars(opened: Opened) -> None:
    page = opened.page
    page.locator("#network-1 input.metric-params").check()
    assert page.locator("#network-1 svg.bars .bar").count() == 16
    page.locator("#network-1 .bar[data-i='15']").hover()
    # the classifier: 1024 × 1000 weights and 1000 biases
    assert f"{1024 * 1000 + 1000:,}" in page.locator("#network-1 .per-layer .tooltip").inner_text()


def test_sorting_by_mults_puts_the_largest_layer_first(opened: Opened, two_networks: Path) -> None:
    page = opened.page
    page.locator("#network-1 th[data-key='mults']").click()
    first = page.locator("#network-1 table.layers tbody tr").first
    # block3 by hand: 128 channels on 56×56, 128·9·3136 + 128·128·3136 = 54,992,896, the most of any layer
    assert first.locator("td").nth(1).inner_text() == "block3"
    assert f"{128 * 9 * 3136 + 128 * 128 * 3136:,}" in first.inner_text()
    # from the keyboard, by params: block9, 1024·9 + 1024·1024 = 1,057,792, more than the classifier's 1,025,000
    page.locator("#network-1 th[data-key='params']").press("Enter")
    first = page.locator("#network-1 table.layers tbody tr").first
    assert first.locator("td").nth(1).inner_text() == "block9"
    assert f"{1024 * 9 + 1024 * 1024:,}" in first.inner_text()
    layers = embedded(two_networks)["networks"][1]["layers"]
    largest = max(layers, key=lambda layer: layer["mults"])
    page.locator("#network-2 th[data-key='mults']").click()
    assert page.locator("#network-2 table.layers tbody tr td:nth-child(2)").first.inner_text() == largest["name"]
    page.locator("#network-2 th[data-key='mults']").click()  # again: smallest first
    smallest = min(layer["mults"] for layer in layers)
    assert page.locator("#network-2 table.layers tbody tr td:nth-child(6)").first.inner_text() == f"{smallest:,}"


def test_the_filter_keeps_matching_layers(opened: Opened) -> None:
    page = opened.page
    page.locator("#network-1 input.filter").fill("block7")
    rows = page.locator("#network-1 table.layers tbody tr td:nth-child(2)")
    assert rows.all_inner_texts() == [f"block7.{i}" for i in range(1, 6)]
    assert "5 of 16 layers" in page.locator("#network-1 .layer-table").inner_text()


def test_dark_preference_and_print(browser: Any, two_networks: Path) -> None:
    tab = Opened(browser, two_networks, color_scheme="dark")
    background = tab.page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(21, 24, 30)"
    tab.page.emulate_media(media="print")
    assert not tab.page.locator("#network-1 .controls").first.is_visible()
    tab.check_clean(two_networks)
    tab.close()


def big_spec(layers: int) -> str:
    """A network of ``layers`` layers: separable convs, 1×1 convs and residual adds."""
    lines = ["name: big", "input: [3, 64, 64]", "defaults: {padding: same}", "layers:"]
    lines.append("  - {name: stem, type: conv, out: 32, kernel: 3, stride: 2}")
    for i in range(layers - 1):
        if i % 3 == 0:
            lines.append(f"  - {{name: b{i}, type: separable, out: 64, kernel: 3}}")
        elif i % 3 == 1:
            lines.append(f"  - {{name: b{i}, type: conv, out: 64, kernel: 1, bias: true}}")
        else:
            lines.append(f"  - {{name: b{i}, type: add, inputs: [b{i - 1}, b{i - 2}]}}")
    return "\n".join(lines) + "\n"


def test_ten_thousand_layers_stay_usable(browser: Any, run: Run, tmp_path: Path) -> None:
    spec, path = tmp_path / "big.yaml", tmp_path / "big.html"
    spec.write_text(big_spec(10_000))
    code, _, err = run("report", str(spec), "-o", str(path))
    assert code == 0, err
    tab = Opened(browser, path)
    page = tab.page
    assert page.locator("svg.bars .bar").count() == 1000  # 10 layers to a bar
    assert page.locator("table.layers tbody tr").count() == 100
    assert "page 1 of 100" in page.locator(".layer-table .pager").inner_text()
    assert page.locator(".graph .node[data-i]").count() == 300
    page.locator(".bar[data-i='0']").hover()
    assert "layers 1–10" in page.locator(".per-layer .tooltip").inner_text()
    page.locator("th[data-key='mults']").click()
    first = page.locator("table.layers tbody tr").first.locator("td").nth(1).inner_text()
    layers = embedded(path)["networks"][0]["layers"]
    assert first == max(layers, key=lambda layer: layer["mults"])["name"]
    # 10,000 layers drawn as fewer points: the largest of each run is kept, so the line still reaches the peak
    line = points(page.locator(".memory-chart polyline.line").get_attribute("points"))
    assert len(line) < 10_000
    top = float(page.locator(".memory-chart circle.peak-dot").get_attribute("cy") or "nan")
    assert min(y for _, y in line) == pytest.approx(top, abs=0.1)
    page.locator(".layer-table button.next").click()
    assert "page 2 of 100" in page.locator(".layer-table .pager").inner_text()
    tab.check_clean(path)
    tab.close()


def test_memory_and_roofline_of_older_documents_are_drawn(browser: Any, tmp_path: Path) -> None:
    def layer(name: str, mults: int, out_bytes: int, bound: str, seconds: float) -> dict[str, Any]:
        cost = {"params": 10, "mults": mults}
        shape = {"channels": 1, "height": 1, "width": 1}
        return {"name": name, "type": "conv", "input": shape, "output": shape, **cost, "other_ops": 0,
                "trainable_params": 10, "non_trainable_params": 0, "standard": cost, "separable": cost,
                "inputs": ["input"],
                "memory": {"weight_bytes": 40, "input_bytes": 100, "output_bytes": out_bytes},
                "roofline": {"intensity": mults / (140 + out_bytes), "seconds": seconds, "bound": bound}}  # fmt: skip

    layers = [
        layer("a", 1000, 400, "memory", 1e-6),
        layer("b", 8000, 2000, "compute", 4e-6),
        layer("c", 500, 50, "memory", 1e-6),
    ]
    totals = {"params": 30, "mults": 9500, "other_ops": 0, "standard": {"params": 30, "mults": 9500},
              "separable": {"params": 30, "mults": 9500},
              "memory": {"weight_bytes": 120, "activation_bytes": 2550, "peak_bytes": 2100, "peak_layer": "b"},
              "roofline": {"device": "test-device", "seconds": 6e-6, "standard_seconds": 6e-6, "separable_seconds": 6e-6}}  # fmt: skip
    network = {"name": "hand-made", "input": {"channels": 1, "height": 1, "width": 1},
               "output": {"channels": 1, "height": 1, "width": 1}, "batch": 1, "layers": layers, "totals": totals,
               "savings_vs_standard": {"params": 0.0, "mults": 0.0}, "separable_potential": {"params": 0.0, "mults": 0.0},
               "by_kind": {"conv": {"params": 30, "mults": 9500}}}  # fmt: skip
    path = tmp_path / "memory.html"
    path.write_text(html_page({"networks": [network]}), encoding="utf-8")
    tab = Opened(browser, path)
    page = tab.page
    assert page.locator(".memory-chart").count() == 1
    # the peak the data names: 2,100 bytes = 2.1 kB, at layer b
    assert page.locator(".memory-chart .peak-label").text_content() == "peak 2.1 kB at b"
    assert page.locator(".roofline-chart .point").count() == 3
    assert page.locator(".roofline-chart .point.compute").count() == 1
    assert "test-device" in page.locator(".chart.roofline h3").inner_text()
    # a document without live_bytes: each layer's input and output bytes are drawn
    assert page.locator("th[data-key='live_bytes']").count() == 1
    cells = page.locator("table.layers tbody tr").first.locator("td")
    heads = page.locator("table.layers th").all_inner_texts()
    assert cells.nth(heads.index("live")).inner_text() == "500 B"  # layer a: 100 bytes in, 400 out
    assert cells.nth(heads.index("weights")).inner_text() == "40 B"
    # what the document lacks is left out (no intermediate bytes, no times as standard and as separable)
    assert "intermediate bytes" not in heads and "time as standard" not in heads
    assert cells.last.inner_text() == "memory"  # its bound
    tab.check_clean(path)
    tab.close()


def test_the_graph_draws_skips_as_arcs(browser: Any, run: Run, tmp_path: Path) -> None:
    spec, path = tmp_path / "branches.yaml", tmp_path / "branches.html"
    spec.write_text(
        "name: branches\ninput: [16, 8, 8]\ndefaults: {padding: same}\nlayers:\n"
        "  - {name: stem, type: conv, out: 16, kernel: 3}\n"
        "  - {name: left, type: conv, out: 8, kernel: 1}\n"
        "  - {name: right, type: conv, out: 8, kernel: 3, from: stem}\n"
        "  - {name: cat, type: concat, inputs: [left, right]}\n"
        "  - {name: sum, type: add, inputs: [cat, stem]}\n"
    )
    code, _, err = run("report", str(spec), "-o", str(path))
    assert code == 0, err
    tab = Opened(browser, path)
    straight = tab.page.locator(".graph path.edge:not(.skip)").get_attribute("d") or ""
    skips = tab.page.locator(".graph path.edge.skip").get_attribute("d") or ""
    # straight: input→stem, stem→left, right→cat, cat→sum; arcs: stem→right, left→cat, stem→sum
    assert (straight.count("M"), skips.count("M")) == (4, 3)
    names = [t.split(" · ")[0] for t in tab.page.locator(".graph .node[data-i] text").all_text_contents()]
    assert names == ["stem", "left", "right", "cat", "sum"]
    tab.check_clean(path)
    tab.close()


def points(text: str | None) -> list[tuple[float, float]]:
    """The points of an SVG ``points`` attribute."""
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in (text or "").split())]


def test_the_memory_peak_and_the_devices_roof(browser: Any, run: Run, tmp_path: Path) -> None:
    spec, path = tmp_path / "residual.yaml", tmp_path / "residual.html"
    spec.write_text(
        "name: residual\ninput: [8, 4, 4]\nlayers:\n"
        "  - {name: a, type: conv, out: 8, kernel: 3, padding: 1}\n"
        "  - {name: b, type: conv, out: 8, kernel: 3, padding: 1}\n"
        "  - {name: sum, type: add, inputs: [a, b]}\n"
        "  - {name: head, type: conv, out: 4, kernel: 1}\n"
    )
    code, _, err = run("report", str(spec), "--dtype", "fp16", "--device", "peak=1G,bandwidth=300M", "-o", str(path))
    assert code == 0, err
    totals = embedded(path)["networks"][0]["totals"]
    tab = Opened(browser, path)
    page = tab.page
    # by hand, at 2 bytes a value: the input and every output of a, b and sum are 8×4×4 = 128 values (256 bytes),
    # head's 4×4×4 (128 bytes). Alive at a: input + a = 512; at b: a (kept for sum) + b = 512; at sum: a + b +
    # sum = 768, the peak; at head: sum + head = 384
    peak = page.locator(".memory-chart line.peak")
    assert peak.get_attribute("data-bytes") == str(totals["memory"]["peak_bytes"]) == "768"
    assert peak.get_attribute("data-layer") == totals["memory"]["peak_layer"] == "sum"
    assert page.locator(".memory-chart .peak-label").text_content() == "peak 768 B at sum"
    # the line plots the bytes alive at each layer: its highest point is the marked peak, at the third layer
    line = points(page.locator(".memory-chart polyline.line").get_attribute("points"))
    dot = page.locator(".memory-chart circle.peak-dot")
    highest = min(line, key=lambda p: p[1])
    assert line.index(highest) == 2
    assert float(dot.get_attribute("cx") or "nan") == pytest.approx(highest[0], abs=0.1)
    assert float(dot.get_attribute("cy") or "nan") == pytest.approx(highest[1], abs=0.1)
    assert [p[1] for p in line].count(line[0][1]) == 2  # a and b: 512 bytes each
    # the roof: 1G MACs/s and 300 MB/s, the ridge at 1e9 / 3e8 = 3.33 mults per byte
    roof = page.locator(".roofline-chart polyline.roof.device")
    assert (roof.get_attribute("data-peak"), roof.get_attribute("data-bandwidth")) == ("1000000000", "300000000")
    assert (totals["roofline"]["peak_macs_per_second"], totals["roofline"]["bandwidth_bytes_per_second"]) == (
        10**9,
        3 * 10**8,
    )
    assert "ridge at 3.33 mults/byte" in (page.locator(".roofline-chart").text_content() or "")
    start, knee, end = points(roof.get_attribute("points"))
    assert knee[1] == end[1]  # flat from the ridge on: the peak
    # a and b: 9,216 mults over 1,152 weight bytes + 256 in + 256 out = 1,664 bytes, 5.5 mults a byte, above the
    # ridge: compute-bound, at the peak. head: 512 mults over 64 + 256 + 128 = 448 bytes, 1.14 a byte: memory-bound,
    # on the slope. sum has no mults and is not drawn.
    compute = page.locator(".roofline-chart .point.compute")
    memory = page.locator(".roofline-chart .point.memory")
    assert [compute.nth(i).get_attribute("data-name") for i in range(compute.count())] == ["a", "b"]
    assert memory.count() == 1 and memory.get_attribute("data-name") == "head"
    for i in range(2):
        assert float(compute.nth(i).get_attribute("cy") or "nan") == pytest.approx(knee[1], abs=0.02)
        assert float(compute.nth(i).get_attribute("cx") or "nan") > knee[0]
    x, y = float(memory.get_attribute("cx") or "nan"), float(memory.get_attribute("cy") or "nan")
    assert start[0] < x < knee[0]
    assert y == pytest.approx(start[1] + (knee[1] - start[1]) * (x - start[0]) / (knee[0] - start[0]), abs=0.05)
    assert page.locator("th[data-key='bound']").count() == 1
    # hovering the memory chart at the peak: sum's numbers, its inputs a and b (512 bytes) and its output (256)
    page.locator(".memory-chart").scroll_into_view_if_needed()
    chart = page.locator(".memory-chart").bounding_box()
    assert chart
    page.mouse.move(chart["x"] + float(peak.get_attribute("x1") or "nan"), chart["y"] + chart["height"] / 2)
    tip = page.locator(".chart.memory .tooltip")
    assert tip.is_visible()
    text = tip.inner_text()
    assert "sum" in text and "layer 3" in text
    assert [line.split("\t")[-1] for line in text.splitlines()[-5:]] == ["768 B", "512 B", "256 B", "0 B", "0 B"]
    tab.check_clean(path)
    tab.close()


def test_bytes_in_the_page_read_as_in_the_table(browser: Any, run: Run, tmp_path: Path) -> None:
    from test_report_html import ONE_CONV

    spec, path = tmp_path / "one.yaml", tmp_path / "one.html"
    spec.write_text(ONE_CONV)
    code, _, err = run("report", str(spec), "-o", str(path))
    assert code == 0, err
    tab = Opened(browser, path)
    page = tab.page
    # by hand, at fp32: the input (3×224×224) and a's output (16×224×224) alive at a, 4 × 19 × 50,176 = 3,813,376
    # bytes, 3.813 MB in decimal units as the table writes it (test_report_html); a's weights 4 × 432 = 1.728 kB
    card = page.locator(".card").filter(has_text="peak activations")
    assert card.locator(".value").inner_text() == "3.813 MB" and card.locator(".sub").inner_text() == "at a"
    assert page.locator(".memory-chart .peak-label").text_content() == "peak 3.813 MB at a"
    note = page.locator(".chart.memory .note").inner_text()
    assert "peak 3.813 MB (3,813,376 B) at a" in note and "weights 1.728 kB (fp32)" in note
    assert "all outputs 3.211 MB (fp32)" in note  # a's output, 4 × 802,816 = 3,211,264 bytes
    cells = page.locator("table.layers tbody tr").first.locator("td")
    heads = page.locator("table.layers th").all_inner_texts()
    assert cells.nth(heads.index("weights")).inner_text() == "1.728 kB"
    assert cells.nth(heads.index("live")).inner_text() == "3.813 MB"
    # every per-layer column of the registry that the data has: other ops, every byte (no time without a device)
    assert heads[1:] == ["layer", "type", "input → output", "params", "mults", "share", "as standard", "as separable",
                         "other ops", "weights", "input bytes", "output bytes", "intermediate bytes", "live"]  # fmt: skip
    # the axis: round values in the same units (0 to 4 MB by 1 MB, the peak under the top)
    labels = page.locator(".memory-chart text").all_text_contents()
    assert {"0 B", "1 MB", "2 MB", "3 MB", "4 MB"} <= set(labels)
    assert not [label for label in labels if "iB" in label or "KB" in label]
    tab.check_clean(path)
    tab.close()


def test_counts_beyond_2_to_the_53_show_every_digit(browser: Any, run: Run, tmp_path: Path) -> None:
    from test_report_html import HUGE

    spec, path = tmp_path / "huge.yaml", tmp_path / "huge.html"
    spec.write_text(HUGE)
    code, _, err = run("report", str(spec), "-o", str(path))
    assert code == 0, err
    tab = Opened(browser, path)
    page = tab.page
    # q: 2^53 = 9,007,199,254,740,992 params and mults; p: 2^53 + 1 = 9,007,199,254,740,993, which a JavaScript
    # number rounds to q's; the total 2^54 + 1 = 18,014,398,509,481,985 (a number: …984)
    mults = page.locator(".card").filter(has_text="mults").first
    assert mults.locator(".value").inner_text() == "1.801e16"  # 1.8014… × 10^16 to four digits
    assert mults.locator(".sub").inner_text() == "18,014,398,509,481,985"
    rows = page.locator("table.layers tbody tr")
    assert "9,007,199,254,740,993" in rows.nth(1).inner_text() and "9,007,199,254,740,992" in rows.nth(0).inner_text()
    # sorted by mults, largest first: p, whose count exceeds q's by one (as numbers they tie, and q would stay first)
    page.locator("th[data-key='mults']").click()
    assert rows.first.locator("td").nth(1).inner_text() == "p"
    page.locator("th[data-key='mults']").click()
    assert rows.first.locator("td").nth(1).inner_text() == "q"
    page.locator(".bar[data-i='1']").hover()
    assert "9,007,199,254,740,993" in page.locator(".per-layer .tooltip").inner_text()
    # p's output: 2^53 + 1 values of 4 bytes, alive with the input's 4 bytes: 4 · 2^53 + 8 = 36,028,797,018,963,976
    # bytes at the peak, 3.6028… × 10^16 bytes: 3.603e16 B
    peak = page.locator(".memory-chart line.peak")
    assert peak.get_attribute("data-bytes") == str(4 * 2**53 + 8) == "36028797018963976"
    assert "peak 3.603e16 B (36,028,797,018,963,976 B) at p" in page.locator(".chart.memory .note").inner_text()
    tab.check_clean(path)
    tab.close()


def test_text_that_looks_like_a_marked_count_stays_text(browser: Any, tmp_path: Path) -> None:
    """The script reads a count beyond 2^53 by first writing it as a string marked by U+0001: a string of the data
    that begins with that character (possible in a hand-made document) keeps it and stays a string."""
    count = 2**53 + 1
    shape = {"channels": 1, "height": 1, "width": 1}
    cost = {"params": count, "mults": count}
    layer = {"name": "\x019007199254740993", "type": "\x01", "input": shape, "output": shape, **cost,
             "standard": cost, "separable": cost, "memory": {"weight_bytes": 4, "input_bytes": 4, "output_bytes": 4}}  # fmt: skip
    network = {"name": "\x01\x01 odd", "input": shape, "output": shape, "batch": 1, "layers": [layer],
               "totals": {**cost, "standard": cost, "separable": cost},
               "savings_vs_standard": {"params": 0.0, "mults": 0.0}, "separable_potential": {"params": 0.0, "mults": 0.0},
               "by_kind": {"conv": cost}}  # fmt: skip
    path = tmp_path / "odd.html"
    path.write_text(html_page({"networks": [network]}), encoding="utf-8")
    tab = Opened(browser, path)
    page = tab.page
    names = page.evaluate(
        "[...document.querySelectorAll('table.layers tbody td')].slice(1, 3).map(td => td.textContent)"
    )
    assert names == ["\x019007199254740993", "\x01"]
    assert page.evaluate("document.querySelector('h1').textContent") == "\x01\x01 odd"
    assert "9,007,199,254,740,993" in page.locator("table.layers tbody tr").first.inner_text()
    tab.check_clean(path)
    tab.close()


def test_efficientnets_separable_pairs_in_the_page(opened: Opened) -> None:
    page = opened.page
    # EfficientNet-B0's first MBConv: the 3×3 depthwise conv on 32×112×112 and the projection to 16 are one
    # separable pair; as standard one 3×3 conv 32 → 16 with the projection's batch-norm: 32·16·9 = 4,608
    # weights on 112·112 positions, 57,802,752 mults, on the depthwise row; the projection's row reads "in …"
    page.locator("#network-2 input.filter").fill("stage2.")
    rows = page.locator("#network-2 table.layers tbody tr")
    cells = {row.locator("td").nth(1).inner_text(): row.locator("td").nth(7).inner_text() for row in rows.all()}
    assert cells["stage2.dw"] == f"{32 * 16 * 9 * 112 * 112:,}"
    assert cells["stage2.project"] == "in stage2.dw"
    page.locator("#network-2 .bar[data-i='10']").hover()
    assert (
        "separable pair: as standard in stage2.dw's full conv" in page.locator("#network-2 .tooltip").first.inner_text()
    )
    # the headline card: what the pairs save, not 0.00 %
    assert "0.00" not in page.locator("#network-2 .card", has_text="saves vs standard").inner_text()
