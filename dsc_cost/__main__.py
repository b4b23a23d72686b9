"""``python -m dsc_cost``: the same as the ``dsc-cost`` command."""

from .cli import run

run()
