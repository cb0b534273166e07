package dev.cxr.core.weights;

import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.weights.Py.StorageRef;
import dev.cxr.core.weights.Py.TensorRef;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.shade.jackson.core.JsonFactory;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.core.JsonToken;

/**
 * Reads a safetensors file: an 8-byte little-endian header length N, N bytes of JSON ({@code
 * {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}}),
 * then the little-endian data, offsets relative to its start.
 *
 * <p>Checked before anything is allocated for it: N within the file and {@link
 * WeightLimits#maxHeaderBytes()}; then every tensor: a known dtype, offsets within the data, {@code
 * end - begin} equal to the elements times the element size, no two tensors' bytes overlapping
 * (gaps are allowed), no name twice. The header is parsed by Jackson's streaming parser (the shaded
 * Jackson 2.13 has no read constraints; the header length bounds every string), tensors kept in
 * header order.
 */
final class SafetensorsReader {
  private static final JsonFactory JSON = new JsonFactory();

  /** Most dimensions of a tensor (PyTorch allows 64 at most in practice). */
  private static final int MAX_DIMS = 64;

  private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

  private SafetensorsReader() {}

  static StateDict read(Path file, WeightLimits limits, FileChannel ch, long size)
      throws IOException {
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(file, ch, lenBuf, 0);
    long n = lenBuf.getLong(0);
    if (n < 0 || n > size - 8) {
      throw new CxrDataException(
          file,
          "safetensors header length "
              + Long.toUnsignedString(n)
              + " exceeds the file ("
              + size
              + " bytes)");
    }
    if (n > limits.maxHeaderBytes()) {
      throw new CxrDataException(
          file,
          "safetensors header of "
              + n
              + " bytes exceeds "
              + limits.maxHeaderBytes()
              + " (WeightLimits.maxHeaderBytes)");
    }
    ByteBuffer header = ByteBuffer.allocate((int) n);
    readFully(file, ch, header, 8);
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = parse(file, limits, header.array(), metadata);
    long dataStart = 8 + n;
    long dataLength = size - dataStart;
    check(file, limits, entries, dataLength);

    Map<String, TensorRef> refs = new LinkedHashMap<>();
    Map<String, Entry> byName = new LinkedHashMap<>();
    for (Entry e : entries) {
      long numel = (e.end - e.begin) / e.dtype.size();
      long[] stride = new long[e.shape.length];
      long s = 1;
      for (int d = stride.length - 1; d >= 0; d--) {
        stride[d] = s;
        s *= e.shape[d];
      }
      refs.put(
          e.name,
          new TensorRef(new StorageRef(e.name, e.dtype, numel, 0, numel), 0, e.shape, stride));
      byName.put(e.name, e);
    }
    Materializer m =
        new Materializer(
            file,
            size,
            limits,
            (key, dtype, numel) -> {
              Entry e = byName.get(key);
              ByteBuffer b =
                  ByteBuffer.allocate((int) (e.end - e.begin)).order(ByteOrder.LITTLE_ENDIAN);
              try {
                readFully(file, ch, b, dataStart + e.begin);
              } catch (IOException ex) {
                throw new CxrDataException(file, -1, "cannot read: " + ex, ex);
              }
              return b;
            });
    Map<String, Object> attributes = new LinkedHashMap<>(metadata);
    return m.stateDict(StateDict.SAFETENSORS, new PickledStateDict(refs, attributes));
  }

  private static List<Entry> parse(
      Path file, WeightLimits limits, byte[] header, Map<String, String> metadata) {
    List<Entry> entries = new ArrayList<>();
    try (JsonParser p = JSON.createParser(header)) {
      expect(file, p.nextToken(), JsonToken.START_OBJECT, "the header");
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.getCurrentName();
        if (name.equals("__metadata__")) {
          JsonToken v = p.nextToken();
          if (v == JsonToken.VALUE_NULL) {
            continue;
          }
          expect(file, v, JsonToken.START_OBJECT, "__metadata__");
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.getCurrentName();
            expect(
                file,
                p.nextToken(),
                JsonToken.VALUE_STRING,
                "__metadata__ value " + Unpickler.quote(key));
            metadata.put(key, p.getText());
          }
          continue;
        }
        if (entries.size() >= limits.maxTensors()) {
          throw new CxrDataException(
              file, "more than " + limits.maxTensors() + " tensors (WeightLimits.maxTensors)");
        }
        String what = "tensor '" + Unpickler.quote(name) + "'";
        expect(file, p.nextToken(), JsonToken.START_OBJECT, what);
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.getCurrentName();
          JsonToken v = p.nextToken();
          switch (field) {
            case "dtype" -> {
              expect(file, v, JsonToken.VALUE_STRING, what + " dtype");
              dtype = p.getText();
            }
            case "shape" -> shape = longs(file, p, v, what + " shape", MAX_DIMS);
            case "data_offsets" -> offsets = longs(file, p, v, what + " data_offsets", 2);
            default -> p.skipChildren();
          }
        }
        if (dtype == null || shape == null || offsets == null) {
          throw new CxrDataException(
              file, what + " lacks dtype, shape or data_offsets in the safetensors header");
        }
        DType type = DType.ofSafetensors(dtype);
        if (type == null) {
          throw new CxrDataException(
              file, what + " has dtype " + Unpickler.quote(dtype) + ", which is not read");
        }
        if (offsets.length != 2) {
          throw new CxrDataException(
              file, what + " has " + offsets.length + " data_offsets, not 2");
        }
        entries.add(new Entry(name, type, shape, offsets[0], offsets[1]));
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new CxrDataException(file, "malformed safetensors header: text after its object");
      }
    } catch (JsonProcessingException ex) {
      String msg = ex.getOriginalMessage();
      throw new CxrDataException(
          file,
          -1,
          "malformed safetensors header: "
              + (msg == null ? ex : msg.lines().findFirst().orElse(msg)),
          ex);
    } catch (IOException ex) {
      throw new CxrDataException(file, -1, "cannot read the safetensors header: " + ex, ex);
    }
    return entries;
  }

  private static void check(Path file, WeightLimits limits, List<Entry> entries, long dataLength) {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Entry e : entries) {
      String what = "tensor '" + Unpickler.quote(e.name) + "'";
      if (!names.add(e.name)) {
        throw new CxrDataException(file, what + " appears twice in the safetensors header");
      }
      if (e.begin > e.end || e.end > dataLength) {
        throw new CxrDataException(
            file,
            what
                + " has data_offsets ["
                + e.begin
                + ", "
                + e.end
                + "] outside the "
                + dataLength
                + " data bytes");
      }
      long numel = Materializer.numel(file, limits, what, e.shape);
      if (e.end - e.begin != numel * e.dtype.size()) {
        throw new CxrDataException(
            file,
            what
                + " of shape "
                + Arrays.toString(e.shape)
                + " and dtype "
                + e.dtype.torchName()
                + " needs "
                + numel * e.dtype.size()
                + " bytes, its data_offsets give "
                + (e.end - e.begin));
      }
    }
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    for (int i = 1; i < sorted.size(); i++) {
      Entry a = sorted.get(i - 1);
      Entry b = sorted.get(i);
      if (b.begin < a.end) {
        throw new CxrDataException(
            file,
            "tensors '"
                + Unpickler.quote(a.name)
                + "' ["
                + a.begin
                + ", "
                + a.end
                + "] and '"
                + Unpickler.quote(b.name)
                + "' ["
                + b.begin
                + ", "
                + b.end
                + "] overlap in the safetensors data");
      }
    }
  }

  private static long[] longs(Path file, JsonParser p, JsonToken start, String what, int max)
      throws IOException {
    expect(file, start, JsonToken.START_ARRAY, what);
    List<Long> v = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_INT
          || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          || p.getLongValue() < 0) {
        throw new CxrDataException(
            file, what + " holds " + p.getText() + ", not a non-negative integer");
      }
      if (v.size() >= max) {
        throw new CxrDataException(file, what + " has more than " + max + " values");
      }
      v.add(p.getLongValue());
    }
    return v.stream().mapToLong(Long::longValue).toArray();
  }

  private static void expect(Path file, JsonToken got, JsonToken want, String what) {
    if (got != want) {
      throw new CxrDataException(
          file,
          "malformed safetensors header: "
              + what
              + " is "
              + (got == null ? "missing" : "a " + got)
              + ", not a "
              + want);
    }
  }

  static void readFully(Path file, FileChannel ch, ByteBuffer b, long position) throws IOException {
    long pos = position;
    while (b.hasRemaining()) {
      int r = ch.read(b, pos);
      if (r < 0) {
        throw new CxrDataException(file, "truncated: the file ends at byte " + pos);
      }
      pos += r;
    }
    b.flip();
  }

  /** Opens a file for positional reads. */
  static FileChannel open(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.READ);
  }
}
