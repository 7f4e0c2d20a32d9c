"""Counting conventions, as one frozen object.

Every table, answer key and proof states the convention it used; nothing in
symcnn counts anything under an unstated rule.

>>> c = Convention()
>>> c.flops_per_mac, c.division, c.bytes_per_element
(2, 'floor', 4)
>>> Convention(flops_per_mac=1).describe()[0]
'FLOPs = 1 x MACs (FLOPs reported as multiply-adds)'
>>> Convention(division="round")
Traceback (most recent call last):
...
symcnn.errors.SymcnnError: division must be 'floor' or 'exact', not 'round'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from .errors import SymcnnError

DIVISIONS = ("floor", "exact", "ceil")  # "ceil" only diagnoses a slip; the CLI does not offer it


@dataclass(frozen=True)
class Convention:
    """How symcnn counts.

    flops_per_mac
        FLOPs per multiply-add: 2 (a multiply and an add, the default) or 1
        (report FLOPs equal to MACs, as torchvision's and fvcore's "GFLOPS" do).
    bias_flops
        Count the bias additions of conv and linear layers as FLOPs.
    other_ops
        Count the operations of pooling, normalisation, activation and
        residual-add layers as FLOPs (one per window element or per element).
        MACs never include them: MACs are the multiply-adds of conv and linear.
    division
        ``floor``: output sizes are floor((W + 2P - D(K-1) - 1)/S) + 1, as the
        frameworks compute them; a non-integral quotient is floored *and noted*.
        ``exact``: (W + 2P - D(K-1) - 1)/S + 1 must be an integer, as courses
        expect; otherwise it is an error naming the layer.
    bytes_per_element
        Size of one activation element (4 for float32).
    count_inplace
        Count the outputs of layers that can run in place (ReLU and other
        elementwise activations, dropout, flatten) in the activation total.
        By default they are not counted: they do not allocate new memory.
    """

    flops_per_mac: int = 2
    bias_flops: bool = False
    other_ops: bool = False
    division: str = "floor"
    bytes_per_element: int = 4
    count_inplace: bool = False

    def __post_init__(self):
        if self.division not in DIVISIONS:
            raise SymcnnError(f"division must be 'floor' or 'exact', not {self.division!r}")
        if self.flops_per_mac not in (1, 2):
            raise SymcnnError(f"flops_per_mac must be 1 or 2, not {self.flops_per_mac!r}")
        if not isinstance(self.bytes_per_element, int) or self.bytes_per_element <= 0:
            raise SymcnnError(f"bytes_per_element must be a positive integer, not {self.bytes_per_element!r}")

    def replace(self, **changes) -> Convention:
        return replace(self, **changes)

    def as_dict(self) -> dict:
        return asdict(self)

    def describe(self) -> list[str]:
        """One sentence per setting, for the header of every output."""
        if self.flops_per_mac == 2:
            flops = "FLOPs = 2 x MACs (a multiply and an add)"
        else:
            flops = "FLOPs = 1 x MACs (FLOPs reported as multiply-adds)"
        return [
            flops,
            "bias additions " + ("counted" if self.bias_flops else "not counted") + " in FLOPs",
            "pooling, normalisation, activation and add operations "
            + ("counted" if self.other_ops else "not counted") + " in FLOPs; MACs are conv and linear multiply-adds",
            "division: " + {"floor": "floor (framework behaviour; non-integral quotients are floored and noted)",
                            "exact": "exact (course behaviour; a window that does not tile is an error)",
                            "ceil": "ceil (rounding up: not a framework behaviour, used to diagnose that slip)",
                            }[self.division],
            "activations: the input plus every layer's output"
            + ("" if self.count_inplace else ", except layers that run in place (ReLU, dropout, flatten)"),
            f"bytes: {self.bytes_per_element} per element; forward+backward = 2 x forward",
        ]


DEFAULT = Convention()
