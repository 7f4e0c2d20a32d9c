"""A ViT and an MLP-Mixer in the style of the most copied hand-written ones (einops' rearrange, repeat, Rearrange and
Reduce layers; a class token repeated over the batch; heads split by a pattern; attention by two matmuls and
nn.Softmax(dim=-1)).  Written here from the published architecture, small sizes for a test."""

import torch
from einops import rearrange, repeat
from einops.layers.torch import Rearrange, Reduce
from torch import nn


class FeedForward(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.net = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, hidden), nn.GELU(), nn.Dropout(0.1),
                                 nn.Linear(hidden, dim), nn.Dropout(0.1))

    def forward(self, x):
        return self.net(x)


class Attention(nn.Module):
    def __init__(self, dim, heads, dim_head):
        super().__init__()
        inner = heads * dim_head
        self.heads, self.scale = heads, dim_head ** -0.5
        self.norm = nn.LayerNorm(dim)
        self.attend = nn.Softmax(dim=-1)
        self.to_qkv = nn.Linear(dim, inner * 3, bias=False)
        self.to_out = nn.Sequential(nn.Linear(inner, dim), nn.Dropout(0.1))

    def forward(self, x):
        x = self.norm(x)
        qkv = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = (rearrange(t, "b n (h d) -> b h n d", h=self.heads) for t in qkv)
        attn = self.attend(torch.matmul(q, k.transpose(-1, -2)) * self.scale)
        out = rearrange(torch.matmul(attn, v), "b h n d -> b n (h d)")
        return self.to_out(out)


class Transformer(nn.Module):
    def __init__(self, dim, depth, heads, dim_head, mlp_dim):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.layers = nn.ModuleList([nn.ModuleList([Attention(dim, heads, dim_head), FeedForward(dim, mlp_dim)])
                                     for _ in range(depth)])

    def forward(self, x):
        for attn, ff in self.layers:
            x = attn(x) + x
            x = ff(x) + x
        return self.norm(x)


class ViT(nn.Module):
    """image 32, patches of 4 (64 of them), width 64, depth 2, 4 heads of 16, MLP 128, 10 classes."""

    def __init__(self, image=32, patch=4, dim=64, depth=2, heads=4, dim_head=16, mlp_dim=128, classes=10):
        super().__init__()
        patches, patch_dim = (image // patch) ** 2, 3 * patch * patch
        self.to_patch_embedding = nn.Sequential(
            Rearrange("b c (h p1) (w p2) -> b (h w) (p1 p2 c)", p1=patch, p2=patch),
            nn.LayerNorm(patch_dim), nn.Linear(patch_dim, dim), nn.LayerNorm(dim))
        self.pos_embedding = nn.Parameter(torch.randn(1, patches + 1, dim))
        self.cls_token = nn.Parameter(torch.randn(1, 1, dim))
        self.dropout = nn.Dropout(0.1)
        self.transformer = Transformer(dim, depth, heads, dim_head, mlp_dim)
        self.mlp_head = nn.Linear(dim, classes)

    def forward(self, img):
        x = self.to_patch_embedding(img)
        b, n, _ = x.shape
        cls_tokens = repeat(self.cls_token, "1 1 d -> b 1 d", b=b)
        x = torch.cat((cls_tokens, x), dim=1)
        x += self.pos_embedding[:, :(n + 1)]
        x = self.transformer(self.dropout(x))
        return self.mlp_head(x[:, 0])


class PreNormResidual(nn.Module):
    def __init__(self, dim, fn):
        super().__init__()
        self.fn, self.norm = fn, nn.LayerNorm(dim)

    def forward(self, x):
        return self.fn(self.norm(x)) + x


def _mix(dim, factor, dense):
    inner = int(dim * factor)
    return nn.Sequential(dense(dim, inner), nn.GELU(), dense(inner, dim))


class MLPMixer(nn.Sequential):
    """image 32, patches of 4, width 64, depth 2; token mixing by 1-wide Conv1d, channel mixing by Linear."""

    def __init__(self, image=32, patch=4, dim=64, depth=2, classes=10):
        patches = (image // patch) ** 2

        def token_mixing(a, b):
            return nn.Conv1d(a, b, kernel_size=1)

        super().__init__(
            Rearrange("b c (h p1) (w p2) -> b (h w) (p1 p2 c)", p1=patch, p2=patch),
            nn.Linear(patch * patch * 3, dim),
            *[nn.Sequential(PreNormResidual(dim, _mix(patches, 4, token_mixing)),
                            PreNormResidual(dim, _mix(dim, 0.5, nn.Linear))) for _ in range(depth)],
            nn.LayerNorm(dim), Reduce("b n c -> b c", "mean"), nn.Linear(dim, classes))
