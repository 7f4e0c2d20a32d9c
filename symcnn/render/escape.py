r"""Escaping text for the formats people paste into pages.

Every string that came from outside symcnn (a spec's title, source, layer
names, a claims line, a module's attribute names) goes through one of these
before it reaches Markdown: raw ``<script>`` or ``<img onerror=...>`` would
run wherever the Markdown is rendered as HTML (notebooks, wikis, GitHub).

>>> md_text('<img src=x onerror=alert(1)> a_b*c | d')
'&lt;img src=x onerror=alert(1)&gt; a\\_b\\*c \\| d'
>>> md_code("conv`1")
"`conv'1`"
>>> csv_cell("=cmd|' /C calc'!A0")
"'=cmd|' /C calc'!A0"
"""

from __future__ import annotations

_MD_SPECIAL = "\\`*_[]|"


def md_text(s: str) -> str:
    """Plain text for Markdown: HTML metacharacters become entities, Markdown
    punctuation is backslash-escaped, so nothing in ``s`` is markup."""
    s = str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in s)


def md_code(s: str) -> str:
    """Inline code span: a backtick inside cannot close it (it becomes a quote)."""
    return "`" + str(s).replace("`", "'").replace("\n", " ") + "`"


def csv_cell(s):
    """A text cell a spreadsheet will not read as a formula (OWASP CSV injection)."""
    if isinstance(s, str) and s[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(s)
            return s  # a negative number is a number
        except ValueError:
            return "'" + s
    return s
