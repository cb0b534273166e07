package dev.cxr.core.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds pickles, torch.save archives and safetensors files byte by byte, for hostile inputs. */
final class PickleBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A pickle starting with PROTO 2. */
  static PickleBytes proto2() {
    return new PickleBytes().op(0x80).op(2);
  }

  PickleBytes op(int b) {
    out.write(b);
    return this;
  }

  PickleBytes ops(int b, int times) {
    for (int i = 0; i < times; i++) {
      out.write(b);
    }
    return this;
  }

  PickleBytes raw(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  PickleBytes global(String module, String name) {
    return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
  }

  PickleBytes str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return op('X').raw(le(b.length, 4)).raw(b);
  }

  PickleBytes integer(long v) {
    return op('J').raw(le(v, 4));
  }

  PickleBytes mark() {
    return op('(');
  }

  PickleBytes tuple() {
    return op('t');
  }

  PickleBytes reduce() {
    return op('R');
  }

  PickleBytes stop() {
    return op('.');
  }

  /** {@code collections.OrderedDict()}. */
  PickleBytes orderedDict() {
    return global("collections", "OrderedDict").op(')').reduce();
  }

  /**
   * {@code _rebuild_tensor_v2(storage(key, numel), 0, (size,), (1,), False, OrderedDict())} with a
   * FloatStorage persistent id of the zip format.
   */
  PickleBytes tensor1d(String key, long storageNumel, long size) {
    global("torch._utils", "_rebuild_tensor_v2").mark();
    mark()
        .str("storage")
        .global("torch", "FloatStorage")
        .str(key)
        .str("cpu")
        .integer(storageNumel)
        .tuple();
    op('Q');
    integer(0).mark().integer(size).tuple().mark().integer(1).tuple().op(0x89).orderedDict();
    return tuple().reduce();
  }

  /** A state dict {name: tensor1d(...)} pickle, complete with STOP. */
  static byte[] stateDict(String name, String key, long storageNumel, long size) {
    return proto2()
        .orderedDict()
        .str(name)
        .tensor1d(key, storageNumel, size)
        .op('s')
        .stop()
        .bytes();
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  static byte[] le(long v, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    return b;
  }

  /** A torch.save-like zip: {@code archive/data.pkl} and the given {@code archive/data/<key>}. */
  static Path torchZip(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
    try (OutputStream os = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(os)) {
      zip.putNextEntry(new ZipEntry("archive/data.pkl"));
      zip.write(pickle);
      zip.closeEntry();
      for (Map.Entry<String, byte[]> e : storages.entrySet()) {
        zip.putNextEntry(new ZipEntry("archive/data/" + e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
      zip.putNextEntry(new ZipEntry("archive/version"));
      zip.write("3\n".getBytes(StandardCharsets.US_ASCII));
      zip.closeEntry();
    }
    return file;
  }

  /** A safetensors file: the header length, the header as given, then {@code data}. */
  static Path safetensors(Path file, String header, byte[] data) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(data);
    return Files.write(file, b.array());
  }
}
