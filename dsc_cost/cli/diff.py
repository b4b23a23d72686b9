"""``dsc-cost diff``: what changed between two versions of networks, for review."""

from __future__ import annotations

from fractions import Fraction
from typing import Annotated

import typer

from .. import units
from . import params as p
from ._app import app
from ._shared import PROG, bounded_stdin, emit, say, warn

HELP = """Show how the costs changed from OLD to NEW: the totals, then the layers added, removed or
changed, with params and mults (and bytes when both sides have memory figures) before, after, and
the change in absolute terms and in percent.

OLD and NEW are each a spec file, a baseline that 'dsc-cost network FILE... --format json' wrote,
or git:REV:PATH, the file PATH as it is at revision REV (git show REV:PATH), such as
git:origin/main:configs/mobilenet_v1.yaml.

Networks are matched by name (a single network on each side is matched whatever its name), layers
by name, and unnamed layers by their position among the layers of their type.

Exit status:

* 0: the difference was shown
* 1: --fail-on-increase PCT, and a total of a network grew by more than PCT percent
* 2: bad usage, a bad spec or baseline, or a git: reference that git cannot show"""

EPILOG = p.examples(
    "dsc-cost diff git:HEAD~1:configs/mobilenet_v1.yaml configs/mobilenet_v1.yaml",
    "dsc-cost diff costs.json configs/mobilenet_v1.yaml --format markdown",
    "dsc-cost diff git:origin/main:configs/net.yaml configs/net.yaml --fail-on-increase 2",
)


@app.command(help=HELP, epilog=EPILOG, short_help="Show how the costs changed between two versions, for review.")
def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help="Spec, baseline JSON or git:REV:PATH before the change.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="Spec, baseline JSON or git:REV:PATH after the change.")],
    all_layers: Annotated[
        bool, typer.Option("--all", "-a", rich_help_panel=p.OUTPUT, help="Show the unchanged layers too.")
    ] = False,
    fail_on_increase: Annotated[
        Fraction | None,
        typer.Option(
            "--fail-on-increase",
            parser=p.given(p.percent),
            metavar="PCT",
            rich_help_panel=p.BUDGETS,
            help="Exit 1 when a network's params, mults or bytes grew by more than PCT percent (0: any growth).",
        ),
    ] = None,
    format: p.FormatOption = "table",
    wide: p.Wide = False,
    exact: p.Exact = False,
    max_layers: p.MaxLayers = p.MAX_LAYERS,
    max_file_size: p.MaxFileSize = p.MAX_FILE_SIZE,
    allow_include: p.AllowInclude = None,
    variant: p.VariantOption = None,
    set_values: p.SetOption = None,
) -> None:
    from .. import diff as diffing
    from ..readers.bounds import Bounds
    from ..report.diffs import TITLES, diff_output, growth_text

    bounds = Bounds(max_layers, max_file_size, tuple(allow_include or ()))
    stdin = bounded_stdin(bounds)
    variants, params = variant or (), p.settings(set_values)
    before = diffing.read_side(old, bounds, warn, stdin, variants, params)
    after = diffing.read_side(new, bounds, warn, stdin, variants, params)
    result = diffing.diff(before, after)
    emit(diff_output(result, format, all_layers=all_layers, exact=exact), wide)
    if fail_on_increase is None:
        return
    grown = result.increases(fail_on_increase)
    limit = units.percent_of(fail_on_increase)
    for network, change in grown:
        name = TITLES[change.metric]
        if change.before:
            grew = f"grew {growth_text(change)}"
        else:
            grew = f"grew from {'nothing' if change.before is None else 0} to {units.exact(change.after or 0)}"
        say(f"{PROG} diff: {network.name}: {name} {grew} (more than {limit})\n")
    if grown:
        raise typer.Exit(1)
