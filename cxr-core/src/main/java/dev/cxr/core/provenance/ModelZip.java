package dev.cxr.core.provenance;

import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.RegularFiles;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataBuffer.AllocationMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model zip opened for reading by someone who does not trust it. Only {@link ZipFile} (the
 * central directory) is used: DL4J's {@link ModelSerializer} never sees the file, so its
 * whole-entry buffering and its {@code ObjectInputStream} for a {@code preprocessor.bin} entry
 * never run. On opening, every entry must be one a cxr model has ({@link #ENTRIES}) and declare a
 * size below its cap; while reading, the inflated bytes are counted and reading stops as soon as an
 * entry passes its cap, whatever its header declared (a zip bomb inflates no further than the cap).
 *
 * <p>The caps: {@value #MAX_JSON_BYTES} bytes for each JSON entry (a ResNet-152 configuration is
 * about 1 MB, the metadata of 10,000 epochs about 3 MB); {@value #MAX_ARRAY_BYTES} bytes for each
 * array entry, the most DL4J's own reader could ever load, and once the configuration is read, the
 * bytes its parameter count needs; {@link #MAX_TOTAL_BYTES} for all entries together. An ensemble's
 * section ({@value ModelFile#ENSEMBLE_ENTRY}) is a JSON entry like the others, its member lists
 * bounded by {@link EnsembleInfo#MAX_MEMBERS}.
 */
final class ModelZip implements Closeable {
  /** DL4J's network configuration entry. */
  static final String CONFIGURATION = ModelSerializer.CONFIGURATION_JSON;

  /** DL4J's parameter entry. */
  static final String COEFFICIENTS = ModelSerializer.COEFFICIENTS_BIN;

  /** DL4J's optimiser state entry (written only for resumable checkpoints). */
  static final String UPDATER = ModelSerializer.UPDATER_BIN;

  /**
   * The entries a cxr model has: what {@code ModelSerializer.writeModel} writes, the metadata, and
   * for an ensemble its section.
   */
  static final List<String> ENTRIES =
      List.of(
          CONFIGURATION, COEFFICIENTS, UPDATER, ModelFile.METADATA_ENTRY, ModelFile.ENSEMBLE_ENTRY);

  /** Cap on the inflated size of each JSON entry. */
  static final long MAX_JSON_BYTES = 8L << 20;

  /** Cap on the inflated size of each array entry (DL4J's reader: one Java byte array). */
  static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE;

  /** Cap on the inflated size of all entries together. */
  static final long MAX_TOTAL_BYTES = 3 * MAX_JSON_BYTES + 2 * MAX_ARRAY_BYTES;

  /** Room for an array's headers (allocation mode, length, type and shape information). */
  static final long ARRAY_HEADER_BYTES = 64L << 10;

  private static final int MAX_SHAPE_INFO = 2 * 32 + 4;

  private final Path file;
  private final ZipFile zip;

  private ModelZip(Path file, ZipFile zip) {
    this.file = file;
    this.zip = zip;
  }

  /**
   * Opens a model zip and checks its entry names and declared sizes.
   *
   * @param file the file
   * @return the open zip
   * @throws CxrDataException naming the file and the entry when anything is off
   */
  static ModelZip open(Path file) {
    if (!Files.exists(file)) {
      throw new CxrDataException(file, "model file not found");
    }
    RegularFiles.require(file, "model file");
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException ze) {
      throw new CxrDataException(
          file, -1, "not a cxr model (not a zip file, or truncated: " + ze.getMessage() + ")", ze);
    } catch (IOException ex) {
      throw new CxrDataException(file, -1, "cannot read model: " + ex.getMessage(), ex);
    }
    ModelZip opened = new ModelZip(file, zip);
    try {
      opened.vet();
      return opened;
    } catch (RuntimeException ex) {
      opened.close();
      throw ex;
    }
  }

  private void vet() {
    if (zip.getEntry(ModelFile.METADATA_ENTRY) == null) {
      throw new CxrDataException(
          file,
          zip.getEntry(CONFIGURATION) != null
              ? "a DL4J model without cxr metadata ("
                  + ModelFile.METADATA_ENTRY
                  + "), not a cxr model"
              : "not a cxr model (no " + ModelFile.METADATA_ENTRY + ")");
    }
    Set<String> seen = new HashSet<>();
    long total = 0;
    for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
      ZipEntry e = all.nextElement();
      String name = e.getName();
      if (!ENTRIES.contains(name)) {
        throw error(
            name,
            "not part of a cxr model (it holds only "
                + String.join(", ", ENTRIES)
                + "); refused unread");
      }
      if (!seen.add(name)) {
        throw error(name, "appears twice; refused");
      }
      long cap = cap(name);
      if (e.getSize() > cap) {
        throw error(name, "declares " + e.getSize() + " bytes, over its cap of " + cap);
      }
      total += Math.max(0, e.getSize());
    }
    if (total > MAX_TOTAL_BYTES) {
      throw new CxrDataException(
          file, "entries declare " + total + " bytes in all, over the cap of " + MAX_TOTAL_BYTES);
    }
  }

  /** Checks that the zip holds a network, not only metadata. */
  void requireNetwork() {
    if (zip.getEntry(CONFIGURATION) == null || zip.getEntry(COEFFICIENTS) == null) {
      throw new CxrDataException(
          file, "not a cxr model (no " + CONFIGURATION + " or no " + COEFFICIENTS + ")");
    }
  }

  private static long cap(String name) {
    return name.endsWith(".json") ? MAX_JSON_BYTES : MAX_ARRAY_BYTES;
  }

  /**
   * @param name an entry name
   * @return whether the zip has it
   */
  boolean has(String name) {
    return zip.getEntry(name) != null;
  }

  /**
   * Reads a JSON entry whole, counting and capping the inflated bytes, then checks its structure
   * with {@link JsonLimits}.
   *
   * @param name the entry
   * @param classPrefixes the allowed {@code @class} prefixes, or none to allow no type names
   * @return its bytes
   */
  byte[] readJson(String name, String... classPrefixes) {
    byte[] bytes;
    try (InputStream in = open(name, MAX_JSON_BYTES)) {
      bytes = in.readAllBytes();
    } catch (IOException ex) {
      throw readError(name, ex);
    }
    String problem = JsonLimits.problem(bytes, classPrefixes);
    if (problem != null) {
      throw error(name, problem);
    }
    return bytes;
  }

  /**
   * Reads an ND4J array entry, streaming: its headers are checked before ND4J allocates anything.
   *
   * @param name the entry
   * @param maxLength the most elements it may hold
   * @param exactLength the number of elements it must hold, or -1 for any up to {@code maxLength}
   * @param maxElementBytes the most bytes an element may take
   * @return the array
   */
  INDArray readArray(String name, long maxLength, long exactLength, int maxElementBytes) {
    long cap = Math.min(MAX_ARRAY_BYTES, ARRAY_HEADER_BYTES + maxLength * maxElementBytes);
    long declared = zip.getEntry(name).getSize();
    if (declared > cap) {
      throw error(name, "declares " + declared + " bytes, but this network needs at most " + cap);
    }
    try (InputStream raw = open(name, cap);
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16)) {
      in.mark(1 << 16);
      DataInputStream data = new DataInputStream(in);
      long shapeInfo = header(data, name, MAX_SHAPE_INFO, false);
      data.skipNBytes(shapeInfo * 8);
      long length = header(data, name, maxLength, true);
      if (exactLength >= 0 && length != exactLength) {
        throw error(name, "holds " + length + " values but the configuration needs " + exactLength);
      }
      in.reset();
      INDArray array = Nd4j.read(data);
      long extra =
          in.transferTo(OutputStream.nullOutputStream()); // counted: a bomb stops at the cap
      if (extra > 0) {
        throw error(name, extra + " bytes after its array; refused");
      }
      return array;
    } catch (IOException ex) {
      throw readError(name, ex);
    } catch (RuntimeException ex) {
      if (ex instanceof CxrDataException) {
        throw ex;
      }
      for (Throwable c = ex; c != null; c = c.getCause()) {
        if (c instanceof IOException io) {
          throw readError(name, io);
        }
      }
      throw bad(name, ex);
    }
  }

  /** Reads one of ND4J's buffer headers (as {@code BaseDataBuffer.readHeader}) and checks it. */
  private long header(DataInputStream data, String name, long maxLength, boolean values)
      throws IOException {
    AllocationMode mode;
    DataType type;
    long length;
    try {
      mode = AllocationMode.valueOf(data.readUTF());
      length = mode.ordinal() < 3 ? data.readInt() : data.readLong();
      type = DataType.valueOf(data.readUTF());
    } catch (IllegalArgumentException ex) {
      throw error(name, "not an ND4J array (" + ex.getMessage() + ")");
    }
    boolean typeOk = values ? type.isFPType() : type == DataType.LONG;
    if (!typeOk || length < 1 || length > maxLength) {
      throw error(name, "array header (" + type + " x " + length + ") does not fit this network");
    }
    return length;
  }

  private InputStream open(String name, long cap) throws IOException {
    ZipEntry e = zip.getEntry(name);
    return new Capped(zip.getInputStream(e), cap, e.getSize());
  }

  /**
   * @param entry the entry concerned
   * @param message what is wrong with it
   * @return the one-line exception naming the file and the entry
   */
  CxrDataException error(String entry, String message) {
    return new CxrDataException(file, "entry " + entry + ": " + message);
  }

  private CxrDataException bad(String entry, Exception ex) {
    String m = ex.getMessage() == null ? ex.toString() : ex.getMessage().lines().findFirst().get();
    return new CxrDataException(file, -1, "entry " + entry + ": unreadable (" + m + ")", ex);
  }

  private CxrDataException readError(String entry, IOException ex) {
    if (ex instanceof TooLarge) {
      return new CxrDataException(file, -1, "entry " + entry + ": " + ex.getMessage(), ex);
    }
    String what = ex instanceof EOFException ? "truncated" : "corrupt: " + ex.getMessage();
    return new CxrDataException(file, -1, "entry " + entry + ": " + what, ex);
  }

  @Override
  public void close() {
    try {
      zip.close();
    } catch (IOException ignored) {
      // read-only: nothing to lose
    }
  }

  /** Thrown when an entry inflates past its cap. */
  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  /** Counts the inflated bytes of one entry and stops at its cap. */
  private static final class Capped extends FilterInputStream {
    private final long cap;
    private final long declared;
    private long count;

    Capped(InputStream in, long cap, long declared) {
      super(in);
      this.cap = cap;
      this.declared = declared;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, (int) Math.min(len, cap + 1 - count));
      if (n > 0) {
        count += n;
        if (count > cap) {
          throw new TooLarge(
              "inflates past its cap of "
                  + cap
                  + " bytes (declared "
                  + declared
                  + "); refused as a zip bomb or a corrupt file");
        }
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[8192];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
