#!/usr/bin/python3
"""PyTorch half of bench/compare-pytorch.sh: times ResNet-18 (or --arch) training steps and inference.

Builds the same network as `cxr bench-model --arch ARCH` (default resnet18): torchvision's
resnet18 (resnet34/50/101/152, densenet121/169/201) with a 1-channel 7x7 stem and 2 classes, float32, trained with Adam (lr 1e-3) and
cross-entropy on one fixed batch of uniform [0, 1) grey images with alternating labels.
Prints 'pytorch parameters: N', 'train: X img/s' and 'infer: Y img/s'.

Run with Debian's interpreter (/usr/bin/python3), which is where python3-torch lives.
"""
import argparse
import sys
import time

import torch
from torch import nn
import torchvision


def positive(name, minimum):
    def parse(text):
        value = int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{name} must be >= {minimum} but was {value}")
        return value
    return parse


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=positive("--size", 32), default=224, help="image height and width (default 224)")
    parser.add_argument("--batch", type=positive("--batch", 1), default=16, help="images per step (default 16)")
    parser.add_argument("--steps", type=positive("--steps", 1), default=10, help="timed steps of each kind (default 10)")
    parser.add_argument("--warmup", type=positive("--warmup", 0), default=3, help="untimed steps before each measurement (default 3)")
    parser.add_argument("--threads", type=positive("--threads", 1), default=2, help="intra-op threads (default 2)")
    parser.add_argument("--arch", default="resnet18",
                        choices=["resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
                                 "densenet121", "densenet169", "densenet201"],
                        help="network (default resnet18)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(42)

    model = getattr(torchvision.models, args.arch)(num_classes=2)
    if args.arch.startswith("densenet"):
        model.features.conv0 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    else:
        model.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    model = model.float()
    params = sum(p.numel() for p in model.parameters())
    print(f"pytorch {torch.__version__}, torchvision {torchvision.__version__}, threads {torch.get_num_threads()}")
    print(f"{args.arch}, {args.size}x{args.size} px, batch {args.batch}, {params:,} parameters, "
          f"{args.warmup} warm-up + {args.steps} timed steps")
    print(f"pytorch parameters: {params}")

    generator = torch.Generator().manual_seed(42)
    x = torch.rand(args.batch, 1, args.size, args.size, generator=generator, dtype=torch.float32)
    y = torch.arange(args.batch) % 2
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def train_step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    model.train()
    for _ in range(args.warmup):
        train_step()
    start = time.perf_counter()
    for _ in range(args.steps):
        train_step()
    print(f"train: {args.batch * args.steps / (time.perf_counter() - start):.2f} img/s")

    model.eval()
    with torch.no_grad():
        for _ in range(args.warmup):
            model(x)
        start = time.perf_counter()
        for _ in range(args.steps):
            model(x)
        print(f"infer: {args.batch * args.steps / (time.perf_counter() - start):.2f} img/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
