"""Running the CLI in-process as a hostile user would, with every contract
checked: exit status 0, 1 or 2; one line on stderr when it fails; never a
traceback or an internal error; a wall-time bound; no file created except
the ones the command was told to write."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import time
from pathlib import Path

from hypothesis import settings

from symcnn.cli import main

#: wall-time bound per command (a hang is a failure, not a slow test)
CASE_SECONDS = 20


def scaled(n: int) -> int:
    """Full example counts in CI (the derandomized 'ci' profile); a tenth locally."""
    full = os.environ.get("HYPOTHESIS_PROFILE") == "ci" or os.environ.get("SYMCNN_FUZZ_FULL")
    return n if full else max(10, n // 10)


def fuzz_settings(n: int):
    return settings(max_examples=scaled(n), deadline=None)


class Hang(BaseException):
    """Raised by the alarm: the command ran past CASE_SECONDS."""


def _alarm(signum, frame):
    raise Hang()


@contextlib.contextmanager
def time_bound(seconds: int = CASE_SECONDS):
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_cli(argv, *, allowed_outputs=(), codes=(0, 1, 2), directory: Path | None = None):
    """Run ``symcnn ARGV`` in ``directory`` (default: the current one); return (rc, out, err)."""
    directory = Path(directory or os.getcwd())
    before = set(directory.rglob("*"))
    out_buf, err_buf = io.StringIO(), io.StringIO()
    start = time.monotonic()
    try:
        with time_bound(), contextlib.redirect_stdout(out_buf), contextlib.redirect_stderr(err_buf):
            rc = main([str(a) for a in argv])
    except Hang:
        raise AssertionError(f"hang: symcnn {argv!r} ran past {CASE_SECONDS} s") from None
    elapsed = time.monotonic() - start
    out, err = out_buf.getvalue(), err_buf.getvalue()
    assert elapsed < CASE_SECONDS, (argv, elapsed)
    assert rc in codes, (argv, rc, err)
    assert "Traceback" not in err and "Traceback" not in out, (argv, err)
    assert "internal error" not in err, (argv, err)
    if rc in (1, 2):
        assert err.startswith("symcnn: ") and err.count("\n") == 1, (argv, err)
    created = set(directory.rglob("*")) - before
    allowed = {directory / a for a in allowed_outputs}
    stray = {p for p in created if p not in allowed and not any(a in p.parents for a in allowed)}
    assert not stray, (argv, sorted(map(str, stray)))
    assert not (directory / "PWNED").exists()
    return rc, out, err


def exact_against_torch(model, shape):
    """A module read with from_torch and held to numel() and torch's FlopCounterMode on a real forward pass (2 FLOPs
    per multiply-add); the derived table, for the test's own figures."""
    import torch

    from symcnn.pytorch import from_torch
    from symcnn.pytorch.common import flop_counter

    table = from_torch(model, shape).derive()
    model.requires_grad_(False)  # torch's module tracker asserts on a parameter expanded into a submodule otherwise
    with flop_counter() as counter, torch.no_grad():
        model(torch.zeros(1, *shape))
    assert table.totals["params"] == sum(p.numel() for p in model.parameters())
    assert 2 * table.totals["macs"] == counter.get_total_flops()
    return table
