"""``MODULE_PATH:ATTR``: import a user's torch module (a dotted module or a .py file)."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import SymcnnError
from .common import first_line, import_torchvision, torch_module

#: how long a user's module may take to import, build and run once (seconds; SYMCNN_TORCH_SECONDS changes it)
DEFAULT_SECONDS = 120.0


class _Expired(BaseException):
    """The time budget ran out (a BaseException: the user's own ``except Exception`` does not swallow it)."""


@contextlib.contextmanager
def time_limit(what: str, seconds: float | None = None) -> Iterator[None]:
    """Run the block within a time budget, else one error naming ``what``: a module that never returns
    (an endless loop at import, in __init__ or in forward) is refused, not waited for.  Only where signals
    can be used (the main thread of a POSIX process); an outer timer is restored, less the time spent."""
    if seconds is None:
        try:
            seconds = float(os.environ.get("SYMCNN_TORCH_SECONDS", DEFAULT_SECONDS))
        except ValueError:
            raise SymcnnError("SYMCNN_TORCH_SECONDS must be a number of seconds") from None
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    pending, _ = signal.getitimer(signal.ITIMER_REAL)
    if 0 < pending <= seconds:  # a caller's sooner timer (a test harness's bound) stays in charge
        yield
        return

    def expired(signum, frame):
        raise _Expired()

    previous = signal.signal(signal.SIGALRM, expired)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.monotonic()
    try:
        yield
    except _Expired:
        raise SymcnnError(f"{what} did not finish within {seconds:g} s (a module that never returns? "
                          "SYMCNN_TORCH_SECONDS allows more)") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer > 0:  # the caller's own timer goes on
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 0.001))


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
        try:
            mod = _import(path)
        except RuntimeError as exc:
            if "torchvision::" not in str(exc):
                raise
            # a library the file imports imports torchvision (timm does), whose compiled ops do not load beside
            # the CPU torch: its two op schemas declared, the import tried once more
            import_torchvision()
            mod = _import(path)
    except SymcnnError:
        raise
    except (Exception, SystemExit) as exc:
        raise SymcnnError(f"cannot import {path!r}: {first_line(exc)}") from None
    if not hasattr(mod, attr):
        raise SymcnnError(f"{path!r} has no attribute {attr!r}")
    return getattr(mod, attr)


def _import(path: str):
    """A .py file (run as a module of its own name) or a dotted module."""
    if path.endswith(".py") or "/" in path:
        file = Path(path)
        if not file.is_file():
            raise SymcnnError(f"no such file {path!r}")
        if "torchvision" in file.read_text(errors="replace"):
            import_torchvision()
        s = importlib.util.spec_from_file_location(file.stem, file)
        if s is None or s.loader is None:
            raise SymcnnError(f"{path!r} cannot be imported as a Python module")
        mod = importlib.util.module_from_spec(s)
        s.loader.exec_module(mod)
        return mod
    if path.split(".")[0] == "torchvision":
        import_torchvision()
    return importlib.import_module(path)


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
