"""The tools users would pick instead, run on the same network as whole
processes: `python bench/anchors.py torchinfo|fvcore|import-torch`, or
`torchinfo:MODEL` for a torchvision model (resnet50, vit_b_16).

VGG-19 is written here in plain PyTorch (no torchvision, no symcnn code), as
a user of those tools would have it.  torchvision models are imported the way
symcnn imports them on this machine (its registry wheel's compiled ops need
two schemas declared first: the only symcnn code an anchor runs)."""

from __future__ import annotations

import sys


def vgg19():
    import torch
    from torch import nn

    layers, cin = [], 3
    for n, c in zip((2, 2, 4, 4, 4), (64, 128, 256, 512, 512)):
        for _ in range(n):
            layers += [nn.Conv2d(cin, c, 3, padding=1), nn.ReLU(inplace=True)]
            cin = c
        layers.append(nn.MaxPool2d(2, 2))
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(),
                         nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(), nn.Linear(4096, 1000)), torch


def main(which: str) -> None:
    if which == "import-torch":
        import torch
        return
    if which.startswith("torchinfo:"):
        from torchinfo import summary

        from symcnn.pytorch.common import import_torchvision

        import_torchvision()
        import torchvision

        model = getattr(torchvision.models, which.split(":", 1)[1])()
        s = summary(model, input_size=(1, 3, 224, 224), verbose=0)
        print(s.total_params, s.total_mult_adds)
        return
    model, torch = vgg19()
    if which == "torchinfo":
        from torchinfo import summary

        s = summary(model, input_size=(1, 3, 224, 224), verbose=0)
        print(s.total_params, s.total_mult_adds)
    elif which == "fvcore":
        from fvcore.nn import FlopCountAnalysis, parameter_count

        flops = FlopCountAnalysis(model, torch.zeros(1, 3, 224, 224))
        flops.unsupported_ops_warnings(False)
        flops.uncalled_modules_warnings(False)
        print(parameter_count(model)[""], flops.total())
    else:
        raise SystemExit(f"unknown anchor {which!r}")


if __name__ == "__main__":
    main(sys.argv[1])
