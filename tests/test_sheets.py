"""symcnn check on answer sheets as students hand them in: the sample sheets in tests/sheets/
(one per style: CS231n prose, a tab-separated table with LaTeX fragments, a LaTeX tabular,
a Markdown table, a Jupyter notebook) are graded claim by claim against answers worked out
here by hand, every slip planted in them is named, and changing any right figure makes it
wrong (the grader is not a rubber stamp)."""

from __future__ import annotations

import collections
import contextlib
import csv
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symcnn.cli import main
from symcnn.grading import ClaimsError, Grader, GradingPolicy, check_sheet
from symcnn.grading.numbers import parse_number
from symcnn.grading.work import evaluate, plain, runs

from .harness import fuzz_settings, run_cli

SHEETS = Path(__file__).parent / "sheets"
CREDIT = ("right", "right-under-convention", "consistent")

# The figures the planted slips are measured against, worked out by hand:
ALEXNET_CONV3_WEIGHTS = 3 * 3 * 256 * 384  # 884,736 (the sheet writes 884,763)
ALEXNET_FC6_WEIGHTS = 6 * 6 * 256 * 4096  # 37,748,736 (the sheet feeds it 5x5x256)
ALEXNET_TOTAL = (11 * 11 * 3 * 96 + 96) + (5 * 5 * 96 * 256 + 256) + (3 * 3 * 256 * 384 + 384) \
    + (3 * 3 * 384 * 384 + 384) + (3 * 3 * 384 * 256 + 256) + (9216 * 4096 + 4096) + (4096 * 4096 + 4096) \
    + (4096 * 1000 + 1000)
VGG_BLOCK5_WEIGHTS = 3 * 3 * 512 * 512  # 2,359,296 (the sheet writes 2,395,296)
LENET_FC2 = 120 * 84 + 84  # 10,164 (the sheet writes 10,146)
INCEPTION_REDUCED_PARAMS = (256 * 128 + 128) * 2 + (9 * 128 * 192 + 192) + (256 * 32 + 32) + (25 * 32 * 96 + 96) \
    + (256 * 64 + 64)
INCEPTION_NAIVE_MACS = 32 * 32 * 256 * (128 + 9 * 192 + 25 * 96)
INCEPTION_REDUCED_MACS = 32 * 32 * (256 * 128 + 256 * 128 + 9 * 128 * 192 + 256 * 32 + 25 * 32 * 96 + 256 * 64)

# torchinfo's nested containers (a BasicBlock, a shortcut's Sequential) restate their layers' figures: listed as
# unknown for a human, never graded
NESTED = {(n, "?", q): ("unknown", None) for n, q in ((11, "output"), (18, "output"), (26, "output"), (32, "output"),
                                                     (32, "params"), (34, "output"), (42, "output"), (48, "output"),
                                                     (48, "params"), (50, "output"), (58, "output"), (64, "output"),
                                                     (64, "params"), (66, "output"))}

# per sheet: how many claims, and every claim not marked right: (line, subject, quantity) -> (status, slip)
EXPECTED = {
    # the slides' AlexNet case study as a student copies it: a layer block through its questions, the notes' order
    # of normalisation and pool (a convention), training details no claim
    # LeNet-5 and torchvision's AlexNet as a page read off by OCR: '$C 1 \\rightarrow$', '$C 5 / F C$', a
    # 'params = ...' line under its layer's line, 'FC layers ~ 58.6M (96%)' (a share, right); planted: C3 without
    # its biases, torchvision's conv2 with AlexNet's 256 channels, FC7 evaluated wrongly
    "lenet_alexnet_torchvision_ocr.txt": (37, {
        (11, "conv2", "params"): ("wrong", "bias-forgotten"),  # 5*5*6*16 = 2400 (2,416 with biases)
        (15, "fc1", "?"): ("unknown", None),  # 'C5 / FC -> 120 : params = ...': the width the problem gives
        (16, "fc2", "?"): ("unknown", None),
        (17, "fc3", "?"): ("unknown", None),
        (30, "features.3", "output"): ("wrong", "wrong-channels"),  # 27 x 27 x 256 for 192 filters
        (35, "features.6", "?"): ("unknown", None),  # 'Conv3: 384, 3x3': the filter count
        (36, "features.8", "?"): ("unknown", None),
        (37, "features.10", "?"): ("unknown", None),
        (43, "classifier.4", "params"): ("wrong", "arithmetic"),  # 4096*4096 + 4096 is 16,781,312
    }),
    # the slides' GoogLeNet and ResNet as a student copies them: chains of branches ('1x1 conv 128 then 3x3 conv 192
    # -> 32x32x192' is the 3x3's output), '12x less than AlexNet' a ratio, layer counts, error rates and training
    # hyper-parameters ('Weight decay of $1 e-5$') no claims
    "googlenet_resnet_slides.txt": (22, {
        (8, "total", "params"): ("wrong", "published-figure"),  # "5 million": GoogLeNet has 6,998,552
        (8, "ratio", "params"): ("wrong", None),  # '12x less than AlexNet': 62,378,344 / 6,998,552 = 8.9
        (47, "total", "flops"): ("wrong", None),  # 460M ops: the reduced module's are 397,410,304 multiply-adds
        (49, "total", "flops"): ("repeat", None),
        (53, "total", "?"): ("unknown", None),  # '2x Conv-Pool'
        (70, "total", "output"): ("unknown", None),  # '/2 in each dimension'
        (77, "conv1", "?"): ("unknown", None, 3),  # the bottleneck of a ResNet-50 stage, named by no layer
        (77, "conv1", "output"): ("unknown", None),
        (81, "total", "?"): ("unknown", None),  # 'Xavier/2'
    }),
    # the slides' ZFNet ('AlexNet but:' is what ZFNet changes, not the section's network) with the CS231n notes'
    # 512/1024/512 filters (right under that convention), 'FC7: 4096 x 4096 = ...' after 'FC6: ... weights' (the
    # same quantity), P6 by the problem's letters under a heading 'Receptive field :-', the two-GPU AlexNet;
    # planted: conv2's parameters evaluated wrongly, the output length after the stack
    "zfnet_rf_handwritten.txt": (24, {
        (5, "conv1", "?"): ("unknown", None, 3),  # 'instead of 384, 384, 256 filters use 512, 1024, 512'
        (14, "conv2", "params"): ("wrong", "arithmetic"),  # 5*5*96*256 + 256 = 614,656
        (31, "total", "size"): ("wrong", None),  # L - N*F + N = L - 12 for N = 3, F = 5
        (36, "conv2", "?"): ("unknown", None),  # '(groups=2)'
    }),
    # AlexNet on 227 layer by layer in blocks ('CONV3 : ... => 13x13x384', 'Weights = ...', 'Parameters = 885,120':
    # the block's layer, not the total), 'FC layers hold 58.6M / 62.4M ~ 94% of the parameters' (a share), 'conv
    # MACs ~ 1.08B vs FC ~ 58.6M' (the FC layers, multiply-adds); planted: a product evaluated wrongly, conv4 without
    # its biases, and the paper's '650,000 neurons'
    "alexnet_handwritten_blocks.txt": (35, {
        (10, "conv1", "output"): ("repeat", None),  # 'Neurons = 55 x 55 x 96 = ...': the shape again
        (18, "conv2", "output"): ("repeat", None),
        (18, "conv2", "activations"): ("wrong", "arithmetic"),  # 27*27*256 = 186,624
        (28, "conv4", "params"): ("wrong", "bias-forgotten"),  # 1,327,104 + 384 = 1,327,488
        (42, "total", "activations"): ("wrong", "published-figure"),
    }),
    # three Markdown tables (LeNet-5 with weights, biases and parameters; torchvision's AlexNet with multiply-adds;
    # P7's reduced module by branch, each branch a chain '1x1 reduce 128 -> 3x3 conv 192': its output the 3x3's, its
    # cost the branch's) and the ratio and saving in a sentence ('Reduced/naive = 0.356, a saving of 64.4%');
    # planted: C3 with 6 biases (its parameters then follow from the figures written), a digit of conv2's MACs
    "three_tables.md": (84, {
        (8, "conv2", "biases"): ("wrong", "wrong-channels"),
        (8, "conv2", "params"): ("consistent", None),  # 2,400 + 6: right from the row's own wrong biases
        (21, "features.3", "macs"): ("wrong", None),  # 27*27*192*5*5*64 = 223,948,800
    }),
    # VGG-19 from a notebook exported as text ('In [2]:', a code fence, 'Out[2]:' on lines of their own): code that
    # states no figure is no claim ('def ...', a list of widths, a call's arguments), an assignment of arithmetic is;
    # 'The conv layers hold 20,024,384 parameters (16%) and the FC layers 123,642,856 (86%)' is two parts, each with
    # its share; planted: VGG-16's total given for VGG-19, the conv layers' share (20,024,384 / 143,667,240 = 13.9%)
    "vgg19_notebook_export.txt": (15, {
        (20, "total", "?"): ("unknown", None),  # Out[2] of a call the sheet defines: for a human
        (30, "total", "?"): ("unknown", None),
        (41, "fc6", "?"): ("unknown", None),
        (52, "total", "?"): ("unknown", None),
        (54, "total", "params"): ("wrong", "wrong-network"),
        (55, "share", "params"): ("wrong", None),
        (57, "total", "activations"): ("repeat", None),  # '16.5M * 4 bytes': the figure again, in the working
    }),
    "slides_alexnet_blocks.txt": (16, {  # 'dropout 0.5', a training hyper-parameter, is no claim
        (21, "pool1", "output"): ("repeat", None),
        (41, "total", "?"): ("unknown", None),  # the learning rate 'reduced by 10'
        (44, "?", "bytes"): ("unknown", None),  # the GPU's 3 GB
    }),
    # another student's Problem 4 (ranges of layers, 'act.', a 'total' column, P6 by letters, P7's parts)
    "problem4_another_student.txt": (91, {
        (35, "fc7", "?"): ("unknown", None),  # '4096 act., 16,781,312': nothing names the second's quantity
        (36, "fc8", "?"): ("unknown", None),
        (37, "total", "activations"): ("repeat", None),  # '16,542,184 (about 16.5M) -> 16.5M * 4 B': the total rounded
    }),
    # ZFNet's sizes worked with ceil, LeNet-5 as a table with the paper's sparse C3
    "zfnet_lenet_tables.txt": (31, {
        (4, "conv2", "?"): ("unknown", None),  # '..., 256' after the arrow: the filter count again
        (5, "pool2", "?"): ("unknown", None),  # 'ceil = 13 -> 13x13x256': the 13 again
        (6, "conv3", "?"): ("unknown", None),  # '384 3x3 p1': the filter count
    }),
    "cs231n_vgg16.txt": (67, {
        (13, "block3.conv3", "output"): ("wrong", "kernel-as-output"),
        (20, "block5.conv2", "params"): ("wrong", "arithmetic"),
        (27, "total", "activations"): ("wrong", "published-figure"),  # the notes' "24M"
        (27, "total", "bytes"): ("wrong", "published-figure"),  # 24M x 4 is 96MB, not the notes' 93MB
    }),
    "alexnet_tabs.txt": (45, {
        (10, "conv3", "weights"): ("wrong", "arithmetic"),
        (13, "pool5", "output"): ("wrong", "wrong-input-size"),
        (14, "fc6", "weights"): ("consistent", None),
        (14, "fc6", "params"): ("consistent", None),
        (15, "fc7", "params"): ("wrong", "bias-forgotten"),
    }),
    "inception.tex": (38, {
        (27, "total", "params"): ("wrong", "total-biases-missing"),
    }),
    "lenet.ipynb": (16, {
        (12, "fc2", "params"): ("wrong", "digits-transposed"),
        (15, "conv2", "params"): ("wrong", "wrong-channels"),
    }),
    "vgg19_memory.txt": (27, {}),
    "alexnet_prose.txt": (8, {
        (4, "conv1", "params"): ("repeat", None),  # the 34,944 of line 2 written again: scored once
        (5, "total", "activations"): ("wrong", "wrong-network"),
        (5, "total", "bytes"): ("consistent", None),  # 15.2M x 4 bytes: right from their own wrong total
    }),
    "lenet_align.tex": (3, {}),
    "vgg16_latex_table.md": (16, {}),
    "alexnet_blocks.txt": (5, {}),
    # torchinfo's summaries pasted as they print (a nested tree, batch-first shapes, '--' for none, its own
    # mult-adds convention); the network named with 'torchinfo' is the variant torchvision ships
    "resnet18_torchinfo.txt": (110, NESTED),
    "alexnet_torchinfo.txt": (34, {}),
    "alexnet_torchsummary.txt": (43, {}),  # torchsummary's layout ([-1, C, H, W]); its figures are torch's
    "resnet50_stages.txt": (13, {
        (8, "layer3", "params"): ("wrong", "norm-params-forgotten"),
    }),
    # every problem of the course in one student's prose (P2 to P7), all right: LeNet's C5 and "Output" rows, a
    # size formula that shows 224 does not tile, three labels on one line, a VGG table in CS231n notation (POOL2 is
    # a 2x2 pool), forward and backward bytes, the receptive field of three stacked 3x3, the Inception module's
    # output, multiply-adds, ratio and saving
    "course_style_all.txt": (62, {}),
    # slips in the course's style, each planted and worked out by hand: conv2 = 5*5*96*256 without its 256 biases
    # (614,400) where the line above counts biases; conv3 fed 384 channels (3*3*384*384 + 384 = 1,327,488 instead
    # of 3*3*256*384 + 384 = 885,120); fc6 fed the 256 channels, not 256*6*6 = 9,216 (256*4096 + 4096 =
    # 1,052,672); a total that is no sum; 15.2M x 4 = 60.8MB from a rounded 15.2M (15,237,608 x 4 = 60,950,432 is
    # 61.0MB); a saving taken of the smaller cost ((1,115,684,864 - 397,410,304) / 397,410,304 = 181%)
    "course_style_slips.md": (36, {
        (19, "conv2", "params"): ("wrong", "bias-forgotten"),
        (20, "conv3", "params"): ("wrong", "wrong-channels"),
        (23, "fc6", "params"): ("wrong", "fc-input-unflattened"),
        (26, "total", "params"): ("wrong", None),
        (30, "total", "activations"): ("repeat", None),
        (30, "total", "bytes"): ("wrong", "intermediate-rounding"),
        (35, "saving", "macs"): ("wrong", "percentage-wrong-base"),
    }),
    # the course's problems in full sentences: several layers in one sentence ('Conv3 has ... = 885,120 parameters,
    # conv4 has ... = 1,327,488 and conv5 has ... = 884,992'), a sentence each ('Pooling again gives 13x13x256.'),
    # two quantities in one line ('Total weights ~ 143.7M; total activations ~ 16.5M'), a figure restated ('62,378,344
    # parameters, about 62.4 million'), two networks in one sentence ('The naive module outputs 32x32x672 and the
    # reduced one 32x32x480'); one slip: the reduced module's sum written 387,072 where its own terms add to
    # 32,768 + 32,768 + 221,184 + 8,192 + 76,800 + 16,384 = 388,096
    "course_prose_sentences.md": (65, {
        (15, "total", "params"): ("repeat", None),  # '62,378,344 parameters, about 62.4 million': scored once
        (43, "total", "?"): ("unknown", None),  # 'that is 13, a 13x13 receptive field': the bare 13 said no more
        (49, "total", "weights"): ("wrong", "arithmetic"),
    }),
    # the course's problems as a program pasted without fences: its definitions, loops and a dict of calls
    # ('conv(11,3,96)') hold arguments, not figures; what it printed ('conv1 34944') says no quantity and is left
    # unread; a table of VGG-19 (conv1-1 ... conv5-4, unnumbered maxpools); bytes with no layer are the total's
    "course_code_cells.txt": (95, {
        (22, "total", "?"): ("unknown", None),  # 'total 62378344', printed: the program's words name no quantity
        # 'r_1 = 5, r_2 = 9, r_3 = 13 => 13 x 13': the sheet never says which stack (three 5x5 is the question's)
        (62, "?", "rf"): ("unknown", None, 3),  # (its '=> 13 x 13' is the field restated as a square)
    }),
    # the course's problems typeset in LaTeX: a tabular with thin-space groups (34\,848), VGG's first block in
    # sentences with subscripted names (conv_{1,2}), a list for 'the three fully connected layers', an align* of
    # the Inception module's outputs and multiply-adds; every figure right
    "course_overleaf.tex": (44, {
        (32, "total", "rf"): ("repeat", None),  # 'a 13x13 region' after 'RF_3 = 3 * 4 + 1 = 13': the same field
    }),
    # the course's problems in arrows ('conv1 -> 55x55x96 ; params = ...', 'fc6 -> 4096': its units), VGG-19's
    # memory with a range of layers ('conv3_1..conv3_4 56x56x256 = 800K each': the first of them) and slips planted by
    # hand: conv1 without its 96 biases (11*11*3*96 = 34,848), the total 96 short (62,378,344 - 96 = 62,378,248),
    # the receptive field of three stacked 5x5 as the kernels added (5 + 5 + 5 = 15; 1 + 4 + 4 + 4 = 13)
    "course_arrows_slips.txt": (54, {
        (4, "conv1", "params"): ("wrong", "bias-forgotten"),
        (15, "total", "params"): ("wrong", "total-biases-missing"),
        (32, "total", "rf"): ("wrong", "rf-kernels-added"),
    }),
    # a wide table with the problem's own configuration in columns ('Input size', 'Filter size' 11x11, '# Filters',
    # 'Stride', 'Padding'): none of it is a claim; VGG-19 rows for two layers each ('Conv3-64 (x2)')
    "course_wide_table.md": (58, {}),
    # a handwritten page read by OCR: AlexNet on two GPUs as the paper has it (conv2 5*5*48*256 = 307,200, conv4
    # 3*3*192*384 = 663,552, conv5 3*3*192*256 = 442,368: right under that convention), 'W = ..., b = 96 => 34 944',
    # '96 @ 11x11' (the filters, given), numbered topics with figures ('3) RF of 3 stacked 5x5 (s=1): 5 -> 9 -> 13':
    # one field per layer), an aside about one layer ('params ~ 144 M (most in FC6: 7*7*512*4096 ~ 102.8 M)'), the
    # reduced module named '1x1 reductions', a saving said after its figure ('64 % fewer')
    "course_handwritten_ocr.txt": (37, {
        (18, "total", "?"): ("unknown", None),  # 'Sigma ~ 60.97 M': the sum of what, the words never say
    }),
    # other conventions, said: shapes C x H x W 'in PyTorch order' (the paper's AlexNet still: no torchvision named),
    # parameters in K and M, the parameters' memory (62,378,344 x 4 B / 2^20 = 237.95 MiB), MiB for the
    # activations (16,542,184 x 4 / 2^20 = 63.10 MiB), GFLOPs with '(2 FLOPs per multiply-add)', a field from its
    # working alone ('1 + 3*(5-1) = 13'), one module's cost as a percentage of the other's
    "course_conventions.md": (29, {
        # '(a) 672x32x32 and 480x32x32. (b) 2.23 GFLOPs vs 0.79 GFLOPs': two answers, the line names no module
        (20, "total", "output"): ("unknown", None, 2),
        (20, "total", "flops"): ("unknown", None, 2),
    }),
    # lecture notes full of figures that are no claim: layer counts ('8 layers (5 conv + 3 FC)', '16-19 layers'),
    # error rates ('top 5 error 16.4% -> 11.7%'), hyper-parameters, the problem's filters; and the slides' own
    # figures (VGG16's 'TOTAL memory: 24M', GoogLeNet's '5M params' and '12x less than AlexNet')
    "lecture_notes_distractors.txt": (11, {
        (18, "total", "activations"): ("wrong", "published-figure"),
        (18, "total", "bytes"): ("consistent", None),
        (21, "total", "params"): ("wrong", "published-figure"),
        (21, "ratio", "params"): ("wrong", None),  # 62,378,344 / 6,998,552 = 8.9, not 12
    }),
    # AlexNet's multiply-adds and receptive fields per layer by hand (conv1 55*55*96*11*11*3 = 105,415,200 ...,
    # 1,135,256,096 in all; fields by r += (K - 1) x jump: 11, 19, 51, 67, 99, 131, 163, 195), an aside on VGG-19's
    # FC layers ('(the three FC layers: 123.6M, i.e. 86%)': 123,642,856 of 143,667,240), the stack said in pieces
    # ('Each 5x5 layer adds 4: 5, 9, 13. So three layers see 13x13, like one 13x13 filter (... 75 weights ...
    # instead of 169)'); every figure right
    "course_macs_rf_table.md": (56, {}),
    # slips planted and worked by hand: conv1 on a 224 input ((224 - 11)/4 + 1 = 54), conv2 following from it
    # (pool1 (54 - 3)/2 + 1 = 26, pad 2 keeps 26), 884,736 written 884,763 under its own working, fc6 fed the 256
    # channels (256*4096 + 4096 = 1,052,672), the kernel 3x3x256 for conv5's output, VGG-16's 138M for VGG-19, the
    # total of activations without the input (16,542,184 - 224*224*3 = 16,391,656; x 4 = 65,566,624), the slides'
    # 28x28 for the 32x32 module (28*28*(128*256 + 192*9*256 + 96*25*256) = 854,196,224), naive/reduced for
    # reduced/naive
    "course_planted_slips.txt": (11, {
        (4, "conv1", "output"): ("wrong", "wrong-input-size"),
        (5, "conv2", "output"): ("consistent", None),
        (6, "conv3", "weights"): ("wrong", "arithmetic"),
        (7, "fc6", "params"): ("wrong", "fc-input-unflattened"),
        (8, "conv5", "output"): ("wrong", "kernel-as-output"),
        (11, "total", "params"): ("wrong", "wrong-network"),
        (12, "total", "activations"): ("wrong", "input-left-out"),
        (12, "total", "bytes"): ("consistent", None),
        (15, "total", "macs"): ("wrong", "wrong-input-size"),
        (16, "ratio", "macs"): ("wrong", "ratio-inverted"),
    }),
    # a notebook exported as text: what a loop printed ('conv1: weights=34848 biases=96 params=34944'), a call's
    # arguments ('In [3]: out_size(227, 11, 4, 0)'), shapes printed as tuples ('conv1 (96, 55, 55) pool1 ...')
    "notebook_printed_values.txt": (29, {
        (18, "total", "?"): ("unknown", None),  # 'Out[3]: 55': what the call computes, the line does not say
    }),
    # questions and answers in Markdown: '**Q:** What is the output volume of CONV1?' then '**A:** ... **55 x 55 x
    # 96**' (the answer is the asked layer's), bold around figures and labels ('**614,656** params'); all right
    "course_questions_answers.md": (12, {}),
    # the Inception modules' multiply-adds branch by branch, under short headings that name the module and the
    # quantity ('Reduced module MACs'): 32*32*128*256 = 33,554,432 written '335,544,32' (its digits kept: right, the
    # grouping noted), the branches' filters in their labels ('1x1 reduce 32 -> 5x5 96:') no figures, sums
    # printed without a value no claims
    "course_inception_branches.txt": (7, {}),
    "alexnet_224.md": (33, {
        (7, "conv1", "output"): ("wrong", "wrong-input-size"),
        **{(n, s, "output"): ("consistent", None) for n, s in ((8, "pool1"), (9, "conv2"), (10, "pool2"),
                                                               (11, "conv3"), (12, "pool5"))},
        (13, "fc6", "weights"): ("consistent", None),
        (13, "fc6", "params"): ("consistent", None),
        (16, "total", "params"): ("consistent", None),
    }),
}


def _grade(name, **kw):
    path = SHEETS / name
    return check_sheet(path.read_text(encoding="utf-8"), str(path), **kw)


def _bottleneck(c_in: int, width: int, projection: bool) -> tuple[int, int]:
    """(parameters, of which batch norm) of one torchvision bottleneck: 1x1, 3x3, 1x1 (4 x width)
    convolutions without bias, each with a batch norm (2 per channel), and a 1x1 projection with its own."""
    convs = c_in * width + 9 * width * width + width * 4 * width + (c_in * 4 * width if projection else 0)
    norms = 2 * (width + width + 4 * width) + (2 * 4 * width if projection else 0)
    return convs + norms, norms


def _stage(c_in: int, width: int, blocks: int) -> tuple[int, int]:
    first, first_bn = _bottleneck(c_in, width, True)
    rest, rest_bn = _bottleneck(4 * width, width, False)
    return first + (blocks - 1) * rest, first_bn + (blocks - 1) * rest_bn


def test_the_hand_figures():
    assert ALEXNET_TOTAL == 62_378_344 and INCEPTION_REDUCED_PARAMS == 388_736
    # ResNet-50's stages (He et al.'s conv2_x to conv5_x; torchvision's layer1 to layer4), as the sheet has them
    assert [_stage(64, 64, 3)[0], _stage(256, 128, 4)[0], _stage(512, 256, 6)[0], _stage(1024, 512, 3)[0]] == \
        [215_808, 1_219_584, 7_098_368, 14_964_736]
    assert 7_098_368 - _stage(512, 256, 6)[1] == 7_077_888  # conv4_x without its batch norms, as planted
    assert 7 * 7 * 3 * 64 + sum(_stage(*s)[0] for s in ((64, 64, 3), (256, 128, 4), (512, 256, 6), (1024, 512, 3))) \
        + 2 * 64 + 2048 * 1000 + 1000 == 25_557_032
    assert round(INCEPTION_REDUCED_MACS / INCEPTION_NAIVE_MACS, 4) == 0.3562


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_sheet_is_graded_as_by_hand(name):
    count, odd = EXPECTED[name]
    sheet = _grade(name)
    odd_ones = [v for v in sheet.verdicts if v.status != "right" and v.status != "right-under-convention"]
    got = {(v.claim.line, v.claim.subject, v.claim.quantity): (v.status, v.slip) for v in odd_ones}
    assert got == {key: value[:2] for key, value in odd.items()}
    times = collections.Counter((v.claim.line, v.claim.subject, v.claim.quantity) for v in odd_ones)
    assert times == {key: (value[2] if len(value) > 2 else 1) for key, value in odd.items()}
    assert len(sheet.verdicts) == count
    # every figure left for a human says why (a model summary's nested container, no quantity named, ...)
    assert all(v.note for v in sheet.verdicts if v.status == "unknown")


def test_the_correct_values_of_the_planted_slips():
    tabs = {(v.claim.subject, v.claim.quantity): v for v in _grade("alexnet_tabs.txt").verdicts}
    assert tabs["conv3", "weights"].correct == ALEXNET_CONV3_WEIGHTS
    assert tabs["fc6", "weights"].correct == ALEXNET_FC6_WEIGHTS
    assert tabs["total", "params"].correct == ALEXNET_TOTAL
    assert "61,4656" in tabs["conv2", "params"].note and "614,656" in tabs["conv2", "params"].note
    vgg = {(v.claim.line, v.claim.quantity): v for v in _grade("cs231n_vgg16.txt").verdicts}
    # the sheet counts weights only (CS231n's convention): the slip is in its arithmetic
    assert f"{VGG_BLOCK5_WEIGHTS:,}" in vgg[20, "params"].note and vgg[20, "params"].slip == "arithmetic"
    lenet = {(v.claim.line, v.claim.quantity): v for v in _grade("lenet.ipynb").verdicts}
    assert lenet[12, "params"].correct == LENET_FC2 and "cell 1" in lenet[12, "params"].claim.where


def test_ratio_and_saving_in_prose_and_the_truncation_policy():
    inc = {v.claim.subject: v for v in _grade("inception.tex").verdicts if v.claim.subject in ("ratio", "saving")}
    assert inc["ratio"].status == "right" and "truncated" in inc["ratio"].note
    assert inc["saving"].status == "right"
    strict = _grade("inception.tex", grader=Grader(policy=GradingPolicy(truncation="reject")))
    ratio = next(v for v in strict.verdicts if v.claim.subject == "ratio")
    assert ratio.status == "wrong"


def test_without_follow_through_carried_errors_are_wrong():
    sheet = _grade("alexnet_224.md", grader=Grader(policy=GradingPolicy(follow_through=False)))
    assert not any(v.status == "consistent" for v in sheet.verdicts)
    assert sum(v.status == "wrong" for v in sheet.verdicts) == len(EXPECTED["alexnet_224.md"][1])


def _mutate(text: str, claimed: str) -> str | None:
    """The sheet with one written figure changed by a digit (its last significant one)."""
    digits = list(re.finditer(r"[1-9]", claimed))
    if not digits:
        return None
    d = digits[-1]
    new = claimed[:d.start()] + str((int(d.group(0)) % 9) + 1) + claimed[d.end():]
    return text.replace(claimed, new, 1) if text.count(claimed) == 1 else None


@pytest.mark.parametrize("name", ["alexnet_tabs.txt", "inception.tex", "alexnet_224.md"])
def test_a_changed_figure_is_never_right(name):
    """Mutation test: every figure the grader marks right, changed by one digit, is no longer right."""
    path = SHEETS / name
    text = path.read_text(encoding="utf-8")
    tried = 0
    for v in check_sheet(text, str(path)).verdicts:
        if v.status != "right" or v.claim.quantity == "output" or v.claim.value.value == 0:
            continue
        changed = _mutate(text, v.claim.claimed)
        if changed is None:
            continue
        after = [w for w in check_sheet(changed, str(path)).verdicts
                 if (w.claim.line, w.claim.subject, w.claim.quantity) ==
                 (v.claim.line, v.claim.subject, v.claim.quantity)]
        assert after and after[0].status not in ("right", "right-under-convention"), (v.claim.claimed, after)
        tried += 1
    assert tried >= 5


def test_numbers_as_people_round_them():
    assert parse_number("800K").matches(802_816) and parse_number("400K").matches(401_408)
    assert parse_number("60M").matches(62_378_344) and not parse_number("60M").matches(66_000_000)
    assert not parse_number("800,000").matches(802_816)  # written out in full: exact
    assert parse_number("approximately 58.4%").matches(0.584)
    assert parse_number("16,77,216").value == 1_677_216 and "Indian" in parse_number("16,77,216").grouping
    assert parse_number("35%").truncates(0.3562) and not parse_number("36%").truncates(0.3562)


def test_the_students_own_arithmetic():
    assert plain(r"$(3 \times 3 \times 64) \times 64 = 36{,}864$") == "(3 x 3 x 64) x 64 = 36,864"
    (r,) = runs(plain(r"$\lceil \frac{227-11+2*0}{4} \rceil + 1 = 55$"))
    assert evaluate(r.expression) == 55 and r.result == "55"
    assert evaluate("11*11*3*96") == 34_848 and evaluate("(5x5x256)x4096") == 26_214_400
    sheet = check_sheet("AlexNet\nconv1 params: 11*11*3*96 + 96 = 34,994\n", "a.txt")
    (v,) = sheet.verdicts
    assert v.status == "wrong" and v.slip == "arithmetic" and "34,944" in v.note


@pytest.mark.parametrize("text, subject, quantity, status", [
    ("VGG16\n[224x224x64] is the output of CONV3-64\n", "block1.conv1", "output", "right"),
    ("AlexNet\nconv1: [55x55x96]\n", "conv1", "output", "right"),
    ("AlexNet\nfc6 weights = 6400*4096 = 26,214,400\n", "fc6", "weights", "wrong"),
    ("AlexNet\ninput memory: 227*227*3 = 154,587\n", "input", "activations", "right"),
    ("GoogLeNet\nTotal params: 6,998,552\n", "total", "params", "graded"),
    # a notebook exported as text: the In [n] working and its Out[n] result are one figure, the prompt no label
    ("AlexNet\nIn [3]: 3*3*256*384\nOut[3]: 884736\n", "conv3", "weights", "right"),
    ("AlexNet\nIn [3]: 3*3*256*384\nOut[3]: 884763\n", "conv3", "weights", "wrong"),
    ("AlexNet\nIn [4]: conv1 = 11*11*3*96 + 96\n", "conv1", "params", "right"),
])
def test_lines_read_as_written(text, subject, quantity, status):
    """Each line is read as the claim named (layer and quantity) and graded; where the grade is pinned,
    the figure was worked out by hand (224x224x64; 55x55x96; 6400*4096 is not 9216*4096; 227x227x3)."""
    sheet = check_sheet(text, "a.txt")
    (v,) = [v for v in sheet.verdicts if (v.claim.subject, v.claim.quantity) == (subject, quantity)]
    assert v.status != "unknown" if status == "graded" else v.status == status


def test_fc_fed_another_map_is_named():
    sheet = check_sheet("AlexNet\nfc6 weights = 6400*4096 = 26,214,400\n", "a.txt")
    (v,) = sheet.verdicts
    assert v.slip == "fc-other-map" and "5x5x256" in v.note


def test_a_sheet_naming_no_network_is_read_from_its_working_and_says_so():
    # the working names AlexNet's kernels and channels (11x11 from 3 to 96, 5x5 from 96 to 256): the network is
    # chosen from it, and the sheet says it was not named
    sheet = check_sheet("Layer\tOutput\tParams\nconv1\t55x55x96\t11*11*3*96 + 96 = 34,944\n"
                        "conv2\t27x27x256\t5*5*96*256 + 256 = 614,656\n", "a.txt")
    (net, how), = sheet.networks.items()
    assert net == "alexnet" and "not named" in how
    assert [v.status for v in sheet.verdicts] == ["right"] * 4
    # labels alone (conv1, conv2) fit AlexNet, ZFNet, LeNet-5 and GoogLeNet alike: nothing is guessed, and the
    # figures are listed as unknown, whatever they are (a shape that happens to be AlexNet's decides nothing)
    sheet = check_sheet("Layer\tOutput\tParams\nconv1\t55x55x96\t34,944\nconv2\t27x27x256\t614,656\n", "a.txt")
    assert not sheet.networks and {v.status for v in sheet.verdicts} == {"unknown"}
    assert all("several" in v.note for v in sheet.verdicts)
    # and a figure with no header or word naming its quantity is unknown, never the quantity its value fits
    sheet = check_sheet("AlexNet\nconv1\t55x55x96\t34,944\n", "a.txt")
    assert [(v.claim.quantity, v.status) for v in sheet.verdicts] == [("output", "right"), ("?", "unknown")]


def test_the_json_contract(tmp_path, capsys):
    assert main(["check", str(SHEETS / "alexnet_tabs.txt"), "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    keys = {"line", "network", "subject", "quantity", "claimed", "status", "correct", "slip", "note"}
    assert data["claims"] and all(keys <= set(c) for c in data["claims"])
    assert {c["status"] for c in data["claims"]} <= {"right", "right-under-convention", "consistent", "wrong",
                                                     "unknown"}
    assert data["unread"] == [{"line": 2, "where": None, "text": "Q2) AlexNet (single tower, 227x227x3 input)"}]


def test_a_class_at_once(tmp_path, capsys):
    book, out = tmp_path / "grades.csv", tmp_path / "feedback"
    out.mkdir()
    assert main(["check", str(SHEETS), "--gradebook", str(book), "-o", str(out)]) == 0
    rows = list(csv.DictReader(book.open()))
    assert sorted(Path(r["sheet"]).name for r in rows) == sorted(EXPECTED)
    for r in rows:
        count, odd = EXPECTED[Path(r["sheet"]).name]
        wrong = sum(v[2] if len(v) > 2 else 1 for v in odd.values() if v[0] == "wrong")
        unscored = sum(v[2] if len(v) > 2 else 1 for v in odd.values() if v[0] in ("unknown", "repeat"))
        assert (int(r["right"]), int(r["graded"])) == (count - wrong - unscored, count - unscored)
    pages = sorted(p.name for p in out.iterdir())
    assert pages == sorted([Path(n).stem + ".md" for n in EXPECTED] + ["summary.md"])
    summary = (out / "summary.md").read_text()
    for slip in ("arithmetic", "wrong-input-size", "kernel-as-output", "total-biases-missing"):
        assert slip in summary
    # nothing is overwritten without --force
    assert main(["check", str(SHEETS), "--gradebook", str(book)]) == 2


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.x*=+-()[]$\\|\t\n%KMabcfilnoptuv_:")), max_size=300))
def test_any_text_is_read_without_a_crash(text):
    with contextlib.suppress(ClaimsError):
        check_sheet("AlexNet\n" + text, "f.txt")


SHEET_ALPHABET = [*list("0123456789 ,.x*=+-()[]{}$\\|\t\n%KMGabcdefilnoprstuvx_:#&~\"'"), "conv", "pool", "fc", "\\frac", "\\times", "AlexNet", "VGG16"]


@fuzz_settings(400)
@given(st.lists(st.sampled_from(SHEET_ALPHABET), max_size=120), st.sampled_from([".txt", ".md", ".tex", ".ipynb"]))
def test_the_cli_reads_any_sheet_without_a_traceback(parts, suffix):
    """Any text, in any format a sheet is read as: exit 0 or 2, one line on stderr when 2, no internal error."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / f"sheet{suffix}"
        f.write_text("".join(parts), encoding="utf-8")
        rc, out, err = run_cli(["check", f, "-f", "json"], codes=(0, 2), directory=Path(d))
        if rc == 0:
            json.loads(out)


@pytest.mark.parametrize("content, needle", [
    (b"\xff\xfe\x00binary", "cannot read sheet"),
    ("AlexNet\n" + "1" * 5000 + "\n", None),
    ("{\"cells\": 3}", "not a Jupyter notebook"),
    ("AlexNet\nconv1 params: " + "(" * 500 + "1" + ")" * 500 + "\n", None),
    ("AlexNet\nconv1 params: 10**10**10 = 5\n", None),
])
def test_hostile_sheets(tmp_path, content, needle):
    f = tmp_path / ("s.ipynb" if isinstance(content, str) and content.startswith("{") else "s.txt")
    f.write_bytes(content if isinstance(content, bytes) else content.encode())
    rc, out, err = run_cli(["check", f], codes=(0, 2), directory=tmp_path)
    if needle:
        assert rc == 2 and needle in err


def test_an_empty_folder_and_a_missing_sheet(tmp_path):
    rc, out, err = run_cli(["check", tmp_path], codes=(2,), directory=tmp_path)
    assert "holds no sheets" in err
    rc, out, err = run_cli(["check", tmp_path / "nope.txt"], codes=(2,), directory=tmp_path)
    assert "no such sheet" in err


@pytest.mark.skipif(shutil.which("pdflatex") is None and os.environ.get("SYMCNN_REQUIRE_TEX") != "1",
                    reason="pdflatex not installed (CI installs it)")
def test_feedback_pages_as_pdf(tmp_path):
    """Every student's page and the summary compile; the text of a page shows the wrong line, the right value and
    the slip, and no table runs past the right margin (pdftotext keeps the diagnosis column whole)."""
    import subprocess

    out = tmp_path / "fb"
    out.mkdir()
    assert main(["check", str(SHEETS), "-o", str(out), "--pdf"]) == 0
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted([Path(n).stem + ".pdf" for n in EXPECTED]
                                                               + ["summary.pdf"])
    text = subprocess.run(["pdftotext", "-layout", str(out / "alexnet_tabs.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Brook Taylor" in text and "WRONG" in text and "884,736" in text and "arithmetic" in text
    width = subprocess.run(["pdfinfo", str(out / "alexnet_tabs.pdf")], capture_output=True, text=True).stdout
    assert "Pages:" in width


def test_claims_files_take_bracketed_shapes_the_input_row_and_words():
    text = ("network vgg16\nblock1.conv1 output = [224x224x64]\ninput output = 224x224x3\n"
            "input activations = 150,528\ntotal params = approximately 138.4M\n")
    assert [v.status for v in check_sheet(text, "c.claims").verdicts] == ["right"] * 4
    assert [v.status for v in check_sheet(text.replace("150,528", "150,529"), "c.claims").verdicts][2] == "wrong"


def test_a_header_unit_scales_bare_figures():
    sheet = check_sheet("VGG16\nLayer\tMemory (K)\tParams (in millions)\nCONV3-64\t3,211\t0.0018\n"
                        "CONV3-64\t3,300\t0.04\nFC\t4.1\t102.76\n", "s.txt")
    got = [(v.claim.subject, v.claim.quantity, v.status) for v in sheet.verdicts]
    assert got[:2] == [("block1.conv1", "activations", "right"), ("block1.conv1", "params", "right")]
    assert got[4:] == [("fc6", "activations", "right"), ("fc6", "params", "right")]
    assert [v.status for v in sheet.verdicts[2:4]] == ["wrong", "wrong"]  # 3,300K and 0.04M are not conv1_2's


def test_networks_are_named_by_their_zoo_names_and_torch_means_the_torchvision_variant():
    from symcnn.grading.figures import read
    from symcnn.grading.vocabulary import mentions

    assert [m.networks for m in mentions("Q3: mobilenet-v2 and efficientnet-b0")] == \
        [("mobilenet-v2",), ("efficientnet-b0",)]
    assert [m.networks for m in mentions("AlexNet (the paper)")] == [("alexnet",)]
    assert [m.networks for m in mentions("VGG-19, not VGG")] == [("vgg19",), ("vgg11", "vgg13", "vgg16", "vgg19")]
    # the names come from the zoo's own headers (aka): a name no network has is no mention
    assert mentions("FooNet-12") == []
    assert read("alexnet torchinfo summary\nconv1: 11*11*3*64 + 64 = 23,296\n", "a.txt").sections[-1].named == \
        (("alexnet-torchvision",),)


def test_torchinfo_mult_adds_are_right_under_their_convention_and_a_slip_is_still_caught():
    """torchinfo counts a multiply-add per bias too: VGG-16's 15.48 G is right under that convention (conv
    biases: one add per output element, 13,555,712 of them, plus the fc layers' 9,192), not under symcnn's."""
    biases = (224 * 224 * 64 * 2 + 112 * 112 * 128 * 2 + 56 * 56 * 256 * 3 + 28 * 28 * 512 * 3 + 14 * 14 * 512 * 3
              + 4096 + 4096 + 1000)
    macs = 15_470_264_320
    assert round((macs + biases) / 1e9, 2) == 15.48 and round(macs / 1e9, 2) == 15.47
    sheet = check_sheet("VGG16 torchinfo\nTotal mult-adds (Units.GIGABYTES): 15.48\n", "v.txt", network="vgg16")
    (v,) = sheet.verdicts
    assert v.status == "right-under-convention" and "torchinfo" in v.note
    sheet = check_sheet("VGG16 torchinfo\nTotal mult-adds (Units.GIGABYTES): 15.58\n", "v.txt", network="vgg16")
    assert sheet.verdicts[0].status == "wrong"


PROBE = """LeNet-5 (LeCun 1998), input 32x32x1

C1: 6 filters 5x5 -> 28x28x6, params = (5*5*1+1)*6 = 156
C3: 16 filters 5x5 -> 10x10x16, params = (5*5*6+1)*16 = 2416

GoogLeNet inception (3a), input 28x28x192
1x1 conv, 64 filters: 28*28*64*192 = 9.6M mult-adds
3x3 conv, 128 filters: 28*28*128*3*3*192 = 173M mult-adds
"""


def test_the_given_input_and_a_filter_size_are_no_claims_and_a_working_decides_a_coincidence():
    """Found by trying a sheet in another student's style: 'input 32x32x1' is the problem's input (not the network's
    output, marked wrong); '6 filters 5x5' is the filters' size (not an output shape); and 28*28*128*3*3*192 for
    GoogLeNet's 3x3 branch (96 input channels) equals the layer's FLOPs only by coincidence: its working has no
    factor 2, so it is not credited as 'MACs counted as FLOPs' but wrong, with the input channels named."""
    sheet = check_sheet(PROBE, "probe.txt")
    by_line = {}
    for v in sheet.verdicts:
        by_line.setdefault(v.claim.line, []).append(v)
    assert 1 not in by_line and 6 not in by_line  # the inputs: nothing graded
    assert [v.claim.quantity for v in by_line[3]] == ["output", "params"]
    assert all(v.status == "right" for v in by_line[3] + by_line[4])
    (three,) = by_line[8]
    assert three.status == "wrong" and three.slip == "wrong-channels"
    assert "reads 96 input channels; the figure is right for 192" in three.note
    (one,) = by_line[7]
    assert one.status == "right"


def test_a_percentage_of_a_count_is_a_share_for_a_human_and_a_stack_is_the_one_called_stacked():
    """'about 94% of the parameters' is no parameter count (it was graded as AlexNet's total, WRONG); and in 'three
    stacked 3x3 convs ... vs one 7x7 layer' the question's stack is the stacked one, not the one named in passing."""
    text = ("## Q3. AlexNet\n\n| Layer | # Parameters |\n|---|---|\n| FC6 | 37,752,832 |\n\n"
            "Most of the parameters (about 94%) are in the FC layers.\n\n"
            "## Q6. Receptive field\n\nThree stacked 3x3 convs (stride 1): RF = 1 + 3*(3-1) = 7.\n"
            "Parameters: 27C^2 vs one 7x7 layer: 49C^2.\n")
    sheet = check_sheet(text, "probe.md")
    share = [v for v in sheet.verdicts if v.claim.claimed and "94%" in v.claim.claimed]
    assert share and all(v.status == "unknown" and "share" in v.note for v in share)
    rf = [v for v in sheet.verdicts if v.claim.quantity == "rf"]
    assert [(v.claim.network, v.status) for v in rf] == [("stack-3x3x3", "right")]


def test_branches_named_by_their_kernel_are_labels_and_split_a_line():
    """P7 written branch by branch: '3x3:' and '1x1 reduce 128: ..., 3x3 conv 192: ...' name branches by their
    kernels (the 3x3 is no output shape, marked wrong), and two labelled parts of one line are two entries."""
    text = ("Problem 7 - Inception\n\nNaive module output: 32 x 32 x 672\n"
            "Naive MACs:\n3x3: 32*32*192*3*3*256 = 452,984,832\n\n"
            "Reduced module output: 32 x 32 x 480\n"
            "1x1 reduce 128: 33,554,432 MACs, 3x3 conv 192: 32*32*192*3*3*128 = 226,492,416\n")
    sheet = check_sheet(text, "probe.txt")
    wrong = [v for v in sheet.verdicts if v.status == "wrong"]
    assert not wrong, [(v.claim.line, v.claim.claimed) for v in wrong]
    graded = {(v.claim.network, v.claim.subject, v.claim.quantity): v.status for v in sheet.verdicts
              if v.status != "unknown"}
    assert graded[("inception-naive", "inception.b2.conv3x3", "macs")] == "right"
    assert graded[("inception-reduced", "inception.b2.conv3x3", "macs")] == "right"
    assert graded[("inception-reduced", "inception.b2.reduce3x3", "macs")] == "right"


def test_parameters_without_biases_are_the_weights():
    """'Params without biases: 143,652,544' is VGG-19's weights (it was read as its biases, and marked wrong)."""
    sheet = check_sheet("VGG19\nTotal params: 143,667,240\nParams without biases: 143,652,544\n", "probe.txt")
    got = {(v.claim.quantity, v.status) for v in sheet.verdicts}
    assert got == {("params", "right"), ("weights", "right")}


def test_a_conv_layer_given_in_words_units_glued_to_scales_and_a_sum_of_weights_and_biases():
    """P1 with numbers ('input 32x32x3, 10 filters 5x5, stride 1, pad 2') is graded against that one layer (it was
    'no network'); '1.8 GFLOPs' is 1.8G FLOPs (it was 1.8); '34,848 weights + 96 biases = 34,944' is the parameters
    (it was read as the biases, and marked wrong)."""
    text = ("1. Conv layer: input 32x32x3, 10 filters 5x5, stride 1, pad 2.\n"
            "Output volume = (32 + 2*2 - 5)/1 + 1 = 32, so 32x32x10.\n"
            "Number of parameters = 5*5*3*10 + 10 = 760\n\n"
            "2. AlexNet CONV1: Parameters: (11*11*3)*96 = 34,848 weights + 96 biases = 34,944\n\n"
            "3. ResNet-18 has 11.7M params and 1.8 GFLOPs\n")
    sheet = check_sheet(text, "probe.txt")
    got = {(v.claim.network, v.claim.quantity, v.claim.written, v.status) for v in sheet.verdicts}
    assert ("conv-32x32x3-10f5s1p2", "params", "760", "right") in got
    assert ("alexnet", "params", "34,944", "right") in got
    assert ("resnet18", "flops", "1.8G", "right-under-convention") in got
    assert not [g for g in got if g[3] == "wrong"]


@pytest.mark.parametrize("words", ["with biases", "including biases", "weights and biases", "weights + biases"])
def test_words_that_add_the_biases_to_the_weights_name_the_parameters(words):
    sheet = check_sheet(f"AlexNet\nCONV1 weights: 34,848; {words}: 34,944\n", "probe.txt")
    got = {(v.claim.quantity, v.status) for v in sheet.verdicts}
    assert got == {("weights", "right"), ("params", "right")}, got


def test_kernels_named_in_words_are_no_shapes_and_bottlenecks_are_the_reduced_module():
    text = ("Inception module (P7), input 32x32x256\n\nNaive:\nTotal MACs = 1.1B\n\n"
            "With 1x1 bottlenecks:\n- 1x1 conv, 64 filters (before the 3x3 and 5x5) ...\nTotal MACs = 397M\n")
    sheet = check_sheet(text, "probe.txt")
    got = {(v.claim.network, v.claim.quantity, v.claim.written, v.status) for v in sheet.verdicts}
    assert got == {("inception-naive", "macs", "1.1B", "right"), ("inception-reduced", "macs", "397M", "right")}, got


def test_a_label_with_a_width_starts_a_new_part_of_the_line():
    sheet = check_sheet("ResNet-50\navg pool -> 1x1x2048, fc 1000: 2048*1000 + 1000 = 2,049,000 params\n", "p.txt")
    got = {(v.claim.subject, v.claim.quantity, v.status) for v in sheet.verdicts}
    assert got == {("avgpool", "output", "right"), ("fc", "params", "right")}, got


def test_a_comment_in_a_code_cell_is_no_heading_that_forgets_the_network():
    """'# conv1' in a code cell began a new question, so the network the Markdown heading named was forgotten and
    conv1's figure could not be graded."""
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["## LeNet-5 parameters\n"]},
             {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
              "source": ["# conv1: 6 filters 5x5 on 1 channel\n", "conv1 = 5*5*1*6 + 6\n"]}]
    text = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    sheet = check_sheet(text, "hw.ipynb")
    assert [(v.claim.network, v.claim.subject, v.status) for v in sheet.verdicts] == [("lenet5", "conv1", "right")]


def test_an_output_size_formula_with_its_padding_written_as_a_number_names_the_size():
    sheet = check_sheet("P4 ZFNet\npool1: (110 - 3)/2 + 1 = 54.5, so with padding 1: (110 - 3 + 2)/2 + 1 = 55\n", "p.txt")
    assert {(v.claim.quantity, v.claim.written, v.status) for v in sheet.verdicts} == {
        ("size", "54.5", "right"), ("size", "55", "right")}


@pytest.mark.parametrize("figure, status", [("156", "right"), ("166", "wrong")])
def test_a_number_sign_says_number_of_and_an_indented_line_is_about_the_layer_above(figure, status):
    """'   # params = ... = 156' under 'C1 : ...' was a Markdown heading (a new question, the network forgotten) and
    then a total: it is C1's parameters (and a wrong figure there is still wrong)."""
    text = f"LeNet-5\nC1 : 6 filters 5x5 => 28 x 28 x 6\n   # params = (5*5*1 + 1) * 6 = {figure}\n"
    sheet = check_sheet(text, "p.txt")
    got = {(v.claim.network, v.claim.subject, v.claim.quantity, v.status) for v in sheet.verdicts}
    assert got == {("lenet5", "conv1", "output", "right"), ("lenet5", "conv1", "params", status)}, got


def test_an_indented_line_under_a_line_of_words_is_not_about_an_earlier_layer():
    text = "LeNet-5\nC1 : 6 filters 5x5 => 28 x 28 x 6\nIn total:\n   params = 61,706\n"
    sheet = check_sheet(text, "p.txt")
    assert ("total", "params", "right") in {(v.claim.subject, v.claim.quantity, v.status) for v in sheet.verdicts}


def test_a_network_the_subject_is_compared_with_does_not_take_the_section():
    """The slides' 'ZFNet: same as AlexNet but ...': the figures after it are ZFNet's (110 x 110 x 96 is wrong for
    AlexNet and right for ZFNet)."""
    text = ("ZF Net [Zeiler & Fergus 2013]\n\nSame as AlexNet but:\nCONV1: change from (11x11 stride 4) to (7x7 stride 2)\n"
            "conv1 : 96 filters 7x7 s=2 -> 110 x 110 x 96\n")
    sheet = check_sheet(text, "p.txt")
    assert [(v.claim.network, v.claim.subject, v.status) for v in sheet.verdicts] == [("zfnet", "conv1", "right")]
    # a question that names two networks at once still has both
    both = check_sheet("AlexNet vs VGG-16\nVGG-16 conv1_1 params = 1,792\n", "p.txt")
    assert [(v.claim.network, v.status) for v in both.verdicts] == [("vgg16", "right")]


@pytest.mark.parametrize("figure, status", [("850", "right"), ("860", "wrong")])
def test_the_output_layer_with_parameters_is_the_last_layer_not_the_network(figure, status):
    sheet = check_sheet(f"LeNet-5\nOutput : 84 -> 10, params = {figure}\n", "p.txt")
    got = {(v.claim.subject, v.claim.quantity, v.status) for v in sheet.verdicts}
    assert got == {("fc3", "params", status)}, got


def test_a_layer_named_in_brackets_before_its_working_and_an_aside_compared_with():
    text = ("Inception module (naive), input 32x32x256\n[1x1 conv, 128] 32x32x128x1x1x256 = 33.5M MACs\n"
            "[5x5 conv, 96] 32x32x96x5x5x256 = 629M MACs\n\nWith 1x1 \"bottleneck\" layers:\n"
            "Total : 397M MACs   (vs 1.1B)\n")
    sheet = check_sheet(text, "p.txt")
    got = {(v.claim.network, v.claim.subject, v.claim.written, v.status) for v in sheet.verdicts}
    assert got == {("inception-naive", "inception.b1.conv1x1", "33.5M", "right"),
                   ("inception-naive", "inception.b3.conv5x5", "629M", "right"),
                   ("inception-reduced", "total", "397M", "right")}, got
    # the bracketed label decides the layer: the 3x3's figure under the 1x1's label is wrong
    swapped = check_sheet("Inception module (naive), input 32x32x256\n[1x1 conv, 128] 32x32x192x3x3x256 = 453M MACs\n",
                          "p.txt")
    assert [v.status for v in swapped.verdicts] != ["right"]


@pytest.mark.parametrize("mutate", [False, True])
def test_p1_in_the_problems_letters_per_filter_figures_and_numbered_topics(mutate):
    """P1 stated as 'Input W1 x H1 x D1 = 32 x 32 x 3, K = 10 filters, F = 5, S = 1, P = 2': the layer is read from
    the letters; W2, D2 and the weights per filter are claims of their own (5*5*3 = 75 is one filter's weights, not
    the layer's 750); '3) Receptive field' is a new topic, not more of AlexNet."""
    w2, per, depth = ("33", "76", "11") if mutate else ("32", "75", "10")
    text = (f"1) Conv layer\nInput W1 x H1 x D1 = 32 x 32 x 3, K = 10 filters, F = 5, S = 1, P = 2\n"
            f"W2 = (32 - 5 + 2*2)/1 + 1 = {w2}\nD2 = {depth}\nweights per filter = 5*5*3 = {per}\n\n"
            "2) AlexNet\nconv1 params = 11*11*3*96 + 96 = 34,944\n\n"
            "3) Receptive field\n3 stacked 5x5 convs (stride 1): RF = 3*5 - 3 + 1 = 13\n")
    sheet = check_sheet(text, "p.txt")
    got = {(v.claim.quantity, v.status) for v in sheet.verdicts}
    mark = "wrong" if mutate else "right"
    assert {("size", mark), ("depth", mark), ("weights-per-filter", mark)} <= got, got
    assert ("params", "right") in got and ("rf", "right") in got, got
    assert all(v.claim.network != "alexnet" for v in sheet.verdicts if v.claim.quantity == "rf")


def test_per_filter_quantities_in_a_claims_file():
    """AlexNet's conv1: one filter is 11 x 11 x 3 = 363 weights, 364 with its bias (the arithmetic spelled out)."""
    sheet = check_sheet("network alexnet\nconv1 weights-per-filter = 363\nconv1 params-per-filter = 364\n"
                        "conv1 depth = 96\nconv2 weights-per-filter = 364\n", "c.claims")
    assert [v.status for v in sheet.verdicts] == ["right", "right", "right", "wrong"]


@pytest.mark.parametrize("share, fb, status", [("102.8M", "122", "right"), ("112.8M", "132", "wrong")])
def test_a_layer_word_before_a_decimal_figure_and_backward_said_after_the_figure(share, fb, status):
    """'the first FC layer (102.8M ...)': 102 is no layer number (it was blanked, leaving '.8M'); '~122 MB with
    backward' is forward + backward (it was forward, credited under another convention)."""
    text = (f"VGG16\nTotal memory ~ 15.2M x 4 bytes ~ 61 MB / image, ~{fb} MB with backward\n"
            f"Most of the parameters are in the first FC layer ({share}, about 74%)\n")
    sheet = check_sheet(text, "p.txt")
    got = {(v.claim.subject, v.claim.quantity, v.status) for v in sheet.verdicts if v.status != "unknown"}
    assert ("total", "bytes-fb", status) in got and ("fc6", "params", status) in got, got


SLIDES_ALEXNET = """AlexNet case study
Input: 227x227x3 images

First layer (CONV1): 96 11x11 filters applied at stride 4
=>
Q: what is the output volume size? Hint: (227-11)/4+1 = {size}
Output volume [{size}x{size}x96]
Q: What is the total number of parameters in this layer?
Parameters: (11*11*3)*96 = 35K

Second layer (POOL1): 3x3 filters applied at stride 2
Q: what is the number of parameters in this layer?
Parameters: {pool}!

Details:
- dropout 0.5
- Learning rate 1e-2, reduced by 10 manually when val accuracy plateaus
- 7 CNN ensemble: 18.2% -> 15.4%
"""


@pytest.mark.parametrize("size, pool, status", [("55", "0", "right"), ("54", "1", "wrong")])
def test_the_slides_layer_blocks_keep_their_layer_through_questions_and_training_details_are_no_claims(
        size, pool, status):
    """A layer named once ('First layer (CONV1)') and then questions about it: every figure is that layer's (the
    output was graded as the network's, POOL1's zero parameters as the total); the training details ('reduced by 10',
    '18.2% -> 15.4%') were graded wrong as activations."""
    sheet = check_sheet(SLIDES_ALEXNET.format(size=size, pool=pool), "p.txt")
    graded = {(v.claim.subject, v.claim.quantity, v.status) for v in sheet.verdicts if v.status != "unknown"}
    assert graded == {("conv1", "size", status), ("conv1", "output", status), ("conv1", "params", "right"),
                      ("pool1", "params", status)}, graded


def test_a_single_filter_the_stack_is_compared_with_is_no_crash_and_not_the_stack():
    """'(e) ... one 13x13 filter: 169 C^2' made a one-layer 'stack' whose ratio looked for zoo names and stopped the
    whole sheet with an error."""
    text = ("P6 Receptive field\n(c) Three 5x5 layers: RF = 3*5 - 3 + 1 = 13\n"
            "(e) params of the stack: 75 C^2; one 13x13 filter: 169 C^2\n    ratio = 75/169 = 0.44\n")
    sheet = check_sheet(text, "p.txt")
    assert ("stack-3x5x5", "rf", "right") in {(v.claim.network, v.claim.quantity, v.status) for v in sheet.verdicts}


@pytest.mark.parametrize("written, status", [("reduced/naive = 0.356", "right"), ("naive/reduced = 0.356", "wrong"),
                                             ("naive/reduced = 2.81", "right")])
def test_a_ratio_written_as_a_quotient_of_two_networks_is_that_quotient(written, status):
    sheet = check_sheet(f"P7 Inception modules\nMACs ratio {written}\n", "p.txt")
    assert [(v.claim.quantity, v.status) for v in sheet.verdicts] == [("macs", status)]


@pytest.mark.parametrize("figure, status", [("452,984,832", "right"), ("452,984,833", "wrong")])
def test_a_line_of_words_ending_in_a_colon_gives_its_list_a_quantity(figure, status):
    text = f"P7 Inception (naive)\n(b) naive MACs:\n    1x1: 32*32*256*128 = 33,554,432\n    3x3: 32*32*256*9*192 = {figure}\n"
    sheet = check_sheet(text, "p.txt")
    got = {(v.claim.subject, v.claim.quantity, v.status) for v in sheet.verdicts}
    assert ("inception.b2.conv3x3", "macs", status) in got, got


@pytest.mark.parametrize("params, status", [("34,944", "right"), ("34,954", "wrong")])
def test_a_part_under_a_heading_that_names_the_network_and_a_table_with_row_numbers_and_inputs(params, status):
    """'# ... AlexNet (P3)' then '## (a) 227 x 227 input': the part is about AlexNet (its table was ungraded, 'no
    network named'); the '#' column is the row's number and the Input column the row above's output: no claims."""
    text = ("# Assignment 1: AlexNet (P3)\n\n## (a) 227 x 227 input, single tower\n\n"
            "| # | Layer | Input | Output | Params |\n|---|---|---|---|---|\n"
            f"| 1 | Conv 11x11/4, 96 | 227x227x3 | 55x55x96 | {params} |\n"
            "| 2 | MaxPool 3x3/2 | 55x55x96 | 27x27x96 | 0 |\n")
    sheet = check_sheet(text, "hw.md")
    got = [(v.claim.network, v.claim.subject, v.claim.quantity, v.status) for v in sheet.verdicts]
    assert got == [("alexnet", "conv1", "output", "right"), ("alexnet", "conv1", "params", status),
                   ("alexnet", "pool1", "output", "right"), ("alexnet", "pool1", "params", "right")], got


@pytest.mark.parametrize("figure, status", [("1516", "right-under-convention"), ("1526", "wrong")])
def test_a_sentence_that_names_lenets_c3_and_the_papers_sparse_connections(figure, status):
    sheet = check_sheet(f"LeNet-5\nC3: 10x10x16\nthe paper's C3 only connects some maps: {figure} params\n"
                        "C3 -> 10x10x16, S4 -> 5x5x16\n", "p.txt")
    got = {(v.claim.subject, v.claim.quantity, v.status) for v in sheet.verdicts}
    assert ("conv2", "params", status) in got and ("pool2", "output", "right") in got, got


@pytest.mark.parametrize("mutate", [False, True])
def test_another_students_problem_4_in_their_own_notation(mutate):
    """Found on a sheet written the way the course's students write: a 'total' column after weights and biases (the
    parameters), '4096 act., 25088*4096 + 4096 = ...' (the word after the first figure is not the second's), a pool's
    H x W x C product (its activations), a range of layers ('conv3_1 .. conv3_4': the first layer's; after 'then' listed
    for a human, '590,080 x 3' no shape), 'For N = 3, F = 5' (the stack; N = 3 is given), '13, so 13x13' (one field),
    '; with 1x1 reductions: 32x32x480' (the reduced module) and '2.81x cheaper' (the larger over the smaller)."""
    bad = (lambda v: v[:-1] + str((int(v[-1]) + 1) % 10)) if mutate else (lambda v: v)
    text = ("Problem 4\n\nQ1. AlexNet\n\nLayer | Kernel | Output | # weights | # biases | total\n"
            f"Conv1 | 11x11x3, 96, s=4 | 55x55x96 | 34,848 | 96 | {bad('34,944')}\n\n"
            "Q2. VGG19\n"
            f"conv3_1 .. conv3_4: 56x56x256 = 802,816 each; params {bad('295,168')} then 590,080 x 3\n"
            f"pool5: 7x7x512 = {bad('25,088')}\n"
            f"fc6: 4096 act., 25088*4096 + 4096 = {bad('102,764,544')}\n\n"
            "Q3.\nN stacked: L - NF + N.\n"
            f"For N = 3, F = 5: receptive field 3*5 - 3 + 1 = 13, so 13x13.\n\n"
            f"Q4.\nb) naive: 32x32x672 ; with 1x1 reductions: 32x32x480\nd) ratio = {bad('2.81')}x cheaper\n")
    sheet = check_sheet(text, "p.txt")
    got = {(v.claim.network, v.claim.subject, v.claim.quantity): v.status for v in sheet.verdicts}
    mark = "wrong" if mutate else "right"
    assert got[("alexnet", "conv1", "params")] == mark
    assert got[("vgg19", "block3.conv1", "params")] == mark
    assert got[("vgg19", "block5.pool", "activations")] == mark
    assert got[("vgg19", "fc6", "activations")] == "right" and got[("vgg19", "fc6", "params")] == mark
    assert got[("stack-3x5x5", "total", "rf")] == "right"
    assert got[("inception-reduced", "total", "output")] == "right"
    assert got[("inception-reduced", "ratio", "macs")] == mark
    assert not [v for v in sheet.verdicts if v.status == "unknown"], [v.claim for v in sheet.verdicts
                                                                         if v.status == "unknown"]
    assert any("then" in u[2] for u in sheet.unread)


def test_a_line_with_its_own_label_ends_the_block_of_a_layer_named_above():
    """'[1x1 conv, 64] 32x32x64x1x1x256' (a layer, no result) then 'Total: 397M ops': the module's 'output' after
    them is the module's, not the 1x1 convolution's (it was graded wrong against the branch)."""
    text = ("Inception with 1x1 bottleneck layers (32x32x256 input)\n[1x1 conv, 64] 32x32x64x1x1x256\n"
            "Total: 397M ops\noutput 32x32x480\n")
    sheet = check_sheet(text, "p.txt")
    got = {(v.claim.subject, v.claim.quantity, v.status) for v in sheet.verdicts}
    assert ("total", "output", "right") in got, got


@pytest.mark.parametrize("figure, slip", [("62,378,344", "biases-included"), ("62,378,345", None),
                                          ("34,944", "biases-included")])
def test_biases_counted_where_only_the_weights_were_asked_for_are_named(figure, slip):
    """AlexNet's weights are 62,367,776 (conv1's 34,848); with the 10,568 biases (conv1's 96) they are the
    parameters: a 'weights' figure that equals them is wrong, and the slip says why."""
    label = "Total weights" if figure.startswith("62") else "conv1 weights"
    sheet = check_sheet(f"AlexNet\n{label} = {figure}\n", "p.txt")
    (v,) = sheet.verdicts
    assert v.status == "wrong" and v.slip == slip, (v.status, v.slip, v.note)


@pytest.mark.parametrize("fc, conv, status", [("123,642,856", "14,714,688", "right"),
                                              ("123,642,756", "14,714,788", "wrong")])
def test_every_layer_of_a_family_and_a_share_of_a_whole(fc, conv, status):
    """VGG-16's FC layers hold 102,764,544 + 16,781,312 + 4,097,000 parameters; the convolutions the rest of
    138,357,544. '74.3% of all parameters' after a layer's figure is that layer's share (102,764,544 / 138,357,544
    = 74.27%; it was once graded as the layer's parameters), and graded as one."""
    assert round(100 * 102_764_544 / 138_357_544, 1) == 74.3
    text = (f"VGG16\nfc layers params: 102,764,544 + 16,781,312 + 4,097,000 = {fc}\nall conv layers params = {conv}\n"
            "fc6 params: 102,764,544, which is 74.3% of all parameters\n")
    sheet = check_sheet(text, "p.txt")
    got = {(v.claim.subject, v.claim.written): v.status for v in sheet.verdicts}
    assert got[("all-fc", fc)] == status and got[("all-conv", conv)] == status, got
    assert got[("fc6", "102,764,544")] == "right" and got[("share", "74.3%")] == "right", got


@pytest.mark.parametrize("figure, status", [("36,928", "right"), ("36,982", "wrong")])
def test_a_layer_followed_by_a_verb_is_the_layer(figure, status):
    sheet = check_sheet(f"VGG16\nconv1_1 has 1,792 parameters\nconv1_2 has {figure} parameters\n", "p.txt")
    got = {(v.claim.subject, v.status) for v in sheet.verdicts}
    assert got == {("block1.conv1", "right"), ("block1.conv2", status)}, got


def test_one_leading_space_is_no_indentation():
    """OCR'd notes start lines with a stray space: only a real indent (two or more) puts a line under a layer."""
    sheet = check_sheet("LeNet-5\nC1 : 6 filters 5x5 => 28 x 28 x 6\n params = 61,706\n", "p.txt")
    assert ("total", "params", "right") in {(v.claim.subject, v.claim.quantity, v.status) for v in sheet.verdicts}


def test_a_numbered_list_of_layers_is_no_list_of_topics():
    sheet = check_sheet("AlexNet\n1. CONV1 55x55x96\n2) pool1 -> 27x27x96\n3) Receptive field\n"
                        "3 stacked 5x5 convs: RF = 13\n", "p.txt")
    got = [(v.claim.network, v.claim.subject, v.status) for v in sheet.verdicts]
    assert got == [("alexnet", "conv1", "right"), ("alexnet", "pool1", "right"), ("stack-3x5x5", "total", "right")]


def test_a_labelled_share_and_a_factor_between_networks_are_graded_by_their_value():
    """'FC layers ~ 58.6M (96%)' is the FC layers' share of the parameters (58,631,144 / 61,100,840 = 95.96%, by
    hand from torchvision's AlexNet); '12x less than AlexNet' a factor of AlexNet's parameters over GoogLeNet's;
    a changed figure is wrong, and a percentage on the total is the total's share (100%), so '0e3%' earns
    nothing."""
    assert round(100 * 58_631_144 / 61_100_840) == 96 and round(62_378_344 / 6_998_552, 1) == 8.9

    def status(text):
        return [(v.claim.subject, v.claim.other, v.status) for v in check_sheet(text, "probe.txt").verdicts
                if v.claim.subject in ("share", "ratio")]

    head = "AlexNet (torchvision)\nConv layers ~ 2.5M params, FC layers ~ 58.6M "
    assert status(head + "(96%)\n") == [("share", "all-fc", "right")]
    assert status(head + "(90%)\n") == [("share", "all-fc", "wrong")]
    assert status("VGG16\nTotal params: 0e3%\n") == [("share", "total", "wrong")]
    ratio = "GoogLeNet\n- Only 7 million parameters! {}x less than AlexNet\n"
    assert status(ratio.format("8.9")) == [("ratio", "alexnet", "right")]
    assert status(ratio.format(12)) == [("ratio", "alexnet", "wrong")]


@pytest.mark.parametrize("line", ["Weight decay of $1 e-5$", "Learning rate: 0.1, divided by 10 when it plateaus",
                                  "- 152-layer model for ImageNet", "Total depths of 34, 50, 101, or 152 layers",
                                  "ILSVRC'15 winner (3.57% top 5 error)", "Mini-batch size 256"])
def test_training_settings_layer_counts_and_error_rates_are_no_claims(line):
    sheet = check_sheet("ResNet\nconv1: 112x112x64\n" + line + "\n", "probe.txt")
    assert [v.claim.line for v in sheet.verdicts] == [2]


def test_a_slip_in_ops_that_count_multiply_adds_is_named():
    """The slides' 'Conv Ops' count multiply-adds (one multiply-add, one operation): 32*32*96*3*3*256 = 226,492,416
    for the naive module's 5x5 branch is a 3x3 kernel's count (its true 32*32*96*5*5*256 = 629,145,600, by hand),
    and the slip is named under that convention; the figure stays wrong."""
    assert 32 * 32 * 96 * 3 * 3 * 256 == 226_492_416 and 32 * 32 * 96 * 5 * 5 * 256 == 629_145_600
    text = ("Naive Inception module (input 32x32x256)\n\nConv Ops:\n[1x1 conv, 128] 32x32x128x1x1x256 = 33,554,432\n"
            "[5x5 conv, 96] 32x32x96x3x3x256 = 226,492,416\n")
    (ok, slipped) = check_sheet(text, "ops.txt").verdicts
    assert ok.status == "right-under-convention"
    assert slipped.status == "wrong" and slipped.slip == "wrong-kernel" and "one operation" in slipped.note


def test_bytes_per_element_in_a_working_is_no_billion():
    """'16.5M * 4 B = 66 MB': the B after a small factor is bytes (the working gives 66,000,000), while a working
    that is wrong is still said to be."""
    right = check_sheet("VGG19\nTotal activations = 16,542,184 -> 16.5M * 4 B = 66 MB forward\n", "b.txt")
    bytes_ = [v for v in right.verdicts if v.claim.quantity == "bytes"]
    assert [v.status for v in bytes_] == ["right"] and "your working" not in bytes_[0].note
    wrong = check_sheet("VGG19\nTotal activations = 16,542,184 -> 16.5M * 4 B = 76 MB forward\n", "b.txt")
    assert [v.status for v in wrong.verdicts if v.claim.quantity == "bytes"] == ["wrong"]


def test_a_list_for_the_layers_of_one_family():
    """'The three fully connected layers have a, b and c parameters': fc6, fc7, fc8 in order (VGG-16's by hand:
    7*7*512*4096 + 4096 = 102,764,544; 4096*4096 + 4096 = 16,781,312; 4096*1000 + 1000 = 4,097,000); the list
    in another order is wrong where it is; a count the network does not have is unknown, never a guess."""
    assert 7 * 7 * 512 * 4096 + 4096 == 102_764_544 and 4096 * 4096 + 4096 == 16_781_312
    line = "VGG16\nThe three fully connected layers have {} parameters.\n"
    right = check_sheet(line.format("102,764,544, 16,781,312 and 4,097,000"), "f.txt")
    assert [(v.claim.subject, v.claim.quantity, v.status) for v in right.verdicts] == \
        [("fc6", "params", "right"), ("fc7", "params", "right"), ("fc8", "params", "right")]
    swapped = check_sheet(line.format("16,781,312, 102,764,544 and 4,097,000"), "f.txt")
    assert [v.status for v in swapped.verdicts] == ["wrong", "wrong", "right"]
    two = check_sheet("VGG16\nThe two fully connected layers have 102,764,544 and 16,781,312 parameters.\n", "f.txt")
    assert {v.status for v in two.verdicts} == {"unknown"}


def test_tex_escape_sets_every_character_of_a_sheet():
    """A sheet's arrows, approximations, Greek and circled numbers are set as LaTeX; a character LaTeX cannot set
    is named, never passed through to break pdflatex."""
    from symcnn.render.tex import tex_escape

    out = tex_escape("W = 11·11 ⟶ 55×55, Σ ≈ 60.97 M ① α 漢")
    assert r"$\longrightarrow$" in out and r"$\approx$" in out and r"$\Sigma$" in out and "(1)" in out
    assert r"$\alpha$" in out and "[U+6F22]" in out
    assert all(ord(ch) <= 0xFF for ch in out)


def test_code_without_a_fence_is_no_claim_but_workings_are():
    """Python pasted without a fence holds arguments (conv(11,3,96)), not figures; a working that calls floor or
    ends in its value, and a sentence that starts like a loop, are still read."""
    sheet = check_sheet("AlexNet\ndef conv(k, cin, cout): return k*k*cin*cout + cout\n"
                        "layers = {'conv1': conv(11,3,96),\n   'conv2': conv(5,96,256)}\n"
                        "conv1 output: floor((227 - 11)/4) + 1 = 55\n"
                        "for each layer in AlexNet: conv2 params = 5*5*96*256 + 256 = 614,656\n", "c.txt")
    got = [(v.claim.line, v.claim.subject, v.claim.quantity, v.status) for v in sheet.verdicts]
    assert got == [(5, "conv1", "size", "right"), (6, "conv2", "params", "right")]


def test_a_progression_through_a_stack_never_crashes_on_its_symbols():
    """'5 -> 9 -> 13' on three stacked 5x5 layers: with the field named, one figure per layer (1 + 4k by hand); with
    no quantity named, the layers' symbolic sizes ((L - 4)^2 ...) fit no number and the figures are unknown."""
    named = check_sheet("Three stacked 5x5 conv layers, receptive field: 5 -> 9 -> 13\n", "p.txt")
    assert [(v.claim.subject, v.claim.quantity, v.status) for v in named.verdicts] == \
        [(f"conv{k}", "rf", "right") for k in (1, 2, 3)] and [1 + 4 * k for k in (1, 2, 3)] == [5, 9, 13]
    bare = check_sheet("Three stacked 5x5 conv layers: 5 -> 9 -> 13\n", "p.txt")
    assert {v.status for v in bare.verdicts} <= {"unknown"}


def test_labelled_sentences_on_one_line():
    """'Total params: 138M. Total memory: 24M * 4 bytes = 96MB.' and 'conv1: 55x55x96. pool1: 27x27x96.': each
    sentence under its own label (the 24M is the notes' memory, not parameters; 27x27x96 is pool1's)."""
    sheet = check_sheet("VGG16\nTotal params: 138M. Total memory: 24M * 4 bytes = 96MB.\n", "s.txt")
    assert [(v.claim.subject, v.claim.quantity) for v in sheet.verdicts] == \
        [("total", "params"), ("total", "activations"), ("total", "bytes")]
    sheet = check_sheet("AlexNet\nconv1: 55x55x96. pool1: 27x27x96.\n", "s.txt")
    assert [(v.claim.subject, v.status) for v in sheet.verdicts] == [("conv1", "right"), ("pool1", "right")]


def test_the_papers_224_input_is_shown_not_to_tile():
    """P3(b): '(224 - 11)/4 + 1 = 54.25' is right (the exact quotient: 213/4 + 1 by hand), the input 'on 224x224'
    is the problem's, no claim; and 54 (the floor) for conv1 on 227 is wrong."""
    assert (224 - 11) / 4 + 1 == 54.25
    sheet = check_sheet("AlexNet on 224x224 as the paper says\n"
                        "conv1: (224 - 11)/4 + 1 = 54.25, not an integer; with 227: (227-11)/4 + 1 = 55\n", "p.txt")
    got = [(v.claim.line, v.claim.subject, v.claim.quantity, v.claim.written, v.status) for v in sheet.verdicts
           if v.status != "unknown"]
    assert got == [(2, "conv1", "size", "54.25", "right"), (2, "conv1", "size", "55", "right")]


def test_one_answer_at_several_precisions_counts_once():
    """'138M, 138.4M, 138.36M, 138.358M' (VGG-16's 138,357,544): one answer made more precise is scored once; a
    second answer that is not the first rounded ('140M' after '138.4M') is graded on its own."""
    sheet = check_sheet("VGG16\nTotal params: 138M, 138.4M, 138.36M, 138.358M\n", "r.txt")
    assert [v.status for v in sheet.verdicts] == ["right", "repeat", "repeat", "repeat"]
    other = check_sheet("VGG16\nTotal params: 138.4M, later 150M\n", "r.txt")
    assert [v.status for v in other.verdicts] == ["right", "wrong"]


def test_thousands_grouped_with_dots():
    """'1.327.488' (two dot groups or more) is 1,327,488; '34.944' (one group) stays a decimal, and the student's own
    working says what it should have been."""
    sheet = check_sheet("AlexNet\nconv4 params: 1.327.488\ntotal params = 62.378.344\n"
                        "conv1 params = 11*11*3*96 + 96 = 34.944\n", "d.txt")
    assert [(v.claim.subject, v.status) for v in sheet.verdicts] == \
        [("conv4", "right"), ("total", "right"), ("conv1", "wrong")]
    assert sheet.verdicts[2].slip == "arithmetic"


def test_a_malformed_grouping_keeps_its_digits():
    """'335,544,32' is read as 33,554,432 (32*32*128*256 by hand), as the course's grader reads it: right, with the
    grouping noted; the same grouping of wrong digits is wrong with the slip named."""
    assert 32 * 32 * 128 * 256 == 33_554_432
    sheet = check_sheet("Inception naive module MACs\n1x1 conv, 128: 32*32*128*1*1*256 = 335,544,32\n", "g.txt")
    (v,) = sheet.verdicts
    assert v.status == "right" and "grouping" in v.note
    sheet = check_sheet("Inception naive module MACs\n1x1 conv, 128: 32*32*128*1*1*256 = 335,544,23\n", "g.txt")
    (v,) = sheet.verdicts
    assert v.status == "wrong" and "digit-grouping" in v.slips


def test_a_term_added_in_is_named_by_its_word():
    """'Total weights: 75*10 = 750, plus 10 biases = 760 parameters' (P1 with numbers: 5*5*3 = 75 per filter): the
    10 is the biases, not weights; a wrong count of them is wrong (mutation)."""
    line = ("P1. Conv layer: input 32x32x3, 10 filters 5x5, stride 1, pad 2.\n"
            "Total weights: 75*10 = 750, plus {} biases = 760 parameters\n")
    got = [(v.claim.quantity, v.status) for v in check_sheet(line.format(10), "p1.txt").verdicts]
    assert got == [("weights", "right"), ("biases", "right"), ("params", "right")]
    got = [(v.claim.quantity, v.status) for v in check_sheet(line.format(12), "p1.txt").verdicts]
    assert ("biases", "wrong") in got


def test_an_assigned_shape_is_no_code():
    """'output = [55x55x96]' is a claim; 'vgg19 = [64, 64, "M", 128]' (a list in code) is not."""
    sheet = check_sheet("AlexNet\nconv1\noutput = [55x55x96]\nvgg19 = [64, 64, 'M', 128]\n", "a.txt")
    assert [(v.claim.subject, v.claim.quantity, v.status) for v in sheet.verdicts] == [("conv1", "output", "right")]


def test_scientific_notation_as_written_by_hand():
    """'3.5 x 10^4' and '1.05 x 10⁸' are one number each (AlexNet's conv1: 34,944 parameters, 55*55*96*11*11*3 =
    105,415,200 MACs by hand); one digit off is wrong (mutation)."""
    assert 55 * 55 * 96 * 11 * 11 * 3 == 105_415_200
    sheet = check_sheet("AlexNet\nconv1: params ≈ 3.5 × 10^4\nconv1 MACs = 1.05 × 10⁸\n", "s.txt")
    assert [(v.claim.quantity, v.status) for v in sheet.verdicts] == [("params", "right"), ("macs", "right")]
    sheet = check_sheet("AlexNet\nconv1 MACs = 1.15 × 10⁸\n", "s.txt")
    assert [v.status for v in sheet.verdicts] == ["wrong"]
