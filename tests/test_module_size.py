"""No module of the package is longer than 800 lines: a module that grows past it does more than one job, and is
split by job (as dsc_cost/readers/spec/ is)."""

from __future__ import annotations

from conftest import ROOT

MAX_LINES = 800

EXCEPTIONS: dict[str, str] = {}
"""Modules allowed past the bound for a while, each with its reason (one being split: removed when that lands)."""


def test_no_module_is_longer_than_800_lines() -> None:
    long = {}
    for path in sorted((ROOT / "dsc_cost").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and name not in EXCEPTIONS:
            long[name] = lines
    assert long == {}, f"modules over {MAX_LINES} lines: {long}"


def test_the_exceptions_are_still_long() -> None:
    """An exception that is no longer needed is removed (so that it cannot hide a module grown long again)."""
    for name, reason in EXCEPTIONS.items():
        path = ROOT / name
        assert path.exists(), f"{name} ({reason}) is gone: remove it from EXCEPTIONS"
        assert len(path.read_text(encoding="utf-8").splitlines()) > MAX_LINES, f"{name} is short now ({reason})"
