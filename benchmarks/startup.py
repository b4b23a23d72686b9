"""Start-up time of dsc-cost against a bare Typer app of the same shape, in one run on one machine.

    python benchmarks/startup.py [--runs N]

The bare app is written to a temporary folder: the same five command names, each with as many
options and arguments as dsc-cost's command of that name (and the same option names), and a body
that prints one fixed JSON line. Each row's command is started N times (default 21, at least 21),
interleaved so that a burst of load on the machine hits all of them alike; the table shows the
median wall time and its ratio to the bare Typer app. Exits 1 when a target is missed:

    compare --format json                              ≤ 1.25× bare typer
    compare (table)                                    ≤ 1.6×
    network configs/mobilenet_v1.yaml --format json    ≤ 1.5×

The shape of dsc-cost's commands is read from its Typer app (``dsc_cost.cli.app``) when it has
one, else from its argparse parser (``dsc_cost.cli.build_parser``), else from a fixed list.
Run it with the interpreter that has dsc-cost and typer installed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUESTION = ["compare", "-c", "3", "-o", "128", "-k", "3", "--size", "7"]
MOBILENET = "configs/mobilenet_v1.yaml"
COMMANDS = ("compare", "network", "sweep", "check", "conventions")
MIN_RUNS = 21

BARE = "bare typer"
BASELINE = "python -c pass"
COMPARE_JSON = "compare --format json"
COMPARE_TABLE = "compare"
NETWORK_JSON = f"network {MOBILENET} --format json"
TARGETS = {COMPARE_JSON: 1.25, COMPARE_TABLE: 1.6, NETWORK_JSON: 1.5}
"""The most each row may take, as a multiple of the bare Typer app's start-up."""


@dataclass
class Option:
    names: tuple[str, ...]  # as typed: ("--in-channels", "-c")
    flag: bool = False


@dataclass
class Argument:
    many: bool = False
    required: bool = True


@dataclass
class Shape:
    """A command's options and arguments, enough to build a Typer command that parses the same argv."""

    options: list[Option] = field(default_factory=list)
    arguments: list[Argument] = field(default_factory=list)


def _fixed_shapes() -> tuple[dict[str, Shape], list[Option]]:
    """dsc-cost's commands as the argparse command line had them: used when neither app can be read."""
    conv = [
        Option(("--in-channels", "-c")),
        Option(("--out-channels", "-o")),
        Option(("--kernel", "-k")),
        Option(("--size", "-s")),
        *(Option((f"--{name}",)) for name in ("height", "width", "stride", "padding", "dilation", "groups")),
        Option(("--depth-multiplier", "-m")),
        Option(("--bias",)),
        Option(("--batch", "-b")),
    ]
    fmt, flops, exact = Option(("--format", "-f")), Option(("--flops",), True), Option(("--exact", "-e"), True)

    def plain(*names: str) -> list[Option]:
        return [Option((f"--{name}",)) for name in names]

    limits = plain("max-params", "max-mults")
    shapes = {
        "compare": Shape([*conv, flops, fmt, exact, Option(("--as",)), Option(("--explain",), True)]),
        "network": Shape([Option(("--batch", "-b")), flops, fmt, exact, Option(("--as",))], [Argument(many=True)]),
        "sweep": Shape(
            [*plain("width", "resolution", "divisor"), *limits, Option(("--sort",)), fmt, exact],
            [Argument()],
        ),
        "check": Shape(
            [
                *limits,
                *plain("max-flops", "min-savings", "baseline", "tolerance"),
                Option(("--update-baseline",), True),
                fmt,
            ],
            [Argument(many=True)],
        ),
        "conventions": Shape([*conv, fmt], [Argument(many=True, required=False)]),
    }
    return shapes, [Option(("--version",), True)]


def _typer_shapes(app: Any) -> tuple[dict[str, Shape], list[Option]]:
    import typer.main  # click's classes are read by duck typing: recent Typer releases bundle their own click

    group = typer.main.get_command(app)
    completion = {"--install-completion", "--show-completion"}

    def options(params: list[Any]) -> list[Option]:
        found = []
        for param in params:
            if param.param_type_name == "option" and not completion & set(param.opts) and "--help" not in param.opts:
                names = tuple(param.opts)
                if param.secondary_opts:  # a --flag/--no-flag pair is one option to Typer
                    names = (f"{names[0]}/{param.secondary_opts[0]}", *names[1:])
                found.append(Option(names, bool(param.is_flag)))
        return found

    shapes = {}
    for name, command in getattr(group, "commands", {}).items():
        arguments = [
            Argument(many=param.nargs == -1, required=param.required)
            for param in command.params
            if param.param_type_name == "argument"
        ]
        shapes[name] = Shape(options(command.params), arguments)
    return shapes, options(group.params)


def _argparse_shapes(parser: argparse.ArgumentParser) -> tuple[dict[str, Shape], list[Option]]:
    def options(actions: list[argparse.Action]) -> list[Option]:
        return [
            Option(tuple(action.option_strings), action.nargs == 0)
            for action in actions
            if action.option_strings and not isinstance(action, argparse._HelpAction)
        ]

    shapes = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                arguments = [
                    Argument(many=a.nargs in ("+", "*"), required=a.nargs != "*")
                    for a in sub._actions
                    if not a.option_strings
                ]
                shapes[name] = Shape(options(sub._actions), arguments)
    return shapes, options(parser._actions)


def command_shapes() -> tuple[dict[str, Shape], list[Option], str]:
    """dsc-cost's commands, its top-level options, and where they were read from."""
    try:
        from dsc_cost import cli
    except ImportError:
        return (*_fixed_shapes(), "a fixed list (dsc_cost is not importable)")
    try:
        import typer
    except ImportError:
        typer = None  # type: ignore[assignment]
    if typer is not None and isinstance(getattr(cli, "app", None), typer.Typer):
        return (*_typer_shapes(cli.app), "its Typer app")
    if callable(getattr(cli, "build_parser", None)):
        return (*_argparse_shapes(cli.build_parser()), "its argparse parser")
    return (*_fixed_shapes(), "a fixed list")


def bare_app_source(shapes: dict[str, Shape], top: list[Option]) -> str:
    """A Typer app with the commands of ``shapes`` whose every command prints a fixed JSON line."""

    def parameters(shape: Shape) -> list[str]:
        lines = []
        for i, argument in enumerate(shape.arguments):
            kind = "list[str]" if argument.many else "str"
            if argument.required:
                lines.append(f"a{i}: Annotated[{kind}, typer.Argument()],")
        for i, argument in enumerate(shape.arguments):
            kind = "list[str]" if argument.many else "str"
            if not argument.required:
                lines.append(f"a{i}: Annotated[Optional[{kind}], typer.Argument()] = None,")
        for i, option in enumerate(shape.options):
            names = ", ".join(repr(name) for name in option.names)
            if option.flag:
                lines.append(f"o{i}: Annotated[bool, typer.Option({names})] = False,")
            else:
                lines.append(f"o{i}: Annotated[Optional[str], typer.Option({names})] = None,")
        return lines

    out = [
        "from typing import Annotated, Optional",
        "",
        "import typer",
        "",
        "app = typer.Typer(pretty_exceptions_enable=False)",
        "",
        "",
        "@app.callback()",
        "def main(",
        *(f"    {line}" for line in parameters(Shape(top))),
        ") -> None:",
        "    pass",
    ]
    for name in COMMANDS:
        out += ["", "", f"@app.command({name!r})", f"def command_{name}("]
        out += [f"    {line}" for line in parameters(shapes.get(name, Shape()))]
        out += [") -> None:", "    print('{\"ok\": true}')"]
    return "\n".join(out) + "\n"


LAUNCHER = """import sys
from bare_typer_app import app
if __name__ == "__main__":
    sys.exit(app())
"""
"""The bare app's launcher, in the form of the console scripts pip writes."""


@contextmanager
def bare_typer_app() -> Iterator[tuple[list[str], str]]:
    """The argv that starts the bare Typer app (written to a temporary folder), and where its shape came from."""
    shapes, top, source = command_shapes()
    with tempfile.TemporaryDirectory(prefix="dsc-cost-bare-typer-") as folder:
        Path(folder, "bare_typer_app.py").write_text(bare_app_source(shapes, top))
        launcher = Path(folder, "bare-typer")
        launcher.write_text(LAUNCHER)
        yield [sys.executable, str(launcher)], source


def dsc_cost_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m dsc_cost``."""
    script = Path(sys.executable).with_name("dsc-cost")
    if not script.exists():
        found = shutil.which("dsc-cost")
        script = Path(found) if found else script
    return [sys.executable, str(script)] if script.exists() else [sys.executable, "-m", "dsc_cost"]


def env() -> dict[str, str]:
    """The environment of every timed command: as the user's, except that Python may cache
    compiled modules (as it does after ``pip install``) even where PYTHONDONTWRITEBYTECODE is set."""
    variables = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    variables.pop("PYTHONDONTWRITEBYTECODE", None)
    return variables


def time_commands(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall seconds of each command over ``runs`` interleaved starts, run in the project's folder."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    variables = env()

    def start(argv: list[str]) -> None:
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=variables, cwd=ROOT)
        if done.returncode != 0:
            raise SystemExit(f"failed ({done.returncode}): {' '.join(argv)}\n{done.stderr.decode()}")

    for argv in commands.values():  # warm the file cache and any .pyc compilation
        start(argv)
    for _ in range(runs):
        for name, argv in commands.items():
            begin = time.perf_counter()
            start(argv)
            samples[name].append(time.perf_counter() - begin)
    return {name: statistics.median(values) for name, values in samples.items()}


def startup_commands(tool: list[str], bare: list[str]) -> dict[str, list[str]]:
    """The timed rows: the bare Typer app, dsc-cost's three targeted commands, and the bare interpreter."""
    return {
        BARE: [*bare, *QUESTION, "--format", "json"],
        COMPARE_JSON: [*tool, *QUESTION, "--format", "json"],
        COMPARE_TABLE: [*tool, *QUESTION],
        NETWORK_JSON: [*tool, "network", MOBILENET, "--format", "json"],
        BASELINE: [sys.executable, "-c", "pass"],
    }


@dataclass
class Verdict:
    name: str
    seconds: float
    ratio: float  # to the bare Typer app
    target: float | None

    @property
    def ok(self) -> bool | None:
        return None if self.target is None else self.ratio <= self.target

    @property
    def target_text(self) -> str:
        return "" if self.target is None else f"≤ {self.target:g}×"


def judge(medians: dict[str, float]) -> list[Verdict]:
    """Every row's median against the bare Typer app's, with its target."""
    bare = medians[BARE]
    return [Verdict(name, seconds, seconds / bare, TARGETS.get(name)) for name, seconds in medians.items()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=MIN_RUNS, help=f"starts of each command (at least {MIN_RUNS})")
    args = parser.parse_args()
    runs = max(MIN_RUNS, args.runs)
    tool = dsc_cost_command()
    with bare_typer_app() as (bare, source):
        medians = time_commands(startup_commands(tool, bare), runs)
    print(f"start-up, median of {runs} interleaved runs; the bare Typer app has the shape of dsc-cost's ({source})")
    print(f"question: {' '.join(QUESTION)}\n")
    verdicts = judge(medians)
    width = max(len(v.name) for v in verdicts)
    print(f"{'command':<{width}}  {'ms':>7}  {'× bare typer':>12}  {'target':>7}")
    print(f"{'─' * width}  {'─' * 7}  {'─' * 12}  {'─' * 7}")
    for v in verdicts:
        mark = {None: "", True: "  ok", False: "  MISSED"}[v.ok]
        print(f"{v.name:<{width}}  {v.seconds * 1000:>7.1f}  {v.ratio:>11.2f}×  {v.target_text:>7}{mark}")
    print(f"\npython {sys.version.split()[0]} on {os.cpu_count()} cores")
    return 0 if all(v.ok is not False for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
