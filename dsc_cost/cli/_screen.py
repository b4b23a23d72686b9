"""The help screen of every command, drawn to the terminal's width by rich as Typer draws it (the classes of
:mod:`._help` call :func:`render`).

rich draws it all: the usage line; the description and the epilog as Markdown (:class:`rich.markdown.Markdown`);
each panel as a :class:`rich.panel.Panel` (Typer's rounded box, title, styles and strings, from
:mod:`typer.rich_utils`) around a table of Typer's padding, whose help column rich wraps; an option's help and its
bracketed notes set side by side where they fit (a :class:`rich.columns.Columns`, as Typer sets them; the help is
plain text, so that a short one has its notes beside it). What differs from Typer's own help, and is written here:

* what each parameter shows, read from click's parameters: flags show no value; an option taking a value shows
  its metavar (the last word of its name in capitals when it has none), an argument ``FILE``, ``FILE...`` when
  it takes several; choices are listed whole, ``[choices: table, json, csv, markdown]``, defaults as they are
  written on the command line, ``[default: 0]``, required options are starred and say ``[required]``, and an
  option required only without others says so, ``[required unless --height and --width]``;
* the column widths: the names column is never narrower than the longest single name (rich wraps the names
  between aliases, never inside one: a name has no space), and is the same in every panel, so that they line up;
  it wraps between aliases rather than leave the help less than :data:`MIN_HELP` or about half the room; where
  the help beside it would still be narrower than :data:`MIN_HELP`, the help goes under the names;
* code blocks are pre-wrapped to the width before rich renders them, since rich would wrap a code line to its
  margin with no continuation mark: a command (a line starting with the program's name) with `` \\``
  continuations, so that a copied command runs; any other line with a hanging indent under its second field (a
  ``name: values`` list stays a list); and they are drawn as plain text (see :func:`_markdown`).

The width is ``TERMINAL_WIDTH`` (Typer's setting) or the terminal's (``COLUMNS``, else the terminal itself, else
80); colour as rich decides it (``NO_COLOR``, ``FORCE_COLOR``, and as Typer: ``PY_COLORS`` and ``GITHUB_ACTIONS``
force it), read when help is drawn (Typer reads them once, when it is imported). rich is imported only when help
or a usage line is shown.
"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Iterable
from enum import Enum
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

import typer.core

from ._shared import PROG

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

_REQUIRED_UNLESS = re.compile(r"\s*(\[required unless [^\]]+\])\s*$")
"""The end of a help text that says when an option is required: ``[required unless --height and --width]``."""
_FENCE = re.compile(r"^\s*(```|~~~)")

MIN_HELP = 20
"""The narrowest help column beside the names; narrower, the help goes under the names."""
_GAP = 2
"""The spaces between two columns of a panel (Typer's table padding: one on each side of a cell)."""


# ---------------------------------------------------------------- what a parameter shows (written by hand: it
# is what Typer's help gets wrong, see the module's docstring)


def is_argument(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "argument"


def _is_flag(param: Any) -> bool:
    return bool(getattr(param, "is_flag", False) or getattr(param, "count", False))


def usage_name(param: Any) -> str:
    """An argument as the usage line and the arguments panel show it: ``FILE``, ``FILE...``, ``[FILE]...``."""
    name = param.metavar or (param.name or "").upper()
    shown = name if param.required else f"[{name}]"
    return f"{shown}..." if param.nargs != 1 else shown


def choices(param: Any) -> list[str]:
    """The values ``param`` takes when they are a fixed set (Typer's descriptor, or click's Choice), else []."""
    found: Iterable[Any] | None = getattr(getattr(param, "type_descriptor", None), "choices", None)
    if found is None:
        found = getattr(getattr(param, "type", None), "choices", None)
    return [str(c.value if isinstance(c, Enum) else c) for c in found or ()]


def metavar(param: Any) -> str:
    """What an option takes, as its help shows it: its metavar, else the last word of its longest name in
    capitals (``--weight-dtype``: ``DTYPE``); nothing for a flag."""
    if is_argument(param) or _is_flag(param):
        return ""
    if param.metavar:
        return str(param.metavar)
    longest = max(param.opts, key=len, default=param.name or "")
    return re.split(r"[-_]+", longest.strip("-/_"))[-1].upper()


def plain(value: Any) -> str:
    """A value as it would be written on the command line: 0.75 rather than 3/4, 1 rather than (1)."""
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        return str(float(value)) if Fraction(float(value)) == value else str(value)
    if isinstance(value, (list, tuple)):
        return ",".join(plain(v) for v in value)
    return str(value)


def default_text(param: Any, ctx: Any) -> str:
    """The default ``param`` shows, as written on the command line ("" for none)."""
    show = getattr(param, "show_default", None)
    if isinstance(show, str):
        return show
    if show is False or (show is None and not getattr(ctx, "show_default", False)):
        return ""
    resilient = ctx.resilient_parsing
    ctx.resilient_parsing = True
    try:
        value = param.get_default(ctx, call=False)
    finally:
        ctx.resilient_parsing = resilient
    if value is None or callable(value) or (isinstance(value, (list, tuple)) and not value):
        return ""
    if _is_flag(param):
        secondary = getattr(param, "secondary_opts", None)
        if not secondary or not isinstance(value, bool):
            return ""
        return str(param.opts[0] if value else secondary[0])
    return plain(value)


def _range_text(param: Any) -> str:
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None and high is not None:
        return f"{low} to {high}"
    if low is not None:
        return f"at least {low}"
    return f"at most {high}" if high is not None else ""


def extras(param: Any, ctx: Any) -> tuple[str, list[str], str]:
    """``param``'s help without a trailing required condition; the bracketed notes that follow it (choices,
    default, range, environment variable); and its required note ("" when it is not required)."""
    text = inspect.cleandoc(getattr(param, "help", None) or "")
    required = "[required]" if param.required else ""
    condition = _REQUIRED_UNLESS.search(text)
    if condition:
        text, required = text[: condition.start()], condition.group(1)
    notes = []
    found = choices(param)
    if found:
        notes.append(f"[choices: {', '.join(found)}]")
    default = default_text(param, ctx)
    if default:
        notes.append(f"[default: {default}]")
    bounds = _range_text(param)
    if bounds:
        notes.append(f"[{bounds}]")
    envvar = getattr(param, "envvar", None)
    if envvar and getattr(param, "show_envvar", False):
        notes.append(f"[env var: {envvar if isinstance(envvar, str) else ', '.join(envvar)}]")
    if getattr(param, "deprecated", False):
        text = f"(deprecated) {text}"
    return text, notes, required


# ---------------------------------------------------------------- code blocks, pre-wrapped (rich cannot: it
# wraps a code line to column 0, with no continuation mark)


def command_lines(command: str, room: int) -> list[str]:
    """``command`` in lines of at most ``room`` characters, each but the last ending in `` \\`` and each but the
    first indented by four spaces; an option stays with its value, a redirection with its file."""
    option = re.compile(r"-{1,2}[A-Za-z]")
    groups: list[str] = []
    for word in command.split():
        alone = groups[-1] if groups and " " not in groups[-1] else ""
        if alone in (">", ">>", "<", "|") or (option.match(alone) and not option.match(word)):
            groups[-1] += f" {word}"
        else:
            groups.append(word)
    lines: list[str] = []
    line = ""
    for group in groups:
        indent = "    " if lines else ""
        candidate = f"{line} {group}" if line else indent + group
        if line and len(candidate) + 2 > room:
            lines.append(f"{line} \\")
            line = "    " + group
        else:
            line = candidate
    lines.append(line)
    return lines


def _hanging_lines(line: str, room: int) -> list[str]:
    """A code line that is not a command in lines of at most ``room`` characters, the later ones indented
    under its second field (or by four spaces when the first field is wider than half the room)."""
    import textwrap

    label = re.match(r"\S+\s+", line)
    hang = len(label.group()) if label and len(label.group()) <= room // 2 else 4
    head = label.group() if label and hang == len(label.group()) else ""
    return textwrap.wrap(
        line[len(head) :], room, initial_indent=head, subsequent_indent=" " * hang, break_on_hyphens=False
    ) or [line]


def fit_code(source: str, room: int) -> str:
    """Markdown ``source`` with each line of its code blocks longer than ``room`` characters pre-wrapped."""
    out: list[str] = []
    fence = ""
    for line in source.splitlines():
        opening = _FENCE.match(line)
        if opening and (not fence or line.strip().startswith(fence)):
            fence = "" if fence else opening.group(1)
        elif fence and len(line.rstrip()) > room:
            line = line.rstrip()
            wrap = command_lines if line.startswith((f"{PROG} ", f"$ {PROG} ")) else _hanging_lines
            out += wrap(line, room)
            continue
        out.append(line)
    return "\n".join(out)


# ---------------------------------------------------------------- drawing (rich, as Typer draws)


def _console() -> Console:
    from rich.console import Console

    width = os.environ.get("TERMINAL_WIDTH", "")  # Typer reads these when it is imported; help reads them now
    forced: bool | None = any(os.environ.get(name) for name in ("FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS")) or None
    if os.environ.get("_TYPER_FORCE_DISABLE_TERMINAL"):
        forced = False
    return Console(
        width=int(width) if width.isdigit() and int(width) > 0 else None,
        force_terminal=forced,
        highlight=False,
        emoji=False,
    )


def _markdown(source: str, width: int, style: str = "") -> RenderableType:
    """``source`` (a description or an epilog) as rich's Markdown, its code blocks pre-wrapped to fit where
    rich puts them: after a margin of one (the padding of the screen) and one (the code block's own padding).
    A code block is drawn as plain text padded at its sides only (rich's draws it on a dark background padded on
    every side): one blank line separates it from the text around it, as every other block, and a copied line
    ends where its text does."""
    from rich.markdown import CodeBlock, Markdown
    from rich.padding import Padding
    from rich.text import Text

    class Code(CodeBlock):
        def __rich_console__(self, console: Any, options: Any) -> Any:
            yield Padding(Text(str(self.text).rstrip(), overflow="fold"), (0, 1))

    class Screen(Markdown):
        elements: ClassVar[dict[str, type[Any]]] = {**Markdown.elements, "fence": Code, "code_block": Code}

    return Screen(fit_code(inspect.cleandoc(source).partition("\f")[0], width - 4), style=style)


def _names(param: Any) -> Any:
    """``param``'s names, each coloured as Typer colours it: long, short, then the negative ones."""
    from rich.text import Text
    from typer import rich_utils as ru

    if is_argument(param):  # "FILE..." however the usage line brackets it
        return Text(f"{param.metavar or (param.name or '').upper()}{'...' * (param.nargs != 1)}", ru.STYLE_OPTION)
    out = Text()
    for index, opt in enumerate(sorted(param.opts, key=lambda opt: not opt.startswith("--"))):
        out.append(", " if index else "")
        out.append(opt, ru.STYLE_OPTION if opt.startswith("--") else ru.STYLE_SWITCH)
    for index, opt in enumerate(getattr(param, "secondary_opts", ()) or ()):
        out.append(" / " if index == 0 else ", ")
        out.append(opt, ru.STYLE_NEGATIVE_OPTION if opt.startswith("--") else ru.STYLE_NEGATIVE_SWITCH)
    return out


def _help_cell(param: Any, ctx: Any) -> RenderableType:
    """``param``'s help, then its notes: side by side where they fit, as Typer's help sets them (a
    :class:`rich.columns.Columns`), so that a note is never broken while another line has room for it."""
    from rich.columns import Columns
    from rich.text import Text
    from typer import rich_utils as ru

    text, notes, required = extras(param, ctx)
    parts = [Text(" ".join(text.split()), ru.STYLE_OPTION_HELP)] if text else []
    parts += [Text(note, ru.STYLE_OPTION_DEFAULT) for note in notes]
    parts += [Text(required, ru.STYLE_REQUIRED_LONG)] if required else []
    return Columns(parts, padding=(0, _GAP))


def _panel(title: str, body: RenderableType, border: str, align: Any) -> RenderableType:
    from rich.panel import Panel

    return Panel(body, title=title, title_align=align, border_style=border)


def _grid(*columns: dict[str, Any]) -> Any:
    from rich.table import Table
    from typer import rich_utils as ru

    grid = Table(
        show_header=False,
        box=None,
        padding=ru.STYLE_OPTIONS_TABLE_PADDING,
        pad_edge=ru.STYLE_OPTIONS_TABLE_PAD_EDGE,
        expand=True,
    )
    for column in columns:
        grid.add_column(**column)
    return grid


def _parameter_panels(command: Any, ctx: Any, width: int) -> list[RenderableType]:
    """The panels of ``command``'s parameters in Typer's order: arguments first, then options, each panel
    where its first parameter is; hidden parameters left out. One column layout for all of them."""
    from rich.padding import Padding
    from rich.text import Text
    from typer import rich_utils as ru

    arguments: dict[str, list[Any]] = {ru.ARGUMENTS_PANEL_TITLE: []}
    options: dict[str, list[Any]] = {ru.OPTIONS_PANEL_TITLE: []}
    for param in command.get_params(ctx):
        if not getattr(param, "hidden", False):
            into = arguments if is_argument(param) else options
            default = ru.ARGUMENTS_PANEL_TITLE if into is arguments else ru.OPTIONS_PANEL_TITLE
            into.setdefault(getattr(param, "rich_help_panel", None) or default, []).append(param)
    panels = [(title, params) for title, params in [*arguments.items(), *options.items()] if params]
    every = [param for _, params in panels for param in params]
    if not every:
        return []
    star = any(extras(param, ctx)[2] for param in every)
    names = [_names(param) for param in every]
    full = max(text.cell_len for text in names)
    longest = max(len(word) for text in names for word in text.plain.split())
    meta = max(len(metavar(param)) for param in every)
    fixed = (1 + _GAP if star else 0) + (meta + _GAP if meta else 0) + _GAP
    inner = width - 4  # the panel's border and padding
    comfortable = max(MIN_HELP, inner * 9 // 20)
    names_width = full if inner - fixed - full >= comfortable else longest
    stacked = inner - fixed - names_width < MIN_HELP
    drawn = []
    for title, params in panels:
        columns = [{"no_wrap": True, "width": 1}] if star else []
        if stacked:  # the names and the metavar on a line, the help under them
            grid = _grid(*columns, {"ratio": 1})
        else:
            meta_column = [{"no_wrap": True, "width": meta}] if meta else []
            grid = _grid(*columns, {"width": names_width, "min_width": longest}, *meta_column, {"ratio": 1})
        for param in params:
            required = bool(extras(param, ctx)[2])
            mark = [Text(ru.REQUIRED_SHORT_STRING if required else "", ru.STYLE_REQUIRED_SHORT)]
            shown = metavar(param)
            if stacked:
                head = _names(param)
                head.append(f" {shown}" if shown else "", ru.STYLE_TYPES)
                grid.add_row(*mark[:star], head)
                grid.add_row(*[""][:star], Padding(_help_cell(param, ctx), (0, 0, 0, 4)))
            else:
                meta_cell = [Text(shown, ru.STYLE_TYPES)] if meta else []
                grid.add_row(*mark[:star], _names(param), *meta_cell, _help_cell(param, ctx))
        drawn.append(_panel(title, grid, ru.STYLE_OPTIONS_PANEL_BORDER, ru.ALIGN_OPTIONS_PANEL))
    return drawn


def _commands_panels(group: Any, ctx: Any, width: int) -> list[RenderableType]:
    from rich.console import Group
    from rich.markdown import Markdown
    from rich.padding import Padding
    from rich.text import Text
    from typer import rich_utils as ru

    panels: dict[str, list[Any]] = {ru.COMMANDS_PANEL_TITLE: []}
    for name in group.list_commands(ctx):
        sub = group.get_command(ctx, name)
        if sub is not None and not sub.hidden:
            panels.setdefault(getattr(sub, "rich_help_panel", None) or ru.COMMANDS_PANEL_TITLE, []).append((name, sub))
    longest = max((len(name) for subs in panels.values() for name, _ in subs), default=0)
    stacked = width - 4 - longest - _GAP < MIN_HELP
    drawn = []
    for title, subs in panels.items():
        if not subs:
            continue
        grid = _grid({"no_wrap": True, "width": longest, "style": ru.STYLE_COMMANDS_TABLE_FIRST_COLUMN})
        if not stacked:
            grid.add_column(ratio=1)
        for name, sub in subs:
            summary = inspect.cleandoc(sub.short_help or sub.help or "").partition("\f")[0].split("\n\n")[0]
            text: RenderableType = Markdown(" ".join(summary.split()), style=ru.STYLE_OPTION_HELP)
            if sub.deprecated:
                text = Group(Text(ru.DEPRECATED_STRING, ru.STYLE_DEPRECATED), text)
            if stacked:
                grid.add_row(name)
                grid.add_row(Padding(text, (0, 0, 0, 4)))
            else:
                grid.add_row(name, text)
        drawn.append(_panel(title, grid, ru.STYLE_COMMANDS_PANEL_BORDER, ru.ALIGN_COMMANDS_PANEL))
    return drawn


def render(command: Any, ctx: Any) -> tuple[str, bool]:
    """``command``'s help screen for ``ctx`` as the terminal shows it, and whether it has colour in it."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text
    from typer import rich_utils as ru

    console = _console()
    width = console.width
    pieces = " ".join(command.collect_usage_pieces(ctx))
    usage = Text.assemble(("Usage: ", ru.STYLE_USAGE), (f"{ctx.command_path} {pieces}", ru.STYLE_USAGE_COMMAND))
    parts: list[RenderableType] = [Padding(usage, 1)]
    if command.help:  # the first paragraph as Typer styles it, the others dimmed
        first, _, rest = inspect.cleandoc(command.help).partition("\f")[0].partition("\n\n")
        description = [_markdown(first, width, ru.STYLE_HELPTEXT_FIRST_LINE)]
        description += [Text(), _markdown(rest, width, ru.STYLE_HELPTEXT)] if rest.strip() else []
        parts.append(Padding(Group(*description), (0, 1, 1, 1)))
    parts += _parameter_panels(command, ctx, width)
    if isinstance(command, typer.core.TyperGroup):
        parts += _commands_panels(command, ctx, width)
    if command.epilog:
        parts.append(Padding(_markdown(command.epilog, width), 1))
    with console.capture() as captured:
        console.print(Group(*parts))
    colour = console.is_terminal and console.color_system is not None
    text = "\n".join(line.rstrip(" ") for line in captured.get().splitlines())
    return text + "\n", colour
