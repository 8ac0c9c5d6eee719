"""A reproducible demonstration dataset: a fictional agency's years, or many units.

:func:`make_demo`, the one generator, writes one year folder a year for the made-up
"Sở Khoa học và Công nghệ tỉnh Minh Phúc" (there is no province Minh Phúc), shaped like
the real data so that every report feature has something to show: every target kind,
both directions, series that reach their target, are on track, need acceleration,
barely move or move away; one indicator renamed, one new and one dropped; counts tied
to a slowly changing union membership; awards of both streams with a 15% cap that fires
in some years; fund drives and support items; a stated roll-up that matches the data.
With ``units=N`` it writes instead a register (``units.csv``) and N fictional units
derived from those years, for the upper level's view.

Everything is drawn from ``numpy.random.default_rng(seed)``: the same seed gives
byte-identical files. Every year is marked ``synthetic: true``.
"""

from demo.design import (
    DEFAULT_SEED,
    DEFAULT_YEARS,
    DESIGNED_TRENDS,
    DISAGREEMENTS,
    DROPPED,
    INDICATORS,
    NEW,
    NOTE,
    ORGANISATION,
    RENAMED,
    SECTIONS,
    Ind,
)
from demo.generate import make_demo

__all__ = ["DEFAULT_SEED", "DEFAULT_YEARS", "DESIGNED_TRENDS", "DISAGREEMENTS", "DROPPED",
           "INDICATORS", "NEW", "NOTE", "ORGANISATION", "RENAMED", "SECTIONS", "Ind", "make_demo"]
