"""How values print: one place for number and expression formatting.

>>> import sympy as sp
>>> text(sp.Integer(138357544)), text(sp.Rational(217, 4)), text(sp.Symbol("C") * 9)
('138,357,544', '217/4', '9*C')
>>> plain(sp.Integer(138357544)), json_value(sp.Integer(5)), json_value(sp.Symbol("H") / 2)
('138357544', 5, 'H/2')
>>> pair_text((sp.Integer(3), sp.Integer(3))), pair_text((sp.Integer(3), sp.Integer(5))), pair_text(None)
('3', '3x5', '?')
"""

from __future__ import annotations

import sympy as sp


def is_int(v) -> bool:
    return isinstance(v, (int, sp.Integer)) or (isinstance(v, sp.Basic) and v.is_Integer)


def text(v, sep: str = ",") -> str:
    """A value for people: integers with thousands separators, expressions as sympy prints them."""
    if v is None:
        return "?"
    if is_int(v):
        return f"{int(v):,}".replace(",", sep)
    return sp.sstr(v)


def plain(v) -> str:
    """A value for machines (CSV): integers bare, expressions as sympy can parse them."""
    if v is None:
        return ""
    if is_int(v):
        return str(int(v))
    return sp.sstr(v)


def json_value(v):
    """A JSON value: an integer when numeric and integral, else a string sympy can parse."""
    if v is None:
        return None
    if is_int(v):
        return int(v)
    return sp.sstr(v)


def pair_text(p, sep: str = ",") -> str:
    if p is None:
        return "?"
    a, b = p
    return text(a, sep) if a == b else f"{text(a, sep)}x{text(b, sep)}"


def pair_json(p):
    if p is None:
        return None
    a, b = p
    return json_value(a) if a == b else [json_value(a), json_value(b)]


def shape_text(shape) -> str:
    """C x H x W (H x W x C channels last, L x C for a sequence, G x N x C for G groups of N tokens)."""
    text = "x".join(plain(v) if is_int(v) else f"({sp.sstr(v)})" if len(sp.sstr(v)) > 1 else sp.sstr(v)
                    for v in shape.shown())
    return text + {"chw": "", "hwc": " (NHWC)", "seq": " (tokens)", "win": " (windows)"}[shape.layout]
