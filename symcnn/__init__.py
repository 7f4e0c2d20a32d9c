"""symcnn: symbolic derivations of CNN architecture arithmetic.

>>> import symcnn
>>> t = symcnn.table("vgg16")
>>> t.totals["params"]
138357544
>>> symcnn.table("vgg16").totals["weights"] == 138357544 - (2*64 + 2*128 + 3*256 + 6*512 + 4096*2 + 1000)
True
"""

from __future__ import annotations

from pathlib import Path

from .convention import Convention
from .derive import Row, Table, derive
from .errors import DerivationError, ExprError, SpecError, SymcnnError
from .layers.base import Shape
from .network import Concat, Layer, Network, Residual, Sequence
from .sources import load, loads, table
from .version import __version__


def prove(slug: str, claim: str | None = None):
    """Build and verify the proof of a theorem (see ``symcnn prove --list``)."""
    from .theorems import prove as _prove

    return _prove(slug, claim)


def answer_key(net: str | Path | Network | None = None, convention: Convention | None = None):
    """The answer key of a network (a :class:`symcnn.keys.Document`), or of the
    problem set when ``net`` is None; render it with
    ``symcnn.render.render(doc, "latex" | "html" | "markdown")``."""
    from . import keys

    if net is None:
        return keys.problems_document(convention)
    return keys.network_key(table(net, convention))


def view(obj):
    """A Jupyter view (rendered math and tables) of a table, proof, worked solution or answer key."""
    from .render.notebook import view as _view

    return _view(obj)


def _hook_into_ipython() -> None:
    """Inside IPython or Jupyter, show tables, networks, proofs, what-ifs and graded sheets rendered."""
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    if shell is not None and getattr(shell, "display_formatter", None) is not None:
        from .render.notebook import register

        register(shell)


_hook_into_ipython()

__all__ = [
    "Concat",
    "Convention",
    "DerivationError",
    "ExprError",
    "Layer",
    "Network",
    "Residual",
    "Row",
    "Sequence",
    "Shape",
    "SpecError",
    "SymcnnError",
    "Table",
    "__version__",
    "answer_key",
    "derive",
    "load",
    "loads",
    "prove",
    "table",
    "view",
]
