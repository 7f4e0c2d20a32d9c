"""PyTorch -> symcnn, the trace: torch.fx's graph of a module in eval mode (the meta tracer where forward branches
on shapes; modules no tracer follows kept whole), and every node's shape and the dispatcher's multiply-adds recorded
on one pass."""

from __future__ import annotations

import contextlib
import io
import re

from ..errors import SymcnnError
from .common import first_line, flop_counter, torch_module
from .nodes import _dispatch


def _tracer(meta: bool = False, opaque: frozenset = frozenset()):
    """torch.fx's tracer, with the library modules a kind reads by qualified name (MaxViT's
    attention and window partitions) kept whole, as torch.nn's modules are.  ``meta``: torch.fx's MetaTracer,
    which carries a meta tensor beside each traced value, so that Python control flow on shapes (``if H % 2:``)
    takes the branch this input's shape takes."""
    torch = torch_module()
    by_module, _ = _dispatch()
    qualified = {name for name in by_module if "." in name}
    if meta:
        from torch.fx.experimental.meta_tracer import MetaTracer as base
    else:
        base = torch.fx.Tracer

    class Tracer(base):
        def is_leaf_module(self, m, qualname):
            cls = type(m)
            return f"{cls.__module__}.{cls.__qualname__}" in qualified or super().is_leaf_module(m, qualname) or \
                _a_read_layer_restyled(m, by_module) or qualname in opaque

        if meta:
            def proxy(self, node):
                return _meta_proxy_class()(node, self)

            def create_proxy(self, kind, target, args, kwargs, *rest, **kw):
                if kind != "call_module":
                    return super().create_proxy(kind, target, args, kwargs, *rest, **kw)
                # a module kept whole runs its forward on meta tensors for its output's shape: as plain Python,
                # the tracer's hooks off, or its submodules' calls are recorded on the graph with meta constants
                # for arguments (CrossViT's and NaFlexViT's attention, a library layer with modules inside)
                with _untraced():
                    rv = super().create_proxy(kind, target, args, kwargs, *rest, **kw)
                    if getattr(rv, "_tensor_meta", None) is None:
                        _module_meta(self, rv, target, args, kwargs)
                return rv

    return Tracer()


def _untraced():
    """A context in which torch.fx's patches (a module's call, its attributes) are off: code run inside it is
    plain Python, recorded nowhere.  torch.fx has no public way to say so; without its private one, no change."""
    import contextlib

    import torch.fx._symbolic_trace as st

    revert = getattr(st, "_maybe_revert_all_patches", None)
    return revert() if revert is not None else contextlib.nullcontext()


_META_PROXY: list = []


def _meta_proxy_class():
    """torch.fx's MetaProxy, with ``x.size(0)`` the first size (its own reads ``size(0)`` as ``size()``: ``if dim``)."""
    if not _META_PROXY:
        from torch.fx.experimental.meta_tracer import MetaProxy

        class Proxy(MetaProxy):
            def size(self, dim=None):
                meta = getattr(self, "_tensor_meta", None)
                if meta is not None:
                    return meta.size() if dim is None else meta.size(dim)
                return self.tracer.create_proxy("call_method", "size", (self,) if dim is None else (self, dim), {})

        _META_PROXY.append(Proxy)
        _teach_einops(Proxy)
    return _META_PROXY[0]


def _teach_einops(proxy_class) -> None:
    """einops (``rearrange``, ``repeat``, ``reduce`` and its layers, as many models written outside libraries use
    them) picks its backend by the tensor's type, and torch.fx's values are no tensors: where einops is installed,
    the meta trace's values get torch's backend with their shapes read off the meta tensor beside them, so that
    einops records its own reshape, permute, expand and reduction as graph nodes, read like any others.  A value
    with no meta tensor has no shape to give: einops fails there, and the module is kept whole as before."""
    import sys

    if "einops" not in sys.modules:
        try:
            import einops  # noqa: F401
        except ImportError:
            return
    try:
        from einops import _backends
    except ImportError:
        return
    base = getattr(_backends, "TorchBackend", None)
    table = getattr(_backends, "_type2backend", None)
    if base is None or not isinstance(table, dict):
        return  # an einops this does not know: its failure on the tracer's values keeps the module whole

    class TracedBackend(base):  # type: ignore[valid-type,misc]
        framework_name = "symcnn_traced_torch"  # not a module: get_backend never finds it by itself

        def is_appropriate_type(self, tensor):
            return isinstance(tensor, proxy_class)

        def shape(self, x):
            meta = getattr(x, "_tensor_meta", None)
            if meta is None:
                raise TypeError("a traced value with no shape")
            return tuple(int(v) for v in meta.shape)

    table[proxy_class] = TracedBackend()


def _module_meta(tracer, proxy, target, args, kwargs) -> None:
    """The meta output of a module kept whole that torch.fx's MetaTracer could not run on meta tensors (a batch
    norm: its buffers are on the CPU): the module moved to the meta device (a copy, kept per module) run instead,
    so that the shapes after it stay known while tracing."""
    import copy

    from torch.fx.experimental.meta_tracer import proxys_to_metas

    torch = torch_module()
    copies = tracer.__dict__.setdefault("_symcnn_meta_copies", {})
    tracer._disable_module_getattr = True  # the tracer's hook on module attributes, off while the copy runs
    try:
        if target not in copies:
            copies[target] = copy.deepcopy(tracer.root.get_submodule(target)).to("meta")
        metas = torch.fx.node.map_aggregate(args, proxys_to_metas)
        kw_metas = torch.fx.node.map_aggregate(kwargs, proxys_to_metas)
        proxy.install_tensor_meta(copies[target].forward(*metas, **kw_metas))  # not __call__: the tracer hooks it
    except Exception:  # the shapes come from the real pass; only this trace's branches need them
        pass
    finally:
        tracer._disable_module_getattr = False


def _a_read_layer_restyled(m, by_module) -> bool:
    """A subclass of a torch.nn layer a kind reads that holds nothing more than its base's parameters (timm's
    StdConv2d: an nn.Conv2d that standardises its weight before the same convolution): read as its base, kept
    whole. Whatever its forward does differently, the table is still held to the module's own parameters, the
    traced output shape and the dispatcher's multiply-adds, and refused on any difference."""
    cls = type(m)
    if cls.__module__.startswith("torch.") or any(True for _ in m.children()):
        return False
    if cls.__name__.endswith("Same"):
        return False  # TensorFlow's 'same' padding (timm's Conv2dSame, MaxPool2dSame): a pad sized from the input first
        # (traced through, so the pad and the layer after it are read as they run)
    base = next((c for c in cls.__mro__[1:] if c.__module__.startswith("torch.nn") and c.__name__ in by_module),
                None)
    if base is None:
        return False
    own = {name for name, _ in m.named_parameters(recurse=False)}
    return own <= {"weight", "bias"}


def _eval_mode(module):
    """Put a module in eval mode; return a function that restores every submodule's flag."""
    flags = [(m, m.training) for m in module.modules()]
    module.eval()

    def restore():
        for m, flag in flags:
            m.training = flag

    return restore


def _optional_args(module) -> dict:
    """forward's arguments after the input that have defaults (``attn_mask=None``, ``is_causal=False``): traced at
    their defaults, as the model runs on an image alone."""
    import inspect

    try:
        params = list(inspect.signature(module.forward).parameters.values())
    except (TypeError, ValueError):
        return {}
    return {p.name: p.default for p in params[1:] if p.default is not inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def _in_place(node) -> bool:
    """A call that changes its first argument in place ('x.add_(pos)', 'torch.relu_(x)')."""
    if node.op == "call_method":
        name = node.target
    elif node.op == "call_function" and \
            getattr(node.target, "__module__", None) in ("torch", "torch._C._VariableFunctions"):
        name = getattr(node.target, "__name__", "")
    else:
        return False
    return isinstance(name, str) and name.endswith("_") and not name.startswith("_") and bool(node.args) and \
        hasattr(node.args[0], "op")


def _inplace_followed(graph) -> None:
    """An operation in place whose result the code does not keep ('x.add_(pos_embed)': NaFlexViT's position
    embedding) changes the tensor every later use reads; the traced graph has those uses read the tensor from
    before it, and nothing read the operation (dropped as dead code, its parameters reported as never run).  Every
    use after it reads the operation's result instead, as the forward pass does."""
    order = {n: i for i, n in enumerate(graph.nodes)}
    for node in list(graph.nodes):
        if not _in_place(node):
            continue
        target = node.args[0]
        for user in list(target.users):
            if user is not node and order.get(user, -1) > order[node]:
                user.replace_input_with(target, node)


def _drop_optional_inputs(graph) -> None:
    """torch.fx keeps an input for each argument traced at its default, used only by its guards (an assert that it
    is still None, or equal to its default): the guards and the input go, nothing else may use them."""
    placeholders = [n for n in graph.nodes if n.op == "placeholder"]
    for ph in placeholders[1:]:
        guards = set()
        todo = list(ph.users)
        while todo:
            u = todo.pop()
            if u in guards:
                continue
            name = getattr(u.target, "__name__", str(u.target))
            if u.op != "call_function" or name not in ("_assert", "_assert_is_none", "eq", "is_", "ne"):
                raise SymcnnError(f"forward's argument {ph.name!r} (traced at its default) is used by "
                                  f"{u.name!r}: symcnn reads a model of one input")
            guards.add(u)
            todo.extend(u.users)
        for u in sorted(guards, key=lambda n: -list(graph.nodes).index(n)):
            graph.erase_node(u)
        graph.erase_node(ph)


class _TraceFailed(Exception):
    """torch.fx failed inside a module: its path (empty: the model's own forward) and the error."""

    def __init__(self, path: str, error: Exception) -> None:
        super().__init__(str(error))
        self.path, self.error = path, error


#: at most this many modules of their own classes traced as opaque leaves (read through torch.export)
MAX_OPAQUE_CLASSES = 12


def _trace_opaque(module, input_shape):
    """The meta trace; where torch.fx fails inside a module (Python that no tracer follows: control flow on a value,
    a tensor item assigned), that module and every module of its class are kept whole as opaque leaves, read later
    through torch.export, and the model traced again."""
    opaque: set[str] = set()
    for _ in range(MAX_OPAQUE_CLASSES + 1):
        try:
            graph = _trace_with_shapes(module, input_shape, frozenset(opaque))
            _no_meta_constants(module, graph)
            graph._symcnn_opaque = tuple(sorted(opaque))  # type: ignore[attr-defined]
            return graph
        except _TraceFailed as failed:
            if not failed.path or failed.path in opaque:
                raise failed.error from None
            cls = type(module.get_submodule(failed.path))
            opaque |= {p for p, m in module.named_modules() if type(m) is cls and p}
            opaque = {p for p in opaque if not any(p.startswith(q + ".") for q in opaque)}
    raise SymcnnError(f"torch.fx cannot trace {type(module).__name__} even with {MAX_OPAQUE_CLASSES} classes of "
                      "modules kept whole")


def _no_meta_constants(module, graph) -> None:
    """A constant the meta trace computed (a tensor made inside forward) has no values: the module that made it is
    kept whole instead (_TraceFailed naming it); one the model's own forward made is refused by _settle_meta."""
    torch = torch_module()
    live: set = set()  # what the output depends on (a kept-whole module's forward, run for its metadata, leaves
    todo = [n for n in graph.nodes if n.op == "output"]  # nodes nothing uses: removed later)
    while todo:
        n = todo.pop()
        if n not in live:
            live.add(n)
            todo.extend(n.all_input_nodes)
    for node in graph.nodes:
        if node.op != "get_attr" or not str(node.target).startswith("_tensor_constant") or node not in live:
            continue
        value = getattr(graph.owning_module, str(node.target), None) if graph.owning_module is not None else None
        value = value if value is not None else getattr(module, str(node.target), None)
        if isinstance(value, torch.Tensor) and value.device.type != "meta":
            continue
        leaves = {u.target for u in node.users if u.op == "call_module"}
        stack = [p for p in (node.meta.get("nn_module_stack") or {}) if p and p not in leaves]
        if stack:
            raise _TraceFailed(stack[-1], SymcnnError(f"graph node {node.name!r}: a constant computed while "
                                                       "tracing on the meta device"))


def _state_of(module):
    """A function that puts back every submodule's attributes that exist now as they are now: a kept-whole module's
    forward, run on the tracer's values for their metadata, may cache what it computed on itself (ConViT's attention
    stores its relative indices: a traced value), which the real pass, and the user's model, must never see."""
    saved = []
    for m in module.modules():
        attrs = dict(m.__dict__)
        inner = {k: dict(v) for k, v in attrs.items() if k in ("_parameters", "_buffers", "_modules")}
        saved.append((m, attrs, inner))

    def restore() -> None:  # what was there before, as it was (what the tracer added, its constants, stays)
        for m, attrs, inner in saved:
            m.__dict__.update(attrs)
            for k, v in inner.items():
                attrs[k].update(v)

    return restore


def _trace_with_shapes(module, input_shape, opaque: frozenset = frozenset()):
    """The graph torch.fx's MetaTracer records with a meta tensor of the input's shape: where forward branches on a
    shape, the branch this input takes (the table is for this input in any case)."""
    import inspect
    import warnings

    torch = torch_module()
    first = next(iter(inspect.signature(module.forward).parameters))
    tracer = _tracer(meta=True, opaque=opaque)
    restore = _state_of(module)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "could not compute metadata for ...": the shapes come from ShapeProp later
        try:
            graph = tracer.trace(module, meta_args={first: torch.empty(1, *input_shape, device="meta")},
                                 concrete_args=_optional_args(module))
        except Exception as exc:
            stack = [p for p in getattr(tracer, "module_stack", {}) if p]
            raise _TraceFailed(stack[-1] if stack else "", exc) from None
        finally:
            restore()
    meta = torch.device("meta")

    def on_cpu(v):  # a device read off the meta input is baked into the graph: the real pass runs on the CPU
        return torch.device("cpu") if (v == meta if isinstance(v, torch.device) else v == "meta") else v

    for node in graph.nodes:
        node.args = tuple(on_cpu(a) for a in node.args)
        node.kwargs = {k: on_cpu(v) for k, v in node.kwargs.items()}
    graph._symcnn_meta = True  # type: ignore[attr-defined]
    return graph


def _settle_meta(gm) -> None:
    """After a trace with meta tensors: the nodes the tracer recorded while running a kept-whole module's forward
    for its metadata are unused (removed); a constant it computed on the meta device has no values (refused)."""
    torch = torch_module()
    gm.graph.eliminate_dead_code()
    gm.recompile()
    for node in gm.graph.nodes:
        value = getattr(gm, node.target, None) if node.op == "get_attr" and isinstance(node.target, str) else None
        if isinstance(value, torch.Tensor) and value.device.type == "meta":
            raise SymcnnError(f"graph node {node.name!r}: a constant computed while tracing on the meta device "
                              "(its values are not known): not supported")


def _trace(module, input_shape):
    """The module traced with torch.fx in eval mode, every node's shape recorded by one
    forward pass on a zero input; the module's own training flags are left as they were."""
    torch = torch_module()
    cls = type(module).__name__
    restore = _eval_mode(module)
    try:
        try:
            tracer = _tracer()
            if tracer.is_leaf_module(module, ""):
                # one library layer on its own (nn.ConvTranspose2d): read as a network of that one layer,
                # not through its forward's code
                from collections import OrderedDict

                module = torch.nn.Sequential(OrderedDict([(cls.lower(), module)]))
            try:
                graph = tracer.trace(module, concrete_args=_optional_args(module))
            except Exception as exc:
                # control flow on shapes, a shape made a Python number ('int(C / g)'), a library that does not know
                # the tracer's values (einops): traced for this input, modules it cannot follow kept whole
                try:
                    graph = _trace_opaque(module, input_shape)
                except SymcnnError:
                    raise
                except Exception:
                    raise exc from None
            _drop_optional_inputs(graph)
            _inplace_followed(graph)
            gm = torch.fx.GraphModule(module, graph)
            gm.meta["symcnn_opaque"] = getattr(graph, "_symcnn_opaque", ())
            if getattr(graph, "_symcnn_meta", False):
                _settle_meta(gm)
        except SymcnnError:
            raise
        except Exception as exc:
            raise SymcnnError(f"torch.fx cannot trace {cls}: {first_line(exc)}") from None
        if len([n for n in gm.graph.nodes if n.op == "placeholder"]) != 1:
            raise SymcnnError(f"{cls}.forward must take one input tensor")
        try:
            # torch.fx's ShapeProp prints the traceback of a failing node to stderr before it raises:
            # the user gets symcnn's one line instead
            with contextlib.redirect_stderr(io.StringIO()):
                _propagate(gm, module, input_shape)
        except Exception as exc:
            node = re.search(r"ShapeProp error for: node=%(\S+)", str(exc))
            where = f" at {node.group(1)}" if node else ""
            cause = exc.__cause__ if node and exc.__cause__ is not None else exc
            raise SymcnnError(f"{cls} does not run on a 1x{'x'.join(map(str, input_shape))} input{where}: "
                              f"{first_line(cause)}") from None
    finally:
        restore()
    return gm


#: above this many parameters the shapes are propagated with fake tensors (shapes without
#: arithmetic: a 100 G multiply-add model in a fraction of a second); below it a real pass on a
#: zero input is faster than the fake tensors' bookkeeping
FAKE_ABOVE = 30_000_000


def _sizes_kept(node, value):
    """A value that is sizes, not a tensor (the feature map's size a module gives beside its tokens: MViTv2), kept on
    its node as this input has it, for a later call that takes it as an argument."""
    def sizes(v) -> bool:
        return isinstance(v, int) or (isinstance(v, (tuple, list)) and len(v) <= 8 and all(sizes(x) for x in v))

    if sizes(value) and not isinstance(value, bool):
        node.meta["symcnn_sizes"] = value
    return value


def _propagate(gm, module, input_shape) -> None:
    """Record every node's output shape (torch.fx's ShapeProp), with fake tensors for big models
    (falling back to a real pass where an operation has no fake implementation)."""
    from torch.fx.passes.shape_prop import ShapeProp

    torch = torch_module()
    # the dispatcher's own count of the multiply-adds, taken on the same pass: _verify holds the table to it, in total
    # and module by module (what it counted while each call_module node ran)
    counter = flop_counter()
    by_module: dict[str, int] = {}

    class Counting(ShapeProp):
        def run_node(self, n):
            if n.op != "call_module":
                return _sizes_kept(n, super().run_node(n))
            before = counter.get_total_flops()
            out = super().run_node(n)
            by_module[n.target] = by_module.get(n.target, 0) + counter.get_total_flops() - before
            return _sizes_kept(n, out)

    def restart() -> None:  # a pass that failed part way: its counts go
        counter.flop_counts.clear()
        by_module.clear()

    # torch's module tracker inside the counter asserts on a parameter handed to a module as its input (NaFlexViT's
    # pooling query, CaiT's class token) while it requires grad: off for the pass, as it was after
    grads = [(p, p.requires_grad) for p in module.parameters()]
    try:
        for p, _ in grads:
            p.requires_grad_(False)
        with torch.no_grad(), counter:  # (inference_mode breaks the counter on a module run on a parameter)
            _shape_pass(gm, module, input_shape, Counting, restart)
    finally:
        for p, flag in grads:
            p.requires_grad_(flag)
    # nn.MultiheadAttention's fused fast path runs one kernel the counter does not see: no total to hold the
    # table to there (its attention is checked against recomputed real layers in the tests instead)
    opaque = any(isinstance(m, torch.nn.MultiheadAttention) for m in module.modules())
    gm.meta["flops"] = None if opaque else counter.get_total_flops()
    gm.meta["flops_by_module"] = None if opaque else by_module


def _shape_pass(gm, module, input_shape, ShapeProp, restart) -> None:
    torch = torch_module()
    if any(t.is_meta for t in (*module.parameters(), *module.buffers())):  # built without values
        ShapeProp(gm).propagate(torch.zeros(1, *input_shape, device="meta"))
        return
    if sum(p.numel() for p in module.parameters()) > FAKE_ABOVE:
        from torch._subclasses.fake_tensor import FakeTensorMode

        try:
            ShapeProp(gm, fake_mode=FakeTensorMode(allow_non_fake_inputs=True)).propagate(
                torch.zeros(1, *input_shape))
            return
        except Exception:  # an op without a fake kernel: the real pass below decides
            restart()
    ShapeProp(gm).propagate(torch.zeros(1, *input_shape))
