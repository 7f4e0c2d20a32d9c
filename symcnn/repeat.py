"""The closed forms of a block repeated N times, N a symbol (``repeat N:``).

One copy of the block is derived on a general input; from how each output size
depends on its input, the size copy ``i`` reads follows in closed form, each
of the block's figures is summed over the copies, and the receptive field after
N copies follows from what one copy adds.  The derivation (:mod:`symcnn.derive`)
calls these; each is a formula, shown here on small cases.
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from .layers.common.window import same


def affine(o: sp.Expr, g: sp.Symbol, symbols: tuple[sp.Symbol, ...]) -> tuple[sp.Expr, sp.Expr] | None:
    """(a, b) with o = a*g + b, a a positive number other than 1 and b free of the general sizes; else None.

    >>> g = sp.Symbol("g", positive=True)
    >>> affine(2*g + 3, g, (g,))
    (2, 3)
    >>> affine(g + 3, g, (g,)) is None   # a = 1: a constant step, not geometric
    True
    """
    e = sp.expand(o)
    a = sp.diff(e, g)
    b = sp.expand(e - a * g)
    if a.free_symbols or not a.is_positive or a == 1 or b.free_symbols & set(symbols):
        return None
    return a, b


def copy_reads(general: tuple[Any, ...], out0: tuple[Any, ...], given: tuple[Any, ...],
               symbols: tuple[sp.Symbol, ...], i: sp.Symbol) -> tuple[list[sp.Expr], bool] | None:
    """The size copy ``i`` (from 0) reads along each axis, given what one copy puts out (``out0``) on the
    ``general`` input, and the block's own input ``given``; and whether the first copy differs from the others.
    None when an axis is neither its input plus a constant, a geometric step, nor a constant.

    >>> c, h, w = symbols = sp.symbols("c h w", positive=True, integer=True)
    >>> i = sp.Symbol("i", integer=True, nonnegative=True)
    >>> copy_reads(symbols, (c + 32, h, w), (64, 56, 56), symbols, i)   # a dense layer adding 32 channels
    ([32*i + 64, 56, 56], False)
    >>> copy_reads(symbols, (c, h - 2, w - 2), (8, 32, 32), symbols, i)  # an unpadded 3 x 3 convolution
    ([8, 32 - 2*i, 32 - 2*i], False)
    >>> copy_reads(symbols, (16, h, w), (3, 32, 32), symbols, i)         # conv 16: the first copy differs
    ([16, 32, 32], True)
    """
    reads: list[sp.Expr] = []
    apart = False
    for g, o, xa in zip(general, out0, given):
        o, xa = sp.sympify(o), sp.sympify(xa)
        step = sp.expand(o - g)
        if g not in symbols:  # probed at its own value: the block must keep it
            if same(o, g) is not True:
                return None
            reads.append(xa)
        elif not step.free_symbols & set(symbols):
            reads.append(xa + i * step)
        elif affine(o, g, symbols) is not None:
            # a * g + b (a stride-2 block under exact division halves the map, a block doubling the channels):
            # copy i reads a**i x + b (a**i - 1)/(a - 1), a geometric closed form
            a, b = affine(o, g, symbols)  # type: ignore[misc]
            reads.append(a ** i * xa + b * (a ** i - 1) / (a - 1))
        elif not o.free_symbols & set(symbols):
            reads.append(o)  # the first copy brings it to o; the later ones keep it
            apart = apart or same(o, xa) is not True
        else:
            return None
    return reads, apart


def summed(value: Any, first: Any, n: sp.Expr, start: int, i: sp.Symbol) -> sp.Expr | None:
    """A figure of copy ``i`` summed over the copies ``start``..n-1, plus the first copy's ``first`` when it
    differs (``start`` 1); None when sympy finds no closed form.

    >>> n = sp.Symbol("N", integer=True, positive=True)
    >>> i = sp.Symbol("i", integer=True, nonnegative=True)
    >>> summed(9 * (64 + 32 * i), 0, n, 0, i)
    144*N*(N + 3)
    >>> summed(5, 7, n, 1, i)
    5*N + 2
    """
    e = sp.sympify(value)
    base = sp.sympify(first)
    if i not in e.free_symbols:
        return base + (n - start) * e
    got = sp.factor(base + sp.summation(e, (i, start, n - 1)))
    return None if got.has(sp.Sum) else got


def field_after(before: tuple[Any, Any, Any], once: tuple[Any, Any, Any], n: sp.Expr) -> tuple[Any, ...] | None:
    """(field, jump, start) along one axis after ``n`` copies, from (field, jump, start) before the first and
    after one copy: one copy adds g jumps to the field, moves the start by t jumps, and multiplies the jump by its
    stride s, so after N copies r = r0 + g j0 (s**N - 1)/(s - 1) (N g j0 when s = 1).  None for a symbolic stride.

    >>> n = sp.Symbol("N", integer=True, positive=True)
    >>> field_after((1, 1, 0), (3, 1, 0), n)       # a 3 x 3 convolution at stride 1: 2N + 1
    (2*N + 1, 1, 0)
    >>> field_after((1, 1, 0), (2, 2, 1/2), n)     # a 2 x 2 pool at stride 2
    (2**N, 2**N, 0.5*2**N - 0.5)
    """
    r0, j0, t0 = (sp.sympify(v) for v in before)
    r1, j1, t1 = (sp.sympify(v) for v in once)
    stride = sp.simplify(j1 / j0)
    grow, shift = sp.simplify((r1 - r0) / j0), sp.simplify((t1 - t0) / j0)
    if same(stride, 1) is True:
        total = n
    elif stride.is_number and stride.is_positive:
        total = (stride ** n - 1) / (stride - 1)
    else:  # a symbolic stride: no single closed form
        return None
    return r0 + grow * j0 * total, j0 * stride ** n, t0 + shift * j0 * total
