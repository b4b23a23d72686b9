"""Deprecated: the network and sweep renderers of the argparse command line, kept as thin
wrappers over :mod:`dsc_cost.report`. Table output is the rich table as plain text, 100 columns wide.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .report import network_output, sweep_output, to_text
from .report.documents import network_document, network_json, network_reports, sweep_json
from .report.views import width_text

if TYPE_CHECKING:
    from .conventions import Convention
    from .network import NetworkCost
    from .variants import Variant

__all__ = [
    "network_csv", "network_document", "network_json", "network_markdown", "network_table", "reports",
    "sweep_csv", "sweep_json", "sweep_markdown", "sweep_table", "width_text",
]  # fmt: skip

reports = network_reports


def network_table(
    results: Sequence[NetworkCost], exact: bool = False, flops: bool = False, convention: Convention | None = None
) -> str:
    return to_text(network_output(results, "table", exact=exact, flops=flops, convention=convention))


def network_markdown(
    results: Sequence[NetworkCost], exact: bool = False, flops: bool = False, convention: Convention | None = None
) -> str:
    return to_text(network_output(results, "markdown", exact=exact, flops=flops, convention=convention))


def network_csv(results: Sequence[NetworkCost], flops: bool = False, convention: Convention | None = None) -> str:
    return to_text(network_output(results, "csv", flops=flops, convention=convention))


def sweep_table(variants: Sequence[Variant], exact: bool = False) -> str:
    return to_text(sweep_output(variants, "table", exact=exact))


def sweep_markdown(variants: Sequence[Variant], exact: bool = False) -> str:
    return to_text(sweep_output(variants, "markdown", exact=exact))


def sweep_csv(variants: Sequence[Variant]) -> str:
    return to_text(sweep_output(variants, "csv"))
