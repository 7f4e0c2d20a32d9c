"""The JSON printer: tables, proof certificates and graded sheets as data; a list
of them as a JSON array."""

from __future__ import annotations

import json

import sympy as sp

from ..derive import Table
from ..proof.model import NOT_RUN, Link, Proof
from . import values as V
from .check import score
from .plaintext import pretty_of, prose_text, reason_text
from .printer import Printer
from .proofs import summary_sentence
from .tex import latex_of


def dumps(data, levels: int = 2, indent: str = "  ", ensure_ascii: bool = True, _at: int = 0) -> str:
    """JSON with the first ``levels`` levels of containers laid out one entry per line and everything
    deeper on one line: a graded sheet's claims are one line each, written by the json module's C
    encoder (an indented dump runs in pure Python: 50 MB of claims took seconds).

    >>> print(dumps({"score": {"right": 1}, "claims": [{"line": 3, "quantity": "params"}]}, levels=2))
    {
      "score": {
        "right": 1
      },
      "claims": [
        {"line": 3, "quantity": "params"}
      ]
    }
    """
    if levels <= 0 or not isinstance(data, (dict, list)) or not data:
        return json.dumps(data, ensure_ascii=ensure_ascii)
    pad, inner = indent * _at, indent * (_at + 1)
    if isinstance(data, dict):
        parts = [f"{inner}{json.dumps(str(k), ensure_ascii=ensure_ascii)}: "
                 f"{dumps(v, levels - 1, indent, ensure_ascii, _at + 1)}" for k, v in data.items()]
        return "{\n" + ",\n".join(parts) + f"\n{pad}}}"
    parts = [f"{inner}{dumps(v, levels - 1, indent, ensure_ascii, _at + 1)}" for v in data]
    return "[\n" + ",\n".join(parts) + f"\n{pad}]"


class JsonPrinter(Printer):
    format = "json"
    order = 4  # where the format comes in every list of formats
    extension = "json"

    def _data(self, obj):
        """The object as JSON data (dispatching like doprint, on _data_<Class>)."""
        for cls in type(obj).__mro__:
            m = getattr(self, f"_data_{cls.__name__}", None)
            if m is not None:
                return m(obj)
        raise TypeError(f"no JSON form for {type(obj).__name__}")

    def _data_Table(self, table):
        return table_dict(table)

    def _data_Proof(self, proof):
        return proof_dict(proof)

    def _data_GradedSheet(self, sheet):
        return sheet_dict(sheet)

    def _print_Table(self, table) -> str:
        return table_json(table)

    def _print_Proof(self, proof) -> str:
        return json.dumps(proof_dict(proof), indent=2, ensure_ascii=False) + "\n"

    def _print_GradedSheet(self, sheet) -> str:
        return dumps(self._data(sheet), levels=2) + "\n"

    def _print_list(self, items) -> str:
        # a class: one claim per line, as for one sheet
        if items and all(any(c.__name__ == "GradedSheet" for c in type(i).__mro__) for i in items):
            return dumps([self._data(i) for i in items], levels=3, ensure_ascii=False) + "\n"
        return json.dumps([self._data(i) for i in items], indent=2, ensure_ascii=False) + "\n"


def _expr_json(e) -> dict:
    return {"text": pretty_of(e), "latex": latex_of(e), "sympy": sp.sstr(e)}


def _checks_json(link: Link, checkers) -> dict:
    return {c: link.checks.get(c, NOT_RUN) for c in ("sympy", "z3")}


def _certificate(proof: Proof) -> dict:
    from ..proof.certificate import encode  # only the JSON form carries it: text and LaTeX never load it

    return encode(proof)


def proof_dict(proof: Proof) -> dict:
    return {
        "slug": proof.slug,
        "title": proof.title,
        "problem": proof.problem,
        "statement": prose_text(proof.statement),
        "verified": proof.verified,
        "checkers": list(proof.checkers),
        "summary": proof.summary() | {"sentence": summary_sentence(proof)},
        "obligations": [
            {"lhs": _expr_json(o.lhs), "relation": o.relation, "rhs": _expr_json(o.rhs),
             "assume": [sp.sstr(a) for a in o.assume],
             "discharged_by": None if o.step is None else o.step + 1}
            for o in proof.obligations
        ],
        "hypotheses": [{"text": prose_text(h.text), "formal": None if h.relation is None else sp.sstr(h.relation)}
                       for h in proof.hypotheses],
        "steps": [
            {
                "number": n,
                "kind": s.kind,
                "label": prose_text(s.label),
                "text": prose_text(s.text),
                "assume": [sp.sstr(a) for a in s.assume],
                "first": None if s.first is None else _expr_json(s.first),
                "links": [{"relation": l.relation, "expr": _expr_json(l.expr), "reason": reason_text(l.reason),
                           "uses": list(l.uses), "checks": _checks_json(l, proof.checkers),
                           "detail": {c: l.detail.get(c, "") for c in ("sympy", "z3")}}
                          for l in s.links],
            }
            for n, s in enumerate(proof.steps, start=1)
        ],
        # what `symcnn prove --recheck` reads: the steps as the kernel's rules take them, without verdicts
        "certificate": _certificate(proof),
    }


def table_dict(table: Table) -> dict:
    net = table.network
    return {
        "network": net.name,
        "title": net.title,
        "source": net.source,
        "input": [V.json_value(v) for v in table.input.as_tuple()],
        "symbols": sorted(s.name for s in table.free_symbols),
        "parameters_not_run": dict(table.network.not_run),
        "convention": table.convention.as_dict(),
        "convention_text": table.convention.describe(),
        "layers": [
            {
                "name": r.name,
                "kind": r.kind,
                "depth": r.depth,
                "output": [V.json_value(v) for v in r.output.as_tuple()],
                "weights": V.json_value(r.weights),
                "biases": V.json_value(r.biases),
                "params": V.json_value(r.params),
                "activations": V.json_value(r.activations),
                "activations_counted": r.counted,
                "macs": V.json_value(r.macs),
                "flops": V.json_value(r.flops),
                "rf": V.pair_json(r.rf),
                "jump": V.pair_json(r.jump),
                "start": V.pair_json(None if r.field is None else (r.field.starth, r.field.startw)),
                "notes": list(r.notes),
                "shares": None if r.layer is None else r.layer.shares,
            }
            for r in table.rows
        ],
        "input_activations": V.json_value(table.input.elements),
        "totals": {k: V.json_value(v) for k, v in table.totals.items()},
        "notes": table.notes,
    }


def table_json(table: Table) -> str:
    return json.dumps(table_dict(table), indent=2) + "\n"


def sheet_dict(sheet) -> dict:
    verdicts, meta, grader = sheet.verdicts, sheet.meta, sheet.grader
    right, total = score(verdicts)
    return {
        "sheet": getattr(sheet, "source", "") or None,
        "format": getattr(sheet, "fmt", "claims"),
        "student": meta.get("student"),
        "score": {"right": right, "gradable": total},
        "convention": grader.convention.as_dict(),
        "policy": grader.policy.as_dict(),
        "networks": [{"network": n, "how": how} for n, how in getattr(sheet, "networks", {}).items()],
        "claims": [{
            "line": v.claim.line, "where": v.claim.where or None, "network": v.claim.network,
            **_subject(v.claim), "label": v.claim.label,
            "claimed": v.claim.written, "claim": v.claim.text, "status": v.status, "correct": _json(v.correct),
            "slip": v.slip, "slips": list(v.slips), "note": v.note,
            "carried_from": list(v.roots) if v.roots else None,
            "work": v.claim.work, "how": v.claim.how or None,
        } for v in verdicts],
        "unread": [{"line": n, "where": w or None, "text": t} for n, w, t in getattr(sheet, "unread", ())],
    }


def _subject(c) -> dict:
    """What a claim is about: a layer (or the total) and a quantity; a ratio's or saving's two networks; a share:
    the part's layer or group, 'share' and the quantity it is a share of."""
    if c.subject == "share":
        return {"subject": c.other, "quantity": "share", "share_of": c.quantity}
    if c.subject in ("ratio", "saving"):
        return {"subject": c.subject, "quantity": c.quantity, "other": c.other}
    return {"subject": c.subject, "quantity": c.quantity}


def _json(v):
    if v is None or isinstance(v, tuple):
        return [_json(x) for x in v] if isinstance(v, tuple) else None  # a shape may hold symbols: (1, L - 12, ...)
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    if isinstance(v, sp.Integer):
        return int(v)
    from fractions import Fraction

    if isinstance(v, Fraction):
        v = sp.Rational(v.numerator, v.denominator)
    v = sp.sympify(v)
    return int(v) if v.is_Integer else sp.sstr(v)
