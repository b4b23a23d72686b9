"""Names from a spec in Markdown (``network``, ``diff``, the job summary of ``check``): shown as written,
never read as HTML, a link or an image, as a Markdown parser (markdown-it-py, CommonMark with tables) reads
them."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from conftest import Run
from markdown_it import MarkdownIt

from dsc_cost.report.markdown import escape

HOSTILE = {
    "net": "</details><script>alert(1)</script>",
    "stem": "<img src=x onerror=alert(1)>",
    "link": "[click](https://example.com/x)",
    "image": "![t](https://example.com/t.png)",
    "odd": "a|b\\ *c* _d_ `e` ~~f~~ &amp; #",
}


def spec(out: int = 8) -> str:
    layers = "".join(
        f"  - {{name: {json.dumps(name)}, type: pointwise, out: {out}}}\n"
        for key, name in HOSTILE.items()
        if key != "net"
    )  # JSON strings are YAML's double-quoted strings
    return f"name: {json.dumps(HOSTILE['net'])}\ninput: [3, 8, 8]\nlayers:\n{layers}"


def rendered(markdown_text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown_text)


def text_of(page: str) -> str:
    """The text a reader sees: the tags dropped, the entities read."""
    return html.unescape(re.sub(r"<[^>]*>", "", page))


def tags(page: str) -> set[str]:
    return set(re.findall(r"</?([a-z0-9]+)", page))


def assert_shown_as_text(markdown_text: str, allowed: set[str]) -> None:
    page = rendered(markdown_text)
    assert tags(page) <= allowed, tags(page) - allowed  # no script, img, a, em, code, del: only the tables' own
    shown = text_of(page)
    for name in HOSTILE.values():
        assert name in shown, name


TABLES = {"table", "thead", "tbody", "tr", "th", "td", "p", "h3", "strong"}


def test_escape_makes_every_name_text() -> None:
    for name in HOSTILE.values():
        assert text_of(rendered(escape(name))) == f"{name}\n"
    assert escape("conv_dw stage_2") == "conv_dw stage_2"  # an underscore between letters is no emphasis


def test_network_markdown(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "net.yaml"
    path.write_text(spec())
    code, out, err = run("network", str(path), "--format", "markdown")
    assert (code, err) == (0, "")
    assert_shown_as_text(out, TABLES)


def test_diff_markdown_and_its_details(run: Run, tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(spec(8))
    new.write_text(spec(8).replace("out: 8}\n", "out: 9}\n", 1))  # one layer changes: the others are collapsed
    code, out, err = run("diff", str(old), str(new), "--format", "markdown")
    assert (code, err) == (0, "")
    assert out.count("<details>") == out.count("</details>") == 1  # a name cannot close it
    assert_shown_as_text(out, TABLES | {"details", "summary"})
    summary = re.search(r"<summary>(.*)</summary>", rendered(out))
    assert summary and html.unescape(summary.group(1)) == f"every layer (4) of {HOSTILE['net']}"


def test_check_job_summary(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "net.yaml"
    path.write_text(spec())
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, _, _ = run("check", str(path), "--max-params", "1")
    assert code == 1
    page = rendered(summary.read_text())
    assert tags(page) <= TABLES and HOSTILE["net"] in text_of(page)
