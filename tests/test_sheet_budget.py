"""The search for a figure said again (rounded, or at more digits) among the figures graded before it for the same
layer and quantity: an index by value gives what a scan of every earlier figure gives, in the same order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from symcnn.grading.claims import Claim
from symcnn.grading.numbers import parse_number
from symcnn.grading.sheet import _restates, _Said

from .harness import scaled


def _written(base: int, offset: int, style: int) -> str:
    """A figure near ``base`` as students write it: exact, grouped, or rounded to K or M at one or two decimals
    (so that figures land on both sides of each other's rounding windows)."""
    n = max(0, base + offset)
    if style == 0:
        return str(n)
    if style == 1:
        return f"{n:,}"
    if style == 2:
        return f"{n / 1e6:.1f}M"
    if style == 3:
        return f"{n / 1e6:.2f}M"
    return f"{n / 1e3:.0f}K"



def _claim(text: str, line: int) -> Claim:
    return Claim(line, "alexnet", "conv1", "params", None, parse_number(text), text)


@settings(max_examples=scaled(400), deadline=None)
@given(st.integers(1_000_000, 3_000_000), st.lists(st.tuples(st.integers(-120_000, 120_000), st.integers(0, 4)),
                                                    min_size=1, max_size=40))
def test_the_index_finds_the_earliest_figure_said_again_as_a_scan_does(base, near):
    texts = [_written(base, offset, style) for offset, style in near]
    said, earlier = _Said(), []
    for line, text in enumerate(texts, 1):
        c = _claim(text, line)
        scanned = next(((e, how) for e in earlier if (how := _restates(c, e))), None)
        assert said.restated_by(c) == scanned, text
        if scanned is None:
            said.add(c)
            earlier.append(c)


def test_a_figure_said_again_rounded_and_one_at_more_digits_are_found_and_others_are_not():
    said = _Said()
    exact = _claim("62,378,344", 1)
    said.add(exact)
    assert said.restated_by(_claim("62.4M", 2)) == (exact, "a rounding of")
    assert said.restated_by(_claim("62.5M", 3)) is None  # 62.5M is not 62,378,344 rounded
    rounded = _claim("16.8M", 4)
    said.add(rounded)
    assert said.restated_by(_claim("16,781,312", 5)) == (rounded, "the same answer, at more digits, as")
