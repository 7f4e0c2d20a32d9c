"""Machine-checked proofs with two independent checkers (sympy and Z3).

A theorem states obligations; a proof is a list of steps whose links each get
a verdict from each checker; the certificate (:class:`Proof`) is data and
:attr:`Proof.verified` is computed from it.  Printers live in
the printers in :mod:`symcnn.render`.  (Names are imported from the submodules on first
use, so reading a certificate does not load the checkers.)
"""

from __future__ import annotations

import importlib
from typing import Any

_MODEL = ("ASSUMED", "CHECKERS", "FAILED", "NOT_RUN", "PROVED", "UNKNOWN", "Context", "Hypothesis", "Link", "Math",
          "Obligation", "Proof", "ProofError", "Prose", "Step")
_WHERE = {
    "Builder": "builder", "DISPLAY_FUNCTIONS": "builder",
    "equal_method": "check_sympy",
    "canon": "display", "display_subs": "display", "tidy": "display",
    "check_relation": "checking", "available": "checking", "verify": "kernel", "recheck": "kernel", "Theory": "kernel",
    "Call": "library",
    **dict.fromkeys(_MODEL, "model"),
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
