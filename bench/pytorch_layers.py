#!/usr/bin/python3
"""PyTorch half of bench/compare-layers.sh: forward and backward time of each ResNet-18 layer type.

The same network as `cxr bench-layers` (torchvision resnet18, 1-channel 7x7 stem, 2 classes,
float32, Adam lr 1e-3, cross-entropy). After two real training steps, one training-mode forward
pass records every layer's input; then each layer is run on its own input, forward then backward
(an all-ones output gradient; the loss computes its own), `--steps` timed runs after `--warmup`.
The stem convolution computes no input gradient, as in a real step (its input needs none).
Prints 'layer<TAB>type<TAB>count<TAB>forward ms<TAB>backward ms' per type, per training step.

Run with Debian's interpreter (/usr/bin/python3), which is where python3-torch lives.
"""
import argparse
import sys
import time
from collections import OrderedDict

import torch
from torch import nn
import torch.nn.functional as F
import torchvision


def build():
    torch.manual_seed(42)
    model = torchvision.models.resnet18(num_classes=2)
    model.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    return model.float()


def layer_list(model, x):
    """(type, function, inputs, input needs grad) for every layer of one forward pass, in order."""
    out = []

    def add(kind, fn, *inputs, grad=True):
        out.append((kind, fn, [t.detach() for t in inputs], grad))
        with torch.no_grad():
            return fn(*inputs)

    relu = lambda t: F.relu(t)  # out of place: an isolated run must not change its stored input
    with torch.no_grad():
        h = add("conv 7x7 stem", model.conv1, x, grad=False)
        h = add("batch norm", model.bn1, h)
        h = add("ReLU", relu, h)
        h = add("max-pool", model.maxpool, h)
        for s, stage in enumerate([model.layer1, model.layer2, model.layer3, model.layer4], 1):
            for block in stage:
                identity = h
                y = add(f"conv 3x3 stage {s}", block.conv1, h)
                y = add("batch norm", block.bn1, y)
                y = add("ReLU", relu, y)
                y = add(f"conv 3x3 stage {s}", block.conv2, y)
                y = add("batch norm", block.bn2, y)
                if block.downsample is not None:
                    identity = add("conv 1x1 projection", block.downsample[0], h)
                    identity = add("batch norm", block.downsample[1], identity)
                y = add("residual add", torch.add, y, identity)
                h = add("ReLU", relu, y)
        h = add("global avg pool", lambda t: torch.flatten(model.avgpool(t), 1), h)
    return out, h


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if args.size < 32 or args.batch < 1 or args.warmup < 0 or args.steps < 1:
        parser.error("--size must be >= 32, --batch >= 1, --warmup >= 0, --steps >= 1")
    torch.set_num_threads(args.threads)

    model = build()
    generator = torch.Generator().manual_seed(42)
    x = torch.rand(args.batch, 1, args.size, args.size, generator=generator)
    y = torch.arange(args.batch) % 2
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    model.train()

    def step():
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    for _ in range(2):
        step()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    step_ms = (time.perf_counter() - start) * 1e3 / args.steps
    print(f"pytorch {torch.__version__} ResNet-18, {args.size}x{args.size} px, batch {args.batch}, "
          f"threads {torch.get_num_threads()}, {args.warmup} warm-up + {args.steps} timed runs per layer")

    layers, pooled = layer_list(model, x)
    layers.append(("dense + softmax loss", lambda t: loss_fn(model.fc(t), y), [pooled], True))
    rows = OrderedDict()
    for kind, fn, inputs, needs_grad in layers:
        fwd = bwd = 0.0
        for i in range(args.warmup + args.steps):
            optimizer.zero_grad()
            ins = [t.clone().requires_grad_(needs_grad) for t in inputs]
            a = time.perf_counter()
            out = fn(*ins)
            b = time.perf_counter()
            grad = None if out.dim() == 0 else torch.ones_like(out)
            c = time.perf_counter()
            out.backward(grad)
            d = time.perf_counter()
            if i >= args.warmup:
                fwd += b - a
                bwd += d - c
        r = rows.setdefault(kind, [0, 0.0, 0.0])
        r[0] += 1
        r[1] += fwd
        r[2] += bwd

    # the updater: Adam's step over every parameter, gradients from one real backward pass
    optimizer.zero_grad()
    loss_fn(model(x), y).backward()
    upd = 0.0
    for i in range(args.warmup + args.steps):
        a = time.perf_counter()
        optimizer.step()
        if i >= args.warmup:
            upd += time.perf_counter() - a
    rows["updater (Adam)"] = [1, upd, 0.0]

    print("# type\tcount\tforward ms\tbackward ms (per training step)")
    total = 0.0
    for kind, (count, fwd, bwd) in rows.items():
        f, b = fwd * 1e3 / args.steps, bwd * 1e3 / args.steps
        total += f + b
        print(f"layer\t{kind}\t{count}\t{f:.2f}\t{b:.2f}")
    print(f"layer\tsum of layers\t-\t{total:.2f}\t-")
    print(f"layer\twhole step (fit)\t-\t{step_ms:.2f}\t-")
    return 0


if __name__ == "__main__":
    sys.exit(main())
