"""A receptive field worked as the sum of the kernels (5 + 5 + 5 = 15 for three stacked 5x5), or as
1 + the sum of (K - 1) with the strides' jump left out: each layer after the first widens the field
by K - 1 input steps of its jump, the first pixel counted once.

Named only where the layers before the claim are a chain whose own recurrence gives symcnn's field
(r = r + (K - 1) x jump, jump = jump x S), so the slip's figure is recomputed on the same path."""

from __future__ import annotations

import sympy as sp

from . import Slip


def _chain(ctx):
    """(kernels, strides) of the layers up to the claim's, or None where the recurrence does not give the field."""
    rows = list(ctx.table.rows)
    if ctx.row is not None:
        rows = rows[:rows.index(ctx.row) + 1]
    kernels, strides = [], []
    for row in rows:
        if row.layer is None:
            continue
        k, s = row.layer.arg_dict.get("k"), row.layer.arg_dict.get("s")
        if isinstance(k, tuple):
            kernels.append(int(k[0]))
            strides.append(int(s[0]) if isinstance(s, tuple) else 1)
        elif row.rf is not None and kernels and row.rf[0] != _field(kernels, strides):
            return None  # a layer that changes the field some other way
    if not kernels:
        return None
    true = ctx.true[0] if isinstance(ctx.true, tuple) else ctx.true
    if sp.sympify(true) != _field(kernels, strides):
        return None
    return kernels, strides


def _field(kernels, strides):
    rf, jump = 1, 1
    for k, s in zip(kernels, strides, strict=True):
        rf, jump = rf + (k - 1) * jump, jump * s
    return rf


def test(ctx):
    chain = _chain(ctx)
    if chain is None:
        return None
    kernels, strides = chain
    added = sum(kernels)
    if ctx.matches(added):
        return (f"{' + '.join(map(str, kernels))} = {added} adds the kernels; each layer after the first widens the "
                f"field by K - 1 (times the jump): {_field(kernels, strides)}")
    no_jump = 1 + sum(k - 1 for k in kernels)
    if no_jump != _field(kernels, strides) and ctx.matches(no_jump):
        return f"1 + the sum of (K - 1) = {no_jump} leaves out the jump: a layer after a stride S widens by (K - 1) x S"
    return None


SLIP = Slip("rf-kernels-added", "a receptive field worked as the sum of the kernels, or without the strides' jump",
            order=40, applies=lambda ctx: ctx.claim.quantity == "rf", test=test)
