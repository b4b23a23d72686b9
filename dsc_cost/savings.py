"""What a network saves, in the two senses dsc-cost reports. Pure functions of costs.

* :func:`savings_vs_standard`: what **this network** saves against its all-standard what-if
  (every conv-like layer a standard conv): ``1 − cost / cost as standard``. A network that is
  all standard convs saves 0; this is what ``check``'s ``min_savings_vs_standard`` bounds and
  what ``sweep`` reports.
* :func:`separable_potential`: what making **every** conv depthwise separable would save
  against making every conv standard: ``1 − cost as separable / cost as standard``. It says how
  much the separable form could save, whatever the network uses now.

Both are exact fractions, for params and for mults; 0 when there is nothing to save from.

>>> from dsc_cost.formulas import Cost
>>> savings_vs_standard(Cost(25, 50), Cost(100, 200))
Savings(params=Fraction(3, 4), mults=Fraction(3, 4))
>>> separable_potential(Cost(100, 200), Cost(20, 20)).mults
Fraction(9, 10)
"""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple

from .formulas import Cost


class Savings(NamedTuple):
    """The fraction of params and of mults saved."""

    params: Fraction
    mults: Fraction


def fraction_saved(after: int, before: int) -> Fraction:
    """The fraction saved going from ``before`` to ``after``: ``1 − after / before``; 0 when ``before`` is 0.

    >>> fraction_saved(1, 4), fraction_saved(0, 0)
    (Fraction(3, 4), Fraction(0, 1))
    """
    return Fraction(0) if before == 0 else 1 - Fraction(after, before)


def savings_vs_standard(total: Cost, standard: Cost) -> Savings:
    """What a network costing ``total`` saves against its all-standard what-if ``standard``."""
    return Savings(fraction_saved(total.params, standard.params), fraction_saved(total.mults, standard.mults))


def separable_potential(standard: Cost, separable: Cost) -> Savings:
    """What the all-separable what-if ``separable`` saves against the all-standard what-if ``standard``."""
    return Savings(fraction_saved(separable.params, standard.params), fraction_saved(separable.mults, standard.mults))
