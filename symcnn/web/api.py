"""What the browser page asks of symcnn: one JSON request in, one JSON answer out.

The page runs symcnn in Pyodide inside a Web Worker and calls :func:`handle`
with ``{"cmd": ..., ...}``; every answer is the library's own output, rendered
by the same printers as the command line (so the page and ``symcnn table`` show
the same numbers).  Nothing a user types is evaluated: specs, claims and sheets
go through the same parsers and budgets as on the command line, and a bad one
comes back as ``{"error": "one line"}``.

>>> import json
>>> answer = json.loads(handle(json.dumps({"cmd": "table", "zoo": "lenet5"})))
>>> answer["totals"]["params"]
'61,706'
>>> json.loads(handle('{"cmd": "table", "spec": "input 3 8 8\\nconv 4 k=99"}'))["error"]
'...'
"""

from __future__ import annotations

import json
from typing import Any

import sympy as sp

from ..convention import Convention
from ..errors import SymcnnError

#: the largest request the page may send (a pasted sheet or spec)
REQUEST_LIMIT = 2_000_000


def _network(req: dict[str, Any]) -> Any:
    from .. import zoo
    from ..sources import loads

    if req.get("spec"):
        spec = str(req["spec"])
        if len(spec) > 200_000:
            raise SymcnnError("a spec of at most 200,000 characters")
        net = loads(spec, name="spec")
    elif req.get("zoo"):
        name = str(req["zoo"])
        if name not in zoo.names():
            raise SymcnnError(f"no zoo network {name!r}")
        net = zoo.load(name)
    else:
        raise SymcnnError("choose a zoo network or give a spec")
    if req.get("set"):
        from ..sources import parse_assignments

        names = dict(net.symbols)
        values = parse_assignments([s for s in str(req["set"]).split(";") if s.strip()],
                                   symbol=lambda n: names.get(n) or sp.Symbol(n))
        net = net.subs({names.get(k, k): v for k, v in values.items()})
    return net


def _convention(req: dict[str, Any]) -> Convention:
    c = req.get("convention") or {}
    size = int(c.get("bytes", 4))
    if size <= 0 or size > 64:
        raise SymcnnError("bytes per element: a whole number from 1 to 64")
    return Convention(flops_per_mac=1 if c.get("macs") else 2, bias_flops=bool(c.get("bias_flops")),
                      other_ops=bool(c.get("other_ops")), division="exact" if c.get("exact") else "floor",
                      bytes_per_element=size, count_inplace=bool(c.get("count_inplace")))


def zoo_list() -> list[dict[str, str]]:
    """The zoo: names and titles read off the spec headers, nothing derived (the build writes it as zoo.json, so
    the page lists the networks before Python has started)."""
    from .. import zoo

    nets = []
    for name in zoo.names():
        title = next((line.split(None, 1)[1].strip() for line in zoo.text(name).splitlines()
                      if line.startswith("title ")), name)
        nets.append({"name": name, "title": title})
    return nets


def _init(req: dict[str, Any]) -> dict[str, Any]:
    """The zoo and what this Python has."""
    import sys

    from ..proof.checking import available
    from ..version import __version__

    return {"zoo": zoo_list(), "checkers": list(available()), "version": __version__,
            "python": sys.version.split()[0]}


def _theorems(req: dict[str, Any]) -> dict[str, Any]:
    from ..theorems import THEOREMS, slugs

    return {"theorems": [{"slug": s, "title": THEOREMS[s].title, "claim": THEOREMS[s].claim_help}
                         for s in slugs()]}


def _table(req: dict[str, Any]) -> dict[str, Any]:
    from ..derive import derive
    from ..render import render
    from ..render.tabular import total_lines
    from ..render.values import text as value_text

    table = derive(_network(req), _convention(req))
    keys = {"weights (parameters without biases)": "weights", "biases": "biases",
            "parameters (weights + biases)": "params", "multiply-adds (MACs)": "macs", "FLOPs": "flops"}
    totals = {keys.get(label, label): value_text(v) for label, v in total_lines(table)}
    return {"html": render(table, "html", fragment=True), "text": render(table, "text"),
            "markdown": render(table, "markdown"), "csv": render(table, "csv"), "json": render(table, "json"),
            "totals": totals}


def _key(req: dict[str, Any]) -> dict[str, Any]:
    from ..derive import derive
    from ..keys import network_key
    from ..render import render

    doc = network_key(derive(_network(req), _convention(req)))
    fmt = {"tex": "latex", "md": "markdown"}.get(str(req.get("format", "html")), "html")
    return {"format": fmt, "text": render(doc, fmt)}  # one format per request: the others when downloaded


def _figures(req: dict[str, Any]) -> dict[str, Any]:
    from ..derive import derive
    from ..keys.figures import layer_charts
    from ..render.charts import svg

    table = derive(_network(req), _convention(req))
    return {"svg": [svg(chart) for chart in layer_charts(table)]}


def _js(e: Any, names: dict[Any, str]) -> str:
    """An expression as JavaScript over the arguments a0, a1, ... (symbols renamed first: no name a user wrote
    reaches the generated code)."""
    from sympy.printing.jscode import jscode

    return str(jscode(sp.sympify(e).xreplace({s: sp.Symbol(n) for s, n in names.items()})))


def _whatif(req: dict[str, Any]) -> dict[str, Any]:
    from ..whatif import whatif

    width = req.get("width") or None
    resolution = req.get("resolution") or None
    w = whatif(_network(req), width="alpha" if width else None, resolution="R" if resolution else None,
               convention=_convention(req))
    names = {s: f"a{i}" for i, s in enumerate(w.symbols)}
    symbols = []
    for s in w.symbols:
        origin = w.origin.get(s, sp.Integer(1))
        symbols.append({"name": s.name, "arg": names[s], "integer": bool(s.is_integer), "origin": float(origin),
                        "min": float(origin) / 4 if not s.is_integer else max(1.0, float(origin) // 4),
                        "max": float(origin) * 4})
    totals = {q: _js(w.total(q), names) for q in ("params", "macs", "activations")}
    layers = [{"name": r.name, "params": _js(r.params, names), "macs": _js(r.macs, names)}
              for r in w.table.rows if r.params != 0 or r.macs != 0]
    shown = {q: sp.sstr(w.total(q)) for q in totals}
    return {"symbols": symbols, "totals": totals, "layers": layers, "shown": shown, "description": w.description}


def _prove(req: dict[str, Any]) -> dict[str, Any]:
    from ..proof import ProofError
    from ..render import render
    from ..render.proofs import summary_sentence
    from ..theorems import prove

    claim = req.get("claim") or None
    try:
        proof = prove(str(req.get("slug", "")), claim=claim)
    except ProofError as exc:
        return {"verified": False, "refused": exc.message, "text": f"not proved: {exc.message}"}
    return {"verified": proof.verified, "html": render(proof, "html"), "text": render(proof, "text"),
            "summary": summary_sentence(proof), "checkers": list(proof.checkers)}


def _check(req: dict[str, Any]) -> dict[str, Any]:
    from ..grading import check_sheet
    from ..render import render

    text = str(req.get("sheet", ""))
    name = str(req.get("filename") or "sheet.txt")
    sheet = check_sheet(text, name, network=req.get("network") or None)
    data = json.loads(render(sheet, "json"))
    return {"html": render(sheet, "html"), "text": render(sheet, "text"), "score": data.get("score"),
            "verdicts": [{"line": v.get("line"), "status": v.get("status")} for v in data.get("claims", [])]}


COMMANDS = {"init": _init, "theorems": _theorems, "table": _table, "key": _key, "figures": _figures,
            "whatif": _whatif, "prove": _prove, "check": _check}


def handle(request: str) -> str:
    """One request (JSON text) answered (JSON text): the command's result, or ``{"error": "one line"}``."""
    try:
        if len(request) > REQUEST_LIMIT:
            raise SymcnnError(f"a request of at most {REQUEST_LIMIT:,} characters")
        req = json.loads(request)
        if not isinstance(req, dict) or req.get("cmd") not in COMMANDS:
            raise SymcnnError(f"unknown command (choose from {', '.join(COMMANDS)})")
        return json.dumps(COMMANDS[req["cmd"]](req))
    except SymcnnError as exc:
        return json.dumps({"error": exc.message})
    except (ValueError, TypeError, RecursionError) as exc:
        return json.dumps({"error": f"{type(exc).__name__}: {str(exc)[:200]}"})
    except Exception as exc:  # the page shows one line, never a traceback; the message says whose fault it is
        return json.dumps({"error": f"internal error ({type(exc).__name__}: {str(exc)[:200]}): a bug in symcnn"})
