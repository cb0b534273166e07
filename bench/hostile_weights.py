"""Writes hostile weight files for bench/hostile-weights.sh: each must be refused, quickly, in one line.

Usage: /usr/bin/python3 bench/hostile_weights.py OUT_DIR
"""
import io
import json
import os
import pickle
import struct
import sys
import zipfile

import torch


class Call:
    """Pickles as a call of fn(*args) (what a malicious checkpoint does through __reduce__)."""
    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return self.fn, self.args


def torch_zip(path, payload_pickle):
    """A torch.save-style zip whose data.pkl is the given pickle bytes."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("archive/data.pkl", payload_pickle)
        z.writestr("archive/version", "3\n")


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    import builtins
    import subprocess
    proto = 2
    with open(os.path.join(out, "os-system.pt"), "wb") as f:
        pickle.dump(Call(os.system, "echo pwned"), f, protocol=proto)
    torch_zip(os.path.join(out, "builtins-eval.pt"),
              pickle.dumps(Call(builtins.eval, "print('pwned')"), protocol=proto))
    torch_zip(os.path.join(out, "subprocess-popen.pt"),
              pickle.dumps(Call(subprocess.Popen, ["echo", "pwned"]), protocol=proto))
    # a global off the list: a harmless-looking class that is not a tensor, container or module
    import fractions
    torch_zip(os.path.join(out, "global-off-list.pt"),
              pickle.dumps({"w": fractions.Fraction(1, 3)}, protocol=proto))
    # a storage declaring more elements than the file holds
    buf = io.BytesIO()
    torch.save({"w": torch.zeros(4)}, buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    pkl_name = [n for n in entries if n.endswith("data.pkl")][0]
    # numel 4 -> 1,000,000,000 (4 GB of float32) in the persistent id and the tensor's size
    entries[pkl_name] = entries[pkl_name].replace(b"K\x04", b"J" + struct.pack("<i", 10 ** 9), 2)
    with zipfile.ZipFile(os.path.join(out, "storage-larger-than-file.pt"), "w") as z:
        for n, b in entries.items():
            z.writestr(n, b)

    def safetensors(path, header, data=b""):
        h = json.dumps(header).encode()
        with open(path, "wb") as f:
            f.write(struct.pack("<Q", len(h)) + h + data)
    safetensors(os.path.join(out, "safetensors-overlap.safetensors"),
                {"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
                 "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}}, bytes(24))
    safetensors(os.path.join(out, "safetensors-out-of-range.safetensors"),
                {"a": {"dtype": "F32", "shape": [1000], "data_offsets": [0, 4000]}}, bytes(16))
    with open(os.path.join(out, "safetensors-2gib-header.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", 2 * 1024 ** 3) + b'{"a":')
    # 10,000 nested lists: EMPTY_LIST + MARK ... (protocol 2), never closed
    deep = b"\x80\x02" + b"](" * 10000 + b"."
    with open(os.path.join(out, "nesting-10000.pt"), "wb") as f:
        f.write(deep)
    for name in sorted(os.listdir(out)):
        print(name)


if __name__ == "__main__":
    main()
