"""Makes PyTorch weight files for cxr's import check, and the logits PyTorch computes with them.

Random-initialised torchvision ResNet-18/50 and DenseNet-121 (batch-norm statistics, gamma and beta
set to random values so that they matter), and a torchxrayvision-style whole pickled DenseNet-121
(a class in a package named torchxrayvision, 1 input channel, 18 outputs, `pathologies` and
`op_threshs` attributes), each saved as a state dict in PyTorch's zip format, its legacy format
and as safetensors (the whole-model file in zip and legacy format). Also writes N grey PNG images,
the [0, 1] min-max input cxr computes from them (float32, N x 1 x S x S, little endian) and, per
file, the logits PyTorch computes on that input (torchvision: copied to R, G, B and normalised with
ImageNet's mean and std; torchxrayvision: (2x - 1) * 1024) into expected.json.

--tiny writes reduced networks (ResNet-18 of width 4, DenseNet-121 of 4 initial features, growth 2)
for cxr's unit tests, which compare without PyTorch.

Usage: /usr/bin/python3 bench/pytorch_pretrained.py OUT_DIR [--tiny] [--images 4] [--size 224]
"""
import argparse
import collections
import json
import os
import struct
import sys
import tempfile
import zlib

import torch
import torch.nn as nn
import torchvision

NIH = ["Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule", "Pneumonia",
       "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening",
       "Hernia"]
TXRV = ["Atelectasis", "Consolidation", "Infiltration", "Pneumothorax", "Edema", "Emphysema",
        "Fibrosis", "Effusion", "Pneumonia", "Pleural_Thickening", "Cardiomegaly", "Nodule", "Mass",
        "Hernia", "Lung Lesion", "Fracture", "Lung Opacity", "Enlarged Cardiomediastinum"]

TXRV_SOURCE = '''
import torch.nn as nn
import torchvision

class DenseNet(nn.Module):
    """torchxrayvision's layout: torchvision's DenseNet modules under features/classifier."""
    def __init__(self, growth_rate=32, block_config=(6, 12, 24, 16), num_init_features=64,
                 bn_size=4, num_classes=18):
        super().__init__()
        d = torchvision.models.DenseNet(growth_rate=growth_rate, block_config=block_config,
                                        num_init_features=num_init_features, bn_size=bn_size,
                                        num_classes=num_classes)
        d.features.conv0 = nn.Conv2d(1, num_init_features, kernel_size=7, stride=2, padding=3,
                                     bias=False)
        self.features = d.features
        self.classifier = d.classifier

    def forward(self, x):
        import torch.nn.functional as F
        out = F.relu(self.features(x))
        out = F.adaptive_avg_pool2d(out, (1, 1)).flatten(1)
        return self.classifier(out)
'''


def randomise(model, gen, x):
    """Random gamma, beta and biases, and batch-norm statistics measured on the input x and then
    perturbed, as a trained network has them: every tensor changes the logits, and activations
    keep the scale they have in a real network. (Statistics unrelated to the activations, e.g.
    mean 0 and variance 1 after torchxrayvision's [-1024, 1024] input, grow the activations layer
    by layer: logits in the hundreds, where float32's rounding alone differs by 1e-4.)"""
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    with torch.no_grad():
        for m in bns:
            m.weight.copy_(torch.rand(m.weight.shape, generator=gen) * 0.5 + 0.75)
            m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
            m.reset_running_stats()
            m.momentum = None  # a cumulative average over the calibration passes
        for m in model.modules():
            if isinstance(m, nn.Linear):
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
        model.train()
        model(x)
        for m in bns:
            m.momentum = 0.1
            m.running_mean.add_(torch.randn(m.running_mean.shape, generator=gen) * 0.05)
            m.running_var.mul_(torch.rand(m.running_var.shape, generator=gen) * 0.4 + 0.8)
    model.eval()
    return model


def narrow_resnet(depth, width, classes):
    """torchvision's ResNet with every channel count divided by 64 / width (same keys)."""
    m = getattr(torchvision.models, "resnet%d" % depth)(num_classes=classes)
    f = 64 // width

    def shrink(mod):
        for name, child in mod.named_children():
            if isinstance(child, nn.Conv2d):
                cin = child.in_channels if child.in_channels == 3 else child.in_channels // f
                setattr(mod, name, nn.Conv2d(cin, child.out_channels // f, child.kernel_size,
                                             child.stride, child.padding, bias=False))
            elif isinstance(child, nn.BatchNorm2d):
                setattr(mod, name, nn.BatchNorm2d(child.num_features // f))
            elif isinstance(child, nn.Linear):
                setattr(mod, name, nn.Linear(child.in_features // f, child.out_features))
            else:
                shrink(child)
    if f > 1:
        shrink(m)
    return m


def write_safetensors(state, path):
    header, blobs, offset = {}, [], 0
    for k, t in state.items():
        t = t.detach().contiguous()
        if t.dtype == torch.int64:
            dt, data = "I64", t.numpy().tobytes()
        else:
            dt, data = "F32", t.float().numpy().tobytes()
        header[k] = {"dtype": dt, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def png_gray(path, pixels):
    """An 8-bit grey PNG written with zlib alone."""
    h, w = pixels.shape
    raw = b"".join(b"\x00" + bytes(pixels[y].tolist()) for y in range(h))

    def chunk(tag, data):
        c = struct.pack(">I", len(data)) + tag + data
        return c + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--tiny", action="store_true")
    ap.add_argument("--images", type=int, default=4)
    ap.add_argument("--size", type=int, default=224)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))

    # images: smooth random grey films, and the [0, 1] input cxr makes of them (per-image min-max)
    img_dir = os.path.join(a.out, "images")
    os.makedirs(img_dir, exist_ok=True)
    xs = []
    for i in range(a.images):
        low = torch.rand((1, 1, a.size // 16, a.size // 16), generator=gen)
        img = torch.nn.functional.interpolate(low, size=(a.size, a.size), mode="bilinear",
                                              align_corners=False)[0, 0]
        img = img + 0.1 * torch.rand((a.size, a.size), generator=gen)
        px = (255 * (img - img.min()) / (img.max() - img.min())).round().to(torch.uint8)
        png_gray(os.path.join(img_dir, "img%02d.png" % i), px)
        p = px.float()
        xs.append(((p - p.min()) / (p.max() - p.min()))[None])
    x = torch.stack(xs)  # N x 1 x S x S
    with open(os.path.join(a.out, "inputs.f32"), "wb") as f:
        f.write(x.numpy().astype("<f4").tobytes())
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    x_rgb = (x.repeat(1, 3, 1, 1) - mean) / std
    x_txrv = (2 * x - 1) * 1024

    expected = {"images": a.images, "size": a.size, "files": {}}

    def record(name, model, inp, fmt_files, findings):
        with torch.no_grad():
            logits = model(inp)
        expected["files"][name] = {"files": fmt_files, "findings": findings,
                                   "logits": logits.tolist()}

    if a.tiny:
        nets = [("resnet18", narrow_resnet(18, 4, len(NIH))),
                ("densenet121", torchvision.models.DenseNet(growth_rate=2, block_config=(6, 12, 24, 16),
                                                            num_init_features=4, bn_size=4,
                                                            num_classes=len(NIH)))]
    else:
        nets = [("resnet18", torchvision.models.resnet18(num_classes=len(NIH))),
                ("resnet50", torchvision.models.resnet50(num_classes=len(NIH))),
                ("densenet121", torchvision.models.densenet121(num_classes=len(NIH)))]
    for name, net in nets:
        randomise(net, gen, x_rgb)
        sd = net.state_dict()
        files = {"zip": name + ".pt", "legacy": name + "-legacy.pth",
                 "safetensors": name + ".safetensors"}
        if a.tiny:  # one format per network keeps the committed fixtures small
            files = {"resnet18": {"safetensors": files["safetensors"]},
                     "densenet121": {"legacy": files["legacy"]}}[name]
        if "zip" in files:
            torch.save(sd, os.path.join(a.out, files["zip"]))
        if "legacy" in files:
            torch.save(sd, os.path.join(a.out, files["legacy"]),
                       _use_new_zipfile_serialization=False)
        if "safetensors" in files:
            write_safetensors(sd, os.path.join(a.out, files["safetensors"]))
        record(name, net, x_rgb, files, NIH)

    # torchxrayvision-style whole model: a class of a package named torchxrayvision
    pkg = tempfile.mkdtemp()
    os.makedirs(os.path.join(pkg, "torchxrayvision"))
    open(os.path.join(pkg, "torchxrayvision", "__init__.py"), "w").write("from . import models\n")
    open(os.path.join(pkg, "torchxrayvision", "models.py"), "w").write(TXRV_SOURCE)
    sys.path.insert(0, pkg)
    import torchxrayvision  # noqa: E402
    kw = dict(growth_rate=2, num_init_features=4) if a.tiny else {}
    txrv = randomise(torchxrayvision.models.DenseNet(**kw), gen, x_txrv)
    txrv.pathologies = TXRV
    txrv.op_threshs = torch.rand(len(TXRV), generator=gen) * 0.2
    files = {"zip": "txrv-densenet121.pt", "legacy": "txrv-densenet121-legacy.pt"}
    if a.tiny:
        files = {"zip": files["zip"]}
    torch.save(txrv, os.path.join(a.out, files["zip"]))
    if "legacy" in files:
        torch.save(txrv, os.path.join(a.out, files["legacy"]),
                   _use_new_zipfile_serialization=False)
    record("txrv", txrv, x_txrv, files, TXRV)
    expected["files"]["txrv"]["op_threshs"] = txrv.op_threshs.tolist()

    with open(os.path.join(a.out, "expected.json"), "w") as f:
        json.dump(expected, f)
    for name in expected["files"]:
        print("%s: %s" % (name, ", ".join(expected["files"][name]["files"].values())))


if __name__ == "__main__":
    main()
