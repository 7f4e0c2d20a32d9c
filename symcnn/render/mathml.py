"""LaTeX fragments to presentation MathML, checked.

latex2mathml does not raise on commands it does not know: it leaves them in
the output as text (``<mi>\\foo</mi>``).  Every fragment converted here is
parsed as XML and searched for a leaked backslash; either problem raises.

>>> print(to_mathml(r"\\frac{a}{b}")[:60])
<math xmlns="http://www.w3.org/1998/Math/MathML" display="in
>>> to_mathml(r"\\foo{x}")
Traceback (most recent call last):
...
symcnn.render.mathml.MathMLError: latex2mathml left raw LaTeX '\\\\foo' in the MathML of '\\\\foo{x}'
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as ET


class MathMLError(Exception):
    """A fragment latex2mathml could not convert faithfully (a bug in symcnn's LaTeX)."""


def check(mathml: str, source: str = "") -> None:
    try:
        root = ET.fromstring(mathml)
    except ET.ParseError as exc:
        raise MathMLError(f"MathML of {source!r} is not well-formed XML: {exc}") from None
    for node in root.iter():
        for text in (node.text, node.tail):
            if text and "\\" in text:
                raise MathMLError(f"latex2mathml left raw LaTeX {text.strip()!r} in the MathML of {source!r}")


@functools.lru_cache(maxsize=8192)
def to_mathml(latex: str, display: str = "inline") -> str:
    """A formula's MathML, checked; cached, as a key repeats its formulas block after block (ResNet-50's worked
    layers use 161 distinct ones 1,272 times)."""
    from latex2mathml.converter import convert  # imported on first use: it costs 0.1 s

    out = convert(latex, display=display)
    check(out, latex)
    # a number with thousands separators (LaTeX 34{,}848) is one number, not a list: one <mn>, no space
    group = re.compile(r"<mn>(\d[\d,]*)</mn>(?:<mrow>)?<mo>&#x0002C;</mo>(?:</mrow>)?<mn>(\d{3})</mn>")
    while True:
        joined = group.sub(r"<mn>\1,\2</mn>", out)
        if joined == out:
            return out
        out = joined


def display_cell(latex: str) -> str:
    """Math in a cell of an aligned chain: set as display math (full-size fractions), not shrunk as in a line
    of text."""
    return to_mathml("\\displaystyle " + latex)


def page(title: str, body: str) -> str:
    """A complete, self-contained HTML page."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


STYLE = """body { font-family: Georgia, 'Times New Roman', serif; max-width: 60em; margin: 2em auto; padding: 0 1em;
       line-height: 1.45; color: #111; }
h1, h2, h3 { font-family: Helvetica, Arial, sans-serif; }
math { font-size: 1.1em; }
table.chain { border-collapse: collapse; margin: 0.5em 0 0.8em 1.5em; }
table.chain td { padding: 0.15em 0.6em; vertical-align: middle; }
table.chain td.reason { color: #444; font-style: italic; font-size: 0.92em; padding-bottom: 0.5em; }
table.chain td.cont { padding-left: 2em; }
table.data { border-collapse: collapse; margin: 0.8em 0; font-size: 0.85em; max-width: 100%; }
table.data th, table.data td { border-bottom: 1px solid #ccc; padding: 0.2em 0.45em; }
table.data th { white-space: normal; }
table.data td.txt { overflow-wrap: anywhere; }
table.data td code { overflow-wrap: anywhere; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; }
.verified { color: #075; font-weight: bold; }
.note { color: #444; }
"""
