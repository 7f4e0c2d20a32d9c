"""A student's working, read: LaTeX fragments and plain notation brought to one plain
form, the runs of arithmetic in a cell found, and each run's expression evaluated
exactly (with fractions: never ``eval``, never sympy) so that both the set-up (the
factors) and the arithmetic (does their product equal their result?) can be graded.

>>> plain(r"$(3 \\times 3 \\times 64) \\times 64 = 36,864$")
'(3 x 3 x 64) x 64 = 36,864'
>>> [(r.expression, r.result) for r in runs("memory: 224*224*64=3.2M params: (3*3*3)*64 = 1,728")]
[('224*224*64', '3.2M'), ('(3*3*3)*64', '1,728')]
>>> evaluate("(224-11+2*0)/4 + 1")
Fraction(217, 4)
>>> evaluate("ceil((224-11)/4) + 1")
Fraction(55, 1)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from ..budget import LIMITS
from .patterns import rx

_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_WORDS = {r"\times": " x ", r"\cdot": " * ", r"\ast": " * ", r"\div": " / ", r"\approx": " ~ ", r"\sim": " ~ ",
          r"\lceil": " ceil( ", r"\rceil": " ) ", r"\lfloor": " floor( ", r"\rfloor": " ) ", r"\%": "%",
          r"\left": " ", r"\right": " ", r"\quad": " ", r"\qquad": " ", r"\to": " -> ", r"\rightarrow": " -> ",
          r"\Rightarrow": " => ",
          r"\leftarrow": " <- ", r"\Leftarrow": " <= ", r"\gets": " <- ", r"\implies": " => ", r"\mathbf": "",
          r"\mathrm": "", r"\text": "",
          r"\textbf": "", r"\textit": "", r"\emph": "", r"\operatorname": "", r"\texttt": "", r"\mathit": "",
          r"\,": " ", r"\;": " ", r"\:": " ", r"\!": "", r"\ ": " ", r"\{": "(", r"\}": ")", r"\&": "&"}
_UNICODE = {"×": " x ", "⋅": " * ", "·": " * ", "∗": " * ", "÷": " / ", "−": "-", "–": "-", "—": "-",
            "⌈": " ceil( ", "⌉": " ) ", "⌊": " floor( ", "⌋": " ) ", "≈": " ~ ", "\u00a0": " ", "’": "'",
            "“": '"', "”": '"', "^": "**"}

#: every command of _WORDS in one pattern, the longest first ('\\leftarrow' before '\\left'); a command that ends in
#: a letter only where no letter follows ('\\to', not '\\top'): one pass over the cell, not one per command
_COMMAND = re.compile("|".join(re.escape(w) + (r"(?![A-Za-z])" if w[-1].isalpha() else "")
                               for w in sorted(_WORDS, key=lambda w: (-len(w), w))))


@lru_cache(maxsize=8192)
def plain(text: str) -> str:
    """A cell in one plain notation: LaTeX commands and Unicode operators replaced,
    dollar signs and braces gone ("{,}" is a thousands separator in LaTeX)."""
    s = text.replace("{,}", ",")
    for _ in range(8):  # nested fractions, innermost first
        s, n = _FRAC.subn(r"((\1)/(\2))", s)
        if not n:
            break
    if "\\" in s:
        s = _COMMAND.sub(lambda m: _WORDS[m.group(0)], s)
    if not s.isascii():
        for ch, repl in _UNICODE.items():
            s = s.replace(ch, repl)
    s = rx(r"\\[A-Za-z]+\*?").sub(" ", s)  # any other command
    s = s.replace("$", " ").replace("{", "").replace("}", "").replace("\\(", " ").replace("\\)", " ")
    s = s.replace("\\[", " ").replace("\\]", " ")
    s = rx(r"\*\*").sub("^", s)
    s = rx(r"[ \t]+").sub(" ", s).strip()
    return s.replace("^", "**")


# a run of arithmetic: numbers, operators, brackets, ceil/floor, '=' and suffixes
_NUMBER = (r"\d{1,3}(?:[ \u2009\u202f]\d{3})+(?![\d,'.])"  # 138 357 544 (spaces only, never mixed with commas)
           r"|\d+(?:[,'\u2009\u202f]\d{2,4}(?!\d|\.\d))*(?:\.\d+)?(?:[eE][-+]?\d+)?|\.\d+")
_NOT_WORD = r"(?![A-Za-wyz]|x(?![\s\d(\[]))"  # a number not run into a word ('x' is a times sign)
_ATOM = rf"(?:{_NUMBER})(?:\s*(?:[KMG]i?B|[KkMGBT]|m(?=\s+[a-z])|million|billion|thousand))?{_NOT_WORD}\s*%?"
_OP = r"\s*(?:\*\*|[x*/+\-])\s*"
_OPEN = r"(?:(?:ceil|floor)\s*\(\s*|\(\s*|\[\s*)*"
_CLOSE = r"(?:\s*\)|\s*\])*"
_RUN = re.compile(
    rf"(?<![A-Za-z0-9_.,])(?:~\s*)?{_OPEN}(?:{_ATOM}){_CLOSE}"
    rf"(?:(?:{_OP}|\s*=\s*(?:~\s*)?){_OPEN}(?:{_ATOM}){_CLOSE})*")


@dataclass(frozen=True)
class Run:
    """A run of arithmetic in a cell: its text, where it starts, the expression before the last
    '=' (None for a bare number), the result after it, and the factors of a product."""

    text: str
    start: int
    expression: str | None
    result: str | None
    bracketed: bool = False  # "[224x224x64]": a shape, CS231n style
    middle: tuple[str, ...] = ()  # the intermediate results of a chain a = b = c

    @property
    def factors(self) -> tuple[str, ...] | None:
        """The factors of a product written without brackets (``224x224x64``), else None."""
        e = self.expression if self.expression is not None else self.result
        if e is None:
            return None
        e = e.strip().strip("[]")
        if rx(r"[+/()-]").search(e.replace("e-", "")) or not rx(r"[x*]").search(e):
            return None
        parts = [p.strip() for p in rx(r"\s*(?:\*|x)\s*").split(e)]
        return tuple(parts) if all(rx(r"\d+").fullmatch(p) for p in parts) else None


def readable(text: str) -> str:
    """A student's arithmetic as a reader writes it: 3 × 3 × 256 × 384 and 3^2, not 3*3*256*384 and 3**2
    (feedback quotes the working; the words stay the student's).

    >>> readable("11*11*3*96 + 96")
    '11 × 11 × 3 × 96 + 96'
    """
    return rx(r"\s*\*\s*").sub(" \u00d7 ", text.replace("**", "^"))


@lru_cache(maxsize=8192)
def runs(text: str) -> tuple[Run, ...]:
    """The runs of arithmetic in a plain-notation cell, left to right."""
    out = []
    for m in _RUN.finditer(text):
        t = m.group(0).strip()
        if not rx(r"\d").search(t):
            continue
        bracketed = t.startswith("[") and "]" in t
        parts = [p.strip() for p in rx(r"\s*=\s*").split(t) if p.strip()]
        if not parts:
            continue
        if len(parts) == 1:
            only = parts[0]
            is_expr = bool(rx(r"\d\s*(?:\*\*|[x*/+]|-(?=\s*\d))\s*[\d(]|ceil|floor|\)\s*[x*/+-]").search(only))
            out.append(Run(t, m.start(), only if is_expr else None, None if is_expr else only, bracketed))
        else:
            out.append(Run(t, m.start(), parts[0], parts[-1], bracketed, tuple(parts[1:-1])))
    return tuple(out)


class WorkError(ValueError):
    pass


@lru_cache(maxsize=8192)
def evaluate(expression: str) -> Fraction:
    """The exact value of a student's arithmetic: + - * x / ** with brackets, ceil and floor,
    numbers with separators and K/M/G suffixes.  Sizes are bounded before anything is computed.

    >>> evaluate("(227 - 11)/4 + 1"), evaluate("3*3*3*64 + 64"), evaluate("ceil(55/2)")
    (Fraction(55, 1), Fraction(1792, 1), Fraction(28, 1))
    """
    if len(expression) > 400:
        raise WorkError("too long")
    tokens = re.findall(rf"ceil|floor|{_ATOM}|\*\*|[x×*/+\-()\[\]]", expression)
    if "".join(tokens).replace(" ", "") != rx(r"\s").sub("", expression):
        raise WorkError("not arithmetic")
    parser = _Arithmetic([t.strip() for t in tokens])
    value = parser.expr(0)
    if parser.pos != len(tokens):
        raise WorkError("trailing text")
    return value


class _Arithmetic:
    """A recursive-descent reading of the tokens, exact in Fractions, every step bounded."""

    def __init__(self, tokens: list[str]):
        self.tokens, self.pos = tokens, 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        self.pos += 1
        return self.tokens[self.pos - 1]

    @staticmethod
    def number(tok: str) -> Fraction:
        from .numbers import ClaimsError, parse_number

        try:
            return parse_number(tok).value
        except ClaimsError:
            raise WorkError(tok) from None

    def atom(self, depth: int) -> Fraction:
        if depth > 40:
            raise WorkError("too deep")
        tok = self.peek()
        if tok is None:
            raise WorkError("ends early")
        if tok in ("ceil", "floor"):
            self.take()
            if self.take() != "(":
                raise WorkError("ceil needs brackets")
            v = self.expr(depth + 1)
            if self.take() != ")":
                raise WorkError("unbalanced")
            return Fraction(math.ceil(v) if tok == "ceil" else math.floor(v))
        if tok in ("(", "["):
            self.take()
            v = self.expr(depth + 1)
            if self.peek() not in (")", "]"):
                raise WorkError("unbalanced")
            self.take()
            return v
        if tok == "-":
            self.take()
            return -self.atom(depth + 1)
        self.take()
        return self.number(tok)

    def power(self, depth: int) -> Fraction:
        base = self.atom(depth)
        if self.peek() == "**":
            self.take()
            exp = self.power(depth + 1)
            if exp.denominator != 1 or abs(exp) > LIMITS.degree or abs(base.numerator) > 10 ** 12:
                raise WorkError("power too large")
            return base ** int(exp)
        return base

    def term(self, depth: int) -> Fraction:
        v = self.power(depth)
        while self.peek() in ("*", "x", "×", "/"):
            op = self.take()
            w = self.power(depth)
            if op == "/":
                if w == 0:
                    raise WorkError("division by zero")
                v = v / w
            else:
                v = v * w
            if abs(v.numerator) > 10 ** LIMITS.digits:
                raise WorkError("too large")
        return v

    def expr(self, depth: int) -> Fraction:
        v = self.term(depth)
        while self.peek() in ("+", "-"):
            op = self.take()
            w = self.term(depth)
            v = v + w if op == "+" else v - w
        return v


def value_or_none(expression: str | None) -> Fraction | None:
    if expression is None:
        return None
    try:
        return evaluate(expression)
    except (WorkError, ZeroDivisionError, OverflowError, ValueError):
        return None
