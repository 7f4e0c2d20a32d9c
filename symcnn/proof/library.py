"""symcnn's own code, as the proof kernel names it.

A definition in a proof ("the recurrence r[n + 1] = r[n] + (F - 1)*j[n]") is
admitted only when the checkers confirm it equals what one of these functions
computes, called with arguments the certificate states.  The kernel looks a
function up here by name; nothing a caller hands in is ever run as "symcnn's
code", so a certificate read from a file is rechecked against the same
formulas the tables use.

>>> import sympy as sp
>>> r, j = sp.IndexedBase("r"), sp.IndexedBase("j")
>>> n, F = sp.symbols("n F", integer=True, positive=True)
>>> Call("receptive-step", (r[n], j[n], 0, F, 1, 0), (0,)).evaluate()
(F - 1)*j[n] + r[n]
>>> Call("no-such-function", ()).evaluate()
Traceback (most recent call last):
...
symcnn.proof.model.ProofError: no function of symcnn's is named 'no-such-function' (known: ...)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

from ..derive import INPUT_FIELD, Field
from ..errors import SymcnnError
from ..layers.base import Window
from ..layers.common.window import window_out
from ..optimizers import RULES
from ..spec import loads
from .model import ProofError

#: the longest spec a certificate may ask the kernel to derive
SPEC_LIMIT = 4000


def receptive_step(r: Any, j: Any, start: Any, k: Any, s: Any, p: Any) -> tuple[Any, Any, Any]:
    """symcnn's receptive-field step along one axis (:meth:`symcnn.derive.Field.step`): (field, jump, start)."""
    f = Field(r, r, j, j, start, start).step(Window(k, k, s, s, p, p))
    return f.rh, f.jh, f.starth


def input_field() -> tuple[Any, Any, Any]:
    """The field, jump and start of one input pixel, as every table starts."""
    return INPUT_FIELD.rh, INPUT_FIELD.jh, INPUT_FIELD.starth


def output_size(n: Any, k: Any, s: Any, p: Any, d: Any, ceil_mode: bool, division: str) -> Any:
    """symcnn's output length of a sliding window (:func:`symcnn.layers.base.window_out`)."""
    if division not in ("floor", "exact"):
        raise ProofError(f"output-size: unknown division {division!r}")
    return window_out(n, k, s, p, d, bool(ceil_mode), division)[0]


def table(spec: str, path: str, subs: Any = ()) -> Any:
    """A value of the table symcnn derives for a spec: ``totals.macs``, ``rows.1.weights``; then ``subs``."""
    if not isinstance(spec, str) or len(spec) > SPEC_LIMIT:
        raise ProofError(f"table: a spec of at most {SPEC_LIMIT} characters")
    try:
        derived = loads(spec).derive()
    except SymcnnError as exc:
        raise ProofError(f"table: {exc}") from None
    where, *rest = str(path).split(".")
    try:
        if where == "totals" and len(rest) == 1:
            value = derived.totals[rest[0]]
        elif where == "rows" and len(rest) == 2:
            value = getattr(derived.rows[int(rest[0])], rest[1])
        else:
            raise KeyError(path)
    except (KeyError, IndexError, ValueError, AttributeError):
        raise ProofError(f"table: no value {path!r} in the derived table") from None
    return sp.sympify(value).xreplace(dict(subs))


def optimizer(rule: str, theta: Any, g: Any, state: Any, t: Any, hyper: Any) -> Any:
    """One step of symcnn's optimizer code (:data:`symcnn.optimizers.RULES`): (new parameter, new state)."""
    if rule not in RULES:
        raise ProofError(f"optimizer: no rule {rule!r}")
    return RULES[rule].step(theta, g, dict(state), t, dict(hyper))


def derivative(f: Any, x: Any, at: Any) -> Any:
    """sympy's derivative of ``f`` in ``x``, at ``at``."""
    if not isinstance(x, sp.Symbol):
        raise ProofError("derivative: the variable must be a symbol")
    return sp.diff(f, x).subs(x, at)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "receptive-step": receptive_step,
    "input-field": input_field,
    "output-size": output_size,
    "table": table,
    "optimizer": optimizer,
    "derivative": derivative,
}


@dataclass(frozen=True)
class Call:
    """A call of one of symcnn's functions by name, and the part of its result used (``pick``: keys in turn)."""

    function: str
    args: tuple[Any, ...] = ()
    pick: tuple[Any, ...] = ()

    def evaluate(self) -> Any:
        if self.function not in FUNCTIONS:
            raise ProofError(f"no function of symcnn's is named {self.function!r} "
                             f"(known: {', '.join(sorted(FUNCTIONS))})")
        try:
            value = FUNCTIONS[self.function](*self.args)
            for key in self.pick:
                value = value[key]
        except ProofError:
            raise
        except (TypeError, KeyError, IndexError, ValueError, AttributeError, ArithmeticError, SymcnnError) as exc:
            raise ProofError(f"{self.function}: cannot be called with these arguments ({exc})") from None
        return value

    def __str__(self) -> str:
        args = ", ".join(sp.sstr(a) if isinstance(a, sp.Basic) else repr(a) for a in self.args)
        pick = "".join(f"[{k!r}]" for k in self.pick)
        return f"{self.function}({args}){pick}"
