"""Compound scaling as EfficientNet defines it (Tan and Le 2019, eq. 3): depth d = a^phi, width
w = b^phi, resolution r = c^phi, under a * b^2 * c^2 = 2, so that the multiply-adds of a
convolutional network grow about as (a b^2 c^2)^phi = 2^phi.

The network is made symbolic in its depth (every ``repeat k`` as ``repeat ceiling(d*k)``, when it
has repeat blocks), width (every channel count c as w*c) and resolution (the input R x R, R an
integer: EfficientNet rounds, R = floor(R0 c^phi + 1/2)); then:

- the totals are exact functions of phi (floors and ceilings included);
- the growth law is read off the leading monomial d^i w^j R^k of the relaxed totals (floor(x) -> x):
  "MACs grow as (a b^2 c^2)^phi";
- the largest phi within a budget is exact: the totals only step up with phi, bisection finds the
  step that crosses the budget, and the step's own equation (an argument of a floor or a ceiling
  reaching an integer) is solved in closed form, e.g. phi* = log(5/3)/log(6/5);
- an unknown among (a, b, c) is solved exactly from a * b^2 * c^2 = 2.

>>> c = compound("vgg16", base=("6/5", "11/10", "c"))
>>> c.c
10*sqrt(15)/33
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .. import expr as E
from ..errors import SymcnnError

#: EfficientNet's grid-searched constants (Tan and Le 2019, section 4)
EFFICIENTNET = ("6/5", "11/10", "23/20")


def solve_base(base, target=2) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """(a, b, c) with at most one unknown (a name), the unknown solved from a * b^2 * c^2 = target."""
    if len(base) != 3:
        raise SymcnnError("the compound base is three values a,b,c (one of them may be a name to solve for)")
    values, unknown = [], None
    for i, text in enumerate(base):
        text = str(text).strip()
        if E.valid_name(text):
            if unknown is not None:
                raise SymcnnError("at most one of a, b, c may be solved for")
            unknown = i
            values.append(sp.Symbol(text, positive=True))
            continue
        v = E.parse(text, symbol=None, functions=False)
        if not v.is_number or not v.is_positive or v <= 1:
            raise SymcnnError(f"compound base {text!r}: each of a, b, c is a number greater than 1")
        values.append(sp.nsimplify(v))
    a, b, c = values
    if unknown is not None:
        eq = a * b ** 2 * c ** 2 - sp.sympify(target)
        roots = [r for r in sp.solve(eq, values[unknown]) if r.is_positive]
        if not roots:
            raise SymcnnError(f"no positive {values[unknown]} gives a*b**2*c**2 = {target}")
        values[unknown] = sp.radsimp(roots[0])
        if values[unknown] <= 1:
            raise SymcnnError(f"{base[unknown]} = {values[unknown]} would shrink the network (it must exceed 1)")
    return values[0], values[1], values[2]


@dataclass
class Growth:
    quantity: str
    exponents: tuple[int, int, int]  # of d, w, R in the leading monomial
    factor: sp.Expr  # a^i b^j c^k: the total grows about as factor^phi


@dataclass
class PhiAnswer:
    quantity: str
    budget: sp.Expr
    phi: sp.Expr  # the exact step where the total first exceeds the budget (the supremum of the good phi)
    below: sp.Expr  # the total just below phi*
    at: sp.Expr  # the total at phi*
    step: str  # what steps there


class Compound:
    def __init__(self, net, phi: str = "phi", base=EFFICIENTNET, convention=None):
        from . import whatif

        self.a, self.b, self.c = solve_base(base)
        if not E.valid_name(phi):
            raise SymcnnError(f"{phi!r} is not a valid symbol name")
        self.phi = sp.Symbol(phi, nonnegative=True)
        try:
            self.w = whatif(net, width="w", resolution="R", depth="d", convention=convention)
            self.depth_scaled = True
        except SymcnnError as exc:
            if "no 'repeat' blocks" not in exc.message:
                raise
            self.w = whatif(net, width="w", resolution="R", convention=convention)
            self.depth_scaled = False
        self.network = self.w.network
        self.r0 = self.w.origin.get(self.w.symbol("R"))
        if self.r0 is None:
            raise SymcnnError("compound scaling needs the network's own input size")
        syms = {s.name: s for s in self.w.symbols}
        self.d, self.width, self.R = syms.get("d"), syms["w"], syms["R"]
        self.resolution = sp.floor(self.r0 * self.c ** self.phi + sp.Rational(1, 2))
        self.subs = {self.width: self.b ** self.phi, self.R: self.resolution}
        if self.d is not None:
            self.subs[self.d] = self.a ** self.phi

    def total(self, quantity: str) -> sp.Expr:
        return self.w.total(quantity).xreplace(self.subs)

    def at(self, quantity: str, phi) -> sp.Expr:
        v = self.w.total(quantity).xreplace({k: v.xreplace({self.phi: sp.nsimplify(phi)})
                                             for k, v in self.subs.items()})
        return sp.Integer(v) if v.is_number and v.is_integer else sp.nsimplify(v)

    def growth(self, quantity: str) -> Growth:
        """The leading monomial of the relaxed total in (d, w, R)."""
        relaxed = sp.expand(self.w.relaxed(self.w.total(quantity)))
        gens = [g for g in (self.d, self.width, self.R) if g is not None]
        poly = sp.Poly(relaxed, *gens)
        best, best_f = (0, 0, 0), sp.Integer(0)
        for monom, coeff in poly.terms():
            exps = dict(zip(gens, monom))
            e = (exps.get(self.d, 0) if self.d is not None else 0, exps.get(self.width, 0), exps.get(self.R, 0))
            f = self.a ** e[0] * self.b ** e[1] * self.c ** e[2]
            if coeff != 0 and (f > best_f):
                best, best_f = e, f
        return Growth(quantity, best, sp.nsimplify(best_f))

    def solve(self, quantity: str, budget) -> PhiAnswer:
        """The supremum of the phi whose total stays within the budget, exactly."""
        budget = sp.sympify(budget)
        self._budget = budget
        total = self.total(quantity)
        # the bisection compares numbers to 40 digits (the staircase's steps are far coarser); the step it
        # lands on is then solved exactly
        f = lambda x: total.xreplace({self.phi: sp.nsimplify(x)}).evalf(40)  # noqa: E731
        if f(0) > budget:
            raise SymcnnError(f"the network itself (phi = 0) has {quantity} = {f(0)}, over {budget}")
        hi = sp.Integer(1)
        while f(hi) <= budget:
            hi *= 2
            if hi > 64:
                raise SymcnnError(f"{quantity} stays within {budget} up to phi = 64")
        lo = sp.Integer(0) if hi == 1 else hi / 2
        for _ in range(40):  # to 2**-40 of the bracket: one step of the staircase
            mid = (lo + hi) / 2
            if f(mid) <= budget:
                lo = mid
            else:
                hi = mid
        exact, what = self._step(quantity, lo, hi)
        return PhiAnswer(quantity, budget, exact, f(lo), f(hi), what)

    def _step(self, quantity, lo, hi):
        """The step between lo and hi: an argument g(phi) of a floor or ceiling that reaches an integer."""
        total = self.total(quantity)
        for atom in sorted(total.atoms(sp.floor, sp.ceiling), key=sp.default_sort_key):
            g = atom.args[0]
            glo, ghi = g.xreplace({self.phi: lo}), g.xreplace({self.phi: hi})
            m_lo = sp.floor(glo) if isinstance(atom, sp.floor) else sp.ceiling(glo)
            m_hi = sp.floor(ghi) if isinstance(atom, sp.floor) else sp.ceiling(ghi)
            if m_lo == m_hi:
                continue
            level = m_hi if isinstance(atom, sp.floor) else m_lo  # floor steps at g = m; ceiling just after g = m
            roots = _exponential_root(g, level, self.phi)
            if roots is None:
                roots = sp.solve(sp.Eq(g, level), self.phi)
            for r in roots:
                if r.is_real and lo <= r <= hi:
                    return r, f"{atom} steps from {m_lo} to {m_hi} at {self.phi} = {r}"
        # no step between lo and hi: the total crosses the budget continuously there (a width w = b^phi
        # is a real); with every floor and ceiling at its value on this piece, solve for t = b^phi exactly
        piece = total.xreplace({atom: atom.xreplace({self.phi: lo}) for atom in total.atoms(sp.floor, sp.ceiling)})
        t = sp.Symbol("t", positive=True)
        in_t = sp.expand(sp.expand_power_exp(piece).subs(self.b ** self.phi, t))
        if self.phi not in in_t.free_symbols:
            try:
                roots = [r for r in sp.Poly(in_t - self._budget, t).real_roots() if r > 0]
            except (sp.PolynomialError, NotImplementedError):
                roots = []
            for r in roots:
                phi = sp.log(r) / sp.log(self.b)
                if lo <= phi.evalf(50) <= hi:
                    return phi, (f"{quantity} reaches the budget continuously (w = {sp.sstr(self.b ** self.phi)} = "
                                 f"{sp.sstr(r)})")
        return (lo + hi) / 2, "a step between the bracket's ends (no closed form found)"


def _exponential_root(g: sp.Expr, level: sp.Expr, phi: sp.Symbol) -> list[sp.Expr] | None:
    """phi with A * C**phi + B = level, as log((level - B)/A)/log(C); None when g is not of that form."""
    terms = sp.Add.make_args(sp.expand(g))
    varying = [t for t in terms if phi in t.free_symbols]
    if len(varying) != 1:
        return None
    rest = sp.Add(*[t for t in terms if phi not in t.free_symbols])
    coeff, powers = varying[0].as_independent(phi, as_Add=False)
    if not (isinstance(powers, sp.Pow) and powers.exp == phi and powers.base.is_number and powers.base > 1):
        return None
    ratio = sp.nsimplify((level - rest) / coeff)
    if not ratio.is_positive:
        return []
    return [sp.log(ratio) / sp.log(powers.base)]


def compound(net, phi: str = "phi", base=EFFICIENTNET, convention=None) -> Compound:
    return Compound(net, phi, base, convention)
