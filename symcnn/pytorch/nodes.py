"""PyTorch -> symcnn, node by node: what one node of a traced graph is (its recorded shape, whether it only reads
a shape), and the layer kind that reads a module or a call (``LayerKind.torch``), or a one-line refusal naming it."""

from __future__ import annotations

import operator

from ..errors import SymcnnError
from ..layers import KINDS
from ..layers.base import NOT_MINE
from .common import first_line, torch_module


def _shape(node):
    """The tensor shape ShapeProp recorded for a node (None for non-tensors)."""
    meta = node.meta.get("tensor_meta")
    shape = getattr(meta, "shape", None)
    return None if shape is None else tuple(int(v) for v in shape)


def _given_shape(node):
    """The shape of what a call gives: its tensor's, or, where it gives a tensor with sizes beside it ('return x,
    feat_size': MViTv2's attention), the one tensor taken out of it (every use a getitem, one of them a tensor)."""
    shape = _shape(node)
    if shape is not None:
        return shape
    taken = [u for u in node.users if _shape(u) is not None]
    if len(taken) == 1 and all(u.op == "call_function" and getattr(u.target, "__name__", "") == "getitem"
                               for u in node.users):
        return _shape(taken[0])
    return None


def _operand_text(a) -> str:
    if hasattr(a, "op"):
        if a.op == "get_attr":
            return f"the tensor {a.target!r} (read directly: a parameter or buffer no layer owns)"
        return f"{a.name!r}"
    return repr(a)



_BY_MODULE: dict = {}
_BY_CALL: dict = {}


def _dispatch():
    """torch.nn class names and calls -> the kinds that read them (built once).  Several kinds
    may read one call (``operator.getitem``, ``torch.cat``): each is asked in turn, and one that
    answers ``NOT_MINE`` passes it on."""
    if _BY_MODULE or _BY_CALL:
        return _BY_MODULE, _BY_CALL
    torch = torch_module()
    spaces = {"torch": torch, "F": torch.nn.functional, "operator": operator}
    for k in sorted(KINDS.values(), key=lambda k: k.order):
        for cls in k.torch.modules if k.torch.reads_modules else ():
            _BY_MODULE[cls] = k
        for call in k.torch.calls if k.torch.reads_calls else ():
            space, _, name = call.partition(".")
            if space == "Tensor":
                key = ("method", name)
            elif space not in spaces:
                key = ("qualified", call)  # a library function (torchvision's): known by its full name
            elif hasattr(spaces[space], name):
                key = ("function", id(getattr(spaces[space], name)))
            else:
                continue
            _BY_CALL.setdefault(key, []).append(k)
    return _BY_MODULE, _BY_CALL


def _call_key(node) -> tuple:
    if node.op == "call_method":
        return ("method", node.target)
    _, by_call = _dispatch()
    key = ("function", id(node.target))
    if key in by_call:
        return key
    target = node.target
    return ("qualified", f"{getattr(target, '__module__', '')}.{getattr(target, '__qualname__', '')}")


_ARITHMETIC = {"add", "add_", "mul", "mul_", "sub", "sub_", "div", "div_", "truediv", "iadd", "imul", "isub",
               "itruediv"}


def _refuse_call(node):
    name = node.target if node.op == "call_method" else getattr(node.target, "__name__", str(node.target))
    if name in _ARITHMETIC:
        consts = [a for a in node.args if not hasattr(a, "op") or a.op == "get_attr"] or list(node.args[1:])
        what = f"x.{name}()" if node.op == "call_method" else name
        raise SymcnnError(f"graph node {node.name!r}: {what} with "
                          f"{', '.join(_operand_text(a) for a in consts) or 'no other tensor'}: symcnn has no layer "
                          "kind for elementwise arithmetic with a constant or an unowned tensor")
    _, by_call = _dispatch()
    readers = by_call.get(_call_key(node))
    if readers:
        shapes = [_shape(a) for a in node.args if hasattr(a, "op")]
        seen = f" ({' and '.join(_dims(s) for s in shapes if s)} -> {_dims(_shape(node))})" if any(shapes) else ""
        raise SymcnnError(f"graph node {node.name!r}: {name}{seen} is not read by any layer kind (tried: "
                          f"{', '.join(k.name for k in readers)})")
    what = "method" if node.op == "call_method" else "function"
    raise SymcnnError(f"graph node {node.name!r}: unsupported {what} {name!r}: symcnn has no layer kind for it")


def _dims(shape) -> str:
    return "?" if shape is None else "[" + ", ".join(map(str, shape)) + "]"


#: what a kind's reader may raise on a call or module it did not expect (an argument computed in the graph where it
#: wants a number): a one-line refusal naming the node, never a traceback
_READER_SLIPS = (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError)


def _read_module(name: str, m, shape_in, shape_out):
    """(kind, args) for a torch module, or None for a pass-through."""
    by_module, _ = _dispatch()
    for cls in type(m).__mro__:
        k = by_module.get(cls.__name__) if cls.__module__.startswith("torch.nn") else None
        k = k or by_module.get(f"{cls.__module__}.{cls.__qualname__}")
        if k is not None and k.torch.from_module is not None:
            try:
                args = k.torch.from_module(m, shape_in, shape_out)
            except SymcnnError as exc:
                raise SymcnnError(f"module {name!r}: {exc.message}") from None
            except _READER_SLIPS as exc:  # a module the kind's reader did not expect: refused, never a traceback
                raise SymcnnError(f"module {name!r}: the {k.name} reader cannot read it ({first_line(exc)})") from None
            if args is NOT_MINE:
                continue  # another kind reads it: a base class may be known
            return None if args is None else (k, args)
    raise SymcnnError(f"unsupported module {name!r} ({type(m).__name__}): symcnn has no layer kind for it")


def _read_call(node, shape_in, shape_out):
    """(kind, args) for a traced function or method call, or None for a no-op."""
    _, by_call = _dispatch()
    kinds = by_call.get(_call_key(node))
    if not kinds:
        _refuse_call(node)
    for k in kinds:
        if k.torch.from_call is None:
            continue
        try:
            args = k.torch.from_call(node, shape_in, shape_out)
        except SymcnnError as exc:
            raise SymcnnError(exc.message if exc.message.startswith("graph node") else
                              f"graph node {node.name!r}: {exc.message}") from None
        except _READER_SLIPS as exc:
            raise SymcnnError(f"graph node {node.name!r}: the {k.name} reader cannot read it "
                              f"({first_line(exc)})") from None
        if args is not NOT_MINE:
            return None if args is None else (k, args)
    _refuse_call(node)
    return None


_META_METHODS = ("size", "dim", "numel")
_META_ATTRS = ("shape", "ndim", "dtype", "device")


def _is_meta(u) -> bool:
    """A use that reads only a tensor's shape, never its values."""
    if u.op == "call_method" and u.target in _META_METHODS:
        return True
    if "symcnn_sizes" in u.meta and u.op == "call_function" and getattr(u.target, "__name__", "") == "getitem":
        return True  # sizes taken out of what a call gave ('x, feat_size = attn(x, feat_size)'): numbers only
    return u.op == "call_function" and u.target is getattr and len(u.args) > 1 and u.args[1] in _META_ATTRS


def _is_dead(u) -> bool:
    """A call whose result is nothing and is never used: the discarded second element of
    ``out, _ = attention(x, x, x)`` (its attention weights: None when not asked for, or an empty
    tensor from the fused kernel)."""
    if u.users or u.op not in ("call_function", "call_method"):
        return False
    shape = _shape(u)
    return "tensor_meta" not in u.meta or (shape is not None and 0 in shape)


def _data_users(node):
    return [u for u in node.users if not _is_meta(u) and not _is_dead(u)]
