"""TeX every document uses: sympy's LaTeX in the textbook's notation, prose with its math typeset, escapes, the
preamble, and long formulas broken to fit the page."""

from __future__ import annotations

import re

import sympy as sp
from sympy.printing.latex import LatexPrinter

from ..proof.model import Math, Prose
from ..prose import TIMES

# TIMES (the multiplication sign) is not a relation: it joins the sizes of a shape, C by H by W, set as one math
LATEX_REL = {"=": "=", "<": "<", "<=": r"\le", ">": ">", ">=": r"\ge", "!=": r"\ne", TIMES: r"\times"}


_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu",
          "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega", "Delta", "Sigma", "Theta"}


_STARTS_WITH_NUMBER = re.compile(r"(\d|\\frac\{\d)")


def _latex_name(name: str) -> str:
    """Symbol names as a typesetter writes them: C_in as C_{\\mathrm{in}}, n_out as
    n_{\\mathrm{out}}, beta_1 as \\beta_{1}, a multi-letter word upright."""
    base, _, sub = name.partition("_")

    def part(p: str) -> str:
        if p in _GREEK:
            return "\\" + p
        if len(p) > 1 and p.isalpha():
            return f"\\mathrm{{{p}}}"
        return p

    numbered = re.fullmatch(r"([A-Za-z]+)(\d+)", base)
    if numbered and not sub:  # c3 as c_3, beta1 as beta_1, as sympy writes them
        return f"{part(numbered.group(1))}_{{{numbered.group(2)}}}"
    out = part(base)
    if sub:
        out += "_{" + ",".join(part(s) for s in sub.split("_")) + "}"
    return out


class _Latex(LatexPrinter):
    def _print_Symbol(self, expr, style="plain"):
        return _latex_name(expr.name)

    def _print_Integer(self, expr):
        """Whole numbers of five digits or more with thousands separators (34{,}848), as in the tables."""
        n = int(expr)
        return f"{n:,}".replace(",", "{,}") if abs(n) >= 10_000 else str(n)

    def _print_Mul(self, expr):
        """A product of plain factors with a dot before every factor that starts with a digit: 32 C \\cdot 3^{2},
        never 32 C 3^{2} (read as C3 squared); sympy's own printer dots only between two numbers.  Products
        with a fraction or a sign are left to sympy."""
        args = expr.args
        plain = len(args) > 1 and all(
            not (a.is_Pow and a.exp.is_negative) and not (a.is_Number and (a.is_negative or not a.is_Integer))
            for a in args)
        if not plain:
            return super()._print_Mul(expr)
        out = ""
        for i, a in enumerate(args):
            t = self._print(a)
            if self._needs_mul_brackets(a, first=i == 0, last=i == len(args) - 1):
                t = rf"\left({t}\right)"
            if out:
                out += r" \cdot " if _STARTS_WITH_NUMBER.match(t) else " "
            out += t
        return out

    def _print_IndexedBase(self, expr):
        return _latex_name(str(expr.label))


LATEX_SETTINGS = dict(order="none", mul_symbol=None)


def latex_of(e) -> str:
    return _Latex(LATEX_SETTINGS).doprint(e)


def math_latex(m: Math) -> str:
    return latex_of(m.first) + "".join(f" {LATEX_REL[r]} {latex_of(e)}" for r, e in m.rest)


def prose_latex(p: Prose) -> str:
    return "".join(f"\\({math_latex(x)}\\)" if isinstance(x, Math) else tex_escape(x) for x in p.parts)


def reason_latex(r) -> str:
    """A reason in text mode (math set as \\(...\\))."""
    return prose_latex(r) if isinstance(r, Prose) else tex_escape(r)


def reason_in_math(r) -> str:
    """A reason inside display math: words in \\text{}, math as it is."""
    if not isinstance(r, Prose):
        return f"\\text{{{md_math_text(r)}}}"
    return "".join(math_latex(x) if isinstance(x, Math) else f"\\text{{{md_math_text(x)}}}" for x in r.parts
                   if x != "")


def md_math_text(s: str) -> str:
    return s.replace("{", "(").replace("}", ")").replace("\\", "/").replace("$", "")


_TEX_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                "{": r"\{", "}": r"\}", "~": r"$\sim$", "^": r"\textasciicircum{}"}


#: characters of students' sheets (arrows, approximations, sums, circled numbers) as LaTeX text can set them
_UNICODE_TEX = {
    "→": r"$\rightarrow$", "⟶": r"$\longrightarrow$", "⇒": r"$\Rightarrow$", "⟹": r"$\Longrightarrow$",
    "←": r"$\leftarrow$", "↖": r"$\nwarrow$", "↗": r"$\nearrow$", "↓": r"$\downarrow$", "↑": r"$\uparrow$",
    "≈": r"$\approx$", "≠": r"$\neq$", "·": r"$\cdot$", "⋅": r"$\cdot$", "∙": r"$\cdot$", "Σ": r"$\Sigma$",
    "∑": r"$\sum$", "√": r"$\surd$", "∞": r"$\infty$", "±": r"$\pm$", "÷": r"$\div$", "…": r"\dots{}",
    "‘": "`", "’": "'", "“": "``", "”": "''", "—": "---", "\u2009": " ", "\u202f": " ", "\u00a0": " ",
    "⌈": r"$\lceil$", "⌉": r"$\rceil$", "⌊": r"$\lfloor$", "⌋": r"$\rfloor$", "〃": "''",
    **{chr(0x2460 + k): f"({k + 1})" for k in range(20)},  # circled numbers: (1), (2), ...
    **{ch: f"$\\{name}$" for ch, name in zip("ΓΔΘΛΞΠΣΥΦΨΩ", ("Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma",
                                                             "Upsilon", "Phi", "Psi", "Omega"), strict=True)},
    **{ch: f"$\\{name}$" for ch, name in zip("αβγδεζηθικλμνξπρςστυφχψω", (
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu",
        "xi", "pi", "rho", "varsigma", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega"), strict=True)},
}


def tex_escape(s: str) -> str:
    """Escape text (not math) for LaTeX; >= and <= become symbols."""
    out = "".join(_TEX_ESCAPES.get(ch, ch) for ch in s)
    out = out.replace(">=", r"$\geq$").replace("<=", r"$\leq$").replace("<", r"$<$").replace(">", r"$>$")
    out = (out.replace("×", r"$\times$").replace("−", "-").replace("∎", r"$\blacksquare$")
           .replace("✓", r"$\checkmark$").replace("✗", r"$\times$").replace("≥", r"$\geq$").replace("≤", r"$\leq$")
           .replace("–", "--"))
    out = "".join(_UNICODE_TEX.get(ch, ch) if ord(ch) > 0xFF else ch for ch in out)
    out = re.sub(r"[^\x00-\xff]", lambda m: f"[U+{ord(m.group(0)):04X}]", out)  # anything else, named, never a failure
    # a dotted or called name (torch.optim.RMSprop(momentum=mu)) may break after a dot or before a bracket
    out = re.sub(r"(?<=[A-Za-z0-9])\.(?=[A-Za-z])", r".\\allowbreak{}", out)
    out = re.sub(r"(?<=[A-Za-z0-9])\((?=[A-Za-z])", r"\\allowbreak{}(", out)
    return out


def latex_preamble(size: str = "11pt", margin: str = "2.2cm") -> str:
    """The one LaTeX preamble of every document symcnn writes (proofs, answer keys, graded keys)."""
    return (f"\\documentclass[{size}]{{article}}\n"
            "\\usepackage[utf8]{inputenc}\n"
            "\\usepackage{amsmath,amssymb,amsthm}\n"
            "\\usepackage{booktabs,longtable,array}\n"
            f"\\usepackage[margin={margin}]{{geometry}}\n"
            "\\newtheorem*{theorem}{Theorem}\n"
            "\\allowdisplaybreaks\n"
            "\\emergencystretch=3em\n"  # a line with a long unbreakable token (torch.optim.Adam(...)) stretches
            "\\setlength{\\LTcapwidth}{\\textwidth}\n")


#: a standalone proof's preamble (documents of several parts use 10pt with 2cm margins)
PROOF_PREAMBLE = latex_preamble()


#: about how many characters of displayed math fit on one line of the page at 10pt (the text is 345pt wide)
MATH_LINE = 58


def visible_length(tex: str) -> int:
    """A rough count of the characters a LaTeX math string shows: a fraction counts its wider part,
    commands and braces count nothing, an operator command counts one."""
    s = tex
    for _ in range(10):
        s2 = re.sub(r"\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}", lambda m: max(m.group(1), m.group(2), key=len), s)
        if s2 == s:
            break
        s = s2
    s = re.sub(r"\\(?:left|right|mathrm|operatorname|text|mathit|displaystyle)\b", "", s)
    s = re.sub(r"\\(?:cdot|times|le|ge|neq|sum|prod|log|sqrt|lfloor|rfloor|lceil|rceil|checkmark)\b", "x", s)
    s = re.sub(r"\\[a-zA-Z]+", "x", s)
    s = re.sub(r"[{}_^\\]", "", s)
    return len(s)


def _terms(e) -> list[str] | None:
    """The terms of a sum, each as LaTeX with its sign ('+ 2 \\cdot 16', '- r3 ...'); None for a non-sum."""
    if not isinstance(e, sp.Add):
        return None
    out = []
    for t in e.args:
        tex = latex_of(t)
        out.append(tex if tex.startswith("-") else f"+ {tex}")
    return out


def broken_lines(e, lead: str, width: int = MATH_LINE) -> list[str]:
    """Rows for ``&{lead} e``: one row when it fits, else the sum's terms spread over rows."""
    tex = latex_of(e)
    terms = _terms(e)
    if visible_length(tex) + len(lead) <= width or not terms:
        return [f"&{lead} {tex}"]
    rows, line = [], ""
    for t in terms:
        if line and visible_length(line + t) > width - 6:
            rows.append(line)
            line = ""
        line = (line + " " + t).strip()
    rows.append(line)
    rows[0] = rows[0][2:] if rows[0].startswith("+ ") else rows[0]
    return [f"&{lead} {rows[0]}"] + [f"&\\quad {r}" for r in rows[1:]]
