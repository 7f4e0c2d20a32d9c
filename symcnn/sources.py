"""Naming a network the way users do: a zoo name or a spec file, or a PyTorch
module (``MODULE_PATH:ATTR``), with its input shape overridden and values put in
for its symbols.  The command line calls this; so can anyone.

>>> net = network_from("examples/mynet.cnn", input="3,32,32", assignments=["C=16"])
>>> net.input
Shape(c=3, h=32, w=32)
>>> network_from("lenet5", assignments=["C=4", "C=8"])
Traceback (most recent call last):
...
symcnn.errors.SymcnnError: --set C is given twice (4 and 8)
"""

from __future__ import annotations

from pathlib import Path

from . import expr as E
from . import zoo
from .convention import Convention
from .derive import Table, derive
from .errors import SymcnnError
from .network import Network
from .spec import load_file
from .spec import loads as _loads


def parse_assignments(items, **kwargs) -> dict:
    """``NAME=VALUE`` items; a name given twice is an error, not "the last one wins"."""
    mapping: dict = {}
    for item in items:
        name, value = E.parse_assignment(item, **kwargs)
        if name in mapping:
            raise SymcnnError(f"--set {name} is given twice ({mapping[name]} and {value})")
        mapping[name] = value
    return mapping


def network_from(name: str | None = None, *, torch: str | None = None, input: str | None = None,
                 assignments=()) -> Network:
    """The network ``name`` (zoo or spec file) or ``torch`` (MODULE_PATH:ATTR) names, with the
    input shape ``input`` ("C,H,W") and ``assignments`` ("NAME=VALUE", may use other symbols)."""
    from .layers.base import Shape

    if torch:
        if name:
            raise SymcnnError("give a network or --torch MODULE_PATH:ATTR, not both")
        if not input:
            raise SymcnnError("--torch needs --input C,H,W")
        net = None
    elif not name:
        raise SymcnnError("name a network or spec file (or --torch MODULE_PATH:ATTR)")
    else:
        net = load(name)
    names = dict(net.symbols) if net is not None else {}

    def symbol(n):
        return names.setdefault(n, E.size_symbol(n))

    if input:
        parts = input.replace("x", ",").split(",") if "," in input or "x" in input else []
        if len(parts) != 3:
            raise SymcnnError(f"--input takes C,H,W (for example 3,224,224), got {input!r}")
        values = [E.parse(p, symbol=symbol, functions=False) for p in parts]
        for v in values:
            if v.is_positive is False or (v.is_number and not v.is_Integer):
                raise SymcnnError(f"--input values must be positive integers, got {v}")
        if net is None:
            if not torch:
                raise SymcnnError("name a network or spec file (or --torch MODULE_PATH:ATTR)")
            from .pytorch.load import build_module, find_module, time_limit
            from .pytorch.trace import from_torch

            with time_limit(f"--torch {torch}"):  # the user's code runs here: import, build, one pass
                found = find_module(torch)

                def read(shape):
                    try:  # built on the meta device: no weights initialised, shapes without arithmetic
                        return from_torch(build_module(found, torch, meta=True), shape)
                    except SymcnnError:  # a module that does not build or run there: built for real
                        return from_torch(build_module(found, torch), shape)

                if all(v.is_Integer for v in values):
                    net = read(tuple(int(v) for v in values))
                else:  # the height and width as symbols: read at a size, made symbolic, checked at another
                    from .pytorch.symbolic import from_torch_symbolic

                    net = from_torch_symbolic(read, tuple(values))
        else:
            net = net.with_input(Shape(*values))
    if net is None:
        raise SymcnnError("--torch needs --input C,H,W")
    if assignments:
        net = net.subs(parse_assignments(assignments, symbol=symbol))
    return net


def load(name_or_path: str | Path) -> Network:
    """A zoo network by name, or a spec file by path.

    A name that is an existing file is read as a spec; otherwise it is looked
    up in the zoo.
    """
    path = Path(name_or_path)
    try:
        is_file = path.is_file()
    except (OSError, ValueError):  # a name too long for a path, or with a NUL in it
        is_file = False
    if is_file or isinstance(name_or_path, Path) or path.suffix == ".cnn":
        return load_file(path)
    return zoo.load(str(name_or_path))


def loads(text: str, name: str | None = None) -> Network:
    """A network from spec text."""
    return _loads(text, filename=f"<{name or 'spec'}>", name=name)


def table(net: str | Path | Network, convention: Convention | None = None, values=None) -> Table:
    """Derive the table of a zoo network, a spec file or a :class:`Network`,
    optionally putting ``values`` in for its symbols."""
    network = net if isinstance(net, Network) else load(net)
    if values:
        network = network.subs(values)
    return derive(network, convention)
