"""Restricted expressions: the only way user text becomes sympy.

User text never reaches ``eval``, ``sympify`` or ``parse_expr``: those run
Python code.  Instead the text is parsed by Python's own ``ast`` module (which
only parses, never executes) and the tree is walked here, accepting numbers,
names, ``+ - * / **``, parentheses and, where allowed, a few functions.
Everything else is refused with a one-line :class:`~symcnn.errors.ExprError`.

Names become sympy symbols that carry assumptions: sizes, channels, kernels
and strides are positive integers; paddings non-negative integers.

>>> parse("2*C + 1")
2*C + 1
>>> parse("2*C").free_symbols == {size_symbol("C")}
True
>>> size_symbol("C").is_positive and size_symbol("C").is_integer
True
>>> parse("10e6"), parse("0.25")
(10000000, 1/4)
>>> parse("__import__('os').system('true')")
Traceback (most recent call last):
...
symcnn.errors.ExprError: in "__import__('os').system('true')": function calls other than floor, ceil, min, max ...
>>> print(sp.latex(parse("floor((W - F + 2*P)/S) + 1", evaluate=False), order="none"))
\\left\\lfloor{\\frac{W - F + 2 P}{S}}\\right\\rfloor + 1
>>> parse("floor(H/2)", functions=False)
Traceback (most recent call last):
...
symcnn.errors.ExprError: in 'floor(H/2)': function calls are not allowed here (only names, numbers, ...)
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import sympy as sp

from . import budget
from .errors import ExprError

MAX_LENGTH = 400
MAX_DEPTH = 40
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")

#: symbol roles and their assumptions
ROLES = {
    "size": dict(integer=True, positive=True),
    "padding": dict(integer=True, nonnegative=True),
    "real": dict(real=True, positive=True),
    "integer": dict(integer=True),
}


def size_symbol(name: str) -> sp.Symbol:
    """A positive-integer symbol (sizes, channels, kernels, strides)."""
    return sp.Symbol(name, **ROLES["size"])


def valid_name(name: str) -> bool:
    return bool(_NAME.match(name))


_FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int]] = {
    "floor": (sp.floor, 1, 1),
    "ceil": (sp.ceiling, 1, 1),
    "min": (sp.Min, 2, 8),
    "max": (sp.Max, 2, 8),
}

_BINOPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: None,  # checked separately
}


def _number(value: Any) -> sp.Expr:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError
        # exact value of the decimal the user wrote, not of the binary float
        value = Fraction(repr(value))
        return sp.Rational(value.numerator, value.denominator)
    return sp.Integer(value)


def _safe_pow(base: sp.Expr, exp: sp.Expr, text: str) -> sp.Expr:
    # 9**9**9 would hang: bound exponents of numbers before sympy sees them
    if exp.is_Number:
        if not exp.is_Integer and not exp.is_Rational:
            raise ExprError(f"in {text!r}: exponent {exp} is not a rational number")
        if abs(exp) > 64:
            raise ExprError(f"in {text!r}: exponent {exp} is too large (at most 64)")
        if base.is_Number and base != 0:
            bits = max(abs(sp.Rational(base).p).bit_length(), abs(sp.Rational(base).q).bit_length())
            if bits * abs(exp) > 4096:
                raise ExprError(f"in {text!r}: {base}**{exp} is too large")
    if base == 0 and exp.is_Number and exp < 0:
        raise ExprError(f"in {text!r}: division by zero")
    return base ** exp


def _unevaluated(op: type, a: Any, b: Any) -> Any:
    """Build a op b without letting sympy reorder it (textbook display forms)."""
    if op in (ast.Add, ast.Sub):
        terms = list(a.args) if isinstance(a, sp.Add) else [a]  # a + b + c, not (a + b) + c
        if op is ast.Sub:
            b = -b if b.is_Number else sp.Mul(-1, b, evaluate=False)
        return sp.Add(*terms, b, evaluate=False)
    if op in (ast.Mult, ast.Div):
        if op is ast.Div:
            b = sp.Pow(b, -1, evaluate=False)
            if a == 1:
                return b
        factors = list(a.args) if isinstance(a, sp.Mul) else [a]
        return sp.Mul(*factors, b, evaluate=False)
    return sp.Pow(a, b, evaluate=False)


class _Walker:
    """The restricted evaluation of a parsed tree: one method per node type allowed,
    everything else refused with a line naming it."""

    def __init__(self, shown: str, names: Mapping[str, Any], symbol: Callable[[str], sp.Expr] | None,
                 functions: bool, evaluate: bool, extra: Mapping[str, Callable[..., Any]]):
        self.shown, self.names, self.symbol = shown, names, symbol
        self.functions, self.evaluate, self.extra = functions, evaluate, extra

    def fail(self, message: str) -> ExprError:
        return ExprError(f"in {self.shown!r}: {message}")

    def walk(self, node: ast.AST, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail("expression nested too deeply")
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is None:
            kind = {
                ast.Attribute: "attribute access",
                ast.Subscript: "subscripts",
                ast.Lambda: "lambda",
                ast.Compare: "comparisons",
                ast.BoolOp: "and/or",
            }.get(type(node), type(node).__name__)
            raise self.fail(f"{kind} not allowed in an expression")
        return method(node, depth)

    def visit_Expression(self, node: ast.Expression, depth: int) -> Any:
        return self.walk(node.body, depth + 1)

    def visit_Constant(self, node: ast.Constant, depth: int) -> Any:
        try:
            return _number(node.value)
        except ValueError:
            raise self.fail(f"{node.value!r} is not a number") from None

    def visit_Name(self, node: ast.Name, depth: int) -> Any:
        name = node.id
        if not valid_name(name):
            raise self.fail(f"name {name!r} is not allowed (names start with a letter)")
        if name in self.names:
            return self.names[name]
        if name in self.extra and self.symbol is not None:
            return self.symbol(name)  # a display function named on its own (the sigmoid sigma)
        if name in _FUNCTIONS or name in self.extra:
            raise self.fail(f"{name} is a function and needs an argument")
        if self.symbol is None:
            raise self.fail(f"unknown name {name!r}")
        return self.symbol(name)

    def visit_UnaryOp(self, node: ast.UnaryOp, depth: int) -> Any:
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise self.fail(f"{type(node.op).__name__} not allowed in an expression")
        value = self.walk(node.operand, depth + 1)
        if isinstance(node.op, ast.UAdd):
            return value
        return -value if self.evaluate else sp.Mul(-1, value, evaluate=False)

    def visit_BinOp(self, node: ast.BinOp, depth: int) -> Any:
        if type(node.op) not in _BINOPS:
            op = type(node.op).__name__
            hint = " (use ** for powers)" if op == "BitXor" else ""
            what = {"FloorDiv": "//", "Mod": "%", "BitXor": "^", "MatMult": "@"}.get(op, op)
            raise self.fail(f"operator {what} is not allowed{hint}")
        left = self.walk(node.left, depth + 1)
        right = self.walk(node.right, depth + 1)
        if isinstance(node.op, ast.Pow):
            if not self.evaluate:  # limits were enforced by the evaluated parse first
                return _unevaluated(ast.Pow, left, right)
            return _safe_pow(left, right, self.shown)
        if isinstance(node.op, ast.Div) and right == 0:
            raise self.fail("division by zero")
        if not self.evaluate:
            return _unevaluated(type(node.op), left, right)
        combine = _BINOPS[type(node.op)]
        assert combine is not None  # ** is handled above
        return combine(left, right)

    def visit_Subscript(self, node: ast.Subscript, depth: int) -> Any:
        # x[i] where the caller named x as an indexed family (proof displays)
        if isinstance(node.value, ast.Name) and isinstance(self.names.get(node.value.id), sp.IndexedBase):
            return self.names[node.value.id][self.walk(node.slice, depth + 1)]
        raise self.fail("subscripts not allowed in an expression")

    def visit_Call(self, node: ast.Call, depth: int) -> Any:
        if not self.functions:
            raise self.fail("function calls are not allowed here (only names, numbers, + - * / ** and parentheses)")
        fname = node.func.id if isinstance(node.func, ast.Name) else None
        if fname is not None and fname in self.extra and fname not in self.names and len(node.args) == 1 \
                and not node.keywords:
            arg = self.walk(node.args[0], depth + 1)
            return self.extra[fname](arg) if self.evaluate else self.extra[fname](arg, evaluate=False)
        if fname is None or fname not in _FUNCTIONS or fname in self.names:
            raise self.fail(f"function calls other than {', '.join(_FUNCTIONS)} are not allowed")
        if node.keywords:
            raise self.fail(f"{fname}() takes no keyword arguments")
        func, lo, hi = _FUNCTIONS[fname]
        if not lo <= len(node.args) <= hi:
            raise self.fail(f"{fname}() takes {lo if lo == hi else f'{lo} to {hi}'} argument(s)")
        args = [self.walk(arg, depth + 1) for arg in node.args]
        return func(*args) if self.evaluate else func(*args, evaluate=False)


def _tree(text: str, shown: str) -> ast.Expression:
    """The text parsed by Python's own parser (which never runs anything), after the size checks."""
    if len(text) > MAX_LENGTH:
        raise ExprError(f"in {shown!r}: expression longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ExprError("empty expression")
    if any(ord(ch) < 32 or ord(ch) > 126 for ch in text):
        raise ExprError(f"in {text.encode('unicode_escape').decode()[:60]!r}: only printable ASCII is allowed")
    try:
        with warnings.catch_warnings():  # "invalid decimal literal" and the like: we report our own error
            warnings.simplefilter("ignore")
            return ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        hint = " (use ** for powers)" if "^" in text else ""
        raise ExprError(f"in {shown!r}: not a valid expression{hint}") from None


def parse(
    text: str,
    names: Mapping[str, sp.Expr] | None = None,
    symbol: Callable[[str], sp.Expr] | None = size_symbol,
    *,
    functions: bool = True,
    evaluate: bool = True,
    trusted: bool = False,
    extra_functions: Mapping[str, Callable[..., Any]] | None = None,
) -> sp.Expr:
    """Parse ``text`` into a sympy expression, safely.

    names
        Values for names (constants and macro parameters); looked up first.
    symbol
        Called for any other name to make its symbol; ``None`` refuses free names.
    functions
        Allow ``floor``, ``ceil``, ``min`` and ``max``.
    evaluate
        ``False`` keeps the expression as written, term order included, for
        display (``floor((W - F + 2*P)/S) + 1`` stays in that order).
    trusted
        With ``evaluate=False``, skip the evaluated pre-parse that enforces the
        size limits: only for strings written in symcnn's own code, never for
        user input.
    extra_functions
        More functions by name (one argument each), for text written in
        symcnn's own code (sqrt, exp, tanh in the proofs' prose).
    """
    if not isinstance(text, str):
        raise ExprError(f"expected an expression, got {type(text).__name__}")
    shown = text if len(text) <= 60 else text[:57] + "..."
    tree = _tree(text, shown)
    names = names or {}
    if not evaluate and not trusted:
        # the evaluated parse enforces every limit (9**9**9 and the like) before a display form is built
        parse(text, names, symbol, functions=functions, evaluate=True, extra_functions=extra_functions)
    walker = _Walker(shown, names, symbol, functions, evaluate, dict(extra_functions or {}))
    try:
        result = walker.walk(tree, 0)
    except ExprError:
        raise
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, RecursionError) as exc:
        raise ExprError(f"in {shown!r}: cannot evaluate ({type(exc).__name__})") from None
    if evaluate and result.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
        raise ExprError(f"in {shown!r}: the value is not finite")
    if evaluate:
        try:
            budget.check(result, "")
        except budget.BudgetError as exc:
            raise ExprError(f"in {shown!r}: {exc.message}") from None
    return result


_REL = re.compile(r"(<=|>=|!=|==|=|<|>|≤|≥|≠)")
_REL_NAMES = {"==": "=", "≤": "<=", "≥": ">=", "≠": "!="}


def parse_relations(text: str, **kwargs: Any) -> tuple[sp.Expr, tuple[tuple[str, sp.Expr], ...]]:
    """A chain ``a REL b REL c`` (relations = < <= > >= !=) into its first expression and
    (relation, expression) pairs; each part goes through :func:`parse` with ``kwargs``.

    >>> parse_relations("N >= 1")
    (N, (('>=', 1),))
    """
    depth, parts, cur, i = 0, [], "", 0
    rels = []
    while i < len(text):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        m = _REL.match(text, i) if depth == 0 else None
        if m:
            parts.append(cur)
            rels.append(_REL_NAMES.get(m.group(1), m.group(1)))
            cur = ""
            i = m.end()
            continue
        cur += ch
        i += 1
    parts.append(cur)
    exprs = [parse(p.strip(), **kwargs) for p in parts]
    return exprs[0], tuple(zip(rels, exprs[1:]))


def parse_assignment(text: str, **kwargs: Any) -> tuple[str, sp.Expr]:
    """Parse ``NAME=EXPR`` (as in ``--set C=64``).

    >>> parse_assignment("C=64")
    ('C', 64)
    """
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not valid_name(name):
        raise ExprError(f"expected NAME=VALUE, got {text!r}")
    return name, parse(value, **kwargs)
