"""from_torch + derive against torchinfo's summary, side by side in one process (issue 25's bench): per model, the
median of a few runs of each, after one warm-up of each; imports are paid once and not counted.

    python bench/torch_inprocess.py [NAMES...]    # default: the timm sample tests/test_timm.py reads exactly

Prints one line per model and the median of the per-model ratios (symcnn / torchinfo; the target is at most 0.5).

    python bench/torch_inprocess.py --memory [NAMES...]

Peak memory instead: each tool on each model in a fresh process of its own (in one process torch's allocations are
not told apart per call), the peak resident memory the call adds above the process after its imports and the
model's construction (ru_maxrss is a high-water mark: the difference is what the call itself needed at its peak)."""

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


def _peak_of_call(tool: str, name: str) -> None:
    """In a fresh process: the model built, then one call of the tool; prints the peak memory the call added, KiB."""
    import resource

    import_torchvision()
    import timm
    import torch

    model = timm.create_model(name, pretrained=False).eval()
    shape = tuple(model.pretrained_cfg.get("input_size", (3, 224, 224)))
    if tool == "symcnn":
        from symcnn.pytorch import from_torch

        def call():
            from_torch(model, shape).derive()
    else:
        import torchinfo

        def call():
            with torch.no_grad():
                torchinfo.summary(model, (1, *shape), verbose=0)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    call()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)


def memory(names: list[str]) -> None:
    import subprocess

    ratios = []
    print("| model | symcnn peak added | torchinfo peak added | ratio |\n|---|---|---|---|")
    for name in names:
        added = {}
        for tool in ("symcnn", "torchinfo"):
            run = subprocess.run([sys.executable, __file__, "--one", tool, name], capture_output=True, text=True,
                                 timeout=600)
            added[tool] = int(run.stdout.strip().splitlines()[-1]) / 1024 if run.returncode == 0 else float("nan")
        ratio = added["symcnn"] / added["torchinfo"] if added["torchinfo"] else float("inf")
        ratios.append(ratio)
        print(f"| `{name}` | {added['symcnn']:.1f} MiB | {added['torchinfo']:.1f} MiB | {ratio:.2f}x |", flush=True)
    median = statistics.median(ratios)
    print(f"\nmedian of the per-model ratios: {median:.2f}x (target below 1: "
          f"{'met' if median < 1 else 'MISSED'}) over {len(ratios)} models")


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        _peak_of_call(sys.argv[2], sys.argv[3])
        return
    if sys.argv[1:2] == ["--memory"]:
        names = sys.argv[2:]
        if not names:
            import test_timm

            names = list(test_timm.EXACT)
        memory(names)
        return
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
