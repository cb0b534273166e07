#!/usr/bin/python3
"""Writes the PyTorch reference fixture of cxr-resnet's DenseNet equality test.

Builds a tiny DenseNet in torchvision's layout (Huang et al., "Densely Connected Convolutional
Networks", CVPR 2017, arXiv 1608.06993; torchvision.models.DenseNet with growth_rate=4,
block_config=(2, 2), num_init_features=8, bn_size=2, num_classes=3, conv0 replaced by a
1-input-channel 7x7/2 convolution), seeded, in eval mode, with random batch-norm weights, biases,
running means and running variances (torchvision would start them at 1, 0, 0, 1, which would
hide a mix-up of those four), and a random classifier bias. It runs one fixed 1x1x32x32 input and
writes JSON:

  config      the DenseNet arguments and the input shape
  torch       torch and torchvision versions
  input       {shape, values}: the image, row-major (N, C, H, W)
  state_dict  {key: {shape, values}} for every floating-point state_dict tensor, row-major, keys
              as torchvision names them (num_batches_tracked, an integer counter that does not
              enter an eval-mode forward pass, is left out)
  features    the pooled features entering the classifier, shape (1, channels): relu(norm5),
              adaptive average pool to 1x1, flatten
  logits      the classifier output, shape (1, classes)
  softmax     softmax of the logits, shape (1, classes)

Values are float32, written in the shortest decimal form that reads back as the same float32.
The Java test (dev.cxr.resnet.DenseNetTorchEqualityTest) copies the weights into the graph that
DenseNets builds for the same configuration and compares features, logits and probabilities.

Usage: /usr/bin/python3 bench/densenet_reference.py [OUT]
  OUT defaults to cxr-resnet/src/test/resources/densenet/tiny.json (relative to the repository
  root). Run with Debian's interpreter (/usr/bin/python3), which is where python3-torch lives;
  written with torch 1.13 / torchvision 0.14.
"""
import json
import os
import sys

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F
import torchvision

GROWTH_RATE = 4
BLOCK_CONFIG = (2, 2)
NUM_INIT_FEATURES = 8
BN_SIZE = 2
NUM_CLASSES = 3
INPUT_SHAPE = (1, 1, 32, 32)
SEED = 1608


def values(tensor):
    """Row-major float32 values, each in its shortest round-trip decimal form."""
    flat = tensor.detach().to(torch.float32).contiguous().view(-1).numpy()
    return [float(np.format_float_positional(v, unique=True, trim="0")) for v in flat]


def entry(tensor):
    return {"shape": list(tensor.shape), "values": values(tensor)}


def build():
    torch.manual_seed(SEED)
    model = torchvision.models.DenseNet(
        growth_rate=GROWTH_RATE,
        block_config=BLOCK_CONFIG,
        num_init_features=NUM_INIT_FEATURES,
        bn_size=BN_SIZE,
        num_classes=NUM_CLASSES,
    )
    model.features.conv0 = nn.Conv2d(1, NUM_INIT_FEATURES, kernel_size=7, stride=2, padding=3, bias=False)
    nn.init.kaiming_normal_(model.features.conv0.weight)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                c = module.num_features
                module.weight.copy_(torch.empty(c).uniform_(0.5, 1.5))
                module.bias.copy_(torch.empty(c).uniform_(-0.5, 0.5))
                module.running_mean.copy_(torch.empty(c).uniform_(-0.5, 0.5))
                module.running_var.copy_(torch.empty(c).uniform_(0.25, 2.0))
        model.classifier.bias.copy_(torch.empty(NUM_CLASSES).uniform_(-0.5, 0.5))
    return model.eval()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "cxr-resnet", "src", "test", "resources", "densenet", "tiny.json")
    model = build()
    image = torch.rand(INPUT_SHAPE, generator=torch.Generator().manual_seed(SEED + 1))
    with torch.no_grad():
        features = torch.flatten(F.adaptive_avg_pool2d(F.relu(model.features(image)), (1, 1)), 1)
        logits = model.classifier(features)
        assert torch.equal(logits, model(image)), "forward differs from features + classifier"
        softmax = torch.softmax(logits, dim=1)
    fixture = {
        "config": {
            "growth_rate": GROWTH_RATE,
            "block_config": list(BLOCK_CONFIG),
            "num_init_features": NUM_INIT_FEATURES,
            "bn_size": BN_SIZE,
            "num_classes": NUM_CLASSES,
            "input_shape": list(INPUT_SHAPE),
        },
        "torch": {"torch": torch.__version__, "torchvision": torchvision.__version__},
        "input": entry(image),
        "state_dict": {k: entry(v) for k, v in model.state_dict().items() if v.dtype.is_floating_point},
        "features": entry(features),
        "logits": entry(logits),
        "softmax": entry(softmax),
    }
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {out}: {os.path.getsize(out)} bytes, logits {values(logits)}")


if __name__ == "__main__":
    main()
