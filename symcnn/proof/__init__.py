"""Machine-checked proofs with two independent checkers (sympy and Z3).

A theorem states obligations; a proof is a list of steps whose links each get
a verdict from each checker; the certificate (:class:`Proof`) is data and
:attr:`Proof.verified` is computed from it.  Printers live in
:mod:`symcnn.render.proofs`.
"""

from .builder import DISPLAY_FUNCTIONS, Builder
from .check_sympy import equal_method
from .display import canon, display_subs, tidy
from .model import (
    ASSUMED,
    CHECKERS,
    FAILED,
    NOT_RUN,
    PROVED,
    UNKNOWN,
    Context,
    Hypothesis,
    Link,
    Math,
    Obligation,
    Proof,
    ProofError,
    Prose,
    Step,
)
from .verify import check_relation, verify

__all__ = [
    "ASSUMED",
    "CHECKERS",
    "DISPLAY_FUNCTIONS",
    "FAILED",
    "NOT_RUN",
    "PROVED",
    "UNKNOWN",
    "Builder",
    "Context",
    "Hypothesis",
    "Link",
    "Math",
    "Obligation",
    "Proof",
    "ProofError",
    "Prose",
    "Step",
    "canon",
    "check_relation",
    "display_subs",
    "equal_method",
    "tidy",
    "verify",
]
