"""What the tests share: the command line run in-process, the repository root as the working
directory (so that tests pass wherever pytest starts), and help text that does not depend on
the terminal or the CI service running the tests."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.chdir(ROOT)  # before the test modules are imported: some read configs/ when collected

# Typer's rich help reads these when it is first imported: a fixed width, no forced colour
# (GitHub Actions sets GITHUB_ACTIONS, which Typer takes as a terminal with colour).
os.environ["TERMINAL_WIDTH"] = "100"
for name in ("FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "CLICOLOR_FORCE", "DSC_COST_DEBUG"):
    os.environ.pop(name, None)

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(autouse=True)
def _in_the_repository(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Relative paths such as configs/mobilenet_v1.yaml name the repository's files."""
    monkeypatch.chdir(ROOT)
    yield


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """``run(*args)``: run ``dsc-cost ARGS`` in-process; return (exit code, stdout, stderr)."""
    from dsc_cost.cli import main

    def run_(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run_


# ---------------------------------------------------------------- the configs and the papers' figures


def config_network(run: Run, file: str, *options: str) -> dict[str, Any]:
    """The JSON of the one network of ``configs/<file>`` in ``network --format json`` (with ``options``),
    which must succeed with nothing on stderr."""
    code, out, err = run("network", str(ROOT / "configs" / file), "--format", "json", *options)
    assert (code, err) == (0, "")
    [net] = json.loads(out)["networks"]
    return net  # type: ignore[no-any-return]


def rounds_to(value: int, published: str, unit: int) -> bool:
    """Whether ``value`` in ``unit`` rounds to the figure as printed (to as many decimals as it has)."""
    decimals = len(published.partition(".")[2])
    return abs(Decimal(value) / unit - Decimal(published)) < Decimal(5) / 10 ** (decimals + 1)


def truncates_to(value: int, published: str, unit: int) -> bool:
    """Whether ``value`` in ``unit``, cut (not rounded) to as many decimals as the figure has, is the figure."""
    step = Decimal(1) / 10 ** len(published.partition(".")[2])
    return Decimal(published) <= Decimal(value) / unit < Decimal(published) + step


def conv(cin: int, cout: int, k: int, size: int, groups: int = 1) -> tuple[int, int]:
    """(params, mults) of a bias-free k×k conv with batch-norm (2 params per output channel) at an output size."""
    weights = cin // groups * cout * k * k
    return weights + 2 * cout, weights * size * size
