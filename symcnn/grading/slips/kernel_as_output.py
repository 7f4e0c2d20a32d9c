"""The kernel's dimensions written where the layer's output belongs: 11x11x96 (or 11x11x3)
for conv1's output 55x55x96."""

from __future__ import annotations

from . import Slip


def test(ctx):
    row, c = ctx.row, ctx.claim
    k = row.layer.arg_dict.get("k")
    if not isinstance(k, tuple):
        return None
    kh, kw = (int(v) for v in k)
    cin, cout = int(row.input.c), int(row.output.c)
    shapes = {(kh, kw, cout), (cout, kh, kw), (kh, kw, cin), (cin, kh, kw), (kh, kw, cin, cout), (cout, cin, kh, kw)}
    if tuple(c.value) in shapes:
        return f"{'x'.join(map(str, c.value))} is the kernel (filters of {kh}x{kw}x{cin}, {cout} of them), " \
               "not the output"
    return None


SLIP = Slip("kernel-as-output", "the kernel's dimensions written where the output belongs", order=15,
            kind_specific=True, applies=lambda ctx: ctx.claim.quantity == "output", test=test)
