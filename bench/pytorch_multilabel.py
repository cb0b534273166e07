#!/usr/bin/python3
"""PyTorch peer of cxr's multi-label cross-validation, on the folds cxr wrote.

Usage. `cxr crossval --findings all --folds 5 --out cv ...` writes cv/folds.csv (header
`path,patient,fold,<finding 1>,...,<finding N>`, one row per image: absolute path, patient id,
the 1-based fold that holds the image out, 0/1 per finding). Then

    bench/multilabel-peer.sh --folds cv/folds.csv --out cv/peer

(or /usr/bin/python3 bench/pytorch_multilabel.py with the same arguments) trains, for each fold i,
on the other folds' images and tests on fold i, and prints the per-finding table to set beside
cxr's; --out gets peer-table.csv, peer-folds.csv and peer-oof.csv. Without a folds file from cxr,
make one from NIH-layout directories (patient-level random folds, stratified as cxr stratifies):

    /usr/bin/python3 bench/pytorch_multilabel.py --make-folds ../shared/data/nih-bbox-dev \\
        ../shared/data/nih-effusion-182 --k 5 --out /tmp/folds.csv [--limit 200]

A quick end-to-end check: --make-folds ... --k 2 --limit 120, then --epochs 2 --size 64.

What it matches of cxr's defaults:
  * network: torchvision's ResNet machinery (BasicBlock, [2, 2, 2, 2]: ResNet-18) with a
    1-channel 7x7 stem, base width --width (32; stages w, 2w, 4w, 8w) and N sigmoid outputs,
    torchvision's weight initialisation;
  * loss: binary cross-entropy with pos_weight = negatives/positives per finding of the images
    trained on (1 where a finding has no positive there), summed over findings and averaged over
    the batch, as cxr's WeightedCrossEntropy (DL4J sums a sample's outputs);
  * images: decoded once (8-bit gray, or RGB/RGBA to BT.601 luminance with alpha ignored, 16-bit
    gray kept), resized to --size by area averaging (PIL BOX; bilinear on an axis that grows),
    kept as 8-bit values like cxr's pixel cache, then min-max normalised per image to [0, 1];
  * augmentation (--no-augment turns it off): cxr's medicalSafe() preset, each transform firing
    independently with probability 0.5: rotation +-10 degrees, zoom [0.9, 1.1], translation up to
    5% per axis (composed into one affine map about the image centre, resampled once bilinearly
    with replicated borders), brightness +-0.1, contrast factor [0.9, 1.1] about 0.5, gamma in
    [0.8, 1.25] (log-uniform), each clamped to [0, 1], then Gaussian noise sigma 0.01 (clamped);
    no flips. Each sample's draws depend only on (seed, epoch, image, transform), as in cxr, but
    from numpy's generator, not cxr's SplitMix64 streams, so the draws themselves differ;
  * Adam, lr 1e-3, batch 16, 10 epochs, seed 42, 2 intra-op threads, a DataLoader with 2 workers;
  * weight averaging: an exponential moving average of the weights after every batch, decay
    d = min(--ema, (t-1)/t) at batch t (the plain mean for the first 1/(1-decay) batches), batch-
    norm buffers copied from the trained network (--ema-buffers average averages them too, as DL4J
    does, whose running statistics are parameters); the average is what is scored and kept;
  * epoch selection, nested: each fold's training patients are split once into an inner 80/20
    patient-level split (stratified by "any finding", seeded); the network trains on the 80% and
    the epoch with the best mean AUC over the findings with both classes in the inner 20% is kept;
    the held-out fold is scored at that epoch only.

Output: per epoch the loss, the inner mean AUC and the speed; per fold the held-out AUC of each
finding at the kept epoch and the time; at the end one row per finding: positives (images),
nested AUC mean +- sd over the folds where the held-out part has both classes, and the
out-of-fold AUC (every image scored by the fold model that did not train on it) with its DeLong
95% interval (DeLong, DeLong & Clarke-Pearson 1988, computed as Sun & Xu 2014, clipped to
[0, 1] as cxr does); then the mean AUC over the findings with at least --min-positives positives.

Run with Debian's interpreter (/usr/bin/python3), which is where python3-torch lives.
"""
import argparse
import copy
import csv
import math
import os
import random
import sys
import time

import numpy as np
from PIL import Image
import torch
from torch import nn
import torchvision
from torchvision.models.resnet import BasicBlock, ResNet

# cxr's NihLabels.FINDINGS: the order of multi-label targets
NIH_FINDINGS = ["Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule",
                "Pneumonia", "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis",
                "Pleural_Thickening", "Hernia"]
Z_95 = 1.959964


# ---------------------------------------------------------------------------------------------
# arguments

def bounded(kind, name, low, high=None, low_open=False, high_open=False):
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a number but was '{text}'")
        if not math.isfinite(value) or value < low or (low_open and value == low) \
                or (high is not None and (value > high or (high_open and value == high))):
            lo = f"{'>' if low_open else '>='} {low}"
            hi = "" if high is None else f" and {'<' if high_open else '<='} {high}"
            raise argparse.ArgumentTypeError(f"{name} must be {lo}{hi} but was {text}")
        return value
    return parse


def fold_list(text):
    try:
        folds = sorted({int(t) for t in text.split(",") if t.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"--run-folds must be fold numbers like 1,3 but was '{text}'")
    if not folds or folds[0] < 1:
        raise argparse.ArgumentTypeError(f"--run-folds must be fold numbers >= 1 but was '{text}'")
    return folds


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="See the top of this file for what is matched to cxr.")
    p.add_argument("--folds", help="cxr's folds.csv (path,patient,fold,<findings>...)")
    p.add_argument("--out", required=True,
                   help="directory for peer-table.csv, peer-folds.csv and peer-oof.csv; "
                        "with --make-folds, the folds CSV to write")
    p.add_argument("--size", type=bounded(int, "--size", 32), default=128, help="image side in px (128)")
    p.add_argument("--width", type=bounded(int, "--width", 1), default=32, help="base width (32; torchvision's is 64)")
    p.add_argument("--epochs", type=bounded(int, "--epochs", 1), default=10, help="epochs per fold (10)")
    p.add_argument("--batch", type=bounded(int, "--batch", 1), default=16, help="images per batch (16)")
    p.add_argument("--lr", type=bounded(float, "--lr", 0, low_open=True), default=1e-3, help="Adam learning rate (1e-3)")
    p.add_argument("--ema", type=bounded(float, "--ema", 0, 1, high_open=True), default=0.97,
                   help="decay of the weight average, 0 = off (0.97)")
    p.add_argument("--ema-buffers", choices=["copy", "average"], default="copy",
                   help="batch-norm buffers of the average: copied from the trained network (default) or averaged (as DL4J)")
    p.add_argument("--no-augment", dest="augment", action="store_false", help="train without augmentation")
    p.add_argument("--inner-fraction", type=bounded(float, "--inner-fraction", 0, 1, True, True), default=0.2,
                   help="fraction of a fold's training patients that chooses the epoch (0.2)")
    p.add_argument("--min-positives", type=bounded(int, "--min-positives", 1), default=10,
                   help="positives a finding needs to enter the mean AUC (10)")
    p.add_argument("--seed", type=int, default=42, help="seed of weights, shuffling, augmentation, inner split (42)")
    p.add_argument("--threads", type=bounded(int, "--threads", 1), default=2, help="intra-op threads (2)")
    p.add_argument("--workers", type=bounded(int, "--workers", 0), default=2, help="DataLoader worker processes (2)")
    p.add_argument("--run-folds", type=fold_list,
                   help="train only these folds, e.g. 1 or 1,3 (for timing; the table then covers only them)")
    p.add_argument("--make-folds", nargs="+", metavar="DIR",
                   help="write a folds CSV from NIH-layout directories to --out instead of training")
    p.add_argument("--k", type=bounded(int, "--k", 2), default=5, help="with --make-folds: number of folds (5)")
    p.add_argument("--limit", type=bounded(int, "--limit", 2),
                   help="with --make-folds: about this many images, whole patients drawn at random")
    args = p.parse_args(argv)
    if args.make_folds is None and not args.folds:
        p.error("give --folds FILE (or --make-folds DIR... to write one)")
    if args.make_folds is not None and args.folds:
        p.error("--make-folds writes a folds file to --out; it takes no --folds")
    return args


# ---------------------------------------------------------------------------------------------
# folds file

def make_folds(dirs, out, k, limit, seed):
    """Patient-level folds from NIH-layout directories, dealt as cxr's PatientSplit.kFold does:
    patients with any finding and those without shuffled separately, then dealt round-robin."""
    rows, seen = [], set()
    for d in dirs:
        table = os.path.join(d, "Data_Entry_2017.csv")
        if not os.path.isfile(table):
            sys.exit(f"error: {d} has no Data_Entry_2017.csv (not an NIH-layout directory)")
        paths = {}
        for root, _, files in os.walk(d):
            for f in files:
                if f.lower().endswith(".png"):
                    paths[f] = os.path.abspath(os.path.join(root, f))
        with open(table, newline="") as fh:
            for r in csv.DictReader(fh):
                name = r["Image Index"]
                if name not in paths or name in seen:
                    continue
                seen.add(name)
                labels = set(r["Finding Labels"].split("|"))
                unknown = labels - set(NIH_FINDINGS) - {"No Finding"}
                if unknown:
                    sys.exit(f"error: {table}: {name} has unknown findings {sorted(unknown)}")
                rows.append((paths[name], r["Patient ID"], [int(f in labels) for f in NIH_FINDINGS]))
    if not rows:
        sys.exit(f"error: no labelled PNGs under {' '.join(dirs)}")
    rnd = random.Random(seed)
    patients = {}
    for path, patient, y in rows:
        patients.setdefault(patient, []).append((path, y))
    ids = sorted(patients)
    if limit is not None and limit < len(rows):
        rnd.shuffle(ids)
        kept, n = [], 0
        for pid in ids:
            if n >= limit:
                break
            kept.append(pid)
            n += len(patients[pid])
        ids = sorted(kept)
    pos = [p for p in ids if any(any(y) for _, y in patients[p])]
    neg = [p for p in ids if p not in set(pos)]
    rnd.shuffle(pos)
    rnd.shuffle(neg)
    fold_of, nxt = {}, 0
    for pid in pos + neg:
        fold_of[pid] = nxt + 1
        nxt = (nxt + 1) % k
    if len(ids) < k:
        sys.exit(f"error: {len(ids)} patients cannot fill {k} folds")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["path", "patient", "fold"] + NIH_FINDINGS)
        n = 0
        for pid in ids:
            for path, y in sorted(patients[pid]):
                w.writerow([path, pid, fold_of[pid]] + y)
                n += 1
    print(f"wrote {out}: {n} images, {len(ids)} patients, {k} folds, {len(NIH_FINDINGS)} findings")


def read_folds(path):
    """Returns (paths, patients, folds, Y (images x findings, uint8), finding names)."""
    if not os.path.isfile(path):
        sys.exit(f"error: no folds file {path}")
    with open(path, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None or [h.strip() for h in header[:3]] != ["path", "patient", "fold"] or len(header) < 4:
            sys.exit(f"error: {path}: the header must be path,patient,fold,<finding>,... but was {header}")
        findings = [h.strip() for h in header[3:]]
        if len(set(findings)) != len(findings) or "" in findings:
            sys.exit(f"error: {path}: empty or repeated finding names {findings}")
        paths, patients, folds, ys = [], [], [], []
        for line, row in enumerate(reader, start=2):
            if not row:
                continue
            if len(row) != len(header):
                sys.exit(f"error: {path}:{line}: {len(row)} fields, the header has {len(header)}")
            try:
                fold = int(row[2])
                y = [int(v) for v in row[3:]]
            except ValueError:
                sys.exit(f"error: {path}:{line}: fold and findings must be integers: {row[2:]}")
            if fold < 1 or any(v not in (0, 1) for v in y):
                sys.exit(f"error: {path}:{line}: fold must be >= 1 and findings 0 or 1: {row[2:]}")
            if not os.path.isfile(row[0]):
                sys.exit(f"error: {path}:{line}: no image {row[0]}")
            paths.append(row[0]); patients.append(row[1]); folds.append(fold); ys.append(y)
    if not paths:
        sys.exit(f"error: {path} lists no image")
    folds = np.array(folds)
    k = int(folds.max())
    missing = sorted(set(range(1, k + 1)) - set(folds.tolist()))
    if k < 2 or missing:
        sys.exit(f"error: {path}: folds must be 1..K with K >= 2; have K = {k}, missing {missing}")
    by_patient = {}
    for p, f in zip(patients, folds):
        if by_patient.setdefault(p, f) != f:
            sys.exit(f"error: {path}: patient {p} is in folds {by_patient[p]} and {f} (folds must be patient-level)")
    return paths, np.array(patients), folds, np.array(ys, dtype=np.uint8), findings


# ---------------------------------------------------------------------------------------------
# images

def decode(path, size):
    """One image as cxr's loader gives it: gray, area-averaged to size x size, min-max to [0, 1]."""
    with Image.open(path) as img:
        img.load()
        if img.mode in ("I;16", "I;16B", "I;16L", "I"):
            grey = Image.fromarray(np.asarray(img, dtype=np.float32), mode="F")  # 16-bit range kept
        elif img.mode in ("L", "F"):
            grey = img.copy()
        else:
            grey = img.convert("L")  # RGB, RGBA, LA, P: ITU-R BT.601 luma, alpha ignored
    if grey.size != (size, size):
        shrink = grey.size[0] >= size and grey.size[1] >= size
        grey = grey.resize((size, size), Image.BOX if shrink else Image.BILINEAR)
    a = np.asarray(grey, dtype=np.float32)
    if grey.mode == "F" and img.mode != "F":
        a = np.rint(a)  # cxr's cache keeps 16-bit samples
    lo, hi = float(a.min()), float(a.max())
    return (a - lo) / (hi - lo) if hi > lo else np.zeros_like(a)


class Decode(torch.utils.data.Dataset):
    def __init__(self, paths, size):
        self.paths, self.size = paths, size

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        try:
            return i, decode(self.paths[i], self.size)
        except Exception as e:  # name the file
            raise RuntimeError(f"cannot read {self.paths[i]}: {e}") from e


def decode_all(paths, size, workers):
    out = np.empty((len(paths), size, size), dtype=np.float32)
    loader = torch.utils.data.DataLoader(Decode(paths, size), batch_size=None, num_workers=workers)
    for i, a in loader:
        out[i] = a.numpy() if torch.is_tensor(a) else a
    return out


# ---------------------------------------------------------------------------------------------
# augmentation: cxr's medicalSafe()

MEDICAL_SAFE = dict(probability=0.5, rotation=10.0, zoom=(0.9, 1.1), translation=0.05,
                    brightness=0.1, contrast=0.1, gamma=(0.8, 1.25), noise=0.01)
# transform slots, so each transform has its own stream and enabling one never shifts another
SLOTS = {"rotation": 1, "zoom": 2, "translation": 3, "brightness": 5, "contrast": 6, "gamma": 7, "noise": 8}


def augment(img, seed, epoch, index, cfg=MEDICAL_SAFE):
    h, w = img.shape
    cx, cy = (w - 1) / 2.0, (h - 1) / 2.0
    p = cfg["probability"]

    def stream(name):
        r = np.random.default_rng([seed & 0xFFFFFFFF, epoch, index, SLOTS[name]])
        return r if r.random() < p else None

    forward = np.eye(3)
    r = stream("rotation")
    if r is not None:
        t = math.radians((2 * r.random() - 1) * cfg["rotation"])
        c, s = math.cos(t), math.sin(t)
        # cxr's AffineMap.rotationAbout: x' - cx = c (x - cx) + s (y - cy); y' - cy = -s (x - cx) + c (y - cy)
        forward = np.array([[c, s, cx - c * cx - s * cy], [-s, c, cy + s * cx - c * cy], [0, 0, 1]]) @ forward
    r = stream("zoom")
    if r is not None:
        lo, hi = cfg["zoom"]
        f = lo + (hi - lo) * r.random()
        forward = np.array([[f, 0, cx - f * cx], [0, f, cy - f * cy], [0, 0, 1]]) @ forward
    r = stream("translation")
    if r is not None:
        tx = (2 * r.random() - 1) * cfg["translation"] * w
        ty = (2 * r.random() - 1) * cfg["translation"] * h
        forward = np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]]) @ forward
    out = img
    if not np.array_equal(forward, np.eye(3)):
        inv = np.linalg.inv(forward)
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
        sx = np.clip(inv[0, 0] * xs + inv[0, 1] * ys + inv[0, 2], 0, w - 1)  # replicated borders
        sy = np.clip(inv[1, 0] * xs + inv[1, 1] * ys + inv[1, 2], 0, h - 1)
        x0 = np.minimum(sx.astype(np.int64), w - 2)
        y0 = np.minimum(sy.astype(np.int64), h - 2)
        fx = (sx - x0).astype(np.float32)
        fy = (sy - y0).astype(np.float32)
        p00, p01 = img[y0, x0], img[y0, x0 + 1]
        p10, p11 = img[y0 + 1, x0], img[y0 + 1, x0 + 1]
        top = p00 + fx * (p01 - p00)
        bottom = p10 + fx * (p11 - p10)
        out = top + fy * (bottom - top)
    gain, offset, power = 1.0, 0.0, 1.0
    r = stream("brightness")
    if r is not None:
        offset += (2 * r.random() - 1) * cfg["brightness"]
    r = stream("contrast")
    if r is not None:
        c = 1 + (2 * r.random() - 1) * cfg["contrast"]  # v -> c (v - 0.5) + 0.5
        gain, offset = c * gain, c * offset + 0.5 * (1 - c)
    r = stream("gamma")
    if r is not None:
        lo, hi = math.log(cfg["gamma"][0]), math.log(cfg["gamma"][1])
        power = math.exp(lo + (hi - lo) * r.random())
    noise = stream("noise")
    if gain != 1 or offset != 0 or power != 1 or noise is not None:
        out = np.clip(gain * out + offset, 0, 1)
        if power != 1:
            out = np.power(out, power)
        if noise is not None:
            out = np.clip(out + cfg["noise"] * noise.standard_normal(out.shape), 0, 1)
    return np.asarray(out, dtype=np.float32)


class Training(torch.utils.data.Dataset):
    """Items are (epoch, image index) pairs from EpochSampler, so augmentation knows the epoch."""

    def __init__(self, images, targets, augment_seed):
        self.images, self.targets, self.seed = images, targets, augment_seed

    def __len__(self):
        return len(self.images)

    def __getitem__(self, item):
        epoch, i = item
        img = self.images[i]
        if self.seed is not None:
            img = augment(img, self.seed, epoch, i)
        return torch.from_numpy(np.ascontiguousarray(img)).unsqueeze(0), torch.from_numpy(self.targets[i])


class EpochSampler(torch.utils.data.Sampler):
    """A new seeded permutation of the given image indices every epoch, tagged with the epoch."""

    def __init__(self, indices, seed):
        self.indices, self.seed, self.epoch = np.asarray(indices), seed, 0

    def __len__(self):
        return len(self.indices)

    def __iter__(self):
        self.epoch += 1
        order = np.random.default_rng([self.seed & 0xFFFFFFFF, self.epoch]).permutation(self.indices)
        return iter([(self.epoch, int(i)) for i in order])


# ---------------------------------------------------------------------------------------------
# network, loss, weight average

class PeerResNet(ResNet):
    """torchvision's ResNet-18 (BasicBlock, [2, 2, 2, 2]) rebuilt at base width w: a 1-channel
    7x7 stem of w filters, stages of w, 2w, 4w and 8w planes, `outputs` logits."""

    def __init__(self, outputs, width):
        super().__init__(BasicBlock, [2, 2, 2, 2], num_classes=outputs)
        norm = self._norm_layer
        self.inplanes, self.dilation = width, 1
        self.conv1 = nn.Conv2d(1, width, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = norm(width)
        self.layer1 = self._make_layer(BasicBlock, width, 2)
        self.layer2 = self._make_layer(BasicBlock, 2 * width, 2, stride=2)
        self.layer3 = self._make_layer(BasicBlock, 4 * width, 2, stride=2)
        self.layer4 = self._make_layer(BasicBlock, 8 * width, 2, stride=2)
        self.fc = nn.Linear(8 * width * BasicBlock.expansion, outputs)
        for m in self.modules():  # torchvision's initialisation, for the rebuilt layers
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)


class WeightAverage:
    """cxr's WeightAverage: avg = d avg + (1 - d) params after batch t, d = min(decay, (t-1)/t)."""

    def __init__(self, model, decay, buffers):
        self.model = copy.deepcopy(model)
        for p in self.model.parameters():
            p.requires_grad_(False)
        self.decay, self.average_buffers, self.updates = decay, buffers == "average", 0

    @torch.no_grad()
    def update(self, model):
        self.updates += 1
        d = min(self.decay, (self.updates - 1.0) / self.updates)
        for a, p in zip(self.model.parameters(), model.parameters()):
            a.mul_(d).add_(p.detach(), alpha=1 - d)
        for a, b in zip(self.model.buffers(), model.buffers()):
            if self.average_buffers and a.is_floating_point():
                a.mul_(d).add_(b, alpha=1 - d)
            else:
                a.copy_(b)


def pos_weights(y):
    pos = y.sum(axis=0).astype(np.float64)
    return np.where(pos > 0, (len(y) - pos) / np.maximum(pos, 1), 1.0)


@torch.no_grad()
def predict(model, images, indices, batch=64):
    model.eval()
    out = []
    for s in range(0, len(indices), batch):
        x = torch.from_numpy(images[indices[s:s + batch]]).unsqueeze(1)
        out.append(torch.sigmoid(model(x)).numpy())
    return np.concatenate(out) if out else np.zeros((0, 0))


# ---------------------------------------------------------------------------------------------
# AUC and DeLong

def midranks(x):
    order = np.argsort(x, kind="mergesort")
    _, inverse, counts = np.unique(x[order], return_inverse=True, return_counts=True)
    start = np.concatenate(([0], np.cumsum(counts)[:-1]))
    ranks = np.empty(len(x), dtype=np.float64)
    ranks[order] = (start + (counts + 1) / 2.0)[inverse]
    return ranks


def auc_delong(y, score):
    """AUC (ties count 1/2) and its DeLong standard error, by Sun & Xu's midrank algorithm;
    (nan, nan) without both classes, se nan with fewer than 2 of a class."""
    y = np.asarray(y).astype(bool)
    score = np.asarray(score, dtype=np.float64)
    pos, neg = score[y], score[~y]
    m, n = len(pos), len(neg)
    if m == 0 or n == 0:
        return float("nan"), float("nan")
    tz = midranks(np.concatenate([pos, neg]))
    auc = (tz[:m].sum() - m * (m + 1) / 2.0) / (m * n)
    if m < 2 or n < 2:
        return float(auc), float("nan")
    v10 = (tz[:m] - midranks(pos)) / n          # per positive: share of negatives below it
    v01 = 1.0 - (tz[m:] - midranks(neg)) / m    # per negative: share of positives above it
    var = np.var(v10, ddof=1) / m + np.var(v01, ddof=1) / n
    return float(auc), float(math.sqrt(max(var, 0.0)))


def aucs(y, p):
    return np.array([auc_delong(y[:, j], p[:, j])[0] for j in range(y.shape[1])])


def mean_defined(values):
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    return float(v.mean()) if len(v) else float("nan")


# ---------------------------------------------------------------------------------------------
# cross-validation

def inner_split(train_idx, patients, y, fraction, seed):
    """cxr's PatientSplit.trainValidation on a fold's training images: patients with any finding
    and those without, each shuffled (seeded) and round(fraction * n) of each held out."""
    any_pos = {}
    for i in train_idx:
        any_pos[patients[i]] = any_pos.get(patients[i], False) or bool(y[i].any())
    rnd = random.Random(seed)
    chosen = set()
    for stratum in ([p for p in sorted(any_pos) if any_pos[p]], [p for p in sorted(any_pos) if not any_pos[p]]):
        rnd.shuffle(stratum)
        k = int(round(fraction * len(stratum)))
        if len(stratum) >= 2:
            k = max(1, min(len(stratum) - 1, k))
        chosen.update(stratum[:k])
    select = np.array([i for i in train_idx if patients[i] in chosen], dtype=np.int64)
    fit = np.array([i for i in train_idx if patients[i] not in chosen], dtype=np.int64)
    return fit, select


def run_fold(fold, k, args, images, y, patients, folds, findings):
    start = time.perf_counter()
    train_idx = np.flatnonzero(folds != fold)
    test_idx = np.flatnonzero(folds == fold)
    fit, select = inner_split(train_idx, patients, y, args.inner_fraction, args.seed * 1000 + fold)
    both = [j for j in range(len(findings)) if 0 < y[select, j].sum() < len(select)]
    w = pos_weights(y[fit])
    print(f"fold {fold}/{k}: {len(train_idx)} training images ({len(fit)} fit, {len(select)} choose the epoch, "
          f"{len(both)} of {len(findings)} findings with both classes there), {len(test_idx)} held out", flush=True)

    torch.manual_seed(args.seed)  # the same initial weights in every fold, as cxr's seed gives
    model = PeerResNet(len(findings), args.width)
    average = WeightAverage(model, args.ema, args.ema_buffers) if args.ema > 0 else None
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=torch.tensor(w, dtype=torch.float32), reduction="none")
    data = Training(images, y.astype(np.float32), args.seed if args.augment else None)
    loader = torch.utils.data.DataLoader(
        data, batch_size=args.batch, sampler=EpochSampler(fit, args.seed * 1000 + fold),
        num_workers=args.workers, persistent_workers=args.workers > 0)

    best_score, best_epoch, best_state, epoch_times = -math.inf, 0, None, []
    for epoch in range(1, args.epochs + 1):
        t0 = time.perf_counter()
        model.train()
        total, seen = 0.0, 0
        for x, t in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(x), t).sum(dim=1).mean()  # summed over findings, as cxr's loss
            loss.backward()
            optimizer.step()
            if average is not None:
                average.update(model)
            total += loss.item() * len(t)
            seen += len(t)
        train_s = time.perf_counter() - t0
        scored = average.model if average is not None else model
        inner = aucs(y[select], predict(scored, images, select))
        score = mean_defined(inner[both]) if both else float("nan")
        epoch_s = time.perf_counter() - t0
        epoch_times.append(epoch_s)
        kept = ""
        if best_state is None or (math.isfinite(score) and score > best_score):
            best_score = score if math.isfinite(score) else -math.inf
            best_epoch, best_state = epoch, copy.deepcopy(scored.state_dict())
            kept = " *"
        print(f"  epoch {epoch}/{args.epochs}: loss {total / seen:.4f}, inner mean AUC {score:.4f}, "
              f"{seen / train_s:.1f} img/s training, {epoch_s:.1f} s{kept}", flush=True)
    del loader
    final = PeerResNet(len(findings), args.width)
    final.load_state_dict(best_state)
    p_test = predict(final, images, test_idx)
    fold_aucs = aucs(y[test_idx], p_test)
    elapsed = time.perf_counter() - start
    shown = ", ".join(f"{f} {a:.3f}" for f, a in zip(findings, fold_aucs) if math.isfinite(a))
    print(f"fold {fold}/{k}: kept epoch {best_epoch} (inner mean AUC {best_score:.4f}); "
          f"held-out mean AUC {mean_defined(fold_aucs):.4f}; {elapsed:.0f} s "
          f"({np.mean(epoch_times):.1f} s per epoch)", flush=True)
    print(f"  held-out AUC: {shown}", flush=True)
    return test_idx, p_test, fold_aucs, best_epoch, best_score, elapsed


def fmt(v, spec=".3f"):
    return format(v, spec) if math.isfinite(v) else "nan"


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.make_folds is not None:
        make_folds(args.make_folds, args.out, args.k, args.limit, args.seed)
        return 0
    started = time.perf_counter()
    torch.set_num_threads(args.threads)
    paths, patients, folds, y, findings = read_folds(args.folds)
    k = int(folds.max())
    run = args.run_folds or list(range(1, k + 1))
    if run[-1] > k:
        sys.exit(f"error: --run-folds {run} but {args.folds} has {k} folds")
    os.makedirs(args.out, exist_ok=True)

    probe = PeerResNet(len(findings), args.width)
    params = sum(p.numel() for p in probe.parameters())
    w = args.width
    print(f"pytorch {torch.__version__}, torchvision {torchvision.__version__}, "
          f"{torch.get_num_threads()} threads, {args.workers} loader workers")
    print(f"network: ResNet-18 (torchvision BasicBlock, [2, 2, 2, 2]), 1-channel 7x7 stem, width {w} "
          f"({w}, {2 * w}, {4 * w}, {8 * w}), {len(findings)} sigmoid outputs, {params:,} parameters")
    print(f"data: {len(paths)} images, {len(set(patients))} patients, {k} folds (running {','.join(map(str, run))}), "
          f"{len(findings)} findings; {args.size} px, batch {args.batch}, {args.epochs} epoch{'s' if args.epochs != 1 else ''}, Adam lr {args.lr:g}, "
          f"augmentation {'medicalSafe' if args.augment else 'off'}, "
          f"EMA {args.ema:g}{' (buffers ' + args.ema_buffers + ')' if args.ema > 0 else ''}, seed {args.seed}")
    t0 = time.perf_counter()
    images = decode_all(paths, args.size, args.workers)
    print(f"decoded {len(paths)} images in {time.perf_counter() - t0:.1f} s", flush=True)

    oof = np.full(y.shape, np.nan)
    fold_rows = []
    per_fold = {}
    for fold in run:
        test_idx, p, fold_aucs, epoch, inner, secs = run_fold(fold, k, args, images, y, patients, folds, findings)
        oof[test_idx] = p
        per_fold[fold] = fold_aucs
        for j, f in enumerate(findings):
            fold_rows.append([fold, f, int(y[test_idx, j].sum()), len(test_idx), fmt(fold_aucs[j], ".6f"),
                              epoch, fmt(inner, ".6f"), f"{secs:.1f}"])

    scored = np.flatnonzero(np.isin(folds, run))
    positives = y.sum(axis=0)
    table = []
    for j, f in enumerate(findings):
        fa = np.array([per_fold[fd][j] for fd in run])
        fa = fa[np.isfinite(fa)]
        mean = float(fa.mean()) if len(fa) else float("nan")
        sd = float(fa.std(ddof=1)) if len(fa) > 1 else float("nan")
        a, se = auc_delong(y[scored, j], oof[scored, j])
        lo = max(0.0, a - Z_95 * se) if math.isfinite(se) else float("nan")
        hi = min(1.0, a + Z_95 * se) if math.isfinite(se) else float("nan")
        table.append((f, int(positives[j]), int(y[scored, j].sum()), mean, sd, len(fa), a, lo, hi,
                      positives[j] >= args.min_positives))

    print()
    print(f"{'finding':<20} {'positives':>9}  {'nested AUC (mean ± sd, folds)':<30} {'out-of-fold AUC [DeLong 95% CI]'}")
    for f, pos, _, mean, sd, nf, a, lo, hi, used in table:
        nested = f"{fmt(mean)} ± {fmt(sd)} ({nf})"
        print(f"{f:<20} {pos:>9}  {nested:<30} {fmt(a)} [{fmt(lo)}, {fmt(hi)}]{'' if used else '   (not in mean)'}")
    used = [r for r in table if r[9]]
    print(f"mean AUC over the {len(used)} findings with >= {args.min_positives} positives: "
          f"nested {fmt(mean_defined([r[3] for r in used]))}, out-of-fold {fmt(mean_defined([r[6] for r in used]))}")

    with open(os.path.join(args.out, "peer-table.csv"), "w", newline="") as fh:
        wr = csv.writer(fh)
        wr.writerow(["finding", "positives", "positives_scored", "nested_auc_mean", "nested_auc_sd", "nested_folds",
                     "oof_auc", "oof_ci_low", "oof_ci_high", "in_mean"])
        for f, pos, pos_s, mean, sd, nf, a, lo, hi, used_ in table:
            wr.writerow([f, pos, pos_s, fmt(mean, ".6f"), fmt(sd, ".6f"), nf, fmt(a, ".6f"), fmt(lo, ".6f"),
                         fmt(hi, ".6f"), int(bool(used_))])
    with open(os.path.join(args.out, "peer-folds.csv"), "w", newline="") as fh:
        wr = csv.writer(fh)
        wr.writerow(["fold", "finding", "positives", "images", "auc", "kept_epoch", "inner_mean_auc", "fold_seconds"])
        wr.writerows(fold_rows)
    with open(os.path.join(args.out, "peer-oof.csv"), "w", newline="") as fh:
        wr = csv.writer(fh)
        wr.writerow(["path", "patient", "fold"] + findings)
        for i in scored:
            wr.writerow([paths[i], patients[i], folds[i]] + [f"{v:.6f}" for v in oof[i]])
    print(f"wrote {os.path.join(args.out, 'peer-table.csv')}, peer-folds.csv, peer-oof.csv")
    print(f"total time {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
