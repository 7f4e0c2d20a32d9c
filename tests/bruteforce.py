"""Independent numeric routes: plain Python loops over windows, no formulas.

These are the second derivation the tests compare symcnn's sympy formulas
with.  Nothing here uses symcnn.
"""

from __future__ import annotations


def window_starts(n: int, k: int, s: int, p: int, d: int, ceil_mode: bool = False) -> list[int]:
    """Start offsets (in padded coordinates) of the windows a sliding window
    takes over a padded input of length n + 2p, found by sliding it.

    Floor mode: every window that fits inside the padded input.
    Ceil mode: keep sliding until the padded input is covered (the last window
    may run past its end), but never start a window in the right padding.
    """
    span = d * (k - 1) + 1
    length = n + 2 * p
    starts = []
    pos = 0
    if not ceil_mode:
        while pos + span <= length:
            starts.append(pos)
            pos += s
        return starts
    while True:
        if pos >= n + p and starts:
            break
        starts.append(pos)
        if pos + span >= length:
            break
        pos += s
    return starts


def conv_macs_by_loop(cin, cout, hin, win, kh, kw, s, p, d, g) -> int:
    """Count multiply-adds by running the convolution's loop nest."""
    rows = window_starts(hin, kh, s, p, d)
    cols = window_starts(win, kw, s, p, d)
    count = 0
    per_group_in = cin // g
    for _co in range(cout):
        for _r in rows:
            for _c in cols:
                for _ci in range(per_group_in):
                    for _i in range(kh):
                        for _j in range(kw):
                            count += 1
    return count


def receptive_field_1d(layers, out_index: int = 0):
    """Input coordinates that reach output ``out_index`` through a 1-D stack of
    windows [(k, s, p, d), ...], by walking the index sets backwards.
    Padding positions are included (negative or past the end), as the
    receptive-field recurrences count them.  Returns (size, centre)."""
    cells = {out_index}
    for k, s, p, d in reversed(layers):
        cells = {o * s - p + d * j for o in cells for j in range(k)}
    lo, hi = min(cells), max(cells)
    return hi - lo + 1, (lo + hi) / 2
