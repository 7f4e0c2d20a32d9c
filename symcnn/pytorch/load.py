"""``MODULE_PATH:ATTR``: import a user's torch module (a dotted module or a .py file)."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

from ..errors import SymcnnError
from .common import first_line, import_torchvision, torch_module


def load_module(spec: str, *, meta: bool = False):
    """``MODULE_PATH:ATTR``: a dotted module or a .py file, and an attribute that is a
    module instance, or a class or function that builds one with no arguments."""
    return build_module(find_module(spec), spec, meta=meta)


def find_module(spec: str):
    """The object ``MODULE_PATH:ATTR`` names (imported once)."""
    torch_module()
    path, colon, attr = spec.rpartition(":")
    if not colon or not path or not attr:
        raise SymcnnError(f"--torch takes MODULE_PATH:ATTR (a dotted module or a .py file), got {spec!r}")
    try:
        if path.endswith(".py") or "/" in path:
            file = Path(path)
            if not file.is_file():
                raise SymcnnError(f"no such file {path!r}")
            if "torchvision" in file.read_text(errors="replace"):
                import_torchvision()
            s = importlib.util.spec_from_file_location(file.stem, file)
            mod = importlib.util.module_from_spec(s)
            s.loader.exec_module(mod)
        else:
            if path.split(".")[0] == "torchvision":
                import_torchvision()
            mod = importlib.import_module(path)
    except SymcnnError:
        raise
    except (Exception, SystemExit) as exc:
        raise SymcnnError(f"cannot import {path!r}: {first_line(exc)}") from None
    if not hasattr(mod, attr):
        raise SymcnnError(f"{path!r} has no attribute {attr!r}")
    return getattr(mod, attr)


def build_module(obj, spec: str, *, meta: bool = False):
    """A module instance as it is, or a class or function called with no arguments.  With
    ``meta`` it is built on PyTorch's meta device: parameters with shapes and no values, so
    nothing is initialised (symcnn counts, it never reads a weight)."""
    torch = torch_module()
    if not isinstance(obj, torch.nn.Module):
        try:
            if meta:
                with torch.device("meta"):
                    obj = obj()
            else:
                obj = obj()
        except (Exception, SystemExit) as exc:
            raise SymcnnError(f"{spec}: calling it with no arguments failed: {first_line(exc)}") from None
    if not isinstance(obj, torch.nn.Module):
        raise SymcnnError(f"{spec} is not a torch.nn.Module (got {type(obj).__name__})")
    return obj
