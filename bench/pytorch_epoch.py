#!/usr/bin/python3
"""PyTorch half of the end-to-end line of bench/compare-pytorch.sh: training epochs on real PNGs.

Reads an NIH-layout directory (Data_Entry_2017.csv + PNGs anywhere below it), keeps the images
labelled Effusion (positive) or exactly 'No Finding' (negative), as `cxr train` does, and trains
ResNet-18 (1-channel stem, 2 classes, Adam lr 1e-3, cross-entropy, batch 16) with PyTorch's own
DataLoader: `--workers` processes decode each PNG with PIL, convert to grey, resize to `--size`
(bilinear) and min-max normalise, every epoch (no pixel cache). No augmentation. With `--ema
DECAY` an exponential moving average of the weights (parameters and batch-norm statistics) is
updated after every step, as `cxr train --ema DECAY` does; 0 (the default) = off. The first epoch
warms up; the last one is timed. Prints 'epoch: X img/s' (training images over the training
loop's time) and 'network: ...' (what was trained, with its parameter count).

Run with Debian's interpreter (/usr/bin/python3), which is where python3-torch lives.
"""
import argparse
import csv
import os
import sys
import time

import numpy as np
from PIL import Image
import torch
from torch import nn
import torchvision


class Pngs(torch.utils.data.Dataset):
    def __init__(self, items, size):
        self.items, self.size = items, size

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        with Image.open(path) as img:
            grey = img.convert("L").resize((self.size, self.size), Image.BILINEAR)
        a = np.asarray(grey, dtype=np.float32)
        lo, hi = a.min(), a.max()
        a = (a - lo) / (hi - lo) if hi > lo else np.zeros_like(a)
        return torch.from_numpy(a).unsqueeze(0), label


def items(data):
    paths = {}
    for root, _, files in os.walk(data):
        for f in files:
            if f.lower().endswith(".png"):
                paths[f] = os.path.join(root, f)
    out = []
    with open(os.path.join(data, "Data_Entry_2017.csv"), newline="") as fh:
        for row in csv.DictReader(fh):
            labels = row["Finding Labels"].split("|")
            name = row["Image Index"]
            if name not in paths:
                continue
            if "Effusion" in labels:
                out.append((paths[name], 1))
            elif labels == ["No Finding"]:
                out.append((paths[name], 0))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--epochs", type=int, default=2, help="epochs; the last one is timed")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ema", type=float, default=0.0, help="weight-average decay, 0 = off (default)")
    args = parser.parse_args()
    if args.epochs < 1 or args.size < 32 or args.batch < 1 or args.workers < 0:
        parser.error("--epochs >= 1, --size >= 32, --batch >= 1, --workers >= 0")
    if not 0.0 <= args.ema < 1.0:
        parser.error(f"--ema must be in [0, 1) but was {args.ema}")
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    data = items(args.data)
    if not data:
        sys.exit(f"error: no Effusion / No Finding PNGs under {args.data}")
    loader = torch.utils.data.DataLoader(
        Pngs(data, args.size), batch_size=args.batch, shuffle=True, num_workers=args.workers,
        persistent_workers=args.workers > 0)
    model = torchvision.models.resnet18(num_classes=2)
    model.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    averaged = None
    if args.ema > 0:
        averaged = [t.detach().clone() for t in model.state_dict().values() if t.dtype.is_floating_point]
    params = sum(p.numel() for p in model.parameters())
    ema = f"EMA {args.ema}" if args.ema > 0 else "EMA off"
    print(f"network: resnet18 width 64, 2-class head, cross-entropy, Adam 1e-3, {params:,} parameters, {ema}")
    model.train()
    print(f"pytorch {torch.__version__}: {len(data)} images, {args.size} px, batch {args.batch}, "
          f"{args.workers} loader workers, {torch.get_num_threads()} threads")
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        seen = 0
        for x, y in loader:
            optimizer.zero_grad()
            loss_fn(model(x), y).backward()
            optimizer.step()
            if averaged is not None:
                with torch.no_grad():
                    current = [t for t in model.state_dict().values() if t.dtype.is_floating_point]
                    for a, t in zip(averaged, current):
                        a.mul_(args.ema).add_(t, alpha=1 - args.ema)
            seen += len(y)
        rate = seen / (time.perf_counter() - start)
        print(f"epoch {epoch}/{args.epochs}: {rate:.2f} img/s")
    print(f"epoch: {rate:.2f} img/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
