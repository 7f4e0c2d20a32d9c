"""Digits grouped wrongly (335,544,32 for 33,554,432; the Indian 16,77,216): the figure is read with its
digits as written (as the course's careful grader reads it); where those digits are right the figure is right with
the grouping noted, where they are not this slip is named beside any other."""

from __future__ import annotations

from . import Slip

SLIP = Slip("digit-grouping", "digits grouped wrongly (335,544,32), read with the digits as written", order=0,
            applies=lambda ctx: False)
