"""A ratio given where a saving is asked, or the other way round."""

from __future__ import annotations

from . import Slip


def test(c, ratio):
    value = ratio if c.subject == "saving" else 1 - ratio
    if c.value.matches(value):
        return "the ratio is given where the saving is asked, or the other way round"
    return None


SLIP = Slip("saving-for-ratio", "a ratio given for a saving, or a saving for a ratio", order=130, scope="ratio",
            test=test)
