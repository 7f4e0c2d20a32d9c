"""The answer key of the problem set (P1 to P8): each problem restated, its
networks' keys and the proofs of its theorems."""

from __future__ import annotations

import sympy as sp

from ..prose import Math, Note, Prose
from ..worked import solve
from .document import Bullets, DataTable, Document, Heading, Para, ProofBlock, Worked
from .network_key import network_blocks
from .notation import notation_table

#: P1's layer is derived with the notation's own names as its fields: they mean what the notation table says
P1_NAMES = ("C_in", "H_in", "W_in", "C_out", "K", "S", "P")


def _p1_blocks(convention) -> list:
    from ..derive import derive
    from ..sources import loads

    net = loads(f"input {' '.join(P1_NAMES[:3])}\nconv {P1_NAMES[3]} k=K s=S p=P", name="p1")
    t = derive(net, convention)
    row = t.rows[0]
    cin, hin, win, cout, kernel, stride, pad = (net.symbol(n) for n in ("C_in", "H_in", "W_in", "C_out", "K", "S",
                                                                         "P"))

    def m(*names: str) -> tuple:
        return tuple(Math(sp.Symbol(n)) for n in names)

    blocks = [Heading(1, "P1. The convolution layer"),
              Para(Prose(("A convolution layer takes a ", *m("W_1"), " by ", *m("H_1"), " by ", *m("D_1"),
                          " input and has ", *m("K"), " filters of extent ", *m("F"), ", stride ", *m("S"),
                          " and padding ", *m("P"), ". What are the output's ", *m("W_2"), ", ", *m("H_2"), " and ",
                          *m("D_2"), ", and how many weights does each filter have?"))),
              Para(Prose(("In this key's notation (the table at the top) the input is ", Math(win), " by ",
                          Math(hin), " by ", Math(cin), " (the problem's ", *m("W_1"), ", ", *m("H_1"), ", ",
                          *m("D_1"), "), there are ", Math(cout), " filters (the problem's ", *m("K"),
                          ") of size ", Math(kernel), " (the problem's ", *m("F"), "), and the output is ",
                          *m("W_out"), " by ", *m("H_out"), " by ", *m("C_out"), " (the problem's ", *m("W_2"), ", ",
                          *m("H_2"), ", ", *m("D_2"), "). symcnn's convolution formulas with every field a symbol:"))),
              Worked(solve(t)[0]),
              Bullets((Prose(("weights per filter: ", Math(sp.Symbol("weights") / cout,
                                                                  (("=", row.weights / row.output.c),)), "")),
                       Prose(("parameters: ", Math(sp.Symbol("params"), (("=", row.params),)),
                              " (the weights and one bias per filter)")),
                       Prose(("under exact division (the course convention) ",
                              Math((row.input.w - kernel + 2 * pad) / stride + 1),
                              " must be a whole number; otherwise the filter does not tile the input"))))]
    example = derive(net.subs({"C_in": 3, "H_in": 227, "W_in": 227, "C_out": 96, "K": 11, "S": 4, "P": 0}),
                     convention)
    blocks.append(Para("With numbers (AlexNet's first layer: 227 x 227 x 3, 96 filters of 11 x 11, stride 4, "
                       "no padding):"))
    blocks.append(Worked(solve(example)[0]))
    return blocks


def _zfnet_padding_table(convention) -> DataTable:
    """Which paddings reproduce the sizes of ZFNet's figure (110, 55, 26, 13, 6)."""
    from ..layers.common.window import window_out
    from ..sources import table as derive_table

    t = derive_table("zfnet", convention)
    figure = {"conv1": 110, "pool1": 55, "conv2": 26, "pool2": 13, "pool5": 6}
    rows = []
    for r in t.rows:
        w = r.derivation.window if r.derivation is not None else None
        if r.name not in figure or w is None:
            continue
        k = w.kh
        n = r.input.h
        floor_ok = [p for p in range(4) if _fits(n, k, p)
                    and window_out(n, k, w.sh, p, 1, False, "floor")[0] == figure[r.name]]
        ceil0 = window_out(n, k, w.sh, 0, 1, True, "floor")[0] if r.kind != "conv" else None
        rows.append((r.name, f"{n}", f"{k}", f"{w.sh}", f"{figure[r.name]}", ", ".join(map(str, floor_ok)) or "none",
                     "-" if ceil0 is None else ("yes" if ceil0 == figure[r.name] else f"no ({ceil0})"),
                     f"{w.ph}"))
    return DataTable("Paddings that reproduce ZFNet's sizes (floor division)",
                     ("layer", "input", "window", "stride", "figure", "paddings giving it", "ceil mode, P = 0",
                      "zoo uses"), tuple(rows), (False, True, True, True, True, False, False, True))


def _fits(n, k, p) -> bool:
    return n + 2 * p - k >= 0


def _tables(convention):
    from ..sources import table

    return lambda name: table(name, convention)


def _proofs(slugs) -> list:
    from ..theorems import prove

    return [ProofBlock(prove(slug)) for slug in slugs]


def _p2_blocks(convention) -> list:
    return [Heading(1, "P2. LeNet-5"),
            Para("A 1 x 32 x 32 input; conv 6 @ 5x5, pool 2x2 stride 2, conv 16 @ 5x5, pool 2x2 stride 2, then "
                 "fully connected 400 -> 120 -> 84 -> 10. Give the parameters per layer and in total."),
            *network_blocks(_tables(convention)("lenet5"), level=2, standalone=False)]


def _p3_blocks(convention) -> list:
    from ..errors import DerivationError

    table = _tables(convention)
    blocks = [Heading(1, "P3. AlexNet"),
              Para("(a) The single-tower network on 227 x 227 x 3: per layer the output size, weights, biases "
                   "and parameters, and the totals."),
              *network_blocks(table("alexnet"), level=2, standalone=False),
              Para("(b) The same network on the 224 x 224 input the paper states: where does the arithmetic stop "
                   "being integral?")]
    t224 = table("alexnet-224")
    first = t224.notes[0] if t224.notes else None
    if first is None:
        blocks.append(Para("Nowhere: every size is a whole number."))
    else:
        said = first.prose if isinstance(first, Note) else Prose((first,))
        blocks.append(Para(Prose(("It stops at the first layer, ", *said.parts,
                                  ". Every later size inherits the floor."))))
    try:
        _tables(convention.replace(division="exact"))("alexnet-224")
        blocks.append(Para("Under exact division the network derives without error."))
    except DerivationError as exc:
        where = f" at {exc.layer}" if exc.layer else ""
        blocks.append(Para(f"Under exact division (the course convention) symcnn refuses the network{where}: the "
                           "same quotient is not a whole number, so the window does not tile the input."))
    blocks += network_blocks(t224, level=2, standalone=False)
    blocks.append(Para("(c) The variant framework model zoos ship (torchvision): 64, 192, 384, 256, 256 channels and "
                       "an adaptive average pool to 6 x 6."))
    blocks += network_blocks(table("alexnet-torchvision"), level=2, standalone=False)
    return blocks


def _p4_blocks(convention) -> list:
    return [Heading(1, "P4. ZFNet"),
            Para("224 x 224 x 3 input; conv1 96 @ 7x7 stride 2, max pool 3x3 stride 2, conv2 256 @ 5x5 stride 2, "
                 "max pool, three 3x3 convolutions with padding 1, max pool, three fully connected layers. "
                 "Which paddings reproduce the figure's sizes 110 -> 55 -> 26 -> 13 -> 6?"),
            _zfnet_padding_table(convention),
            *network_blocks(_tables(convention)("zfnet"), level=2, standalone=False)]


def _p5_blocks(convention) -> list:
    blocks = [Heading(1, "P5. VGG-16 and VGG-19"),
              Para("224 x 224 x 3 input, 3x3 convolutions with stride 1 and padding 1, 2x2 max pools with "
                   "stride 2; for every layer the activations (memory) and parameters; the totals: "
                   "activations, bytes per image forward and forward + backward, parameters with and "
                   "without biases.")]
    for name in ("vgg16", "vgg19"):
        blocks += network_blocks(_tables(convention)(name), level=2, standalone=False)
    return blocks


def _p6_blocks(convention) -> list:
    return [Heading(1, "P6. Receptive field of stacked convolutions"),
            Para("(a) N stacked F x F stride-1 convolutions see as far as one (NF - N + 1) x (NF - N + 1) "
                 "convolution; (b) without padding they shorten a length L to L - NF + N; (c) three 5 x 5 "
                 "layers; (d) the general case with strides; (e) parameters of the stack against the "
                 "single filter."),
            *_proofs(("receptive-field", "output-length", "receptive-field-strided", "stacked-vs-single-params"))]


def _p7_blocks(convention) -> list:
    blocks = [Heading(1, "P7. The Inception module"),
              Para("Input 32 x 32 x 256, every branch keeping 32 x 32. (a) The output size of the naive module and "
                   "of the module with dimension reduction; (b) their multiply-adds (convolutions only); "
                   "(c) their parameters; (d) the cost ratio as a function of the channel counts, its value "
                   "and the saving.")]
    for name in ("inception-naive", "inception-reduced"):
        blocks += network_blocks(_tables(convention)(name), level=2, standalone=False)
    from .figures import branch_chart

    naive, reduced = _tables(convention)("inception-naive"), _tables(convention)("inception-reduced")
    blocks += [Heading(2, "The two modules, branch by branch"), branch_chart(naive, reduced, "macs"),
               branch_chart(naive, reduced, "params")]
    return blocks + _proofs(("inception-cost",))


def _p8_blocks(convention) -> list:
    v_w, n_in, n_out = sp.symbols("V_w n_in n_out", positive=True)
    return [Heading(1, "P8. Symbolic parts of training theory"),
            Para(Prose(("The derivatives of tanh, sigmoid, ReLU and leaky ReLU; the variance conditions that give "
                        "Xavier (", Math(v_w, (("=", 2 / (n_in + n_out)),)), ") and He (",
                        Math(v_w, (("=", 2 / n_in),)), ") initialisation, for a layer with ", Math(n_in),
                        " inputs and ", Math(n_out), " outputs per unit; Adam's bias correction; and the update "
                        "rules of SGD with momentum, Adagrad, Adadelta, RMSProp, Adam and NAdam, step by step."))),
            *_proofs(("activation-derivatives", "xavier-variance", "he-variance", "adam-bias-correction",
                      "optimizer-rules"))]


def problems_document(convention=None) -> Document:
    """The answer key of the whole problem set, one part per problem."""
    from ..convention import DEFAULT

    convention = convention or DEFAULT
    blocks: list = [Para("The problems are those of the course's problem set (P1 to P8), restated; every figure "
                         "below is derived by symcnn from its formulas, and each proof ends with what its checkers "
                         "(sympy and the Z3 SMT solver) confirmed."),
                    Para("Conventions used throughout:"), Bullets(tuple(convention.describe()))]
    parts: list = []
    for part in (_p1_blocks, _p2_blocks, _p3_blocks, _p4_blocks, _p5_blocks, _p6_blocks, _p7_blocks, _p8_blocks):
        parts += part(convention)
    # one notation table for the whole document, read off every worked formula in it
    notation = notation_table(parts, as_notation=frozenset(P1_NAMES))
    if notation is not None:
        blocks += [Para("The worked formulas use the symbols below throughout; the theorems of P6 to P8 "
                        "introduce their own symbols in their statements."), notation]
    blocks += parts
    return Document("Answer key: the CNN arithmetic problem set (P1 to P8)", tuple(blocks), "problems")
