"""Looking things up in a derived table for grading, and showing a true value: what the grader and the slips
both need (the slips never import the grader).

>>> from symcnn import table
>>> t = table("resnet18")
>>> [r.name for r in group_rows(t, "layer1")][:2]
['layer1.0.conv1', 'layer1.0.bn1']
>>> plain(value_of(t, "layer1", "params"))
'147,968'
>>> plain(value_of(table("vgg16"), "all-fc", "params"))
'123,642,856'
>>> shape_matches((55, 55, 96), (96, 55, 55))
'H x W x C'
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from ..derive import Row, Table
from ..errors import SymcnnError
from .numbers import exact_fraction
from .vocabulary import QUANTITY, family_of_kind, group_sum, row_value, total_value

#: the subject of a claim about every layer of one family ('fc layers total: ...'): "all-fc", "all-conv"
FAMILY_GROUP = "all-"


def group_rows(table: Table, subject: str) -> list[Row]:
    """The rows of a group of layers no single row stands for (a ResNet stage, layer1: its rows are
    layer1.0.conv1, ...); empty for a layer, a module with a merge row of its own, 'total' and 'input'."""
    if subject in ("total", "input") or table.has_row(subject):
        return []
    if subject.startswith(FAMILY_GROUP):  # "the FC layers": every layer of one family
        family = subject[len(FAMILY_GROUP):]
        return [r for r in table.rows if family_of_kind(r.kind) == family]
    return list(table.inside(subject))


def subject_row(table: Table, subject: str) -> Row | None:
    """The row a claim is about, or None for the totals, the input and a group of layers."""
    if subject in ("total", "input") or group_rows(table, subject):
        return None
    return table.row(subject)


def value_of(table: Table, subject: str, quantity: str):
    if subject == "input":
        x = table.input
        if quantity in ("output", "size"):
            return tuple(int(v) for v in x.as_tuple()) if quantity == "output" else x.h
        if quantity == "depth":
            return x.c
        if quantity == "activations":
            return x.elements
        if quantity in ("weights", "biases", "params", "macs", "flops"):
            return sp.Integer(0)
        raise SymcnnError(f"no {quantity} for the input")
    if subject == "total":
        if quantity not in QUANTITY:
            raise SymcnnError(f"no total for {quantity!r}")
        return total_value(table, quantity)  # a sum, or the network's own output, receptive field, ...
    inside = group_rows(table, subject)
    if inside:  # a stage or block named as a whole (ResNet's conv2_x is torchvision's layer1)
        if quantity in ("weights", "biases", "params", "macs", "flops"):
            return group_sum(inside, quantity)
        return row_value(inside[-1], quantity)  # what the group puts out: its last row's output
    row = table.row(subject)
    if row.layer is None and quantity in ("weights", "biases", "params", "macs", "flops"):
        # a module's merge row (an Inception module's concat): the module's own total
        inside = list(table.inside(subject))
        if inside:
            return group_sum(inside, quantity)
    return row_value(row, quantity)


def shape_matches(claimed: tuple, true: tuple) -> str | None:
    if claimed == true:
        return "C x H x W"
    if len(true) == 3 and claimed == (true[1], true[2], true[0]):
        return "H x W x C"
    if len(true) == 3 and true[1:] == (1, 1) and claimed in ((true[0],), (1, 1, true[0])):
        return "a vector"
    return None


def plain(v) -> str:
    """A true value as a grader writes it: 1,728; 0.5; 96x55x55 (C x H x W)."""
    if isinstance(v, tuple):
        return "x".join(str(x) for x in v) + " (C x H x W)"
    if isinstance(v, Fraction):
        v = sp.Rational(v.numerator, v.denominator)
    v = sp.sympify(v)
    if v.is_Integer:
        return f"{int(v):,}"
    return f"{float(v):.6g}"


def matches_exactly(value, true) -> bool:
    """Is a written figure exactly the true value?"""
    try:
        return Fraction(value) == exact_fraction(true)
    except (TypeError, ValueError):
        return False
