package dev.cxr.core.weights;

import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.weights.Py.Global;
import dev.cxr.core.weights.Py.Kind;
import dev.cxr.core.weights.Py.PyTuple;
import dev.cxr.core.weights.Py.StorageRef;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a {@code torch.save} zip archive (PyTorch 1.6 and later): {@code <archive>/data.pkl}, the
 * pickle, whose persistent ids {@code ('storage', storage_type, key, location, numel)} name the
 * entries {@code <archive>/data/<key>} holding each storage's bytes (little-endian unless a {@code
 * <archive>/byteorder} entry says {@code big}). Each entry's size is checked against what is
 * declared for it before it is read, and read no further than that.
 */
final class TorchZipReader {
  private TorchZipReader() {}

  static StateDict read(Path file, WeightLimits limits, long size) {
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new CxrDataException(
          file, -1, "not a readable zip archive (truncated?): " + e.getMessage(), e);
    } catch (IOException e) {
      throw new CxrDataException(file, -1, "cannot read: " + e, e);
    }
    try (zip) {
      String prefix = prefix(file, zip);
      if (zip.getEntry(prefix + "constants.pkl") != null || hasCode(zip, prefix)) {
        throw new CxrDataException(
            file,
            "a TorchScript archive (torch.jit.save), not a torch.save file; save model.state_dict() with torch.save");
      }
      ByteOrder order = byteOrder(file, zip, prefix);
      ZipEntry pkl = zip.getEntry(prefix + "data.pkl");
      long pklSize = pkl.getSize();
      if (pklSize < 0 || pklSize > limits.maxPickleBytes()) {
        throw new CxrDataException(
            file,
            "entry "
                + pkl.getName()
                + " of "
                + pklSize
                + " bytes exceeds "
                + limits.maxPickleBytes()
                + " (WeightLimits.maxPickleBytes)");
      }
      Map<String, StorageRef> storages = new HashMap<>();
      Object root;
      try (InputStream in = new BufferedInputStream(zip.getInputStream(pkl))) {
        PickleInput pin =
            new PickleInput(file, "entry " + pkl.getName(), in, pklSize, limits.maxPickleBytes());
        root =
            new Unpickler(file, limits, pin, pid -> storage(file, zip, prefix, storages, pid))
                .load();
      }
      PickledStateDict p = PickledStateDict.of(file, limits, root);
      Materializer m =
          new Materializer(
              file,
              size,
              limits,
              (key, dtype, numel) ->
                  bytes(file, zip, prefix + "data/" + key, numel * dtype.size(), order));
      return m.stateDict(StateDict.PYTORCH_ZIP, p);
    } catch (IOException e) {
      throw new CxrDataException(file, -1, "cannot read: " + e, e);
    }
  }

  /** The archive's folder: the one top-level folder holding {@code data.pkl}. */
  private static String prefix(Path file, ZipFile zip) {
    List<String> found = new ArrayList<>();
    Enumeration<? extends ZipEntry> en = zip.entries();
    while (en.hasMoreElements()) {
      String name = en.nextElement().getName();
      int slash = name.indexOf('/');
      if (slash > 0 && name.equals(name.substring(0, slash + 1) + "data.pkl")) {
        found.add(name.substring(0, slash + 1));
      }
    }
    if (found.isEmpty()) {
      throw new CxrDataException(
          file, "a zip archive without an <archive>/data.pkl entry: not a torch.save file");
    }
    if (found.size() > 1) {
      throw new CxrDataException(
          file, "a zip archive with " + found.size() + " data.pkl entries: not a torch.save file");
    }
    return found.get(0);
  }

  private static boolean hasCode(ZipFile zip, String prefix) {
    Enumeration<? extends ZipEntry> en = zip.entries();
    while (en.hasMoreElements()) {
      if (en.nextElement().getName().startsWith(prefix + "code/")) {
        return true;
      }
    }
    return false;
  }

  private static ByteOrder byteOrder(Path file, ZipFile zip, String prefix) throws IOException {
    ZipEntry e = zip.getEntry(prefix + "byteorder");
    if (e == null) {
      return ByteOrder.LITTLE_ENDIAN;
    }
    String text;
    try (InputStream in = zip.getInputStream(e)) {
      text = new String(in.readNBytes(16), StandardCharsets.US_ASCII).strip();
    }
    return switch (text) {
      case "little" -> ByteOrder.LITTLE_ENDIAN;
      case "big" -> ByteOrder.BIG_ENDIAN;
      default ->
          throw new CxrDataException(
              file,
              "entry " + e.getName() + " says '" + Unpickler.quote(text) + "', not little or big");
    };
  }

  /** A persistent id of the zip format: ('storage', storage_type, key, location, numel). */
  private static StorageRef storage(
      Path file, ZipFile zip, String prefix, Map<String, StorageRef> storages, Object pid) {
    if (!(pid instanceof PyTuple t)
        || t.size() != 5
        || !"storage".equals(t.get(0))
        || !(t.get(1) instanceof Global type)
        || type.kind() != Kind.STORAGE
        || !(t.get(2) instanceof String key)
        || !(t.get(4) instanceof Long numel)
        || numel < 0) {
      throw new CxrDataException(
          file, "a persistent id that is not ('storage', storage class, key, location, numel)");
    }
    DType dtype = type.dtype();
    StorageRef known = storages.get(key);
    if (known != null) {
      if (known.dtype() != dtype || known.numel() != numel) {
        throw new CxrDataException(
            file,
            "storage '"
                + Unpickler.quote(key)
                + "' is declared as "
                + known.numel()
                + " "
                + known.dtype().torchName()
                + " and as "
                + numel
                + " "
                + dtype.torchName());
      }
      return known;
    }
    String name = prefix + "data/" + key;
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      throw new CxrDataException(
          file, "storage '" + Unpickler.quote(key) + "' has no entry " + Unpickler.quote(name));
    }
    long need;
    try {
      need = Math.multiplyExact(numel, (long) dtype.size());
    } catch (ArithmeticException ex) {
      need = Long.MAX_VALUE;
    }
    if (e.getSize() < 0 || need > e.getSize()) {
      throw new CxrDataException(
          file,
          "storage '"
              + Unpickler.quote(key)
              + "' declares "
              + numel
              + " "
              + dtype.torchName()
              + " elements ("
              + need
              + " bytes) but its entry holds "
              + e.getSize()
              + " bytes");
    }
    if (need > Integer.MAX_VALUE - 8) {
      throw new CxrDataException(
          file,
          "storage '"
              + Unpickler.quote(key)
              + "' of "
              + need
              + " bytes is larger than 2 GiB, which is not read");
    }
    StorageRef s = new StorageRef(key, dtype, numel, 0, numel);
    storages.put(key, s);
    return s;
  }

  private static ByteBuffer bytes(Path file, ZipFile zip, String name, long n, ByteOrder order) {
    ZipEntry e = zip.getEntry(name);
    try (InputStream in = zip.getInputStream(e)) {
      byte[] b = in.readNBytes((int) n);
      if (b.length != n) {
        throw new CxrDataException(
            file,
            "truncated: entry "
                + Unpickler.quote(name)
                + " holds "
                + b.length
                + " bytes, not "
                + n);
      }
      return ByteBuffer.wrap(b).order(order);
    } catch (ZipException ex) {
      throw new CxrDataException(
          file, -1, "entry " + Unpickler.quote(name) + " is corrupt: " + ex.getMessage(), ex);
    } catch (IOException ex) {
      throw new CxrDataException(
          file, -1, "cannot read entry " + Unpickler.quote(name) + ": " + ex, ex);
    }
  }
}
