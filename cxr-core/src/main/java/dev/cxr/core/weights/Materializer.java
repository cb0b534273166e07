package dev.cxr.core.weights;

import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.weights.Py.StorageRef;
import dev.cxr.core.weights.Py.TensorRef;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the tensors a pickle describes into {@link Tensor}s: reads each root storage once (the last
 * one is kept, since views of one storage are usually adjacent) and gathers each tensor's elements
 * through its offset and strides, bounds checked against the storage first.
 */
final class Materializer {
  /** Where a root storage's bytes come from. */
  interface StorageSource {
    /**
     * @param key the root storage's key
     * @param dtype its element type
     * @param numel its length in elements, already checked against what the file holds
     * @return exactly {@code numel * dtype.size()} bytes, the byte order set
     */
    ByteBuffer bytes(String key, DType dtype, long numel);
  }

  /**
   * Most elements read per byte of the file, over all tensors. Every element takes at least one
   * byte of storage, so only tensors sharing a storage (tied weights, views) read more; a file
   * whose tensors view one storage over and over (or with stride 0) to make gigabytes of floats
   * from kilobytes is refused.
   */
  static final int ELEMENTS_PER_FILE_BYTE = 4;

  private final Path file;
  private final long fileBytes;
  private final WeightLimits limits;
  private final StorageSource source;
  private long elements;
  private String cachedKey;
  private ByteBuffer cached;

  Materializer(Path file, long fileBytes, WeightLimits limits, StorageSource source) {
    this.file = file;
    this.fileBytes = fileBytes;
    this.limits = limits;
    this.source = source;
  }

  /** The tensors and attributes of a pickled state dict, read. */
  StateDict stateDict(String format, PickledStateDict p) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, TensorRef> e : stripModulePrefix(p.tensors()).entrySet()) {
      tensors.put(e.getKey(), tensor(e.getKey(), e.getValue()));
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : p.attributes().entrySet()) {
      Object v = e.getValue();
      attributes.put(e.getKey(), v instanceof TensorRef t ? tensor(e.getKey(), t) : v);
    }
    return new StateDict(file, format, tensors, attributes);
  }

  /** One tensor, its view checked against its storage before anything is allocated. */
  Tensor tensor(String name, TensorRef t) {
    long[] shape = t.shape();
    long[] stride = t.stride();
    StorageRef s = t.storage();
    String what = "tensor '" + Unpickler.quote(name) + "'";
    long n = numel(file, limits, what, shape);
    elements += n;
    if (elements > ELEMENTS_PER_FILE_BYTE * fileBytes) {
      throw new CxrDataException(
          file,
          "tensors of more than "
              + elements
              + " elements from a file of "
              + fileBytes
              + " bytes: storages are shared too often (at most "
              + ELEMENTS_PER_FILE_BYTE
              + " elements per byte)");
    }
    if (t.offset() < 0) {
      throw new CxrDataException(file, what + " has a negative storage offset " + t.offset());
    }
    long last = t.offset();
    for (int d = 0; d < shape.length; d++) {
      if (stride[d] < 0) {
        throw new CxrDataException(
            file, what + " has a negative stride " + Arrays.toString(stride));
      }
      if (n > 0) {
        try {
          last = Math.addExact(last, Math.multiplyExact(shape[d] - 1, stride[d]));
        } catch (ArithmeticException e) {
          throw new CxrDataException(
              file, what + " has strides past any storage " + Arrays.toString(stride));
        }
      }
    }
    if (n > 0 && last >= s.viewNumel()) {
      throw new CxrDataException(
          file,
          what
              + " of size "
              + Arrays.toString(shape)
              + ", stride "
              + Arrays.toString(stride)
              + " and offset "
              + t.offset()
              + " reads element "
              + last
              + " of a storage of "
              + s.viewNumel());
    }
    float[] values = new float[(int) n];
    if (n > 0) {
      ByteBuffer b = storage(s);
      DType dtype = s.dtype();
      int size = dtype.size();
      long base = s.viewOffset() + t.offset();
      if (contiguous(shape, stride)) {
        for (int i = 0; i < n; i++) {
          values[i] = dtype.read(b, (int) ((base + i) * size));
        }
      } else {
        int nd = shape.length;
        long[] idx = new long[nd];
        long pos = base;
        for (int i = 0; i < n; i++) {
          values[i] = dtype.read(b, (int) (pos * size));
          for (int d = nd - 1; d >= 0; d--) {
            pos += stride[d];
            if (++idx[d] < shape[d]) {
              break;
            }
            pos -= stride[d] * shape[d];
            idx[d] = 0;
          }
        }
      }
    }
    return new Tensor(name, shape, values, s.dtype().torchName());
  }

  private ByteBuffer storage(StorageRef s) {
    if (!s.key().equals(cachedKey)) {
      cached = null; // let the previous storage go before the next is read
      cached = source.bytes(s.key(), s.dtype(), s.numel());
      cachedKey = s.key();
    }
    return cached;
  }

  /** The number of elements of a shape, checked against the limit. */
  static long numel(Path file, WeightLimits limits, String what, long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new CxrDataException(file, what + " has a negative size " + Arrays.toString(shape));
      }
      if (d != 0 && n > limits.maxTensorElements() / d) {
        n = Long.MAX_VALUE;
      } else {
        n *= d;
      }
    }
    for (long d : shape) {
      if (d == 0) {
        n = 0;
      }
    }
    if (n > limits.maxTensorElements()) {
      throw new CxrDataException(
          file,
          what
              + " of size "
              + Arrays.toString(shape)
              + " has more than "
              + limits.maxTensorElements()
              + " elements (WeightLimits.maxTensorElements)");
    }
    return n;
  }

  private static boolean contiguous(long[] shape, long[] stride) {
    long expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] != 1 && stride[d] != expected) {
        return false;
      }
      expected *= shape[d];
    }
    return true;
  }

  /**
   * The entries with the {@code module.} prefix taken off every key, when every key has it (a
   * DataParallel state dict); else the entries as they are.
   */
  static <V> Map<String, V> stripModulePrefix(Map<String, V> entries) {
    if (entries.isEmpty() || !entries.keySet().stream().allMatch(k -> k.startsWith("module."))) {
      return entries;
    }
    Map<String, V> stripped = new LinkedHashMap<>();
    entries.forEach((k, v) -> stripped.put(k.substring("module.".length()), v));
    return stripped;
  }
}
