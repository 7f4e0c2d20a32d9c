"""Digits grouped wrongly (335,544,32 for 33,554,432; the Indian 16,77,216): the figure is read with its
digits as written and marked wrong, whether or not the digits are right, as a careful grader does."""

from __future__ import annotations

from . import Slip

SLIP = Slip("digit-grouping", "digits grouped wrongly (335,544,32), read with the digits as written", order=0,
            applies=lambda ctx: False)
