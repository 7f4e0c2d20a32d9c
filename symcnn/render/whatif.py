"""Printing what-if reports, budget answers and sweeps."""

from __future__ import annotations

import csv
import io

import sympy as sp

from ..errors import SymcnnError
from . import values as V


def _pretty(e) -> str:
    return V.text(e) if isinstance(e, sp.Basic) and e.is_Integer else sp.sstr(e)


def _share(x) -> str:
    return f"{sp.sstr(x)} (~{float(x):.3f})" if not x.is_Integer else sp.sstr(x)


def _point_text(point) -> str:
    return ", ".join(f"{k.name} = {v}" for k, v in sorted(point.items(), key=lambda kv: kv[0].name))


def report(w, quantities, at=None) -> str:
    net = w.network
    out = [f"what-if: {net.title or net.name} ({net.name})"]
    if w.description:
        out.append(f"  {w.description}")
    out.append("symbols: " + ", ".join(f"{s.name} ({'positive real' if not s.is_integer else 'positive integer'})"
                                       for s in w.symbols))
    out.append("conventions: " + "; ".join(w.convention.describe()))
    out.append("where the network exists (every layer's output at least 1 x 1 x 1"
               + (", and whole" if w.convention.division == "exact" else "") + "):")
    for line in w.domain.describe() or ["no condition depends on the symbols"]:
        out.append(f"  {line}")
    try:
        point = w.point(at)
    except SymcnnError:
        point = None
    if point is not None:
        failing = w.domain.failing(point)
        if failing is not None:
            out.append(f"  at {_point_text(point)} the network does not exist: {failing.text()} fails")
            point = None
    for q in quantities:
        forms = w.forms(q)
        out.append("")
        out.append(f"{q}:")
        out.append(f"  = {sp.sstr(forms['collected'])}")
        if forms["factored"] != forms["collected"]:
            out.append(f"  = {sp.sstr(forms['factored'])}    (factored)")
        relaxed = " (continuous relaxation: floor(x) taken as x)" if w.has_floors(q) else ""
        for s, d in w.derivatives(q).items():
            out.append(f"  d{q}/d{s.name} = {sp.sstr(d)}{relaxed}")
        if q in ("params", "macs", "weights", "flops") and point is not None:
            top = w.shares_at(q, point)[:3]
            if top:
                out.append(f"  largest shares at {_point_text(point)}: "
                           + ", ".join(f"{name} {_share(x)}" for name, x in top))
            for s in w.symbols:
                lim = w.limit_shares(q, s, point)[:3]
                others = {k: v for k, v in point.items() if k != s}
                if lim:
                    out.append(f"  in the limit {s.name} -> oo" + (f" ({_point_text(others)})" if others else "")
                               + ": " + ", ".join(f"{name} {_share(x)}" for name, x in lim))
    return "\n".join(out) + "\n"


def answer(a) -> str:
    lines = [f"solve {a.quantity} <= {V.text(a.budget)} for {a.symbol.name}:"]
    if a.symbol.is_integer:
        lines.append(f"  largest integer {a.symbol.name} = {a.value}: {a.quantity} = {V.text(a.total_at_value)} "
                     f"(at {a.value + 1}: {V.text(a.next_total)}, over budget)")
        if a.exact is not None:
            lines.append(f"  the polynomial boundary: {a.symbol.name} = {sp.sstr(a.exact)} ~ {float(a.exact):.6g}")
    else:
        lines.append(f"  {a.symbol.name} = {sp.sstr(a.exact)}")
        lines.append(f"  {a.symbol.name} ~ {sp.N(a.value, 12)}   ({a.quantity} there = {V.text(a.total_at_value)}; "
                     f"any smaller {a.symbol.name} stays within the budget)")
    return "\n".join(lines) + "\n"


def _number(v) -> str:
    if isinstance(v, bool) or getattr(getattr(v, "dtype", None), "kind", "") == "b":
        return "yes" if v else "no"
    v = float(v)
    if v != v:  # NaN: the network does not exist at this point
        return "-"
    return f"{int(v):d}" if v.is_integer() else f"{v:.6g}"


def _outside_note(data) -> str:
    valid = data.get("valid")
    if valid is None:
        return ""
    bad = int((~valid).sum())
    return (f"{bad} of {len(valid)} points lie outside where the network exists (valid = no; totals shown as -)\n"
            if bad else "")


def _column_format(values):
    """One format per column: whole numbers with thousands separators when every value is whole, else
    fixed-point with the same number of decimals throughout (never a mix of 4.28711e+07 and 78597208)."""
    import numpy as np

    arr = np.asarray(values)
    if arr.dtype.kind == "b":
        return _number
    finite = arr[np.isfinite(arr)] if arr.dtype.kind == "f" else arr
    if finite.size == 0 or np.all(np.mod(finite, 1) == 0):
        return lambda v: "-" if v != v else f"{int(v):,}"
    span = float(np.max(np.abs(finite)))
    decimals = 2 if span >= 100 else 4
    return lambda v: "-" if v != v else f"{float(v):,.{decimals}f}"


def sweep_text(data) -> str:
    cols = list(data)
    n = len(next(iter(data.values())))
    shown = range(n) if n <= 200 else list(range(100)) + list(range(n - 100, n))
    fmt = {c: _column_format(data[c]) for c in cols}
    rows = [cols] + [[fmt[c](data[c][i]) for c in cols] for i in shown]
    widths = [max(len(r[i]) for r in rows) for i in range(len(cols))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in rows]
    if n > 200:
        lines.insert(101, f"... {n - 200} more rows (use --csv for all) ...")
    return "\n".join(lines) + "\n" + _outside_note(data)


def _csv_number(v) -> str:
    """Plain numbers for a spreadsheet: whole values without separators, others with full precision."""
    if isinstance(v, bool) or getattr(getattr(v, "dtype", None), "kind", "") == "b":
        return "yes" if v else "no"
    v = float(v)
    if v != v:
        return ""
    return str(int(v)) if v.is_integer() else repr(v)


def sweep_csv(data) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    cols = list(data)
    w.writerow(cols)
    n = len(next(iter(data.values())))
    for i in range(n):
        w.writerow([_csv_number(data[c][i]) for c in cols])
    return buf.getvalue()


def plot(data, path: str, swept: list[str], title: str = "") -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise SymcnnError("--plot needs matplotlib: pip install 'symcnn[plot]'") from None
    if not str(path).lower().endswith((".png", ".svg")):
        raise SymcnnError(f"--plot writes .png or .svg, not {path!r}")
    x = swept[0]
    quantities = [c for c in data if c not in swept and c != "valid"]
    fig, axes = plt.subplots(len(quantities), 1, figsize=(7, 2.6 * len(quantities)), squeeze=False)
    import numpy as np

    for ax, q in zip(axes[:, 0], quantities):
        if len(swept) == 1:
            ax.plot(data[x], data[q], marker=".")
        else:
            others = [c for c in swept if c != x]
            keys = np.unique(np.stack([data[c] for c in others], axis=1), axis=0)[:8]
            for key in keys:
                mask = np.all(np.stack([data[c] for c in others], axis=1) == key, axis=1)
                ax.plot(data[x][mask], data[q][mask], marker=".",
                        label=", ".join(f"{c}={_number(v)}" for c, v in zip(others, key)))
            ax.legend(fontsize=7)
        ax.set_xlabel(x)
        ax.set_ylabel(q)
        ax.grid(True, alpha=0.3)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    from ..files import write_atomic

    buf = io.BytesIO()
    fig.savefig(buf, format="svg" if str(path).lower().endswith(".svg") else "png", dpi=110)
    plt.close(fig)
    write_atomic(path, buf.getvalue())


def _num(v) -> str:
    v = sp.sympify(v)
    if v.is_Integer:
        return V.text(v)
    return f"{float(v):,.6g}" if v.is_number else sp.sstr(v)


def compound_report(c, quantities, rows=range(0, 5)) -> str:
    net = c.network
    out = [f"compound scaling: {net.title or net.name} ({net.name})"]
    out.append(f"  depth d = a**{c.phi}, width w = b**{c.phi}, resolution R = floor({c.r0}*c**{c.phi} + 1/2) "
               f"(Tan and Le 2019); a = {c.a}, b = {c.b}, c = {sp.sstr(c.c)} (a*b**2*c**2 = "
               f"{sp.sstr(sp.nsimplify(c.a * c.b ** 2 * c.c ** 2))})")
    if not c.depth_scaled:
        out.append("  the network has no repeat blocks: its depth is not scaled (d = 1)")
    out.append("  widths are not rounded to multiples of 8 as EfficientNet's builder does: w*c may be fractional")
    out.append("conventions: " + "; ".join(c.w.convention.describe()))
    for q in quantities:
        g = c.growth(q)
        names = ("d", "w", "R")
        mono = "*".join(f"{n}**{e}" if e > 1 else n for n, e in zip(names, g.exponents) if e) or "1"
        out.append(f"{q}: leading term in {mono}: grows about as ({sp.sstr(g.factor)})**{c.phi} "
                   f"(~{float(g.factor):.4g}**{c.phi})")
    header = [c.phi.name, "R", *quantities]
    table = [header]
    for p in rows:
        table.append([str(p), V.text(c.resolution.xreplace({c.phi: p})), *(_num(c.at(q, p)) for q in quantities)])
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    out.append("")
    out += ["  ".join(cell.rjust(w) for cell, w in zip(r, widths)) for r in table]
    return "\n".join(out) + "\n"


def phi_answer(a) -> str:
    return (f"solve {a.quantity} <= {V.text(a.budget)} for phi:\n"
            f"  every phi below {sp.sstr(a.phi)} ~ {float(a.phi):.10g} stays within the budget "
            f"({a.quantity} just below: {float(a.below):,.6g}; just above: {float(a.at):,.6g})\n"
            f"  {a.step}\n")
