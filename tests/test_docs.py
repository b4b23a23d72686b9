"""README.md and docs/*.md say only what the code does: every example and generated table is what the code
prints now (cog --check), the Python examples run, every command has its page, every option is shown in an
example and described on its page, the links lead somewhere, and CI runs the Quick start's test command."""

from __future__ import annotations

import difflib
import doctest
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
COG = [sys.executable, "-m", "cogapp", "-I", "scripts"]
REGENERATE = "cog -r -I scripts README.md docs/*.md"

RUN = re.compile(r"\[\[\[cog run\((?P<quote>[\"'])(?P<args>.*?)(?P=quote)\) \]\]\]")
GENERATED = re.compile(r"\[\[\[cog.*?\[\[\[end\]\]\]", re.S)


def text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def examples(page: Path) -> list[list[str]]:
    """The arguments of every generated example of ``page``."""
    return [shlex.split(m.group("args")) for m in RUN.finditer(text(page))]


def prose(page: Path) -> str:
    """``page`` without its cog blocks: what people wrote, not what the code printed."""
    return GENERATED.sub("", text(page))


def cli_options() -> dict[str, list[list[str]]]:
    """Each command's options, as groups of aliases (``["-c", "--in-channels"]``), without ``--help``: from the
    Typer app where the command line is one, else from the argparse parser."""
    from dsc_cost import cli

    if hasattr(cli, "app"):
        import typer.main

        group = typer.main.get_command(cli.app)  # a click group (recent Typer carries its own click)
        return {
            name: [
                list(param.opts)
                for param in command.params
                if param.param_type_name == "option" and not getattr(param, "hidden", False)
                if "--help" not in param.opts
            ]
            for name, command in group.commands.items()  # type: ignore[attr-defined]
            if not command.hidden
        }
    parser = cli.build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return {
        name: [list(a.option_strings) for a in sub._actions if a.option_strings and "--help" not in a.option_strings]
        for name, sub in action.choices.items()  # type: ignore[union-attr]
    }


COMMANDS = cli_options()


def test_the_pages_are_what_the_code_prints_now() -> None:
    assert sum(len(examples(page)) for page in PAGES) >= len(COMMANDS), "the docs have no generated examples"
    names = [str(page.relative_to(ROOT)) for page in PAGES]
    done = subprocess.run([*COG, "--check", *names], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode == 0:
        return
    diffs = []
    for name in names:  # what changed, page by page
        now = subprocess.run([*COG, name], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False)
        was = text(ROOT / name)
        diffs += difflib.unified_diff(was.splitlines(True), now.stdout.splitlines(True), name, "now")
    pytest.fail(f"the docs drifted from the code: run {REGENERATE}\n{done.stdout}{done.stderr}{''.join(diffs)}")


def test_examples_do_not_depend_on_the_terminal_or_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import cogdocs
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    for name, value in {"FORCE_COLOR": "1", "GITHUB_ACTIONS": "true", "CI": "1", "COLUMNS": "37"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.chdir(ROOT / "tests")
    page = text(DOCS / "compare.md")
    for args in ("compare --help", "compare -c 3 -o 128 -k 3 --size 7"):
        assert f"```console\n{cogdocs.transcript(args)}```\n" in page


@pytest.mark.parametrize("page", [README, DOCS / "api.md"], ids=lambda p: p.name)
def test_python_examples_run(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the examples read configs/ as a user in a clone would
    parser = doctest.DocTestParser()
    test = parser.get_doctest(text(page), {}, page.name, str(page), 0)
    assert test.examples, f"{page.name} has no Python examples"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def quick_start_commands() -> list[str]:
    readme = text(README)
    section = readme[re.search(r"^## Quick start$", readme, re.M).end() :]  # type: ignore[union-attr]
    block = re.search(r"^```[^\n]*\n(.*?)^```", section, re.S | re.M).group(1)  # type: ignore[union-attr]
    return [line.strip() for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_quick_start_has_two_commands_and_ci_runs_the_second() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert commands[0].startswith("pip install . && dsc-cost compare ")
    assert "pytest" in commands[1]
    assert commands[1] in text(ROOT / ".ci" / "run")


def test_readme_stays_short() -> None:
    assert len(text(README).splitlines()) <= 310  # nine commands, one short section each, the configs' savings


PAGE_ONLY = {"devices", "import", "export", "measure", "calibrate"}
"""Commands whose README section shows a command line of their own or a related one, not their output."""


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_its_page_with_examples(command: str) -> None:
    page = DOCS / f"{command}.md"
    assert page.is_file(), f"docs/{command}.md is missing"
    assert any(args[0] == command for args in examples(page)), f"docs/{command}.md has no example of {command}"
    assert f"(docs/{command}.md)" in text(README), f"README.md does not link to docs/{command}.md"
    if command not in PAGE_ONLY:
        assert any(args[0] == command for args in examples(README)), f"README.md has no example of {command}"


MEASURED = {"measure", "calibrate"}
"""Commands whose output is a time measured on the machine: their pages show one run, written, not generated."""
TRANSCRIPT = re.compile(r"^\$ dsc-cost (?P<args>.+)$", re.M)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_option_is_exercised_by_an_example_and_described_on_its_page(command: str) -> None:
    used = {word for page in PAGES for args in examples(page) if args[0] == command for word in args}
    if command in MEASURED:
        written = [shlex.split(m.group("args")) for m in TRANSCRIPT.finditer(prose(DOCS / f"{command}.md"))]
        used |= {word for args in written if args[0] == command for word in args}
    described = prose(DOCS / f"{command}.md")
    for aliases in COMMANDS[command]:
        for option in (a for a in aliases if a.startswith("--")):
            assert used & set(aliases), f"no example of {command} uses {option}"
            assert f"`{option}" in described, f"docs/{command}.md does not describe {option}"


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_lead_somewhere(page: Path) -> None:
    for match in LINK.finditer(prose(page)):
        target = match.group("target")
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name}: {target} leads nowhere"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", text(linked), re.M)
            assert anchor in {_slug(h) for h in headings}, f"{page.name}: no heading #{anchor} in {linked.name}"


def test_no_page_says_where_it_was_made() -> None:
    for page in PAGES:
        assert not re.search(r"(/work/|/tmp/|/home/)", text(page)), f"{page.name} names a machine path"
