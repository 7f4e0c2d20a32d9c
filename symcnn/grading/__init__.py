"""Grading worked answers: read claims, mark each against the derivation, and explain
wrong numbers by recomputing under the slips of the catalogue.

numbers
    reading numbers as people write them (separators, K/M/G, %, units, tolerances)
claims
    the claims file a grader transcribes
sheets, work, labels, extract, sheet
    answer sheets as handed in (text, Markdown, LaTeX, notebooks): their lines, the
    student's arithmetic, layer labels and networks, the claims found, the sheet graded
followthrough
    error carried forward: later figures re-derived from the student's own earlier ones
grader
    marking claims: right, right under another convention, wrong (with the correct value)
slips
    the catalogue, one file per slip
"""

from .claims import CONVENTIONS, QUANTITIES, Claim, parse_claims
from .grader import GradedSheet, Grader, GradingPolicy, Verdict, check_text, value_of
from .numbers import ClaimsError, Number, parse_number, parse_shape
from .sheet import check_sheet, grade_files
from .slips import REGISTRY, SLIPS, diagnose

__all__ = [
           "CONVENTIONS",
           "QUANTITIES",
           "REGISTRY",
           "SLIPS",
           "Claim",
           "ClaimsError",
           "GradedSheet",
           "Grader",
           "GradingPolicy",
           "Number",
           "Verdict",
           "check_sheet",
           "check_text",
           "diagnose",
           "grade_files",
           "parse_claims",
           "parse_number",
           "parse_shape",
           "value_of",
]
