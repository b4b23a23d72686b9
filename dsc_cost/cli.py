"""The command line: parse arguments, call the library, render, write.

This is the only module that writes to stdout or stderr. It turns dsc-cost's own
errors (:class:`~dsc_cost.formulas.DscCostError`) into one line on stderr and exit
code 2; anything else is a bug and keeps its traceback.

The parser is the standard library's ``argparse``: it starts in a few milliseconds,
where Typer and Click cost 60–130 ms before the first line of output (see the
README's "Speed" section), and ``compare`` is meant to answer instantly.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from fractions import Fraction

    from .conventions import Convention
    from .formulas import Comparison
    from .spec import Spec

from . import __version__, units
from .formulas import DscCostError, Pair, ShapeError

PROG = "dsc-cost"


class UsageError(DscCostError):
    """Bad command-line usage: exit code 2 with one line on stderr."""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)  # a typo such as --strid must not pass for --stride
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


# ---------------------------------------------------------------- argument types


def _whole(text: str, minimum: int) -> int:
    text = text.strip()
    if not text.lstrip("+").isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ {minimum}, found {text!r}")
    value = int(text)
    if value < minimum:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ {minimum}, found {value}")
    return value


def positive(text: str) -> int:
    """A whole number ≥ 1."""
    return _whole(text, 1)


def _pair(minimum: int) -> Callable[[str], Pair]:
    def parse(text: str) -> Pair:
        parts = text.lower().replace("×", "x").split("x")
        if len(parts) > 2 or not all(p.strip() for p in parts):
            raise argparse.ArgumentTypeError(f"expected N or HxW (e.g. 3 or 3x5), found {text!r}")
        try:
            values = [_whole(p, minimum) for p in parts]
        except argparse.ArgumentTypeError:
            raise argparse.ArgumentTypeError(
                f"expected N or HxW of whole numbers ≥ {minimum} (e.g. 3 or 3x5), found {text!r}"
            ) from None
        return (values[0], values[-1])

    return parse


size_pair = _pair(1)
size_pair.__name__ = "size"


def padding(text: str) -> Pair | str:
    """``1``, ``1x2``, ``same`` or ``valid``."""
    if text.lower() in ("same", "valid"):
        return text.lower()
    try:
        return _pair(0)(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"expected N or HxW of whole numbers ≥ 0, 'same' or 'valid', found {text!r}"
        ) from None


def _number(parse: Callable[[str], Any], name: str) -> Callable[[str], Any]:
    def convert(text: str) -> Any:
        try:
            return parse(text)
        except units.NumberError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = name
    return convert


count = _number(units.parse_count, "count")
fraction = _number(units.parse_fraction, "fraction")
percent = _number(units.parse_percent, "percent")


def widths(text: str) -> list[Fraction]:
    """``1,0.75,0.5``: positive decimal multipliers, kept as exact fractions."""
    from fractions import Fraction

    values = []
    for part in text.split(","):
        try:
            value = Fraction(part.strip())
        except (ValueError, ZeroDivisionError):
            value = Fraction(0)
        if value <= 0 or "/" in part:
            raise argparse.ArgumentTypeError(f"expected positive decimals such as 1,0.75,0.5, found {part.strip()!r}")
        values.append(value)
    return values


def resolutions(text: str) -> list[int]:
    """``224,192``: whole numbers ≥ 1."""
    try:
        return [_whole(part, 1) for part in text.split(",")]
    except argparse.ArgumentTypeError as error:
        raise argparse.ArgumentTypeError(f"{error} (a comma-separated list such as 224,192,160)") from None


def bias(text: str) -> str:
    if text.lower() != "both":
        raise argparse.ArgumentTypeError(f"expected nothing (pointwise bias) or 'both', found {text!r}")
    return "both"


# ---------------------------------------------------------------- parser


FORMATS = ("table", "json", "csv", "markdown")
"""The formats of every command that prints costs (check prints text, json or github)."""


def _format_option(parser: argparse.ArgumentParser, choices: Sequence[str]) -> None:
    parser.add_argument(
        "-f", "--format", choices=choices, default=choices[0], help=f"output format (default {choices[0]})"
    )


def _command(commands: Any, name: str, help: str, description: str) -> argparse.ArgumentParser:
    """A subcommand whose ``--help`` keeps the description's lines and examples as written."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=help, description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    return parser


def _spec_files(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="network spec (.yaml, .yml or .json), or -")


TOOLS = ("torchinfo", "ptflops", "fvcore", "thop", "keras", "flops")
"""The tools of ``--as``: the keys of :data:`dsc_cost.conventions.CONVENTIONS` (a test holds them equal),
written out so that parsing a command does not import the conventions."""


def _display_options(parser: argparse.ArgumentParser) -> None:
    """--flops, --format, --exact and --as: what compare and network show."""
    parser.add_argument("--flops", action="store_true", help="also show FLOPs = 2 × mults")
    _format_option(parser, FORMATS)
    parser.add_argument(
        "-e", "--exact", action="store_true", help="full integers with separators in table and markdown"
    )
    parser.add_argument(
        "--as", dest="tool", choices=TOOLS, metavar="TOOL",
        help=f"also show what TOOL reports for the same layers: {', '.join(TOOLS)}",
    )  # fmt: skip


def _conv_options(parser: argparse.ArgumentParser, required: bool) -> None:
    """The options that describe one convolution: compare's, and conventions' without spec files."""
    parser.add_argument("-c", "--in-channels", type=positive, required=required, metavar="C", help="input channels")
    parser.add_argument("-o", "--out-channels", type=positive, required=required, metavar="O", help="output channels")
    parser.add_argument(
        "-k", "--kernel", type=size_pair, default=(3, 3), metavar="K", help="kernel: 3 or 3x5 (default 3)"
    )
    parser.add_argument("-s", "--size", type=size_pair, metavar="HxW", help="input size: 224 or 224x160")
    parser.add_argument("--height", type=positive, metavar="H", help="input height (overrides --size)")
    parser.add_argument("--width", type=positive, metavar="W", help="input width (overrides --size)")
    parser.add_argument("--stride", type=size_pair, default=(1, 1), metavar="S", help="stride: 2 or 2x1 (default 1)")
    parser.add_argument(
        "--padding",
        type=padding,
        default=(0, 0),
        metavar="P",
        help="padding per side: 1, 1x2, same or valid (default 0, as in PyTorch)",
    )
    parser.add_argument("--dilation", type=size_pair, default=(1, 1), metavar="D", help="dilation (default 1)")
    parser.add_argument(
        "-g", "--groups", type=positive, default=1, metavar="G", help="groups of the standard conv (default 1)"
    )
    parser.add_argument(
        "--multiplier",
        "-m",
        type=positive,
        default=1,
        metavar="M",
        help="depth multiplier of the depthwise step (default 1)",
    )
    parser.add_argument(
        "--bias",
        nargs="?",
        const=True,
        default=False,
        type=bias,
        metavar="both",
        help="add a bias on the standard conv and the pointwise step; '--bias both': on the depthwise step too",
    )
    parser.add_argument(
        "-b", "--batch", type=positive, default=1, metavar="N", help="batch size: multiplies mults, not params"
    )


def _add_compare(commands: Any) -> None:
    compare = _command(
        commands,
        "compare",
        help="cost one convolution, standard versus depthwise separable",
        description=(
            "Cost one convolution as a standard conv and as depthwise (K×K) + pointwise (1×1).\n\n"
            "example:\n  dsc-cost compare -c 3 -o 128 -k 3 --size 7\n\n"
            "mults are multiply-accumulates (one per weight per output position); "
            "FLOPs = 2 × mults."
        ),
    )
    _conv_options(compare, required=True)
    _display_options(compare)
    compare.add_argument("--explain", action="store_true", help="show the derivation with the numbers substituted")
    compare.set_defaults(run=_compare)


def _add_network(commands: Any) -> None:
    network = _command(
        commands,
        "network",
        help="cost every layer of networks described in YAML or JSON specs",
        description=(
            "Cost every layer of each network in the spec files, with what it would cost with every\n"
            "conv standard and with every conv depthwise separable.\n\n"
            "example:\n  dsc-cost network configs/mobilenet_v1.yaml\n\n"
            "FILE may be - for standard input (YAML, or JSON)."
        ),
    )
    _spec_files(network)
    network.add_argument("-b", "--batch", type=positive, default=1, metavar="N", help="batch size: multiplies mults")
    _display_options(network)
    network.set_defaults(run=_network)


def _add_check(commands: Any) -> None:
    check = _command(
        commands,
        "check",
        help="check networks against cost budgets and a baseline, for CI",
        description=(
            "Check each network's totals against its limits: the spec's budget: block\n"
            "(max_params, max_mults, max_flops, min_savings) and the flags below, a flag\n"
            "overriding the file for every network; and, with --baseline, against the\n"
            "costs 'dsc-cost network FILE... --format json' wrote earlier.\n\n"
            "examples:\n"
            "  dsc-cost check configs/mobilenet_v1.yaml --max-mults 600M\n"
            "  dsc-cost check configs/*.yaml --baseline costs.json --tolerance 2 --format github\n\n"
            "counts: 600M, 4.5m, 1.2G, 750_000 or 1.2e9 (K, M, G, T are powers of 1000).\n\n"
            "exit status:\n"
            "  0  every network within every limit, and no growth beyond the baseline\n"
            "  1  a limit exceeded, growth beyond the tolerance, or a network missing from the baseline\n"
            "  2  bad usage, a bad spec or a bad baseline file (the baseline is left untouched)"
        ),
    )
    _spec_files(check)
    check.add_argument("--max-params", type=count, metavar="N", help="most params a network may have")
    check.add_argument("--max-mults", type=count, metavar="N", help="most mults (multiply-accumulates)")
    check.add_argument("--max-flops", type=count, metavar="N", help="most FLOPs (2 × mults)")
    check.add_argument(
        "--min-savings",
        type=fraction,
        metavar="R",
        help="least fraction of mults saved against all-standard: 0.8 or 80%%",
    )
    check.add_argument(
        "--baseline", metavar="FILE", help="costs written by 'dsc-cost network FILE... --format json' to compare with"
    )
    check.add_argument(
        "--tolerance", type=percent, metavar="PCT", help="growth allowed against the baseline, in percent (default 0)"
    )
    check.add_argument(
        "--update-baseline",
        action="store_true",
        help="rewrite --baseline FILE with the current costs (only when no limit is exceeded)",
    )
    _format_option(check, ("text", "json", "github"))
    check.set_defaults(run=_check)


def _add_sweep(commands: Any) -> None:
    sweep = _command(
        commands,
        "sweep",
        help="cost every width × resolution variant of networks",
        description=(
            "Cost every width × resolution variant of each network in FILE, one row per variant.\n\n"
            "example:\n  dsc-cost sweep configs/mobilenet_v1.yaml --max-mults 300M --sort mults\n\n"
            "Width scales every layer's channel count except the input's and the final linear\n"
            "layer's output: int(c × width), the MobileNet V1 rule, or with --divisor N rounded to\n"
            "a multiple of N as MobileNet V2 does. Resolution replaces the input's height and width.\n"
            "savings: the fraction of mults a variant saves against its all-standard form."
        ),
    )
    sweep.add_argument("file", metavar="FILE", help="network spec (.yaml, .yml or .json), or -")
    sweep.add_argument(
        "-w", "--width", type=widths, default=widths("1,0.75,0.5,0.25"), metavar="LIST",
        help="width multipliers (default 1,0.75,0.5,0.25)",
    )  # fmt: skip
    sweep.add_argument(
        "-r", "--resolution", type=resolutions, default=resolutions("224,192,160,128"), metavar="LIST",
        help="input resolutions (default 224,192,160,128)",
    )  # fmt: skip
    sweep.add_argument("--divisor", type=positive, metavar="N", help="round channels to multiples of N (MobileNet V2)")
    sweep.add_argument("--max-params", type=count, metavar="N", help="keep the variants with at most N params")
    sweep.add_argument("--max-mults", type=count, metavar="N", help="keep the variants with at most N mults")
    sweep.add_argument("--sort", choices=("params", "mults"), help="order the rows by params or mults, smallest first")
    _format_option(sweep, FORMATS)
    sweep.add_argument("-e", "--exact", action="store_true", help="full integers in table and markdown")
    sweep.set_defaults(run=_sweep)


def _add_conventions(commands: Any) -> None:
    conventions = _command(
        commands,
        "conventions",
        help="what torchinfo, ptflops, fvcore, thop, Keras and FLOPs counters report, and why",
        description=(
            "Show, a row per tool, the params and op count torchinfo, ptflops, fvcore, thop, Keras and\n"
            "FLOPs counters report for the same layers, and what in each convention makes it differ\n"
            "from dsc-cost's count: for the networks of spec files, or for one convolution given as in\n"
            "compare (its separable form and its standard form).\n\n"
            "examples:\n"
            "  dsc-cost conventions -c 16 -o 32 -k 3 --size 128 --padding 1 --bias both\n"
            "  dsc-cost conventions configs/mobilenet_v1.yaml"
        ),
    )
    conventions.add_argument("files", nargs="*", metavar="FILE", help="network specs (or give a convolution's options)")
    _conv_options(conventions, required=False)
    _format_option(conventions, FORMATS)
    conventions.set_defaults(run=_conventions)


_COMMANDS: dict[str, Callable[[Any], None]] = {
    "compare": _add_compare,
    "network": _add_network,
    "check": _add_check,
    "sweep": _add_sweep,
    "conventions": _add_conventions,
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line: every command, or ``only`` the one about to run (a parser is quicker to build
    with one command than with all of them)."""
    parser = _Parser(
        prog=PROG,
        description="Exact parameter and multiply-accumulate counts of convolutions, "
        "standard versus depthwise separable.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    for name, add in _COMMANDS.items():
        if only is None or only == name:
            add(commands)
    return parser


# ---------------------------------------------------------------- commands

_OPTION_OF_FIELD = {
    "in_channels": "--in-channels",
    "out_channels": "--out-channels",
    "kernel": "--kernel",
    "stride": "--stride",
    "padding": "--padding",
    "dilation": "--dilation",
    "groups": "--groups",
    "multiplier": "--multiplier",
    "height": "--height/--size",
    "width": "--width/--size",
    "batch": "--batch",
}


def _comparison(args: argparse.Namespace) -> Comparison:
    """The convolution the options describe, costed both ways."""
    from .formulas import Conv, compare

    for option, value in (("--in-channels", args.in_channels), ("--out-channels", args.out_channels)):
        if value is None:
            raise UsageError(f"the following arguments are required: {option}")
    if args.size is None and (args.height is None or args.width is None):
        raise UsageError("the input size is missing: give --size, or both --height and --width")
    height = args.height if args.height is not None else args.size[0]
    width = args.width if args.width is not None else args.size[1]
    try:
        conv = Conv(
            args.in_channels, args.out_channels, args.kernel, args.stride, args.padding,
            args.dilation, args.groups, args.multiplier, args.bias,
        )  # fmt: skip
        return compare(conv, height, width, args.batch)
    except ShapeError as error:
        raise UsageError(f"{_OPTION_OF_FIELD.get(error.field, error.field)}: {error.message}") from error


def _compare(args: argparse.Namespace) -> str:
    from . import render

    if args.explain and args.format == "csv":
        raise UsageError("--explain: not available with --format csv (use table, markdown or json)")
    result = _comparison(args)
    explanation = render.explain(result) if args.explain else None
    convention = _convention(args.tool)
    if args.format == "json":
        return render.compare_json(result, args.flops, explanation, convention)
    if args.format == "csv":
        return render.compare_csv(result, args.flops, convention)
    if args.format == "markdown":
        text = render.compare_markdown(result, args.exact, args.flops, convention)
        return text + (f"\n```text\n{explanation}```\n" if explanation else "")
    text = render.compare_table(result, args.exact, args.flops, convention)
    return text + ("\n" + explanation if explanation else "")


def _convention(tool: str | None) -> Convention | None:
    if tool is None:
        return None
    from .conventions import CONVENTIONS

    return CONVENTIONS[tool]


def _read_stdin() -> bytes:
    return sys.stdin.buffer.read()


def _warn(message: str) -> None:
    sys.stderr.write(f"{PROG}: warning: {message}\n")


def _expected_seconds(paths: Sequence[str]) -> float:
    """A rough forecast of the time to load ``paths``: about 0.5 MB of YAML or 3 MB of JSON a
    second on a small machine, plus a millisecond a file."""
    seconds = 0.001 * len(paths)
    for path in paths:
        try:
            size = os.path.getsize(path)
        except OSError:
            continue
        seconds += size / (3e6 if path.endswith(".json") else 5e5)
    return seconds


class _progress:
    """A progress bar on stderr over the files being loaded, only when stderr is a terminal and
    the work will take more than about a second; it vanishes when done, so output stays clean.
    Entering gives the function to call with each path, or ``None`` when no bar is shown."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = paths
        self.bar: Any = None

    def __enter__(self) -> Callable[[str], None] | None:
        if not sys.stderr.isatty() or _expected_seconds(self.paths) < 1:
            return None
        from rich.console import Console
        from rich.progress import Progress

        self.bar = bar = Progress(console=Console(stderr=True), transient=True)
        bar.start()
        task = bar.add_task("loading", total=len(self.paths))

        def advance(path: str) -> None:
            bar.update(task, advance=1, description=os.path.basename(path))

        return advance

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _load(paths: Sequence[str]) -> list[Spec]:
    from .spec import load_files

    with _progress(paths) as advance:
        return load_files(paths, stdin=_read_stdin, warn=_warn, progress=advance)


def _network(args: argparse.Namespace) -> str:
    from . import render_network as render
    from .spec import cost_specs

    specs = _load(args.files)
    results = cost_specs(specs, args.batch)
    convention = _convention(args.tool)
    if args.format == "json":
        return render.network_json(results, args.flops, [spec.file for spec in specs], convention)
    if args.format == "csv":
        return render.network_csv(results, args.flops, convention)
    if args.format == "markdown":
        return render.network_markdown(results, args.exact, args.flops, convention)
    return render.network_table(results, args.exact, args.flops, convention)


def _sweep(args: argparse.Namespace) -> str:
    from . import render_network as render
    from .variants import sweep

    variants = []
    for spec in _load([args.file]):
        try:
            variants += sweep(spec.network, args.width, args.resolution, args.divisor)
        except ShapeError as error:
            raise UsageError(f"--width/--resolution: {spec.network.name}: {error.message}") from error
    variants = [
        v for v in variants
        if (args.max_params is None or v.total.params <= args.max_params)
        and (args.max_mults is None or v.total.mults <= args.max_mults)
    ]  # fmt: skip
    if args.sort:
        variants.sort(key=lambda v: getattr(v.total, args.sort))
    if args.format == "json":
        return render.sweep_json(variants)
    if args.format == "csv":
        return render.sweep_csv(variants)
    return (render.sweep_markdown if args.format == "markdown" else render.sweep_table)(variants, args.exact)


def _conventions(args: argparse.Namespace) -> str:
    from . import render
    from .conventions import compare_subjects, network_subject, rows

    flags = [args.in_channels, args.out_channels, args.size, args.height, args.width]
    if args.files:
        if any(flag is not None for flag in flags):
            raise UsageError("give spec files or a convolution's options, not both")
        from .spec import cost_specs

        subjects = [network_subject(result) for result in cost_specs(_load(args.files), args.batch)]
    else:
        subjects = compare_subjects(_comparison(args))
    table = [(subject, rows(subject)) for subject in subjects]
    if args.format == "json":
        return render.conventions_json(table)
    if args.format == "csv":
        return render.conventions_csv(table)
    return (render.conventions_markdown if args.format == "markdown" else render.conventions_table)(table)


def _check(args: argparse.Namespace) -> tuple[str, int]:
    from fractions import Fraction

    from . import check

    for option, given in (("--update-baseline", args.update_baseline), ("--tolerance", args.tolerance is not None)):
        if given and args.baseline is None:
            raise UsageError(f"{option} needs --baseline FILE")
    targets = check.load(args.files, stdin=_read_stdin, warn=_warn)
    baseline = check.read_baseline(args.baseline, missing_ok=args.update_baseline) if args.baseline else None
    flags = check.Limits(args.max_params, args.max_mults, args.max_flops, args.min_savings)
    tolerance = args.tolerance if args.tolerance is not None else Fraction(0)
    report = check.evaluate(targets, flags, baseline, tolerance, args.baseline, args.update_baseline)
    if report.writes_baseline:
        check.write_atomically(args.baseline, check.baseline_text(targets))
    return check.render(report, args.format), report.exit_code


# ---------------------------------------------------------------- entry points


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    command = words[0] if words and words[0] in _COMMANDS else None
    parser = build_parser(command)
    try:
        args = parser.parse_args(words)
        result: str | tuple[str, int] = args.run(args)  # the output, or (output, exit code)
    except UsageError as error:
        sys.stderr.write(f"{PROG}{' ' + command if command else ''}: error: {error}\n")
        return 2
    except DscCostError as error:  # a spec's problems: one located line each
        sys.stderr.write(f"{error}\n")
        return 2
    output, code = (result, 0) if isinstance(result, str) else result
    sys.stdout.write(output)
    sys.stdout.flush()
    return code


def run() -> None:
    """Console-script entry point."""
    try:
        code = main()
    except BrokenPipeError:  # e.g. `dsc-cost ... | head -1`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 0
    except KeyboardInterrupt:  # Ctrl-C: no traceback, the shell's exit code for SIGINT
        sys.stderr.write(f"{PROG}: interrupted\n")
        code = 130
    sys.exit(code)
