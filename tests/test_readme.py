"""README.md says only what the code does: examples regenerate identically, every option is shown,
the Python examples run, and CI runs the Quick start's test command."""

from __future__ import annotations

import doctest
import re
import sys
from pathlib import Path

import pytest

from dsc_cost.cli import OLD_SPELLINGS, _legacy, command

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import readme  # noqa: E402

TEXT = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = TEXT[re.search(r"^## Quick start$", TEXT, re.M).end() :]  # type: ignore[union-attr]
    block = re.search(r"^```[^\n]*\n(.*?)^```", section, re.S | re.M).group(1)  # type: ignore[union-attr]
    return [line.strip() for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_examples_are_what_the_cli_prints() -> None:
    assert readme.commands(TEXT), "README.md has no generated examples"
    assert readme.regenerate(TEXT) == TEXT, "README examples drifted: run python scripts/readme.py"


def test_python_examples_run() -> None:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(TEXT, {}, "README.md", str(ROOT / "README.md"), 0)
    assert test.examples, "README.md has no Python examples"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_quick_start_has_two_commands_and_ci_runs_the_second() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert commands[0].startswith("pip install . && dsc-cost compare ")
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci


def _subcommands() -> dict[str, list[list[str]]]:
    """Each command's options, each as its spellings (long first), from the click command Typer builds."""
    return {
        name: [[*param.opts, *param.secondary_opts] for param in sub.params if param.opts[0].startswith("-")]
        for name, sub in command().commands.items()  # type: ignore[attr-defined]
    }


@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_every_option_is_documented_and_exercised_by_an_example(command: str) -> None:
    examples = [args.split() for args in readme.commands(TEXT) if args.split()[0] == command]
    assert examples, f"README.md has no example of {command}"
    used = {word.split("=")[0] for args in examples for word in [*args, *_legacy(args)]}  # --bias both: --bias-both
    for aliases in _subcommands()[command]:
        if "--help" in aliases:
            continue
        option = next(a for a in aliases if a.startswith("--"))
        assert used & set(aliases), f"no README example of {command} uses {option}"
        spellings = [*aliases, *OLD_SPELLINGS.get(option, ())]
        assert any(f"`{spelling}" in TEXT for spelling in spellings), f"{option} is not in README.md"
