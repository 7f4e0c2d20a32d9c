"""Drawing a :class:`~symcnn.keys.document.BarChart`: the geometry shared by the printers (bar
lengths on a linear or log scale), inline SVG for HTML, LaTeX's own ``picture`` environment (no
package needed) for PDF, and bars of block characters for Markdown."""

from __future__ import annotations

import html
import math

import sympy as sp

from .values import text as number_text

COLOURS = ("#3465a4", "#e0822c", "#4e9a06", "#75507b")


def _floats(chart) -> list[list[float]]:
    return [[float(sp.N(v)) for v in values] for _, values in chart.series]


def lengths(chart, full: float) -> list[list[float]]:
    """Each bar's length for a scale ``full`` long: linear from 0, or log from a decade below the smallest
    positive value; a zero is no bar."""
    data = _floats(chart)
    positive = [v for s in data for v in s if v > 0]
    if not positive:
        return [[0.0 for _ in s] for s in data]
    top = max(positive)
    if chart.log and top / min(positive) > 20:
        low = 10 ** math.floor(math.log10(min(positive)))
        span = math.log10(top) - math.log10(low) or 1.0
        return [[0.0 if v <= 0 else full * (math.log10(v) - math.log10(low)) / span for v in s] for s in data]
    return [[full * v / top if v > 0 else 0.0 for v in s] for s in data]


def svg(chart) -> str:
    """A responsive inline SVG (it scales to the column: nothing overflows)."""
    label_w, bar_w, value_w, row_h, bar_h = 190, 520, 130, 6 + 13 * len(chart.series), 11
    bars = lengths(chart, bar_w)
    height = 34 + row_h * len(chart.labels)
    width = label_w + bar_w + value_w
    out = [f'<figure class="chart"><svg viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-label="{html.escape(chart.caption)}" xmlns="http://www.w3.org/2000/svg" '
           'font-family="Helvetica, Arial, sans-serif" font-size="11">']
    x = label_w
    for k, (name, _) in enumerate(chart.series):  # the legend
        out.append(f'<rect x="{x}" y="4" width="12" height="10" fill="{COLOURS[k % 4]}"/>'
                   f'<text x="{x + 16}" y="13">{html.escape(name)}</text>')
        x += 24 + 7 * len(name)
    for i, label in enumerate(chart.labels):
        y = 24 + i * row_h
        out.append(f'<text x="{label_w - 6}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end">'
                   f'{html.escape(label)}</text>')
        for k, (_, values) in enumerate(chart.series):
            by = y + 3 + k * 13
            length = bars[k][i]
            out.append(f'<rect x="{label_w}" y="{by}" width="{length:.1f}" height="{bar_h}" '
                       f'fill="{COLOURS[k % 4]}"/>')
            out.append(f'<text x="{label_w + length + 4:.1f}" y="{by + 9}" fill="#333">'
                       f'{html.escape(number_text(values[i]))}</text>')
    out.append("</svg>")
    out.append(f"<figcaption>{html.escape(chart.caption)}</figcaption></figure>")
    return "\n".join(out)


def latex(chart, tex_escape, rows_per_picture: int = 28) -> str:
    """LaTeX ``picture`` environments (as many as the rows need), bars drawn with rules; series told
    apart by thickness, as in a printed book."""
    bars = lengths(chart, 240.0)
    thickness = (5.0, 2.5, 1.2, 0.6)
    row_h = 4 + 6 * len(chart.series)
    parts = []
    legend = "; ".join(f"\\rule{{12pt}}{{{thickness[k % 4]}pt}}\\ {tex_escape(name)}"
                       for k, (name, _) in enumerate(chart.series))
    for start in range(0, len(chart.labels), rows_per_picture):
        labels = chart.labels[start:start + rows_per_picture]
        height = row_h * len(labels)
        body = [f"\\begin{{picture}}(400,{height})"]
        for i, label in enumerate(labels):
            y = height - (i + 1) * row_h
            body.append(f"\\put(0,{y + 2}){{\\makebox(95,{row_h - 2})[r]{{\\scriptsize {tex_escape(label)}}}}}")
            for k, (_, values) in enumerate(chart.series):
                length = bars[k][start + i]
                by = y + row_h - 4 - 6 * (k + 1) + 3
                if length > 0:
                    body.append(f"\\put(100,{by}){{\\rule{{{length:.1f}pt}}{{{thickness[k % 4]}pt}}}}")
                body.append(f"\\put({104 + length:.1f},{by - 1}){{\\tiny {number_text(values[start + i])}}}")
        body.append("\\end{picture}")
        parts.append("\n".join(body))
    return ("\\begin{center}\n\\setlength{\\unitlength}{1pt}\n" + "\n\n".join(parts)
            + f"\n\n{{\\small {tex_escape(chart.caption)}. {legend}.}}\n\\end{{center}}")


def markdown(chart, md_text) -> str:
    """A table whose bars are block characters (the same scale as the drawings)."""
    bars = lengths(chart, 24.0)
    head = "| layer | " + " | ".join(f"{md_text(name)} | " for name, _ in chart.series) + " |\n"
    rule = "|:--|" + "--:|:--|" * len(chart.series) + "\n"
    rows = []
    for i, label in enumerate(chart.labels):
        cells = []
        for k, (_, values) in enumerate(chart.series):
            cells.append(f"{number_text(values[i])} | {'█' * round(bars[k][i])}")
        rows.append(f"| {md_text(label)} | " + " | ".join(cells) + " |")
    return f"*{md_text(chart.caption)}*\n\n" + head + rule + "\n".join(rows)
