package dev.cxr.core.weights;

import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.weights.Py.Bytes;
import dev.cxr.core.weights.Py.Global;
import dev.cxr.core.weights.Py.Kind;
import dev.cxr.core.weights.Py.PyDict;
import dev.cxr.core.weights.Py.PyList;
import dev.cxr.core.weights.Py.PyTuple;
import dev.cxr.core.weights.Py.StorageRef;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a legacy {@code torch.save} file (before PyTorch 1.6, or saved with {@code
 * _use_new_zipfile_serialization=False}), as {@code torch.serialization._legacy_load} does: a
 * sequence of pickles (the magic number {@code 0x1950a86a20f9469cfc6c}, the protocol version 1001,
 * the sys_info dict with {@code little_endian}, then the object, whose persistent ids are {@code
 * ('storage', storage_type, root_key, location, numel, view_metadata)} or {@code ('module', class,
 * source_file, source)}, then the list of storage keys), followed for each key, in that order, by
 * its element count (8 bytes, little-endian) and its raw bytes.
 */
final class TorchLegacyReader {
  /** torch.serialization.MAGIC_NUMBER. */
  static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);

  /** torch.serialization.PROTOCOL_VERSION. */
  static final long PROTOCOL_VERSION = 1001;

  private TorchLegacyReader() {}

  static StateDict read(Path file, WeightLimits limits, long size) {
    Map<String, StorageRef> roots = new HashMap<>();
    Map<String, Long> positions = new HashMap<>();
    PickledStateDict p;
    ByteOrder order;
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = new BufferedInputStream(raw, 1 << 16)) {
      PickleInput pin = new PickleInput(file, "the file", in, size, limits.maxPickleBytes());
      Object magic = new Unpickler(file, limits, pin, null).load();
      if (!MAGIC.equals(magic instanceof Long l ? BigInteger.valueOf(l) : magic)) {
        throw new CxrDataException(
            file, "a pickle without PyTorch's magic number: not a torch.save file");
      }
      Object version = new Unpickler(file, limits, pin, null).load();
      if (!Long.valueOf(PROTOCOL_VERSION).equals(version)) {
        throw new CxrDataException(
            file,
            "legacy torch.save protocol version "
                + (version instanceof Long ? version : "of type " + Py.typeName(version))
                + ", not "
                + PROTOCOL_VERSION);
      }
      Object sysInfo = new Unpickler(file, limits, pin, null).load();
      if (!(sysInfo instanceof PyDict info)) {
        throw new CxrDataException(
            file, "legacy sys_info is a " + Py.typeName(sysInfo) + ", not a dict");
      }
      order =
          Boolean.FALSE.equals(info.map.get("little_endian"))
              ? ByteOrder.BIG_ENDIAN
              : ByteOrder.LITTLE_ENDIAN;
      Object root =
          new Unpickler(file, limits, pin, pid -> persistent(file, size, roots, pid)).load();
      p = PickledStateDict.of(file, limits, root);
      Object keys = new Unpickler(file, limits, pin, null).load();
      if (!(keys instanceof PyList list)) {
        throw new CxrDataException(
            file, "the legacy storage key list is a " + Py.typeName(keys) + ", not a list");
      }
      pin.pickleEnded();
      for (Object k : list.items) {
        String key = text(k);
        StorageRef s = key == null ? null : roots.get(key);
        if (s == null) {
          throw new CxrDataException(file, "the storage key list names a storage no tensor uses");
        }
        if (positions.containsKey(key)) {
          throw new CxrDataException(
              file, "the storage key list names storage '" + Unpickler.quote(key) + "' twice");
        }
        long count = pin.le(8);
        if (count != s.numel()) {
          throw new CxrDataException(
              file,
              "storage '"
                  + Unpickler.quote(key)
                  + "' holds "
                  + count
                  + " elements at byte "
                  + (pin.position() - 8)
                  + ", its tensors declare "
                  + s.numel());
        }
        long n = count * s.dtype().size();
        if (n > pin.remaining()) {
          throw new CxrDataException(
              file,
              "truncated: storage '"
                  + Unpickler.quote(key)
                  + "' of "
                  + n
                  + " bytes at byte "
                  + pin.position()
                  + " runs past the end ("
                  + pin.remaining()
                  + " left)");
        }
        positions.put(key, pin.position());
        pin.skip(n);
      }
    } catch (IOException e) {
      throw new CxrDataException(file, -1, "cannot read: " + e, e);
    }
    try (FileChannel ch = SafetensorsReader.open(file)) {
      Materializer m =
          new Materializer(
              file,
              size,
              limits,
              (key, dtype, numel) -> {
                Long at = positions.get(key);
                if (at == null) {
                  throw new CxrDataException(
                      file,
                      "storage '"
                          + Unpickler.quote(key)
                          + "' has no data (not in the storage key list)");
                }
                ByteBuffer b = ByteBuffer.allocate((int) (numel * dtype.size())).order(order);
                try {
                  SafetensorsReader.readFully(file, ch, b, at);
                } catch (IOException e) {
                  throw new CxrDataException(file, -1, "cannot read: " + e, e);
                }
                return b.order(order);
              });
      return m.stateDict(StateDict.PYTORCH_LEGACY, p);
    } catch (IOException e) {
      throw new CxrDataException(file, -1, "cannot read: " + e, e);
    }
  }

  /** A persistent id: a storage (or a view of one), or a module class with its source. */
  private static Object persistent(
      Path file, long size, Map<String, StorageRef> roots, Object pid) {
    if (!(pid instanceof PyTuple t) || t.size() == 0) {
      throw new CxrDataException(
          file, "a persistent id that is a " + Py.typeName(pid) + ", not a tuple");
    }
    String typename = text(t.get(0));
    if ("module".equals(typename)
        && t.size() == 4
        && t.get(1) instanceof Global g
        && g.kind() == Kind.RECORD) {
      return g; // ('module', class, source_file, source): the class; its source is never looked at
    }
    if (!"storage".equals(typename)
        || t.size() != 6
        || !(t.get(1) instanceof Global type)
        || type.kind() != Kind.STORAGE
        || text(t.get(2)) == null
        || !(t.get(4) instanceof Long numel)
        || numel < 0) {
      throw new CxrDataException(
          file,
          "a persistent id that is not ('storage', storage class, root_key, location, numel, view_metadata) or ('module', class, source_file, source)");
    }
    String key = text(t.get(2));
    DType dtype = type.dtype();
    if (numel > (size / dtype.size())) {
      throw new CxrDataException(
          file,
          "storage '"
              + Unpickler.quote(key)
              + "' declares "
              + numel
              + " "
              + dtype.torchName()
              + " elements, more than the file's "
              + size
              + " bytes hold");
    }
    if ((long) numel * dtype.size() > Integer.MAX_VALUE - 8) {
      throw new CxrDataException(
          file, "storage '" + Unpickler.quote(key) + "' is larger than 2 GiB, which is not read");
    }
    StorageRef root = roots.get(key);
    if (root == null) {
      root = new StorageRef(key, dtype, numel, 0, numel);
      roots.put(key, root);
    } else if (root.dtype() != dtype) {
      throw new CxrDataException(
          file,
          "storage '"
              + Unpickler.quote(key)
              + "' is read as "
              + root.dtype().torchName()
              + " and as "
              + dtype.torchName());
    }
    Object view = t.get(5);
    if (view == null) {
      return root;
    }
    if (!(view instanceof PyTuple v)
        || v.size() != 3
        || !(v.get(1) instanceof Long offset)
        || !(v.get(2) instanceof Long viewSize)
        || offset < 0
        || viewSize < 0
        || offset > root.numel() - viewSize) {
      throw new CxrDataException(
          file, "storage '" + Unpickler.quote(key) + "' has a view outside it");
    }
    return new StorageRef(key, dtype, root.numel(), offset, viewSize);
  }

  /** A str, or Python 2 bytes read as ASCII (torch's _maybe_decode_ascii); else null. */
  private static String text(Object o) {
    if (o instanceof String s) {
      return s;
    }
    if (o instanceof Bytes b) {
      return new String(b.value(), StandardCharsets.US_ASCII);
    }
    return null;
  }
}
