"""A saving taken relative to the smaller cost instead of the larger."""

from __future__ import annotations

from . import Slip


def test(c, ratio):
    if c.value.matches(1 / ratio - 1):
        return f"the saving is taken relative to the smaller cost ({c.network}) instead of the larger ({c.other})"
    return None


SLIP = Slip("percentage-wrong-base", "a percentage taken of the wrong base", order=110, scope="ratio", test=test)
