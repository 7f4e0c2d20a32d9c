"""Worked solutions: for each layer, each quantity as a formula in symbols,
the same formula with the layer's values put in, and the result.

The formula is not typed in anywhere: the layer kind's own ``derive`` is run
again with placeholder symbols (C_in, H_in, K, S, P, ...), so the symbolic
formula is the very one the table used.  A textbook display form kept in the
layer module (``LayerKind.textbook``) is shown instead only when sympy
confirms it equals that derivation; otherwise the canonical form is shown.
The substituted form must evaluate to the table's number, or this raises.

>>> import symcnn
>>> t = symcnn.table("alexnet")
>>> s = solve_row(t.row("conv1"), t.convention)
>>> from symcnn.render.plaintext import text_of
>>> line = s.line("output height")
>>> print(text_of(line.formula), "|", text_of(line.substituted), "|", line.result)
floor((H_in - K + 2*P)/S) + 1 | floor((227 - 11 + 2*0)/4) + 1 | 55
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sympy as sp

from . import expr as E
from .derive import Row, Table
from .errors import ExprError, SymcnnError
from .layers.base import Shape
from .proof import canon, display_subs, equal_method
from .prose import joined

QUANTITIES = (  # key, label, left-hand side
    ("c", "output channels", "C_out"),
    ("h", "output height", "H_out"),
    ("w", "output width", "W_out"),
    ("weights", "weights", "weights"),
    ("biases", "biases", "biases"),
    ("params", "parameters", "params"),
    ("activations", "activations", "activations"),
    ("macs", "multiply-adds", "MACs"),
)


@dataclass(frozen=True)
class Line:
    quantity: str
    lhs: str
    formula: sp.Basic | None  # in symbols (None: no general formula, e.g. a concat's channels)
    substituted: sp.Basic
    result: sp.Basic
    textbook: bool
    note: Any = ""  # words, or a Note whose math the printers typeset; shown at this line


@dataclass(frozen=True)
class LayerSolution:
    row: Row
    lines: tuple[Line, ...]
    spec: str  # the layer as the spec format writes it (code); empty for a join
    summary: str  # words: what a join does, or that the layer has no parameters

    def line(self, quantity: str) -> Line:
        for l in self.lines:
            if l.quantity == quantity:
                return l
        raise KeyError(quantity)


def _sym(name: str, role: str = "size") -> sp.Symbol:
    return sp.Symbol(name, **E.ROLES[role])


def _placeholders(row: Row):
    """Symbolic arguments and input for the row's layer, and the values they stand for."""
    if row.layer is None:
        raise ValueError(f"{row.name} has no layer to work")
    kind = row.layer.layer_kind
    args = dict(row.layer.args)
    values: dict = {}
    sym_args: dict = {}
    axis_names: dict[str, dict] = {"h": {}, "w": {}}
    for p in kind.params:
        v = args.get(p.name)
        letter = p.symbol
        if not letter or p.declared or v is None or v == "same" or isinstance(v, bool):
            sym_args[p.name] = v
            continue
        if p.quiet is not None and v in ((p.quiet, p.quiet), p.quiet):
            sym_args[p.name] = v  # at their defaults they stay out of the formula, as in textbooks
            continue
        if p.kind == "pair":
            a, b = v
            if a == b:
                s = _sym(letter, p.role)
                sym_args[p.name] = (s, s)
                values[s] = a
                axis_names["h"][p.name] = axis_names["w"][p.name] = letter
            else:
                sh, sw = _sym(f"{letter}_h", p.role), _sym(f"{letter}_w", p.role)
                sym_args[p.name] = (sh, sw)
                values[sh], values[sw] = a, b
                axis_names["h"][p.name], axis_names["w"][p.name] = f"{letter}_h", f"{letter}_w"
        else:
            s = _sym(letter, p.role)
            sym_args[p.name] = s
            values[s] = v
    cin, hin, win = kind.inputs
    layout = row.input.layout
    if kind.flat_input and layout == "chw":
        x = Shape(_sym(cin), sp.Integer(1), sp.Integer(1))
        values[x.c] = row.input.c
    elif kind.flat_input:  # applied at every position of a map or a sequence (a transformer's linear)
        h, w = (sp.Integer(1) if v == 1 else _sym(name) for v, name in ((row.input.h, hin), (row.input.w, win)))
        x = Shape(_sym(cin), h, w, layout)
        values.update({s: v for s, v in zip(x.as_tuple(), row.input.as_tuple()) if isinstance(s, sp.Symbol)})
    else:
        x = Shape(_sym(cin), _sym(hin), _sym(win), layout)
        values.update({x.c: row.input.c, x.h: row.input.h, x.w: row.input.w})
    return kind, sym_args, x, values, axis_names


def _forms(kind, quantity, axis_names):
    out = []
    axis = axis_names["w" if quantity == "w" else "h"]
    fill = {
        "k": axis.get("k", "K"), "s": axis.get("s", axis.get("k", "S")), "p": axis.get("p", "P"),
        "d": axis.get("d", "1"), "kh": axis_names["h"].get("k", "K"), "kw": axis_names["w"].get("k", "K"),
    }
    for form in kind.forms(quantity):
        if fill["kh"] == fill["kw"]:  # a square kernel: K^2, as textbooks write it, not K K
            form = form.replace("{kh}*{kw}", "{kh}**2")
        try:
            out.append(form.format(**fill))
        except (KeyError, IndexError):
            continue
    return out


def solve_row(row: Row, convention) -> LayerSolution:
    """The worked solution of one row of a table."""
    if row.layer is None:
        return _merge_solution(row)
    if row.copies != 1:
        return _copies_solution(row, convention)
    kind, sym_args, x, values, axis_names = _placeholders(row)
    key_args = tuple(sorted((k, v) for k, v in sym_args.items()))
    key_axes = tuple(sorted((a, tuple(sorted(n.items()))) for a, n in axis_names.items()))
    formulas = _formulas(kind.name, key_args, x, key_axes, convention)
    derived = {"c": row.output.c, "h": row.output.h, "w": row.output.w, "weights": row.weights,
               "biases": row.biases, "macs": row.macs}
    out_syms = {"C_out": _sym("C_out"), "H_out": _sym("H_out"), "W_out": _sym("W_out")}
    out_values = {out_syms["C_out"]: row.output.c, out_syms["H_out"]: row.output.h, out_syms["W_out"]: row.output.w}
    lines: list[Line] = []
    for key, label, lhs in QUANTITIES:
        if key not in formulas:
            continue
        display, textbook, f = formulas[key]
        result = sp.sympify(derived[key])
        if row.layer.shares is not None and key in ("weights", "biases"):
            lines.append(Line(label, lhs, None, result, result, True,
                              f"the parameters of {row.layer.shares}, reused: counted there"))
            continue
        if key in ("weights", "biases", "macs") and f == 0 and result == 0:
            continue
        substituted = display_subs(display, {**values, **out_values}, drop_ones=False)
        if not _equal(substituted, result):
            raise AssertionError(f"worked solution of {row.name} ({label}): {substituted} is not {result}")
        note = joined(n for n in row.notes if n.startswith({"h": "height", "w": "width"}.get(key, "\0")))
        lines.append(Line(label, lhs, display, substituted, result, textbook, note))
    if row.params != 0:
        wsym, bsym = sp.Symbol("weights"), sp.Symbol("biases")
        lines.append(Line("parameters", "params", sp.Add(wsym, bsym, evaluate=False),
                          sp.Add(row.weights, row.biases, evaluate=False), row.params, True))
    if row.output.as_tuple() != row.input.as_tuple() or row.counted:
        c, h, w = out_syms["C_out"], out_syms["H_out"], out_syms["W_out"]
        note = "" if row.counted else "runs in place: not counted in the activation total"
        lines.append(Line("activations", "activations", sp.Mul(c, h, w, evaluate=False),
                          sp.Mul(*row.output.as_tuple(), evaluate=False), row.activations, True, note))
    return LayerSolution(row, tuple(lines), *_summary(row))


def _copies_solution(row: Row, convention) -> LayerSolution:
    """A row standing for the copies of a repeat with a symbolic count: the first copy worked as any layer,
    then each figure summed over the copies (the closed form the derivation found)."""
    from dataclasses import replace

    if row.layer is None:
        raise ValueError(f"{row.name} has no layer to work")
    d = row.layer.layer_kind.derive(row.layer.arg_dict, row.input, convention)
    one = replace(row, output=d.output, weights=sp.sympify(d.weights), biases=sp.sympify(d.biases),
                  macs=sp.sympify(d.macs), activations=d.output.elements, copies=1, notes=(), field=None)
    first = solve_row(one, convention)
    n = row.copies
    lines = [replace(line, quantity=f"{line.quantity} (the first copy)") for line in first.lines]
    for label, value in (("weights", row.weights), ("biases", row.biases), ("MACs", row.macs),
                         ("activations", row.activations)):
        if value != 0:
            lines.append(Line(f"{label}, all {n} copies", label, None, value, value, True,
                              f"summed over the {n} copies in closed form"))
    return LayerSolution(row, tuple(lines), *_summary(row))


def _differs_somewhere(a, b) -> bool:
    """A cheap refutation: do a and b differ at some positive integer point?"""
    syms = sorted(a.free_symbols | b.free_symbols, key=lambda s: s.name)
    for seed in (7, 13, 29):
        point = {s: seed + 3 * i for i, s in enumerate(syms)}
        try:
            if a.xreplace(point) != b.xreplace(point):
                return True
        except (TypeError, ValueError, ZeroDivisionError):
            return False
    return False


@lru_cache(maxsize=512)
def _formulas(kind_name, key_args, x: Shape, key_axes, convention) -> dict:
    """quantity -> (display, is_textbook, canonical) for one structure of layer.

    Depends only on which fields are symbols (and the literal ones), not on
    the numbers, so GoogLeNet's hundred convolutions share a handful of entries."""
    from .layers import kind as lookup

    kind = lookup(kind_name)
    sym_args = dict(key_args)
    axis_names = {a: dict(n) for a, n in key_axes}
    try:
        d = kind.derive(sym_args, x, convention)
    except (SymcnnError, TypeError, ValueError, ZeroDivisionError):
        # the kind's formulas cannot run with these fields as symbols (a comparison sympy cannot decide, a field
        # that must be a number): the layer is worked with its numbers instead (no textbook forms here)
        return {}
    canonical = {"c": d.output.c, "h": d.output.h, "w": d.output.w, "weights": d.weights, "biases": d.biases,
                 "macs": d.macs}
    out_syms = {"C_out": _sym("C_out"), "H_out": _sym("H_out"), "W_out": _sym("W_out")}
    names = {a.name: a for v in sym_args.values() for a in (v if isinstance(v, tuple) else (v,))
             if isinstance(a, sp.Symbol)}
    names |= {a.name: a for a in x.as_tuple() if isinstance(a, sp.Symbol)} | out_syms
    names.setdefault("G", _sym("G"))
    out_formulas = {out_syms["C_out"]: canonical["c"], out_syms["H_out"]: canonical["h"],
                    out_syms["W_out"]: canonical["w"]}
    result = {}
    for key, _label, _lhs in QUANTITIES:
        if key not in canonical:
            continue
        f = sp.sympify(canonical[key])
        if key in ("c", "h", "w") and f == {"c": x.c, "h": x.h, "w": x.w}[key]:
            continue  # unchanged by this layer
        display, textbook = f, False
        for form in _forms(kind, key, axis_names):
            try:
                cand = E.parse(form, names, symbol=None, evaluate=False)
            except ExprError:
                continue
            check = canon(cand).xreplace(out_formulas)
            if _differs_somewhere(check, f):
                continue
            if equal_method(check, f) is not None:
                display, textbook = cand, True
                break
        result[key] = (display, textbook, f)
    return result


def _equal(a, b) -> bool:
    return equal_method(a, b) is not None


def _merge_solution(row: Row) -> LayerSolution:
    lines = []
    if row.kind == "concat":
        parts = [sp.Symbol(f"C_{i}", positive=True, integer=True) for i in range(1, len(_branch_channels(row)) + 1)]
        chans = _branch_channels(row)
        lines.append(Line("output channels", "C_out", sp.Add(*parts, evaluate=False),
                          sp.Add(*chans, evaluate=False), row.output.c, True))
    lines.append(Line("activations", "activations", None, sp.Mul(*row.output.as_tuple(), evaluate=False),
                      row.activations, True))
    return LayerSolution(row, tuple(lines), *_summary(row))


def _branch_channels(row: Row):
    return list(row.derivation.parts if row.derivation is not None else ()) or [row.output.c]


def _summary(row: Row) -> tuple[str, str]:
    """(the layer as its spec line writes it, words): ``('conv out=96 k=11 s=4', '')``; a join has words only."""
    if row.layer is None:
        return "", {"concat": "concatenation of the branches along channels",
                    "tokencat": "concatenation of the sequences along the tokens",
                    "mul": "the gate's output times the block's input, broadcast over every position",
                    "sub": "elementwise difference: the main path minus the shortcut"}.get(
                        row.kind, "elementwise sum of the main path and the shortcut")
    parts = []
    kind = row.layer.layer_kind
    for k, v in row.layer.args:
        p = kind.param(k)
        default = p.default if p is not None else None
        if p is not None and p.kind == "pair" and default is not None:
            default = (default, default)
        if v is None or v == default or (p is not None and p.kind == "text"):
            continue  # words (a composite's operations) are the derivation's notes, listed apart
        if isinstance(v, tuple):
            v = v[0] if v[0] == v[1] else f"{v[0]},{v[1]}"
        parts.append(f"{k}={v}")
    spec = f"{row.kind} " + " ".join(parts) if parts else row.kind
    return spec, "no parameters" if row.params == 0 and row.macs == 0 else ""


def solve(table: Table) -> list[LayerSolution]:
    """Worked solutions of every row."""
    return [solve_row(r, table.convention) for r in table.rows]
