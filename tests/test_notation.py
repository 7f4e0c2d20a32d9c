"""One notation, typeset (issue 17): every document symcnn renders is read
as its reader sees it (the HTML with its math, code and figures taken out),
and fails on Python left in the words; each document has one notation
table, listing exactly the symbols its formulas use; notes stand at their
step; no table is empty; no numbered proof step is wordless or says x = x.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import pytest
import sympy as sp

import symcnn
from symcnn import keys
from symcnn.keys import DataTable, Document, Worked
from symcnn.keys.notation import meaning, notation_table, symbols_of
from symcnn.proof.builder import Builder
from symcnn.proof.model import ProofError
from symcnn.render import render
from symcnn.render.check import document as graded_document
from symcnn.theorems import slugs
from symcnn.worked import solve
from symcnn.zoo import names

#: networks whose keys between them use every layer kind of the zoo's classic and modern families, a network
#: with a symbol of its own, and one whose windows do not tile
KEYED = ["lenet5", "alexnet-224", "googlenet", "resnet18", "mobilenet-v2", "convnext-tiny", "vit-b-16",
         "examples/mynet.cnn"]

#: Python in words: operators, calls, identifiers with underscores in the notation's style (r_N, C_in, fan_out,
#: v_0), LaTeX that leaked, carets
PROGRAMMER = [
    (re.compile(r"\*\*"), "a Python power"),
    (re.compile(r"(?<=\w)\s?\*\s?(?=\w)"), "a '*' between factors"),
    (re.compile(r">=|<=|!="), "a Python comparison"),
    (re.compile(r"\bsqrt\("), "sqrt("),
    (re.compile(r"_\{|\\[a-z]+\{"), "raw LaTeX"),
    (re.compile(r"\b[A-Za-z]_[A-Za-z0-9]+\b"), "an identifier such as r_N"),
    (re.compile(r"\b[A-Za-z]+_(?:in|out)\b"), "an identifier such as fan_in"),
    (re.compile(r"\w\^\w"), "a caret power"),
    (re.compile(r"\bbeta\d|\btheta_|\beta_"), "a Greek letter spelled out"),
]


def reader_text(page: str) -> str:
    """What a reader sees as words: the HTML without its math, code, figures and styles."""
    page = re.sub(r"(?is)<(math|code|style|script|svg|pre|title)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return html.unescape(page)


def programmer_notation(page: str) -> list[str]:
    found = []
    for line in reader_text(page).splitlines():
        for pattern, what in PROGRAMMER:
            for m in pattern.finditer(line):
                found.append(f"{what}: ...{line[max(0, m.start() - 40):m.end() + 20].strip()}...")
    return found


def test_the_scan_finds_python_in_words():
    """The scan itself refuses what it is for (a checker shown to fail)."""
    for bad in ("D1*F**2 weights", "r_N = N*F - N + 1", "theta_t = theta_(t-1) - eta*v_t", "sqrt(G_t)",
                "r_{n+1} - r_n", "tanh^2", "N >= 1", "Var(W) = 2/fan_in", "constant beta1"):
        assert programmer_notation(f"<p>{bad}</p>"), bad
    for fine in ("<p>The field grows by <math><mi>K</mi></math> less one.</p>", "<p><code>r_N**2</code></p>",
                 "<p>3 x 224 x 224 input; conv1, pool1 and fc8</p>"):
        assert not programmer_notation(fine), fine


@cache
def _document(name: str) -> Document:
    return keys.network_key(symcnn.table(name))


@cache
def _problems() -> Document:
    return keys.problems_document()


def _documents():
    yield "problems", _problems()
    for name in KEYED:
        yield name, _document(name)


@pytest.mark.parametrize("name", ["problems", *KEYED])
def test_no_programmer_notation_in_any_key(name):
    doc = _problems() if name == "problems" else _document(name)
    assert programmer_notation(render(doc, "html")) == []


@pytest.mark.parametrize("slug", slugs())
def test_no_programmer_notation_in_any_proof(slug):
    assert programmer_notation(render(symcnn.prove(slug), "html")) == []


def test_no_programmer_notation_in_a_graded_sheet():
    from symcnn.grading import check_sheet

    sheet = Path(__file__).parent / "sheets" / "alexnet_tabs.txt"  # a sheet with an arithmetic slip in its working
    graded = check_sheet(sheet.read_text(), str(sheet))
    page = render(graded, "html")
    assert programmer_notation(page) == []
    # its worked wrong claims come with the document's one notation table
    doc = graded_document(graded)
    assert len(_notation_tables(doc)) == 1


def _words_in_math(page: str) -> list[str]:
    """Runs of three or more one-letter identifiers in a row: a word set as a product (Cin as C i n)."""
    runs = []
    for m in re.finditer(r"(?:<mi>[A-Za-z]</mi>){3,}", page):
        runs.append(re.sub(r"</?mi>", "", m.group(0)))
    return runs


def test_no_word_is_set_as_a_product_of_letters():
    assert _words_in_math('<math><mi>C</mi><mi>i</mi><mi>n</mi></math>') == ["Cin"]  # the check can fail
    for _name, doc in _documents():
        assert _words_in_math(render(doc, "html")) == []
    for slug in slugs():
        assert _words_in_math(render(symcnn.prove(slug), "html")) == [], slug


# -- one notation table ---------------------------------------------------------------------------------------------

def _notation_tables(doc: Document) -> list[DataTable]:
    return [b for b in doc.blocks if isinstance(b, DataTable) and b.caption == "Notation"]


@pytest.mark.parametrize("name", ["problems", "lenet5", "examples/mynet.cnn", "vit-b-16"])
def test_one_notation_table_listing_exactly_the_symbols_used(name):
    doc = _problems() if name == "problems" else _document(name)
    tables = _notation_tables(doc)
    assert len(tables) == 1
    listed = {row[0].first.name for row in tables[0].rows}
    # every symbol of every worked formula and every symbolic figure, read off the blocks independently
    used = set()
    for b in doc.blocks:
        if isinstance(b, Worked):
            for line in b.solution.lines:
                for e in (line.formula, line.result):
                    if e is not None:
                        used |= {s.name for s in sp.sympify(e).free_symbols}
    assert listed == used - {"weights", "biases"}
    # and the table stands before the first worked layer
    blocks = list(doc.blocks)
    first_worked = next(i for i, b in enumerate(blocks) if isinstance(b, Worked))
    assert blocks.index(tables[0]) < first_worked


def test_every_symbol_of_every_zoo_key_has_a_meaning():
    for name in names():
        used, _network = symbols_of(Worked(s) for s in solve(symcnn.table(name)))
        missing = [s for s in used if meaning(s) is None]
        assert missing == [], (name, missing)


def test_every_symbol_a_layer_kind_can_put_in_a_formula_has_a_meaning():
    """A worked formula's symbols are a kind's input names and its fields' letters (per axis for a pair):
    every kind of the registry, including those no zoo network uses, is covered."""
    from symcnn.layers import KINDS

    for kind in KINDS.values():
        names = set(kind.inputs) | {"C_out", "H_out", "W_out"}
        for p in kind.params:
            if p.symbol and not p.declared:
                names |= {p.symbol} | ({f"{p.symbol}_h", f"{p.symbol}_w"} if p.kind == "pair" else set())
        assert [n for n in sorted(names) if meaning(n) is None] == [], kind.name


def test_a_symbol_without_a_meaning_is_refused_not_skipped():
    net = symcnn.loads("input 3 32 32\nconv 8 k=3")
    sol = solve(symcnn.derive(net))[0]
    line = sol.lines[0]
    odd = type(line)(line.quantity, line.lhs, sp.Symbol("Zeta_q"), line.substituted, line.result, True)
    bad = type(sol)(sol.row, (odd,), sol.spec, sol.summary)
    with pytest.raises(LookupError, match="Zeta_q"):
        notation_table([Worked(bad)])


def test_p1_uses_the_notation_of_the_table_and_k_only_for_the_kernel():
    doc = _problems()
    worked = next(b for b in doc.blocks if isinstance(b, Worked))
    assert worked.solution.row.output.c == sp.Symbol("C_out", integer=True, positive=True)
    k = sp.Symbol("K", integer=True, positive=True)
    weights = worked.solution.line("weights")
    assert weights.result == k ** 2 * sp.Symbol("C_in", integer=True, positive=True) * worked.solution.row.output.c
    table = _notation_tables(doc)[0]
    kernel = [row[1] for row in table.rows if row[0].first.name == "K"]
    assert len(kernel) == 1 and kernel[0].startswith("kernel size")


# -- notes, tables, proof steps -------------------------------------------------------------------------------------

def test_a_note_stands_at_its_step():
    doc = _document("alexnet-224")
    conv1 = next(b.solution for b in doc.blocks if isinstance(b, Worked) and b.solution.row.name == "conv1")
    height = conv1.line("output height")
    assert "54.25" in height.note and "floored to 54" in height.note
    assert not conv1.line("weights").note
    page = render(doc, "html")
    # in the page: after conv1's height, before its width
    at = page.index("54.25")
    assert page.rfind("output height", 0, at) > page.rfind("output width", 0, at)
    latex = render(doc, "latex")
    block = latex[latex.index("\\paragraph{conv1}"):latex.index("\\paragraph{pool1}")]
    assert block.index("\\intertext") < block.index("output width")
    # the quotient is typeset, not printed as Python
    assert "2*0" not in reader_text(page)


def test_no_table_is_empty():
    for name, doc in _documents():
        for b in doc.blocks:
            if isinstance(b, DataTable):
                assert b.rows, (name, b.caption)


@pytest.mark.parametrize("slug", slugs())
def test_every_proof_step_has_words_and_none_says_x_equals_x(slug):
    proof = symcnn.prove(slug)
    for number, step in enumerate(proof.steps, 1):
        assert step.text or step.label, (slug, number)
        previous = step.first
        for link in step.links:
            assert not (link.relation == "=" and link.expr == previous), (slug, number, link.expr)
            previous = link.expr


def test_a_wordless_step_is_refused():
    x = sp.Symbol("x", positive=True)
    b = Builder("demo", "A demo", "$x + x$ is $2*x$", symbols={"x": x}, hypotheses=["x > 0"])
    b.state("x + x", "=", "2*x")
    b.chain("", "x + x", ("=", "2*x", "collect"))
    with pytest.raises(ProofError, match="step 1 has no words"):
        b.done()
