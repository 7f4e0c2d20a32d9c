"""A proof as data a file can hold, and back: the certificate ``symcnn prove -f json`` writes and
``symcnn prove --recheck`` reads.

Expressions are trees of sympy class names and leaves (``["Add", ["Symbol", 0], ["Integer", "1"]]``), with
one table of the symbols and their assumptions; reading one builds only the classes listed in
:data:`CLASSES`, unevaluated, within size budgets (nothing read ever reaches ``eval`` or ``sympify``).  The
checkers' verdicts are not part of it: a certificate says what was proved and by which rules, and the kernel
(:func:`.kernel.recheck`) decides afresh whether it holds.

>>> from .builder import Builder
>>> import sympy as sp
>>> b = Builder("demo", "A demo", "$x + x$ is $2*x$", symbols={"x": sp.Symbol("x", positive=True)},
...             hypotheses=["x > 0"])
>>> b.state("x + x", "=", "2*x")
>>> b.chain("Add.", "x + x", ("=", "2*x", "collect like terms"))
>>> data = encode(b.done())
>>> data["steps"][0]["links"][0]["expr"]
['Mul', ['Integer', '2'], ['Symbol', 0]]
>>> from .kernel import recheck
>>> recheck(decode(data)).verified
True
"""

from __future__ import annotations

import re
from typing import Any

import sympy as sp

from ..errors import SymcnnError
from .library import Call
from .model import Context, Hypothesis, Link, Math, Obligation, Proof, Prose, Step

FORMAT = "symcnn-proof-certificate"
VERSION = 1

#: the sympy classes a certificate may name, built unevaluated
CLASSES: dict[str, Any] = {c.__name__: c for c in (
    sp.Add, sp.Mul, sp.Pow, sp.floor, sp.ceiling, sp.Min, sp.Max, sp.Abs, sp.exp, sp.log, sp.tanh, sp.sin, sp.cos,
    sp.Sum, sp.Product, sp.Derivative, sp.Limit, sp.Integral, sp.Tuple, sp.Piecewise, sp.sign,
    sp.Equality, sp.Unequality, sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan, sp.GreaterThan,
    sp.And, sp.Or, sp.Not)}
CLASSES["ExprCondPair"] = sp.functions.elementary.piecewise.ExprCondPair
#: classes that never evaluate on construction
_UNEVALUATED = {"Sum", "Product", "Integral", "Derivative", "Limit", "Tuple"}
#: constants by name
CONSTANTS: dict[str, Any] = {"pi": sp.pi, "E": sp.E, "oo": sp.oo, "-oo": -sp.oo, "zoo": sp.zoo, "nan": sp.nan,
                             "true": sp.true, "false": sp.false, "I": sp.I}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,59}\Z")
#: names of symbols: identifiers, and the direction of a limit ("+", "-", "+-")
_SYMBOL_NAME = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_]{0,59}|\+|-|\+-)\Z")
_ASSUMPTIONS = ("integer", "real", "positive", "nonnegative", "negative", "nonpositive", "nonzero", "rational",
                "finite", "complex", "extended_real", "commutative")
#: budgets: nodes in one certificate, depth of one expression, digits of one integer, size of an integer exponent
MAX_NODES, MAX_DEPTH, MAX_DIGITS, MAX_EXPONENT = 400_000, 120, 400, 64
#: the most terms a sum or product with numeric bounds may have, and the highest order of a derivative
MAX_TERMS, MAX_ORDER = 1000, 8
#: the most nodes one expression may have (the shipped proofs' largest has about 110), and the most steps and links
#: a certificate may hold: each is checked by sympy and Z3, so these bound a recheck's time
MAX_EXPR_NODES, MAX_STEPS, MAX_LINKS = 1500, 2000, 10_000


class CertificateError(SymcnnError):
    """A certificate that cannot be read (malformed, or beyond a budget)."""


# -- writing ------------------------------------------------------------------------------------------------------

def _given(s: Any) -> dict[str, bool]:
    """The assumptions a symbol was made with (sympy derives the rest from them)."""
    given = getattr(s, "_assumptions_orig", None)
    if given is None:
        given = {k: v for k, v in s.assumptions0.items() if k in _ASSUMPTIONS}
    bad = [k for k in given if k not in _ASSUMPTIONS]
    if bad:
        raise CertificateError(f"{s}: the assumption {bad[0]} cannot be written to a certificate")
    return {k: bool(v) for k, v in sorted(given.items()) if v is not None}


class _Writer:
    def __init__(self) -> None:
        self.symbols: list[dict[str, Any]] = []
        self.index: dict[Any, int] = {}

    def expr(self, e: Any) -> Any:
        if isinstance(e, sp.Symbol):
            if isinstance(e, sp.Dummy):
                raise CertificateError(f"a dummy symbol {e} cannot be written to a certificate")
            if e not in self.index:
                self.index[e] = len(self.symbols)
                self.symbols.append({"name": e.name, "assumptions": _given(e)})
            return ["Symbol", self.index[e]]
        if isinstance(e, sp.Integer):
            return ["Integer", str(int(e))]
        if isinstance(e, sp.Rational):
            return ["Rational", str(e.p), str(e.q)]
        if isinstance(e, sp.Float):
            return ["Float", str(e)]
        for name, c in CONSTANTS.items():
            if e is c or (e == c and type(e) is type(c)):
                return ["Constant", name]
        if isinstance(e, sp.IndexedBase):
            given = _given(e.label)
            return ["IndexedBase", str(e.label)] + ([{"assumptions": given}] if given else [])
        if isinstance(e, sp.Indexed):
            return ["Indexed", self.expr(e.base), *[self.expr(i) for i in e.indices]]
        if isinstance(type(e), sp.core.function.UndefinedFunction):
            return ["Function", type(e).__name__, *[self.expr(a) for a in e.args]]
        name = type(e).__name__
        if CLASSES.get(name) is not type(e):
            raise CertificateError(f"{name} cannot be written to a certificate")
        return [name, *[self.expr(a) for a in e.args]]

    def value(self, v: Any) -> Any:
        if isinstance(v, sp.Basic):
            return {"expr": self.expr(v)}
        if v is None or isinstance(v, (bool, int, str)):
            return v
        if isinstance(v, Prose):
            return {"prose": [self.value(p) for p in v.parts]}
        if isinstance(v, Math):
            return {"math": [self.value(v.first), [[rel, self.value(e)] for rel, e in v.rest]]}
        if isinstance(v, Call):
            return {"call": [v.function, [self.value(a) for a in v.args], [self.value(k) for k in v.pick]]}
        if isinstance(v, (tuple, list)):
            return {"tuple": [self.value(x) for x in v]}
        if isinstance(v, dict) or hasattr(v, "items"):
            return {"map": [[k, self.value(x)] for k, x in v.items()]}
        raise CertificateError(f"a {type(v).__name__} cannot be written to a certificate")


def encode(proof: Proof) -> dict[str, Any]:
    """The certificate of a proof: its statement, hypotheses and steps, with every expression as a tree."""
    w = _Writer()
    v, x = w.value, w.expr

    def link(l: Link) -> dict[str, Any]:
        return {"relation": l.relation, "expr": x(l.expr), "reason": v(l.reason), "lhs": x(l.lhs), "rhs": x(l.rhs),
                "side": [[x(a), r, x(b)] for a, r, b in l.side], "at": v(l.at)}

    steps = [{"kind": s.kind, "label": v(s.label), "text": v(s.text),
              "first": None if s.first is None else x(s.first), "assume": [x(a) for a in s.assume],
              "induction": v(dict(s.induction)) if s.induction is not None else None,
              "premise": v(dict(s.premise)) if s.premise is not None else None,
              "links": [link(l) for l in s.links]} for s in proof.steps]
    body = {
        "slug": proof.slug, "title": proof.title, "problem": proof.problem, "statement": v(proof.statement),
        "checkers": list(proof.checkers), "params": [x(p) for p in proof.params],
        "hypotheses": [{"relation": None if h.relation is None else x(h.relation), "text": v(h.text)}
                       for h in proof.hypotheses],
        "obligations": [{"lhs": x(o.lhs), "relation": o.relation, "rhs": x(o.rhs), "text": v(o.text),
                         "assume": [x(a) for a in o.assume]} for o in proof.obligations],
        "steps": steps,
    }
    return {"format": FORMAT, "version": VERSION, "symbols": w.symbols, **body}


# -- reading ------------------------------------------------------------------------------------------------------

class _Reader:
    def __init__(self, symbols: Any) -> None:
        self.nodes = 0
        if not isinstance(symbols, list):
            raise CertificateError("'symbols' must be a list")
        self.symbols = [self._symbol(i, s) for i, s in enumerate(symbols)]

    @staticmethod
    def _symbol(i: int, s: Any) -> sp.Symbol:
        if not isinstance(s, dict) or not isinstance(s.get("name"), str) or not _SYMBOL_NAME.match(s["name"]):
            raise CertificateError(f"symbol {i}: a name of letters, digits and _")
        return sp.Symbol(s["name"], **_Reader._assumptions(s["name"], s.get("assumptions", {})))

    @staticmethod
    def _assumptions(name: str, given: Any) -> dict[str, bool]:
        if not isinstance(given, dict) or any(k not in _ASSUMPTIONS or not isinstance(b, bool)
                                              for k, b in given.items()):
            raise CertificateError(f"symbol {name}: assumptions are true/false values of "
                                   f"{', '.join(_ASSUMPTIONS)}")
        try:
            sp.Symbol(name, **given).is_integer  # noqa: B018  contradictory assumptions fail here
        except (ValueError, TypeError, sp.core.facts.InconsistentAssumptions) as exc:
            raise CertificateError(f"symbol {name}: {exc}") from None
        return dict(given)

    def _count(self) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise CertificateError(f"more than {MAX_NODES} expression nodes")

    @staticmethod
    def _int(text: Any) -> int:
        if not isinstance(text, str) or not re.fullmatch(rf"-?\d{{1,{MAX_DIGITS}}}", text):
            raise CertificateError(f"an integer of at most {MAX_DIGITS} digits, not {str(text)[:40]!r}")
        return int(text)

    def expr(self, node: Any, depth: int = 0) -> Any:
        made = self._expr(node, depth)
        if depth == 0 and isinstance(made, sp.Basic) and \
                sum(1 for _ in zip(range(MAX_EXPR_NODES + 1), sp.preorder_traversal(made))) > MAX_EXPR_NODES:
            raise CertificateError(f"an expression of more than {MAX_EXPR_NODES} nodes")
        return made

    def _expr(self, node: Any, depth: int = 0) -> Any:
        self._count()
        if depth > MAX_DEPTH:
            raise CertificateError(f"an expression nested deeper than {MAX_DEPTH}")
        if not isinstance(node, list) or not node or not isinstance(node[0], str):
            raise CertificateError(f"an expression is a list [class, ...], not {str(node)[:40]!r}")
        head, args = node[0], node[1:]
        if head == "Symbol":
            if len(args) != 1 or not isinstance(args[0], int) or isinstance(args[0], bool) or \
                    not 0 <= args[0] < len(self.symbols):
                raise CertificateError("a symbol is named by its index in 'symbols'")
            return self.symbols[args[0]]
        if head == "Integer" and len(args) == 1:
            return sp.Integer(self._int(args[0]))
        if head == "Rational" and len(args) == 2:
            p, q = self._int(args[0]), self._int(args[1])
            if q == 0:
                raise CertificateError("a rational with denominator 0")
            return sp.Rational(p, q)
        if head == "Float" and len(args) == 1:
            if not isinstance(args[0], str) or not re.fullmatch(r"-?\d{1,40}(\.\d{0,40})?(e-?\d{1,3})?", args[0]):
                raise CertificateError("a float is written as decimal digits")
            return sp.Float(args[0])
        if head == "Constant" and len(args) == 1 and args[0] in CONSTANTS:
            return CONSTANTS[args[0]]
        if head == "IndexedBase" and len(args) in (1, 2) and isinstance(args[0], str) and _NAME.match(args[0]):
            given = args[1].get("assumptions", {}) if len(args) == 2 and isinstance(args[1], dict) else {}
            return sp.IndexedBase(args[0], **self._assumptions(args[0], given))
        inner = [self._expr(a, depth + 1) for a in args[1:]] if head == "Function" else \
            [self._expr(a, depth + 1) for a in args]
        if head == "Indexed" and inner and isinstance(inner[0], sp.IndexedBase):
            return sp.Indexed(inner[0], *inner[1:])
        if head == "Function" and args and isinstance(args[0], str) and _NAME.match(args[0]) and \
                args[0] not in CLASSES and inner:
            return sp.Function(args[0])(*inner)
        if head not in CLASSES:
            raise CertificateError(f"{str(head)[:40]!r} is no class a certificate may use")
        try:
            if head in _UNEVALUATED:  # they do not evaluate unless asked (and under evaluate(False) they wrap 1*f)
                made = CLASSES[head](*inner)
            else:
                with sp.evaluate(False):
                    made = CLASSES[head](*inner)
        except (TypeError, ValueError, AttributeError, IndexError) as exc:
            raise CertificateError(f"{head} cannot take these arguments ({str(exc)[:80]})") from None
        _budget(made)
        return made

    def value(self, v: Any, depth: int = 0) -> Any:
        self._count()
        if depth > MAX_DEPTH:
            raise CertificateError(f"values nested deeper than {MAX_DEPTH}")
        if v is None or isinstance(v, (bool, int, str)):
            return v
        if not isinstance(v, dict) or len(v) != 1:
            raise CertificateError(f"a value is a string, a number or one tagged object, not {str(v)[:40]!r}")
        (tag, body), = v.items()
        if tag == "expr":
            return self.expr(body)  # an expression of its own: its own depth and node budgets
        if not isinstance(body, list):
            raise CertificateError(f"{tag}: a list")
        if tag == "prose":
            return Prose(tuple(self.value(p, depth + 1) for p in body))
        if tag == "math" and len(body) == 2 and isinstance(body[1], list):
            return Math(self.value(body[0], depth + 1),
                        tuple((self._rel(r), self.value(e, depth + 1)) for r, e in self._pairs(body[1])))
        if tag == "call" and len(body) == 3 and isinstance(body[0], str):
            return Call(body[0], tuple(self.value(a, depth + 1) for a in self._list(body[1])),
                        tuple(self.value(k, depth + 1) for k in self._list(body[2])))
        if tag == "tuple":
            return tuple(self.value(x, depth + 1) for x in body)
        if tag == "map":
            return {str(k): self.value(x, depth + 1) for k, x in self._pairs(body)}
        raise CertificateError(f"unknown value tag {str(tag)[:40]!r}")

    @staticmethod
    def _list(v: Any) -> list[Any]:
        if not isinstance(v, list):
            raise CertificateError("a list was expected")
        return v

    def _pairs(self, v: Any) -> list[tuple[Any, Any]]:
        if not isinstance(v, list) or not all(isinstance(p, list) and len(p) == 2 for p in v):
            raise CertificateError("a list of pairs was expected")
        return [(a, b) for a, b in v]

    @staticmethod
    def _rel(r: Any) -> str:
        if r not in ("=", "<", "<=", ">", ">=", "!="):
            raise CertificateError(f"unknown relation {str(r)[:20]!r}")
        return str(r)


def _power(e: Any) -> int:
    """The largest integer power an expression raises anything to, nested powers multiplied."""
    if isinstance(e, sp.Pow) and e.exp.is_Integer:
        return abs(int(e.exp)) * max(1, _power(e.base))
    return max((_power(a) for a in e.args), default=1) if isinstance(e, sp.Basic) else 1


def _budget(e: Any) -> None:
    """Refuse what would take the checkers too long to evaluate: huge powers, long numeric sums, high orders."""
    if isinstance(e, sp.Pow) and _power(e) > MAX_EXPONENT:
        raise CertificateError(f"an integer power above {MAX_EXPONENT}")
    if isinstance(e, (sp.Sum, sp.Product)):
        for lim in e.limits:
            if len(lim) == 3 and (lim[2] - lim[1]).is_number and not (abs(lim[2] - lim[1]) <= MAX_TERMS):
                raise CertificateError(f"a sum or product of more than {MAX_TERMS} terms")
    if isinstance(e, sp.Derivative) and any(not (n.is_Integer and 0 < n <= MAX_ORDER) for _, n in e.variable_count):
        raise CertificateError(f"a derivative of order above {MAX_ORDER}")


def _field(d: Any, key: str, kind: type | tuple[type, ...] = object) -> Any:
    if not isinstance(d, dict) or key not in d or not isinstance(d[key], kind):
        raise CertificateError(f"missing or malformed field {key!r}")
    return d[key]


def decode(data: Any) -> Proof:
    """The proof a certificate states, as data (not certified: :func:`.kernel.recheck` judges it)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CertificateError(f"not a {FORMAT} (no 'format': {FORMAT!r})")
    if data.get("version") != VERSION:
        raise CertificateError(f"certificate version {data.get('version')!r}; this symcnn reads version {VERSION}")
    r = _Reader(data.get("symbols"))
    x, v = r.expr, r.value

    def prose(p: Any) -> Prose:
        got = v(p)
        if not isinstance(got, Prose):
            raise CertificateError("words are a prose value")
        return got

    def mapping(m: Any) -> dict[str, Any] | None:
        got = v(m)
        if got is not None and not isinstance(got, dict):
            raise CertificateError("a step's induction or premise is a map")
        return got

    def link(l: Any) -> Link:
        side = tuple((x(a), r._rel(rel), x(b)) for a, rel, b in (_triple(s) for s in _field(l, "side", list)))
        at = v(_field(l, "at"))
        if not isinstance(at, tuple):
            raise CertificateError("a link's premises ('at') are a tuple")
        return Link(r._rel(_field(l, "relation")), x(_field(l, "expr")), v(l.get("reason", "")),
                    x(_field(l, "lhs")), x(_field(l, "rhs")), Context(), {}, {}, (), side, at)

    steps = []
    if len(_field(data, "steps", list)) > MAX_STEPS or \
            sum(len(s.get("links", ())) for s in data["steps"] if isinstance(s, dict)) > MAX_LINKS:
        raise CertificateError(f"more than {MAX_STEPS} steps or {MAX_LINKS} links")
    for s in _field(data, "steps", list):
        first = _field(s, "first")
        steps.append(Step(prose(_field(s, "label")), prose(_field(s, "text")),
                          None if first is None else x(first), tuple(link(l) for l in _field(s, "links", list)),
                          str(_field(s, "kind", str)), tuple(x(a) for a in _field(s, "assume", list)),
                          mapping(s.get("induction")), mapping(s.get("premise"))))
    hypotheses = tuple(Hypothesis(None if _field(h, "relation") is None else x(h["relation"]),
                                  prose(_field(h, "text"))) for h in _field(data, "hypotheses", list))
    obligations = tuple(Obligation(x(_field(o, "lhs")), r._rel(_field(o, "relation")), x(_field(o, "rhs")),
                                   prose(_field(o, "text")), tuple(x(a) for a in _field(o, "assume", list)))
                        for o in _field(data, "obligations", list))
    checkers = tuple(str(c) for c in _field(data, "checkers", list))
    return Proof(str(_field(data, "slug", str)), str(_field(data, "title", str)), prose(_field(data, "statement")),
                 hypotheses, obligations, tuple(steps), str(data.get("problem", "")), checkers,
                 tuple(x(p) for p in _field(data, "params", list)))


def _triple(s: Any) -> tuple[Any, Any, Any]:
    if not isinstance(s, list) or len(s) != 3:
        raise CertificateError("a side condition is [lhs, relation, rhs]")
    return s[0], s[1], s[2]


def certificates(text: str) -> list[Proof]:
    """The proofs in a JSON text: one certificate, the output of ``symcnn prove SLUG -f json`` (which holds one
    under ``certificate``), or a list of either (``prove --all -f json``)."""
    import json

    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise CertificateError(f"not JSON: {str(exc)[:100]}") from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise CertificateError("no certificate in the file")
    out = []
    for item in items:
        if isinstance(item, dict) and "certificate" in item:
            item = item["certificate"]
        try:
            out.append(decode(item))
        except RecursionError:
            raise CertificateError("a certificate nested too deeply") from None
    return out
