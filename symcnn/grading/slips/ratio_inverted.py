"""A ratio taken the other way round."""

from __future__ import annotations

from . import Slip


def test(c, ratio):
    value = 1 / ratio if c.subject == "ratio" else 1 - 1 / ratio
    if c.value.matches(value):
        return f"the ratio is taken the other way round ({c.other}/{c.network})"
    return None


SLIP = Slip("ratio-inverted", "a ratio taken the other way round", order=120, scope="ratio", test=test)
