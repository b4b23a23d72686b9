"""Golden outputs: what every command prints for every shipped config in every format, byte for byte.

These are regression pins, not evidence: the files under tests/golden/ were written by dsc-cost itself, and the
numbers in them are backed by the tests that derive them by hand, from the seeds and the papers, or from the
reference tools (tests/test_configs*.py, tests/test_pairs.py, tests/test_against_torch.py). They guard a
restructuring of the code: a change that moves code around must leave every one of them as it is, and a change
that means to change an output regenerates them and shows the difference in review:

    DSC_COST_GOLDEN=update python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ROOT, Run

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("DSC_COST_GOLDEN", "") == "update"
CONFIGS = sorted(p.name for p in (ROOT / "configs").iterdir() if p.suffix in (".yaml", ".json"))
FORMATS = ("table", "json", "csv", "markdown")


def check(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"tests/golden/{name} is missing: DSC_COST_GOLDEN=update writes it"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from tests/golden/{name} (DSC_COST_GOLDEN=update rewrites it)"


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables as wide as they need to be, without colour, whatever the terminal running the tests."""
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("config", CONFIGS)
def test_network(run: Run, config: str, fmt: str) -> None:
    code, out, err = run("network", f"configs/{config}", "--format", fmt, "--exact")
    assert (code, err) == (0, "")
    check(f"network/{config}.{fmt}", out)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("config", ["mobilenet_v2.yaml", "efficientnet_b0.yaml", "resnet18.yaml"])
def test_network_with_memory_and_a_device(run: Run, config: str, fmt: str) -> None:
    code, out, err = run("network", f"configs/{config}", "--format", fmt, "--device", "jetson-orin-nano", "--memory")
    assert (code, err) == (0, "")
    check(f"network-device/{config}.{fmt}", out)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("tool", ["torchinfo", "ptflops", "fvcore", "thop", "keras", "flops"])
def test_network_as_a_tool(run: Run, tool: str, fmt: str) -> None:
    code, out, err = run("network", "configs/mobilenet_v3_small.yaml", "--format", fmt, "--as", tool)
    assert (code, err) == (0, "")
    check(f"network-as/{tool}.{fmt}", out)


@pytest.mark.parametrize("fmt", FORMATS)
def test_sweep(run: Run, fmt: str) -> None:
    code, out, err = run("sweep", "configs/efficientnet_b0.yaml", "--format", fmt)
    assert (code, err) == (0, "")
    check(f"sweep/efficientnet_b0.yaml.{fmt}", out)


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_check(run: Run, fmt: str) -> None:
    code, out, err = run("check", "configs/mobilenet_v1.yaml", "configs/convnext_tiny.yaml", "--max-mults", "1G",
                         "--min-savings-vs-standard", "80%", "--format", fmt)  # fmt: skip
    assert code == 1  # ConvNeXt-Tiny's 4.456G mults are over 1G
    check(f"check/two.{fmt}", out + err)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("config", ["mobilenet_v1.yaml", "convnext_tiny.yaml"])
def test_conventions(run: Run, config: str, fmt: str) -> None:
    code, out, err = run("conventions", f"configs/{config}", "--format", fmt)
    assert (code, err) == (0, "")
    check(f"conventions/{config}.{fmt}", out)


@pytest.mark.parametrize("fmt", FORMATS)
def test_compare(run: Run, fmt: str) -> None:
    code, out, err = run("compare", "-c", "32", "-o", "64", "--size", "112", "--device", "h100", "--format", fmt)
    assert (code, err) == (0, "")
    check(f"compare/32-64-112.{fmt}", out)


@pytest.mark.parametrize("fmt", FORMATS)
def test_diff(run: Run, fmt: str) -> None:
    code, out, err = run("diff", "tests/data/mobilenet_v1_earlier.yaml", "configs/mobilenet_v1.yaml", "--format", fmt)
    assert code in (0, 1) and err == ""
    check(f"diff/mobilenet_v1.{fmt}", out)
