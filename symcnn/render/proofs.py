"""Proofs in text, Markdown, LaTeX, MathML (HTML) and JSON.

Display expressions are printed with ``order="none"``, so the textbook term
order they were written in survives.  Prose carries its math as data
(:class:`symcnn.proof.Math`), printed here per format: typeset in LaTeX and
MathML, with Unicode operators in text.  Every word about checking ("checked",
"confirmed", "QED") is computed from the verdicts the proof carries.

>>> from symcnn.theorems import prove
>>> print(text(prove("same-padding")).splitlines()[0])
same-padding: Same padding keeps the size at stride 1
"""

from __future__ import annotations

import html
import re

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from ..proof.model import ASSUMED, FAILED, NOT_RUN, PROVED, UNKNOWN, Link, Math, Proof, Prose, Step
from ..prose import TIMES
from . import mathml as M
from .escape import md_text

# TIMES (the multiplication sign) is not a relation: it joins the sizes of a shape, C by H by W, set as one math
LATEX_REL = {"=": "=", "<": "<", "<=": r"\le", ">": ">", ">=": r"\ge", "!=": r"\ne", TIMES: r"\times"}
TEXT_REL = {"=": "=", "<": "<", "<=": "≤", ">": ">", ">=": "≥", "!=": "≠", TIMES: TIMES}
CHECKER_NAMES = {"sympy": "sympy", "z3": "Z3"}

# -- expressions ----------------------------------------------------------------------------------------------------

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


class _TextPrinter(StrPrinter):
    """Readable text: r_(n + 1) for Indexed, Σ over l = 1..L for sums."""

    printmethod = "_symcnn_text"  # Indexed has its own _sympystr; dispatch on type here instead

    def _print_Indexed(self, expr):
        idx = ", ".join(self._print(i) for i in expr.indices)
        simple = all(i.is_Atom for i in expr.indices)
        return f"{self._print(expr.base)}_{idx}" if simple else f"{self._print(expr.base)}_({idx})"

    def _print_IndexedBase(self, expr):
        return str(expr.label)

    def _print_Sum(self, expr):
        return self._bounds("sum", expr)

    def _print_Product(self, expr):
        return self._bounds("prod", expr)

    def _bounds(self, name, expr):
        (i, a, b), = expr.limits if len(expr.limits) == 1 else (expr.limits[0],)
        return f"{name}({self._print(i)}={self._print(a)}..{self._print(b)}) [{self._print(expr.function)}]"


def text_of(e) -> str:
    """ASCII text of an expression (the text tables and error messages)."""
    return _TextPrinter({"order": "none"}).doprint(e)


def pretty_of(e) -> str:
    """Text for reading: Unicode operators, no programming notation (· ^ √ ≥)."""
    s = text_of(e)
    s = s.replace("**", "^").replace("*", "·").replace("sqrt(", "√(")
    return s


# -- prose -----------------------------------------------------------------------------------------------------------

def _math_latex(m: Math) -> str:
    return latex_of(m.first) + "".join(f" {LATEX_REL[r]} {latex_of(e)}" for r, e in m.rest)


def _math_text(m: Math) -> str:
    return pretty_of(m.first) + "".join(f" {TEXT_REL[r]} {pretty_of(e)}" for r, e in m.rest)


def prose_text(p: Prose) -> str:
    return "".join(_math_text(x) if isinstance(x, Math) else x for x in p.parts)


def prose_latex(p: Prose) -> str:
    return "".join(f"\\({_math_latex(x)}\\)" if isinstance(x, Math) else tex_escape(x) for x in p.parts)


def prose_markdown(p: Prose) -> str:
    return "".join(f"${_math_latex(x)}$" if isinstance(x, Math) else md_text(x) for x in p.parts)


def prose_html(p: Prose) -> str:
    return "".join(M.to_mathml(_math_latex(x)) if isinstance(x, Math) else html.escape(x) for x in p.parts)


# -- what the checkers said -------------------------------------------------------------------------------------------

def _assumed(link: Link) -> bool:
    return bool(link.checks) and all(v == ASSUMED for v in link.checks.values())


def reason_text(r) -> str:
    return prose_text(r) if isinstance(r, Prose) else r


def reason_latex(r) -> str:
    """A reason in text mode (math set as \\(...\\))."""
    return prose_latex(r) if isinstance(r, Prose) else tex_escape(r)


def reason_in_math(r) -> str:
    """A reason inside display math: words in \\text{}, math as it is."""
    if not isinstance(r, Prose):
        return f"\\text{{{_md_math_text(r)}}}"
    return "".join(_math_latex(x) if isinstance(x, Math) else f"\\text{{{_md_math_text(x)}}}" for x in r.parts
                   if x != "")


def reason_html(r) -> str:
    return prose_html(r) if isinstance(r, Prose) else html.escape(r)


def _reason(link: Link, checkers) -> str:
    """The reason and what the checkers said: 'simplify; sympy ✓, Z3 ✓' (a hypothesis is just that)."""
    words = reason_text(link.reason)
    return words if _assumed(link) else f"{words}; {_verdict_words(link, checkers)}"


def _verdict_words(link: Link, checkers) -> str:
    """'sympy ✓, Z3 ✓' / 'sympy ✓, Z3 ?' (unknown) / 'assumed'."""
    if _assumed(link):
        return "a hypothesis"
    marks = {PROVED: "✓", UNKNOWN: "?", FAILED: "✗", NOT_RUN: "–"}
    return ", ".join(f"{CHECKER_NAMES[c]} {marks.get(link.checks.get(c, NOT_RUN), '?')}" for c in checkers)


def _verdict_latex(link: Link, checkers) -> str:
    if all(v == ASSUMED for v in link.checks.values()):
        return "hypothesis"
    marks = {PROVED: r"\checkmark", UNKNOWN: "?", FAILED: r"\times", NOT_RUN: "--"}
    return ", ".join(f"{CHECKER_NAMES[c]}\\,${marks.get(link.checks.get(c, NOT_RUN), '?')}$" for c in checkers)


def summary_sentence(proof: Proof) -> str:
    """A true sentence about what was checked, computed from the verdicts."""
    s = proof.summary()
    names = " and ".join(CHECKER_NAMES[c] for c in proof.checkers)
    total = s["relations"]
    if not proof.verified:
        missing = [o for o in proof.obligations if o.step is None]
        why = []
        if s["unconfirmed"]:
            why.append(f"{s['unconfirmed']} of {total} relations are not confirmed")
        if missing:
            why.append(f"{len(missing)} of {len(proof.obligations)} statements are not discharged")
        if proof.refused:
            why.append(f"the kernel refused it ({proof.refused.rstrip('.')})")
        return "Not proved: " + "; ".join(why or ["the kernel did not certify it"]) + "."
    parts = []
    if len(proof.checkers) == 1 or s["by_all"] == total:
        parts.append(f"All {total} relations were confirmed by {names}")
        if "z3" not in proof.checkers:
            from ..proof.checking import available

            parts.append("Z3 did not check them (" + ("not asked for" if "z3" in available() else
                                                      "it is not installed here, as in a browser") + ")")
    else:
        parts.append(f"{s['confirmed']} of {total} relations were confirmed: {s['by_all']} by {names}")
        if s["sympy_only"]:
            parts.append(f"{s['sympy_only']} by sympy alone (Z3 could not decide them)")
        if s["z3_only"]:
            parts.append(f"{s['z3_only']} by Z3 alone (sympy could not confirm them)")
    if s["z3_assisted"]:
        parts.append(f"Z3 read {s['z3_assisted']} of them with a derivative, limit, integral or sum in the closed "
                     "form sympy gave it")
    n = len(proof.obligations)
    return "; ".join(parts) + f"; {n} of {n} statement{'s' if n != 1 else ''} discharged."


def _qed(proof: Proof) -> str:
    return "QED." if proof.verified else "NOT PROVED."


# -- text -------------------------------------------------------------------------------------------------------------

def _statement_lines(proof: Proof, math) -> list[str]:
    out = []
    for o in proof.obligations:
        line = f"{math(o.lhs)} {TEXT_REL[o.relation] if math is pretty_of else LATEX_REL[o.relation]} {math(o.rhs)}"
        out.append(line)
    return out


def text(proof: Proof) -> str:
    head = f"{proof.slug}: {proof.title}"
    out = [head, "=" * len(head), ""]
    if proof.problem:
        out.append(f"({proof.problem})")
    out.append(f"Theorem. {prose_text(proof.statement)}")
    for o in proof.obligations:
        cond = f"   (for {', '.join(pretty_of(a) for a in o.assume)})" if o.assume else ""
        out.append(f"    {pretty_of(o.lhs)} {TEXT_REL[o.relation]} {pretty_of(o.rhs)}{cond}")
    out.append("Hypotheses: " + "; ".join(prose_text(h.text) for h in proof.hypotheses))
    out.append("")
    out.append("Proof.")
    for n, step in enumerate(proof.steps, start=1):
        label = f"[{prose_text(step.label)}] " if step.label else ""
        out.append(f"  {n}. {label}{prose_text(step.text)}".rstrip())
        if step.first is not None:
            out.append(f"       {pretty_of(step.first)}")
            for l in step.links:
                out.append(f"         {TEXT_REL[l.relation]} {pretty_of(l.expr)}    [{_reason(l, proof.checkers)}]")
    out.append("")
    out.append(f"{_qed(proof)} {summary_sentence(proof)}")
    return "\n".join(out) + "\n"


# -- Markdown -------------------------------------------------------------------------------------------------------

def _md(s: str) -> str:
    return md_text(s)


def markdown(proof: Proof) -> str:
    out = [f"## `{proof.slug}`: {_md(proof.title)}", ""]
    if proof.problem:
        out += [f"*{_md(proof.problem)}*", ""]
    out.append(f"**Theorem.** {prose_markdown(proof.statement)}")
    out.append("")
    for o in proof.obligations:
        cond = f"\\quad\\text{{for }} {', '.join(latex_of(a) for a in o.assume)}" if o.assume else ""
        out.append(f"$${latex_of(o.lhs)} {LATEX_REL[o.relation]} {latex_of(o.rhs)}{cond}$$")
    out.append("")
    out.append("**Hypotheses:** " + "; ".join(prose_markdown(h.text) for h in proof.hypotheses))
    out.append("")
    out.append("**Proof.**")
    out.append("")
    for n, step in enumerate(proof.steps, start=1):
        label = f"*{prose_markdown(step.label)}.* " if step.label else ""
        out.append(f"{n}. {label}{prose_markdown(step.text)}".rstrip())
        if step.first is not None:
            out.append("")
            out.append("   $$\\begin{aligned}")
            for i, l in enumerate(step.links):
                left = latex_of(step.first) if i == 0 else ""
                end = " \\\\" if i < len(step.links) - 1 else ""
                verdict = "" if _assumed(l) else f"\\text{{; {_md_math_text(_verdict_words(l, proof.checkers))}}}"
                out.append(f"   {left} &{LATEX_REL[l.relation]} {latex_of(l.expr)} && "
                           f"{reason_in_math(l.reason)}{verdict}{end}")
            if not step.links:
                out.append(f"   {latex_of(step.first)}")
            out.append("   \\end{aligned}$$")
            out.append("")
    out.append("")
    out.append(f"∎ {_md(summary_sentence(proof))}")
    return "\n".join(out) + "\n"


def _md_math_text(s: str) -> str:
    return s.replace("{", "(").replace("}", ")").replace("\\", "/").replace("$", "")


# -- LaTeX ----------------------------------------------------------------------------------------------------------

_TEX_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                "{": r"\{", "}": r"\}", "~": r"$\sim$", "^": r"\textasciicircum{}"}


def tex_escape(s: str) -> str:
    """Escape text (not math) for LaTeX; >= and <= become symbols."""
    out = "".join(_TEX_ESCAPES.get(ch, ch) for ch in s)
    out = out.replace(">=", r"$\geq$").replace("<=", r"$\leq$").replace("<", r"$<$").replace(">", r"$>$")
    out = (out.replace("×", r"$\times$").replace("−", "-").replace("∎", r"$\blacksquare$")
           .replace("✓", r"$\checkmark$").replace("✗", r"$\times$").replace("≥", r"$\geq$").replace("≤", r"$\leq$")
           .replace("–", "--"))
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


LATEX_PREAMBLE = latex_preamble()


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


def _broken(e, lead: str, width: int = MATH_LINE) -> list[str]:
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


def _latex_chain(step: Step, checkers) -> str:
    """An aligned chain; a side too long for the line starts a row of its own, and a long sum is broken
    after a term, so that nothing runs past the margin; the checkers' verdicts wrap beneath."""
    rows: list[str] = []
    first = latex_of(step.first)
    # where the alignment point falls: after the first side when it shares its row, else near the margin
    offset = visible_length(first) if step.links and visible_length(first) + visible_length(
        latex_of(step.links[0].expr)) + 3 <= MATH_LINE else 0
    width = max(0.3, min(0.85, 0.88 - offset / MATH_LINE))
    for i, l in enumerate(step.links):
        rel = LATEX_REL[l.relation]
        right = latex_of(l.expr)
        why = reason_latex(l.reason) if _assumed(l) else f"{reason_latex(l.reason)}; {_verdict_latex(l, checkers)}"
        if i == 0 and visible_length(first) + visible_length(right) + 3 <= MATH_LINE:
            rows.append(f"{first} &{rel} {right}")
        else:
            if i == 0:
                rows.extend(_broken(step.first, ""))
            rows.extend(_broken(l.expr, rel))
        rows.append(f"&\\qquad\\parbox[t]{{{width:.2f}\\linewidth}}{{\\raggedright\\small {why}}}")
    if not rows:
        return f"\\[ {first} \\]"
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"


def latex_body(proof: Proof, level: str = "section") -> str:
    out = [f"\\{level}*{{{tex_escape(proof.title)}}}", f"\\label{{thm:{proof.slug}}}"]
    if proof.problem:
        out.append(f"\\emph{{{tex_escape(proof.problem)}}}\\par")
    out.append(f"\\begin{{theorem}}[\\texttt{{{tex_escape(proof.slug)}}}]")
    out.append(prose_latex(proof.statement))
    for o in proof.obligations:
        cond = f"\\quad\\text{{for }} {', '.join(latex_of(a) for a in o.assume)}" if o.assume else ""
        out.append(f"\\[ {latex_of(o.lhs)} {LATEX_REL[o.relation]} {latex_of(o.rhs)}{cond} \\]")
    out.append("\\end{theorem}")
    out.append("\\noindent\\textbf{Hypotheses:} " + "; ".join(prose_latex(h.text) for h in proof.hypotheses) + ".")
    out.append("\\begin{proof}")
    out.append("\\begin{enumerate}")
    for step in proof.steps:
        label = f"\\textbf{{{prose_latex(step.label)}.}} " if step.label else ""
        out.append(f"\\item {label}{prose_latex(step.text)}")
        if step.first is not None:
            out.append(_latex_chain(step, proof.checkers))
    out.append("\\end{enumerate}")
    out.append(tex_escape(summary_sentence(proof)))
    out.append("\\end{proof}")
    return "\n".join(out) + "\n"


def latex(proof: Proof, *, fragment: bool = False) -> str:
    body = latex_body(proof)
    if fragment:
        return body
    return LATEX_PREAMBLE + "\\begin{document}\n" + body + "\\end{document}\n"


# -- HTML with MathML -----------------------------------------------------------------------------------------------

#: displayed math characters that fit the HTML page's text column (60em)
HTML_LINE = 72


def _mathml_chain(step: Step, checkers) -> str:
    """The chain as the LaTeX lays it out: sides and sums too long for the column on rows of their own,
    each link's reason (and the checkers' verdicts) on the row beneath, so nothing runs past the page."""
    if not step.links:
        return M.to_mathml(latex_of(step.first), "block")
    rows = []
    first = latex_of(step.first)

    def math_rows(pieces: list[str], left: str = "") -> None:
        for k, piece in enumerate(pieces):
            body = piece[1:].strip()  # '&= ...' or '&\\quad + ...'
            indent = " class=\"cont\"" if body.startswith("\\quad") else ""
            body = body.removeprefix("\\quad").strip()
            lhs = M.display_cell(left) if (k == 0 and left) else ""
            rows.append(f"<tr><td>{lhs}</td><td{indent}>{M.display_cell(body)}</td></tr>")

    for i, l in enumerate(step.links):
        rel, right = LATEX_REL[l.relation], latex_of(l.expr)
        if i == 0 and visible_length(first) + visible_length(right) + 3 <= HTML_LINE:
            math_rows([f"&{rel} {right}"], first)
        else:
            if i == 0:
                math_rows(_broken(step.first, "", HTML_LINE))
            math_rows(_broken(l.expr, rel, HTML_LINE))
        checked = "" if _assumed(l) else f" <span class=\"checks\">({html.escape(_verdict_words(l, checkers))})</span>"
        rows.append(f"<tr><td></td><td class=\"reason\">{reason_html(l.reason)}{checked}</td></tr>")
    return "<table class=\"chain\">\n" + "\n".join(rows) + "\n</table>"


def mathml_body(proof: Proof, level: int = 1) -> str:
    h = f"h{level}"
    out = [f"<section id=\"{html.escape(proof.slug)}\">",
           f"<{h}><code>{html.escape(proof.slug)}</code>: {html.escape(proof.title)}</{h}>"]
    if proof.problem:
        out.append(f"<p class=\"note\"><em>{html.escape(proof.problem)}</em></p>")
    out.append(f"<p><strong>Theorem.</strong> {prose_html(proof.statement)}</p>")
    for o in proof.obligations:
        cond = f"\\quad\\text{{for }} {', '.join(latex_of(a) for a in o.assume)}" if o.assume else ""
        out.append(M.to_mathml(f"{latex_of(o.lhs)} {LATEX_REL[o.relation]} {latex_of(o.rhs)}{cond}", "block"))
    out.append("<p><strong>Hypotheses:</strong> " + "; ".join(prose_html(h.text) for h in proof.hypotheses)
               + ".</p>")
    out.append("<p><strong>Proof.</strong></p>\n<ol>")
    for step in proof.steps:
        label = f"<strong>{prose_html(step.label)}.</strong> " if step.label else ""
        out.append(f"<li><p>{label}{prose_html(step.text)}</p>")
        if step.first is not None:
            out.append(_mathml_chain(step, proof.checkers))
        out.append("</li>")
    out.append("</ol>")
    cls = "verified" if proof.verified else "unverified"
    out.append(f"<p class=\"{cls}\">&#8718; {html.escape(summary_sentence(proof))}</p>")
    out.append("</section>")
    return "\n".join(out)


def mathml(proof: Proof) -> str:
    return M.page(f"{proof.slug}: {proof.title}", mathml_body(proof))


# -- JSON: the certificate --------------------------------------------------------------------------------------------

def _expr_json(e) -> dict:
    return {"text": pretty_of(e), "latex": latex_of(e), "sympy": sp.sstr(e)}


def _checks_json(link: Link, checkers) -> dict:
    return {c: link.checks.get(c, NOT_RUN) for c in ("sympy", "z3")}


def _certificate(proof: Proof) -> dict:
    from ..proof.certificate import encode  # only the JSON form carries it: text and LaTeX never load it

    return encode(proof)


def as_dict(proof: Proof) -> dict:
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


_PROGRAMMER = re.compile(r"\*\*|(?<=\w)\*(?=\w)|>=|<=|sqrt\(")


def programmer_notation(text: str) -> list[str]:
    """Python operators left in rendered prose (the tests use it)."""
    return _PROGRAMMER.findall(text)
