"""What the tests share: the command line run in-process, the repository root as the working
directory (so that tests pass wherever pytest starts), and help text that does not depend on
the terminal or the CI service running the tests."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

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
