"""Biases left out in one layer while counted in others: a claim that matches the
weights-only convention is wrong when the same sheet counts biases elsewhere."""

from __future__ import annotations

from . import Slip


def _exact(v) -> bool:
    return not getattr(v.claim.value, "rounded", True)


def sheet(verdicts, grader) -> None:
    # only exact figures show which convention a student keeps: 884k may be 884,736 or 885,120 cut off
    counts_biases = {v.claim.network for v in verdicts if v.claim.quantity == "params"
                     and v.status == "right" and v.row is not None and v.row.biases != 0 and _exact(v)}
    for v in verdicts:
        if v.status == "right-under-convention" and v.note.startswith("weights only") and \
                v.claim.network in counts_biases and _exact(v) and (v.row is not None or v.claim.subject == "total"):
            v.status, v.slip, v.slips = "wrong", "bias-forgotten", ("bias-forgotten",)
            biases = v.row.biases if v.row is not None else grader.table(v.claim.network).totals["biases"]
            v.note = ("the biases are left out here although other claims on this sheet count them: "
                      f"{'the network' if v.row is None else v.claim.subject} has {int(biases):,} biases")


SLIP = Slip("bias-forgotten", "biases left out in one layer while counted in others", order=200, scope="sheet",
            sheet=sheet)
