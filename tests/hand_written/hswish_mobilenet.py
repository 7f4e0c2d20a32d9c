"""A MobileNetV3-style network as the most copied hand-written one spells it: h-swish and h-sigmoid as modules of
their own arithmetic (``x * F.relu6(x + 3) / 6``), squeeze-excite as a gate, a BatchNorm1d after the first
classifier layer, the residual taken only at stride 1.  Small sizes for a test."""

import torch.nn.functional as F
from torch import nn


class HSwish(nn.Module):
    def forward(self, x):
        return x * F.relu6(x + 3, inplace=True) / 6


class HSigmoid(nn.Module):
    def forward(self, x):
        return F.relu6(x + 3, inplace=True) / 6


class SeModule(nn.Module):
    def __init__(self, size, reduction=4):
        super().__init__()
        self.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(size, size // reduction, 1, bias=False),
                                nn.BatchNorm2d(size // reduction), nn.ReLU(inplace=True),
                                nn.Conv2d(size // reduction, size, 1, bias=False), nn.BatchNorm2d(size), HSigmoid())

    def forward(self, x):
        return x * self.se(x)


class Block(nn.Module):
    def __init__(self, k, cin, expand, cout, act, se, stride):
        super().__init__()
        self.stride, self.se = stride, se
        self.conv1, self.bn1, self.act1 = nn.Conv2d(cin, expand, 1, bias=False), nn.BatchNorm2d(expand), act
        self.conv2 = nn.Conv2d(expand, expand, k, stride, k // 2, groups=expand, bias=False)
        self.bn2, self.act2 = nn.BatchNorm2d(expand), act
        self.conv3, self.bn3 = nn.Conv2d(expand, cout, 1, bias=False), nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride == 1 and cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = self.act1(self.bn1(self.conv1(x)))
        out = self.act2(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.se is not None:
            out = self.se(out)
        return out + self.shortcut(x) if self.stride == 1 else out


class MobileNetV3Small(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv1, self.bn1, self.hs1 = nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), HSwish()
        self.bneck = nn.Sequential(Block(3, 16, 16, 16, nn.ReLU(inplace=True), SeModule(16), 2),
                                   Block(3, 16, 72, 24, nn.ReLU(inplace=True), None, 2),
                                   Block(5, 24, 96, 40, HSwish(), SeModule(40), 1))
        self.conv2, self.bn2, self.hs2 = nn.Conv2d(40, 96, 1, bias=False), nn.BatchNorm2d(96), HSwish()
        self.linear3, self.bn3, self.hs3 = nn.Linear(96, 128), nn.BatchNorm1d(128), HSwish()
        self.linear4 = nn.Linear(128, classes)

    def forward(self, x):
        out = self.hs1(self.bn1(self.conv1(x)))
        out = self.hs2(self.bn2(self.conv2(self.bneck(out))))
        out = F.avg_pool2d(out, 8)
        out = out.view(out.size(0), -1)
        return self.linear4(self.hs3(self.bn3(self.linear3(out))))
