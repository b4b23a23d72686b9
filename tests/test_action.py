"""The GitHub Action (action.yml): its metadata against the rules of GitHub's action metadata that can be checked
offline, and its shell steps run in a temporary git repository with a base and a head commit, as a pull request's
job would run them; and the job summary that `dsc-cost check` writes to $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

from dsc_cost.cli import main, parse

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))

# ---------------------------------------------------------------- metadata
# https://docs.github.com/en/actions/sharing-automations/creating-actions/metadata-syntax-for-github-actions

TOP_KEYS = {"name", "author", "description", "inputs", "outputs", "runs", "branding"}
STEP_KEYS = {"id", "if", "name", "run", "shell", "uses", "with", "env", "working-directory", "continue-on-error"}
SHELLS = {"bash", "pwsh", "python", "sh", "cmd", "powershell"}
COLORS = {"white", "black", "yellow", "blue", "green", "orange", "red", "purple", "gray-dark"}
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
INPUT_REFERENCE = re.compile(r"\binputs\.([A-Za-z_][A-Za-z0-9_-]*)")


def expressions(value: object) -> list[str]:
    """Every expression of a metadata value: the ``${{ ... }}`` of its strings."""
    if isinstance(value, dict):
        return [e for item in value.values() for e in expressions(item)]
    if isinstance(value, list):
        return [e for item in value for e in expressions(item)]
    return EXPRESSION.findall(value) if isinstance(value, str) else []


def test_the_required_keys_and_a_composite_run() -> None:
    assert set(ACTION) <= TOP_KEYS
    for key in ("name", "description"):
        assert isinstance(ACTION[key], str) and ACTION[key].strip()
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["runs"]) == {"using", "steps"}
    assert ACTION["branding"]["color"] in COLORS and isinstance(ACTION["branding"]["icon"], str)


def test_each_step_runs_a_script_in_a_shell_or_uses_an_action() -> None:
    steps = ACTION["runs"]["steps"]
    assert isinstance(steps, list) and steps
    for step in steps:
        assert set(step) <= STEP_KEYS, step.get("name")
        assert ("run" in step) != ("uses" in step), step.get("name")
        if "run" in step:
            assert step.get("shell") in SHELLS, f"{step.get('name')}: a run step of a composite action needs a shell"
        # an input reaches a script through the environment, never pasted into its text (script injection)
        assert not EXPRESSION.search(step.get("run", "")), step.get("name")


def test_inputs_are_described_and_every_one_used_exists() -> None:
    inputs: dict[str, Any] = ACTION["inputs"]
    for name, spec in inputs.items():
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", name)
        assert set(spec) <= {"description", "required", "default", "deprecationMessage"}
        assert isinstance(spec["description"], str) and spec["description"].strip()
        assert isinstance(spec.get("required", False), bool)
        if spec.get("required"):
            assert "default" not in spec, f"{name}: a required input has no default"
    used = {name for e in expressions(ACTION["runs"]) for name in INPUT_REFERENCE.findall(e)}
    used |= {name for step in ACTION["runs"]["steps"] for name in INPUT_REFERENCE.findall(step.get("if", ""))}
    assert used <= set(inputs), f"inputs used but not declared: {sorted(used - set(inputs))}"
    assert set(inputs) <= used, f"inputs declared but not used: {sorted(set(inputs) - used)}"
    assert [name for name, spec in inputs.items() if spec.get("required")] == ["paths"]


@pytest.mark.parametrize("page", ["README.md", "docs/ci.md"])
def test_the_documented_uses_give_inputs_the_action_has(page: str) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```", text, re.S | re.M)
    uses = [step for block in blocks for step in _steps(yaml.safe_load(block)) if "dsc-cost@" in step.get("uses", "")]
    assert uses, f"{page} shows no use of the action"
    for step in uses:
        assert set(step["with"]) <= set(ACTION["inputs"])
        assert "paths" in step["with"]
        for key, value in step["with"].items():
            if key.endswith("-args"):  # the options of the command they are for
                parse([key.removesuffix("-args"), *(["a", "b"] if key == "diff-args" else ["a"]), *shlex.split(value)])


def _steps(document: object) -> list[dict[str, Any]]:
    """The steps of a YAML snippet: a list of steps, or a workflow's jobs' steps."""
    if isinstance(document, list):
        return [step for step in document if isinstance(step, dict)]
    if isinstance(document, dict):
        return [step for job in document.get("jobs", {}).values() for step in job.get("steps", [])]
    return []


def test_the_documented_diff_step_parses() -> None:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    script = next(
        step["run"]
        for block in re.findall(r"^```yaml\n(.*?)^```", text, re.S | re.M)
        for step in _steps(yaml.safe_load(block))
        if "dsc-cost diff" in step.get("run", "")
    )
    words = shlex.split(script.replace("\\\n", " ").split("dsc-cost ", 1)[1].split(">>")[0])
    name, values = parse(words)
    assert (name, values["format"]) == ("diff", "markdown")
    assert values["old"].startswith("git:origin/$GITHUB_BASE_REF:")


# ---------------------------------------------------------------- running the steps

# A tiny network; the head commit widens its classifier from 10 to 12 outputs: 32·10 = 320 → 32·12 = 384
# params and mults, +64 (+20%).
SPEC = """\
name: tiny
input: [3, 8, 8]
budget: {max_params: 2K}
layers:
  - {name: stem, type: conv, out: 16, kernel: 3, padding: 1}
  - {name: block, type: separable, out: 32, kernel: 3, padding: 1}
  - {type: pool, kernel: 8}
  - {name: fc, type: linear, out: FC}
"""


def evaluate(expression: str, context: dict[str, dict[str, str]]) -> str | bool:
    """A test-only evaluator of the few expressions action.yml uses: ``inputs.X``, ``github.X``, ``'text'``,
    ``==``, ``!=``, ``||`` and ``&&`` (``||`` gives its first non-empty operand, as GitHub's does)."""
    tokens = re.findall(r"'[^']*'|\|\||&&|==|!=|[A-Za-z_][A-Za-z0-9_.-]*|\S", expression)

    def value(token: str) -> str:
        if token.startswith("'"):
            return token[1:-1]
        scope, _, name = token.partition(".")
        assert scope in context, f"unknown context in {expression!r}: {token}"
        return context[scope].get(name, "")

    def compare(tokens: list[str]) -> str | bool:
        if len(tokens) == 1:
            return value(tokens[0])
        left, operator, right = tokens
        assert operator in ("==", "!="), expression
        return (value(left) == value(right)) == (operator == "==")

    def split(tokens: list[str], operator: str) -> list[list[str]]:
        parts: list[list[str]] = [[]]
        for token in tokens:
            if token == operator:
                parts.append([])
            else:
                parts[-1].append(token)
        return parts

    result: str | bool = ""
    for alternative in split(tokens, "||"):
        conjunction: str | bool = True
        for term in split(alternative, "&&"):
            conjunction = compare(term)
            if not conjunction:
                break
        if conjunction:
            return conjunction
        result = conjunction
    return result


def substitute(text: str, context: dict[str, dict[str, str]]) -> str:
    return EXPRESSION.sub(lambda m: str(evaluate(m.group(1), context)), text)


def test_the_evaluator() -> None:
    context = {"inputs": {"a": "", "b": "x"}, "github": {"base_ref": "main"}}
    assert evaluate("inputs.a || github.base_ref", context) == "main"
    assert evaluate("inputs.b || github.base_ref", context) == "x"
    assert evaluate("inputs.a != '' || github.base_ref != ''", context) is True
    assert evaluate("inputs.a != '' && github.base_ref != ''", context) is False
    assert substitute("${{ inputs.b }}-${{ github.base_ref }}", context) == "x-main"


def git(folder: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.com", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@example.com", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(folder)}  # fmt: skip
    done = subprocess.run(["git", *args], cwd=folder, env=env, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A checkout of a pull request's head, as actions/checkout leaves it (one commit deep), whose origin has
    the base branch main: configs/x.yaml changed, configs/new.yaml added."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    (work / "configs").mkdir()
    (work / "configs" / "x.yaml").write_text(SPEC.replace("FC", "10"), encoding="utf-8")
    git(work, "add", ".")
    git(work, "commit", "-qm", "base")
    git(work, "remote", "add", "origin", origin.as_uri())
    git(work, "push", "-q", "origin", "main")
    git(work, "checkout", "-q", "-b", "feature")
    (work / "configs" / "x.yaml").write_text(SPEC.replace("FC", "12"), encoding="utf-8")
    (work / "configs" / "new.yaml").write_text(SPEC.replace("FC", "10"), encoding="utf-8")
    git(work, "add", ".")
    git(work, "commit", "-qm", "head")
    git(work, "push", "-q", "origin", "feature")
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", origin.as_uri(), str(checkout))
    return checkout


FAKE_PYTHON = """\
#!/bin/sh
# Stands in for the Python that the action installs dsc-cost with: `-m venv DIR` makes DIR/bin with a pip
# that records what it is asked to install, and a dsc-cost that runs this checkout's dsc_cost.
[ "$1" = "-m" ] && [ "$2" = "venv" ] || exit 64
mkdir -p "$3/bin"
printf '#!/bin/sh\\necho "$@" >> %(log)s\\n' > "$3/bin/pip"
printf '#!/bin/sh\\nPYTHONPATH=%(root)s exec %(python)s -m dsc_cost "$@"\\n' > "$3/bin/dsc-cost"
chmod +x "$3/bin/pip" "$3/bin/dsc-cost"
"""


def run_action(
    checkout: Path, tmp_path: Path, inputs: dict[str, str], event: str = "pull_request"
) -> tuple[list[tuple[str, int | None, str]], str, str]:
    """Run the action's steps as a runner would: inputs with their defaults, each ``if`` decided, expressions
    substituted in ``env``, each script run by bash as GitHub runs a ``shell: bash`` step, $GITHUB_PATH's
    folders added to PATH for the steps after. Returns (step name, exit code or None when skipped, output) for
    each step until one fails, the job summary and what pip was asked."""
    log = tmp_path / "pip.log"
    fake = tmp_path / "fake-python"
    quoted = {"log": shlex.quote(str(log)), "root": shlex.quote(str(ROOT)), "python": shlex.quote(sys.executable)}
    fake.write_text(FAKE_PYTHON % quoted, encoding="utf-8")
    fake.chmod(0o755)
    runner = tmp_path / "runner"
    runner.mkdir(exist_ok=True)
    summary, path_file = runner / "summary.md", runner / "path"
    summary.write_text("", encoding="utf-8")
    path_file.write_text("", encoding="utf-8")
    log.unlink(missing_ok=True)
    given = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    given.update({"python": str(fake)}, **inputs)
    pr = event == "pull_request"
    context = {"inputs": given, "github": {"event_name": event, "base_ref": "main" if pr else "", "head_ref": ""}}
    environment = {name: value for name, value in os.environ.items() if not name.startswith(("GITHUB_", "RUNNER_"))}
    environment.update(GITHUB_ACTION_PATH=str(ROOT), RUNNER_TEMP=str(runner), GITHUB_PATH=str(path_file),
                       GITHUB_STEP_SUMMARY=str(summary), GITHUB_ACTIONS="true", HOME=str(tmp_path))  # fmt: skip
    results = []
    for step in ACTION["runs"]["steps"]:
        if "if" in step and not evaluate(step["if"], context):
            results.append((step["name"], None, ""))
            continue
        env = dict(environment)
        env.update({name: substitute(str(value), context) for name, value in step.get("env", {}).items()})
        added = [line for line in path_file.read_text().splitlines() if line]
        env["PATH"] = os.pathsep.join([*reversed(added), environment["PATH"]])
        script = tmp_path / "step.sh"
        script.write_text(step["run"], encoding="utf-8")
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=checkout,
                              env=env, capture_output=True, text=True, check=False)  # fmt: skip
        results.append((step["name"], done.returncode, done.stdout + done.stderr))
        if done.returncode:
            break
    return results, summary.read_text(encoding="utf-8"), log.read_text() if log.exists() else ""


def test_a_pull_request_job_writes_the_diff_into_the_summary_and_checks(pull_request: Path, tmp_path: Path) -> None:
    steps, summary, pip = run_action(pull_request, tmp_path, {"paths": "configs/*.yaml"})
    assert [(name, code) for name, code, _ in steps] == [
        ("Install dsc-cost", 0),
        ("Cost diff against the base branch", 0),
        ("Check budgets", 0),
    ], steps
    assert pip == f"install --quiet {ROOT}\n"  # the package of the action's own folder
    assert "**configs/new.yaml**: new, not on main" in summary
    assert "**git:origin/main:configs/x.yaml → configs/x.yaml: 1 of 1 network changed**" in summary
    html = MarkdownIt("commonmark").enable("table").render(summary)
    cells = re.findall(r"<td(?: [^>]*)?>(.*?)</td>", html)
    fc = cells.index("fc")
    assert cells[fc : fc + 10] == ["fc", "changed", "linear", "10×1×1 → 12×1×1", "320", "384", "+64 (+20%)",
                                   "320", "384", "+64 (+20%)"]  # fmt: skip
    # then check's own summary: the budget of each spec, with its margin
    assert "### dsc-cost check: ok" in summary
    assert "| ok | tiny | params | 1.472K | 2K | 26.4% headroom | budget |" in summary  # 1 − 1,472/2,000 = 26.4%
    check_output = steps[2][2]
    assert "ok  tiny  params 1.472K / 2K (26.4% headroom)" in check_output


def test_a_growth_beyond_diff_args_fails_the_job(pull_request: Path, tmp_path: Path) -> None:
    # params grow 64 / 1,408 = 4.5%: more than 1%
    steps, summary, _ = run_action(
        pull_request, tmp_path, {"paths": "configs/x.yaml", "diff-args": "--fail-on-increase 1"}
    )
    assert [(name, code) for name, code, _ in steps][1:] == [("Cost diff against the base branch", 1)]
    assert "dsc-cost diff: tiny: params grew +4.55% (more than 1%)" in steps[1][2]
    assert "| fc | changed |" in summary  # the summary is written all the same


def test_outside_a_pull_request_only_the_check_runs(
    pull_request: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a baseline of the base commit's costs: the head's classifier has 64 params more (+4.5%)
    capsys.readouterr()
    base = tmp_path / "base.yaml"
    base.write_text(SPEC.replace("FC", "10"), encoding="utf-8")
    assert main(["network", str(base), "--format", "json"]) == 0
    (pull_request / "costs.json").write_text(capsys.readouterr().out, encoding="utf-8")
    inputs = {"paths": "configs/x.yaml", "baseline": "costs.json", "check-args": "--tolerance 5"}
    steps, summary, _ = run_action(pull_request, tmp_path, inputs, event="push")
    assert [(name, code) for name, code, _ in steps] == [
        ("Install dsc-cost", 0),
        ("Cost diff against the base branch", None),
        ("Check budgets", 0),
    ]
    assert "ok  tiny  params grew 1,408 → 1,472 (+64, +4.55%; tolerance 5%)" in steps[2][2]
    assert "git:" not in summary
    assert "**Baseline** costs.json (tolerance 5%)" in summary
    assert "| ok | tiny | params | 1,408 | 1,472 | +64 (+4.55%) |" in summary
    # the same with a tolerance below the growth fails the step
    inputs["check-args"] = "--tolerance 4"
    steps, _, _ = run_action(pull_request, tmp_path, inputs, event="push")
    assert steps[2][1] == 1
    assert "::error " in steps[2][2]  # an annotation for the pull request


# ---------------------------------------------------------------- check's job summary


def test_check_appends_a_markdown_summary_when_github_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("before\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    args = ["check", "configs/mobilenet_v1.yaml", "--baseline", "tests/data/baseline.json", "--max-mults", "500M"]
    assert main(args) == 1
    out = capsys.readouterr().out
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("before\n### dsc-cost check: FAIL\n")  # appended
    assert "summary" not in out and "###" not in out  # the report itself is unchanged
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    assert sum(t.type == "table_open" for t in tokens) == 2
    # mults 568,740,352 against 500M: 68,740,352 / 500,000,000 = 13.7% over
    assert "| FAIL | MobileNet V1 1.0-224 | mults | 568.7M | 500M | 13.7% over | --max-mults |" in text
    # tests/data/baseline.json has 1,000 params fewer (the classifier without its bias): +1,000 / 4,209,088
    assert "| FAIL | MobileNet V1 1.0-224 | params | 4,209,088 | 4,210,088 | +1,000 (+0.02%) |" in text
    monkeypatch.delenv("GITHUB_STEP_SUMMARY")
    assert main(args) == 1
    assert summary.read_text(encoding="utf-8") == text  # nothing written without the variable


def test_a_summary_that_cannot_be_written_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "no-such-folder" / "summary.md"))
    assert main(["check", "configs/mobilenet_v1.yaml"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("dsc-cost: warning: cannot write the job summary ")
    assert err.count("\n") == 1
