"""How many of timm's image models symcnn reads exactly: each model built (pretrained=False) at its configured
input size, read with from_torch, and compared with numel() and torch's FlopCounterMode; or refused, and why.

    python scripts/timm_reach.py [NAMES_FILE]    # default: the sample tests/test_timm.py checks
    python scripts/timm_reach.py scripts/timm_families.txt    # two small variants of every timm model module

Prints a Markdown table (model, result) and a count, for the README's "PyTorch in and out" section.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from symcnn.errors import SymcnnError
from symcnn.pytorch.common import flop_counter, import_torchvision


def main() -> None:
    import_torchvision()
    import timm
    import torch

    from symcnn.pytorch import from_torch

    if len(sys.argv) > 1:
        names = [n.strip() for n in Path(sys.argv[1]).read_text().splitlines() if n.strip() and not n.startswith("#")]
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        import test_timm

        names = [*test_timm.EXACT, *test_timm.REFUSED]

    def timeout(*_):
        raise TimeoutError("over 90 s")

    signal.signal(signal.SIGALRM, timeout)
    exact = 0
    print("| model | symcnn |\n|---|---|")
    for name in names:
        signal.alarm(90)
        try:
            try:
                model = timm.create_model(name, pretrained=False).eval()
            except Exception as exc:  # a name this timm does not know: not symcnn's to read
                print(f"| `{name}` | not built by timm: {type(exc).__name__} |", flush=True)
                continue
            shape = tuple(model.pretrained_cfg.get("input_size", (3, 224, 224)))
            table = from_torch(model, shape).derive()
            model.requires_grad_(False)  # torch's module tracker asserts on CaiT's class token otherwise
            with flop_counter() as counter, torch.no_grad():
                model(torch.zeros(1, *shape))
            same = int(table.totals["params"]) == sum(p.numel() for p in model.parameters()) and \
                2 * int(table.totals["macs"]) == counter.get_total_flops()
            result = "exact" if same else "WRONG (a bug: please report it)"
            exact += same
        except SymcnnError as exc:
            result = "refused: " + exc.message.replace("|", "\\|")[:140]
        except TimeoutError as exc:
            result = f"not captured: {exc}"
        finally:
            signal.alarm(0)
        print(f"| `{name}` | {result} |", flush=True)
    print(f"\n{exact} of {len(names)} read exactly.")


if __name__ == "__main__":
    main()
