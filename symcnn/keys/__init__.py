"""Answer keys as documents: a recipe of blocks that every printer reads.

document
    the block model (headings, paragraphs, worked layers, tables, proofs)
network_key
    the key of one network
problems
    the key of the problem set (P1 to P8)
"""

from .document import Bullets, Code, DataTable, Document, Heading, Para, ProofBlock, Worked
from .network_key import TOTAL_LABELS, network_blocks, network_key, summary_table, totals_table
from .problems import problems_document

__all__ = [
           "TOTAL_LABELS",
           "Bullets",
           "Code",
           "DataTable",
           "Document",
           "Heading",
           "Para",
           "ProofBlock",
           "Worked",
           "network_blocks",
           "network_key",
           "problems_document",
           "summary_table",
           "totals_table",
]
