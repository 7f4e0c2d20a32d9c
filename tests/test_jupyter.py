"""Objects display themselves in Jupyter: a notebook executed in a real kernel (nbclient, ipykernel)
shows a table, a network, a proof, a what-if and a graded sheet rendered (HTML, with Markdown where it
helps), and their text form is one short line, never a dataclass dump."""

from __future__ import annotations

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

CELLS = {
    "table": 'symcnn.table("vgg16")',
    "network": 'symcnn.load("lenet5")',
    "proof": 'symcnn.prove("same-padding")',
    "whatif": 'whatif("alexnet", resolution="R")',
    "sheet": 'check_sheet("AlexNet\\nconv1 params: 11*11*3*96 + 96 = 34,944\\n", "a.txt")',
}


def test_a_real_kernel_displays_every_object():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import symcnn\nfrom symcnn.whatif import whatif\n"
                                          "from symcnn.grading import check_sheet")]
    nb.cells += [nbformat.v4.new_code_cell(code) for code in CELLS.values()]
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=False)
    client.execute()
    for (name, _), cell in zip(CELLS.items(), nb.cells[1:]):
        (out,) = [o for o in cell.outputs if o.output_type == "execute_result"]
        data = out["data"]
        assert "text/html" in data, name
        assert len(data["text/plain"]) < 200 and data["text/plain"].startswith("<"), (name, data["text/plain"][:80])
    html = {name: cell.outputs[0]["data"]["text/html"] for name, cell in zip(CELLS, nb.cells[1:])}
    assert "<table" in html["table"] and "138,357,544" in html["table"]
    assert "<table" in html["network"]
    assert "<math" in html["proof"]
    assert "valid for R &gt;= 67" in html["whatif"]
    assert "34,944" in html["sheet"]
