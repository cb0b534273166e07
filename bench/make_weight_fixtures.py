#!/usr/bin/python3
"""Writes the small PyTorch / safetensors weight files that cxr-core's WeightFilesTest reads.

Run with Debian's interpreter, where python3-torch (1.13) and torchvision (0.14) live:

    /usr/bin/python3 bench/make_weight_fixtures.py

Writes into cxr-core/src/test/resources/weights/ (or the folder given as the first argument):

  tiny_zip.pt            state_dict of a tiny module, torch.save zip format (PyTorch >= 1.6)
  tiny_legacy.pt         the same, _use_new_zipfile_serialization=False (the legacy format)
  tiny.safetensors       the same tensors, safetensors written by hand (struct + json)
  checkpoint.pt          {'epoch': 3, 'arch': 'tiny', 'state_dict': sd}, zip format
  prefixed.pt            the state_dict with every key under 'module.' (as DataParallel saves it)
  xrv_module_zip.pt      a whole pickled nn.Module of a class in a fake 'torchxrayvision' package
  xrv_module_legacy.pt   the same module, legacy format
  hostile_os_system.pkl  a plain pickle whose __reduce__ calls os.system (pickled as posix.system)
  hostile_eval.pt        torch.save zip whose data.pkl calls builtins.eval
  hostile_popen.pt       torch.save legacy file whose object pickle calls subprocess.Popen
  expected.json          per good fixture: its keys in order, and per key shape, dtype and values;
                         per module fixture its attributes

CI has no PyTorch: the tests read only these committed files. The script is deterministic
(torch.manual_seed); the zip entries carry no timestamps that matter to the tests.
"""
import json
import os
import pickle
import shutil
import struct
import subprocess
import sys
import tempfile
import textwrap
from collections import OrderedDict

import torch
from torch import nn

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), '..', 'cxr-core', 'src', 'test', 'resources',
    'weights')

DTYPE_NAMES = {
    torch.float32: 'float32', torch.float16: 'float16', torch.bfloat16: 'bfloat16',
    torch.float64: 'float64', torch.int64: 'int64', torch.int32: 'int32', torch.int16: 'int16',
    torch.int8: 'int8', torch.uint8: 'uint8', torch.bool: 'bool',
}
SAFETENSORS_CODES = {
    torch.float32: 'F32', torch.float16: 'F16', torch.bfloat16: 'BF16', torch.float64: 'F64',
    torch.int64: 'I64', torch.int32: 'I32', torch.int16: 'I16', torch.int8: 'I8',
    torch.uint8: 'U8', torch.bool: 'BOOL',
}


class Tiny(nn.Module):
    """conv 1->4 3x3 without bias, BatchNorm2d(4), Linear(4, 3), and buffers of every dtype."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, bias=False)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4, 3)
        base = torch.arange(24, dtype=torch.float32).mul(0.25).view(4, 6)
        # non-contiguous views: a transpose, a strided slice, and a view with a storage offset
        self.register_buffer('transposed', base[:2, :3].t())
        self.register_buffer('strided', base[:, ::2])
        self.register_buffer('offset', base.view(-1)[5:11].view(2, 3))
        self.register_buffer('halves', torch.randn(5).half())
        self.register_buffer('brain', torch.randn(3).bfloat16())
        self.register_buffer('doubles', torch.randn(2, 2, dtype=torch.float64))
        self.register_buffer('ints', torch.tensor([-7, 0, 2 ** 20], dtype=torch.int32))
        self.register_buffer('octets', torch.tensor([0, 1, 255], dtype=torch.uint8))
        self.register_buffer('mask', torch.tensor([True, False, True]))
        self.register_buffer('scratch', torch.zeros(2), persistent=False)


def tiny_state_dict():
    torch.manual_seed(0)
    model = Tiny()
    with torch.no_grad():
        model.bn.running_mean.copy_(torch.randn(4) * 0.1)
        model.bn.running_var.copy_(torch.rand(4) + 0.5)
        model.bn.weight.copy_(torch.rand(4) + 0.5)
        model.bn.bias.copy_(torch.randn(4) * 0.1)
        model.bn.num_batches_tracked.fill_(17)
    return model.state_dict()


def describe(t):
    return {
        'shape': list(t.shape),
        'dtype': DTYPE_NAMES[t.dtype],
        # float() of every element: float16/bfloat16/float32 exactly, float64 rounded to float32
        # as a reader that gives float32 values must; ints and bools as float32
        'values': [float(v) for v in t.detach().to(torch.float32).contiguous().view(-1).tolist()],
    }


def tensors_entry(sd):
    return {'keys': list(sd.keys()), 'tensors': {k: describe(v) for k, v in sd.items()}}


def write_safetensors(path, sd, metadata):
    header = OrderedDict()
    header['__metadata__'] = metadata
    blobs = []
    offset = 0
    for k, v in sd.items():
        v = v.detach().contiguous()
        if v.dtype == torch.bfloat16:
            raw = v.view(torch.int16).numpy().tobytes()
        else:
            raw = v.numpy().tobytes()
        header[k] = {'dtype': SAFETENSORS_CODES[v.dtype], 'shape': list(v.shape),
                     'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * (-len(text) % 8)  # the reference writer pads the header to 8 bytes
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


XRV_SOURCE = textwrap.dedent('''
    """A stand-in for torchxrayvision.models: a small DenseNet-like module with the attributes
    the real ones carry (pathologies, op_threshs)."""
    from collections import OrderedDict

    import torch
    from torch import nn
    from torchvision.models.densenet import _DenseLayer


    class DenseNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(OrderedDict([
                ('conv0', nn.Conv2d(1, 4, 3, bias=False)),
                ('norm0', nn.BatchNorm2d(4)),
                ('relu0', nn.ReLU(inplace=True)),
                ('denselayer1', _DenseLayer(4, growth_rate=2, bn_size=2, drop_rate=0.0)),
            ]))
            self.classifier = nn.Linear(6, 3)
            self.pathologies = ['Atelectasis', 'Effusion', 'Cardiomegaly']
            self.op_threshs = torch.tensor([0.25, 0.5, 0.125])
            self.weights = 'fake-densenet'
            self.apply_sigmoid = False
            self.register_buffer('scratch', torch.zeros(2), persistent=False)
            self.unused = None
''')


def xrv_module():
    # a fixed folder: the legacy format stores the class's source file name
    pkg = os.path.join(tempfile.gettempdir(), 'cxr-fake-torchxrayvision')
    shutil.rmtree(pkg, ignore_errors=True)
    os.makedirs(os.path.join(pkg, 'torchxrayvision'))
    with open(os.path.join(pkg, 'torchxrayvision', '__init__.py'), 'w') as f:
        f.write('from . import models\n')
    with open(os.path.join(pkg, 'torchxrayvision', 'models.py'), 'w') as f:
        f.write(XRV_SOURCE)
    sys.path.insert(0, pkg)
    import torchxrayvision  # noqa: E402 (the fake package just written)
    torch.manual_seed(1)
    model = torchxrayvision.models.DenseNet()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.copy_(torch.randn(m.num_features) * 0.1)
                m.running_var.copy_(torch.rand(m.num_features) + 0.5)
                m.num_batches_tracked.fill_(5)
    return model


class Evil:
    """An object whose unpickling calls a function: what a hostile weight file does."""

    def __init__(self, fn, *args):
        self.fn = fn
        self.args = args

    def __reduce__(self):
        return (self.fn, self.args)


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = OrderedDict()

    sd = tiny_state_dict()
    torch.save(sd, os.path.join(OUT, 'tiny_zip.pt'))
    torch.save(sd, os.path.join(OUT, 'tiny_legacy.pt'), _use_new_zipfile_serialization=False)
    write_safetensors(os.path.join(OUT, 'tiny.safetensors'), sd,
                      OrderedDict([('format', 'pt'), ('source', 'make_weight_fixtures.py')]))
    expected['tiny'] = tensors_entry(sd)
    assert not sd['transposed'].is_contiguous() and not sd['strided'].is_contiguous()
    assert sd['offset'].storage_offset() == 5

    torch.save(OrderedDict([('epoch', 3), ('arch', 'tiny'), ('state_dict', sd)]),
               os.path.join(OUT, 'checkpoint.pt'))
    torch.save(OrderedDict(('module.' + k, v) for k, v in sd.items()),
               os.path.join(OUT, 'prefixed.pt'))

    model = xrv_module()
    torch.save(model, os.path.join(OUT, 'xrv_module_zip.pt'))
    torch.save(model, os.path.join(OUT, 'xrv_module_legacy.pt'),
               _use_new_zipfile_serialization=False)
    msd = model.state_dict()
    entry = tensors_entry(msd)
    entry['attributes'] = {
        'pathologies': model.pathologies,
        'op_threshs': describe(model.op_threshs),
        'weights': model.weights,
        'apply_sigmoid': model.apply_sigmoid,
        'training': model.training,
    }
    expected['xrv_module'] = entry

    with open(os.path.join(OUT, 'hostile_os_system.pkl'), 'wb') as f:
        pickle.dump(Evil(os.system, 'echo pwned'), f, protocol=2)
    torch.save({'w': Evil(eval, '__import__("os").system("echo pwned")')},
               os.path.join(OUT, 'hostile_eval.pt'))
    torch.save({'w': Evil(subprocess.Popen, ['echo', 'pwned'])},
               os.path.join(OUT, 'hostile_popen.pt'), _use_new_zipfile_serialization=False)

    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1)
        f.write('\n')
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print('wrote %d files, %d bytes, into %s' % (len(os.listdir(OUT)), total, OUT))


if __name__ == '__main__':
    main()
