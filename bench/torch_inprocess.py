"""from_torch + derive against torchinfo's summary, side by side in one process (issue 25's bench): per model, the
median of a few runs of each, after one warm-up of each; imports are paid once and not counted.

    python bench/torch_inprocess.py [NAMES...]    # default: the timm sample tests/test_timm.py reads exactly

Prints one line per model and the median of the per-model ratios (symcnn / torchinfo; the target is at most 0.5).
Peak memory is not measured here: in one process torch's allocations are not told apart per call."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from symcnn.pytorch.common import import_torchvision


def _median_time(fn, runs: int) -> float:
    fn()  # warm-up: first-call costs (lazy imports, kernels) are not the model's
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    import_torchvision()
    import timm
    import torch
    import torchinfo

    from symcnn.pytorch import from_torch

    names = sys.argv[1:]
    if not names:
        import test_timm

        names = list(test_timm.EXACT)
    ratios = []
    print("| model | symcnn from_torch + derive | torchinfo summary | ratio |\n|---|---|---|---|")
    for name in names:
        model = timm.create_model(name, pretrained=False).eval()
        shape = tuple(model.pretrained_cfg.get("input_size", (3, 224, 224)))
        ours = _median_time(lambda m=model, s=shape: from_torch(m, s).derive(), 3)
        with torch.no_grad():
            theirs = _median_time(lambda m=model, s=shape: torchinfo.summary(m, (1, *s), verbose=0), 3)
        ratios.append(ours / theirs)
        print(f"| `{name}` | {ours:.3f} s | {theirs:.3f} s | {ours / theirs:.2f}x |", flush=True)
    median = statistics.median(ratios)
    print(f"\nmedian of the per-model ratios: {median:.2f}x (target at most 0.50x: "
          f"{'met' if median <= 0.5 else 'MISSED'}) over {len(ratios)} models")


if __name__ == "__main__":
    main()
