"""A costed network in a notebook and in a terminal, without torch or Jupyter: ``_repr_html_`` is the HTML table of
``dsc-cost network`` (its columns, every text escaped, the report's styles scoped to the output, no script) and
``__rich__`` the table the command prints; docs/notebook.ipynb is committed without outputs; and neither
``import dsc_cost`` nor the command line imports torch."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from html.parser import HTMLParser

from conftest import ROOT
from rich.console import Console

from dsc_cost.report import network_output, to_text
from dsc_cost.report.columns import columns_of
from dsc_cost.report.notebook import styles
from dsc_cost.spec import cost_specs, load_text

TWO = """\
name: two layers
input: [3, 32, 32]
layers:
  - {name: stem, type: conv, out: 32, kernel: 3, stride: 2, padding: same}
  - {name: block, type: separable, out: 64, kernel: 3, padding: same}
"""


def costed(text: str = TWO) -> object:
    [result] = cost_specs(load_text(text, "two.yaml"))
    return result


class Cells(HTMLParser):
    """The tables of an HTML fragment: each a list of rows of cell texts; every tag name seen."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.tags: list[str] = []
        self.open: list[str] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in ("br",):
            self.open.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else ''}>"
        self.open.pop()
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def parsed(html: str) -> Cells:
    cells = Cells()
    cells.feed(html)
    cells.close()
    assert cells.open == [], "unclosed tags"
    return cells


def test_a_result_shows_as_the_html_table_of_the_network_command() -> None:
    result = costed()
    page = result._repr_html_()  # type: ignore[attr-defined]
    assert page.startswith('<div class="dsc-cost">') and page.endswith("</div>")
    cells = parsed(page)
    assert "script" not in cells.tags and "<script" not in page.lower()
    layers = cells.tables[0]
    # the columns of the table format, from the column registry, as the command's table has them at full width
    assert layers[0] == [column.header for column in columns_of("table", [])]
    names = [row[0] for row in layers[1:]]
    assert names == ["stem", "block", "total"]
    # By hand: stem, conv 3→32 3×3/2 to 32×16×16: 3·9·32 = 864 params, 864·256 = 221,184 mults (221.2K);
    # block, separable 32→64: 288 + 2,048 = 2,336 params, 2,336·256 = 598,016 mults (598K); as standard the
    # block is a full 3×3 conv: 32·9·64·256 = 4,718,592 (4.719M)
    by_name = {row[0]: row for row in layers[1:]}
    titles = layers[0]
    assert by_name["stem"][titles.index("params")] == "864"
    assert by_name["stem"][titles.index("mults")] == "221.2K"
    assert by_name["block"][titles.index("params")] == "2.336K"
    assert by_name["block"][titles.index("as standard")] == "4.719M"
    assert by_name["total"][titles.index("mults")] == "819.2K"  # 221,184 + 598,016
    # the what-if summary below it
    summary = {row[0]: row[1:] for row in cells.tables[1][1:]}
    assert summary["as standard"] == ["19.3K", "4.94M"]  # 864 + 18,432 params; 221,184 + 4,718,592 mults


def test_the_html_escapes_every_name_and_has_the_reports_scoped_styles() -> None:
    hostile = TWO.replace("name: stem", "name: '<img src=x onerror=alert(1)>'")
    page = costed(hostile)._repr_html_()  # type: ignore[attr-defined]
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    css = styles()
    # the report's own rules and colours, each scoped to the output: nothing of the notebook's page changes
    assert ".dsc-cost table.data th, .dsc-cost table.data td {" in css
    assert "@media (prefers-color-scheme: dark) { .dsc-cost {" in css
    for rule in css.replace("@media (prefers-color-scheme: dark) {", "").split("}"):
        selectors = rule.split("{")[0].strip()
        if selectors:
            assert all(s.strip().startswith(".dsc-cost") for s in selectors.split(",")), selectors
    assert "body {" not in css and ":root" not in css and "main {" not in css


def test_a_result_prints_in_rich_as_the_network_commands_table() -> None:
    result = costed()
    console = Console(width=100, record=True, color_system=None, force_terminal=False, file=io.StringIO())
    console.print(result)
    shown = "".join(line.rstrip() + "\n" for line in console.export_text().splitlines())
    assert shown == to_text(network_output([result], "table"), 100)  # type: ignore[list-item]
    assert shown.startswith("two layers · input 3×32×32 → output 64×16×16 · 2 layers\n")


def test_the_notebook_is_committed_without_outputs() -> None:
    notebook = json.loads((ROOT / "docs" / "notebook.ipynb").read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code and all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)


def test_neither_import_dsc_cost_nor_the_command_line_imports_torch() -> None:
    program = (
        "import sys, runpy\n"
        "import dsc_cost, dsc_cost.report.notebook\n"
        "sys.argv = ['dsc-cost', 'network', 'configs/mobilenet_v2.yaml', 'tests/data/tiny.onnx']\n"
        "try:\n"
        "    runpy.run_module('dsc_cost', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    assert exit.code in (0, None), exit.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'torchvision', 'onnxscript')))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"
