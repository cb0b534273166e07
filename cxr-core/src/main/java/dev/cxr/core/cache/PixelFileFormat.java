package dev.cxr.core.cache;

import dev.cxr.core.image.ImageLoader;
import dev.cxr.core.image.ResizedImage;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * The layout of a persistent pixel-cache file, all big-endian:
 *
 * <pre>
 * header (128 bytes): magic "CXRPIXEL", version, width, height, entries, 32-byte fingerprint,
 *                     index offset, index length, file length, index CRC-32, ..., header CRC-32
 * records:            each image's samples (8-bit, or 16-bit), or the message of an unreadable
 *                     image, each starting at a multiple of 8 bytes
 * index:              the data root the names are relative to (length (4), UTF-8: what
 *                     `cxr cache list` shows; version 2), then per image, in sorted name order:
 *                     name length (2), name (UTF-8), kind (1), record offset (8),
 *                     record length (4), record CRC-32 (4)
 * </pre>
 *
 * Every part is checked: the header by its CRC, magic, version, size and fingerprint, the file by
 * its length, the index by its CRC and by naming exactly the key's images, each record by its own
 * CRC when it is read. Records sit at fixed offsets, so the file can be memory-mapped or read with
 * positional reads; nothing needs to be loaded whole.
 */
final class PixelFileFormat {
  static final int HEADER = 128;
  static final byte KIND_UNREADABLE = 0;
  static final byte KIND_GRAY8 = 8;
  static final byte KIND_GRAY16 = 16;
  private static final byte[] MAGIC = "CXRPIXEL".getBytes(StandardCharsets.US_ASCII);

  /**
   * 2: the index starts with the data root, so that a file can be told apart from the data it
   * belongs to without that data ({@link PixelCacheFiles}). Files of version 1 are rebuilt.
   */
  private static final int VERSION = 2;

  private static final int ALIGN = 8;

  private PixelFileFormat() {}

  /** A file that is not a complete, matching cache file; the message says what is wrong. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  /** Where each image's record lies, by the key's index. */
  static final class Index {
    final long[] offset;
    final int[] length;
    final int[] crc;
    final byte[] kind;

    Index(int n) {
      offset = new long[n];
      length = new int[n];
      crc = new int[n];
      kind = new byte[n];
    }
  }

  /**
   * Decodes every image of the key and writes the whole file to {@code tmp}.
   *
   * @param tmp an empty file
   * @param key the images
   * @param workers decoding threads
   * @param progress advanced once per image
   * @param decoded counts the images decoded
   * @throws IOException when the file cannot be written
   */
  static void write(Path tmp, PixelFileKey key, int workers, Progress progress, AtomicLong decoded)
      throws IOException {
    int n = key.size();
    Index index = new Index(n);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      AtomicLong end = new AtomicLong(HEADER);
      AtomicInteger next = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(workers);
      try {
        List<Future<?>> tasks = new ArrayList<>();
        for (int t = 0; t < workers; t++) {
          tasks.add(
              pool.submit(
                  () -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                      Record r = decode(key, i);
                      decoded.incrementAndGet();
                      long at;
                      synchronized (end) {
                        at = end.get();
                        end.set(align(at + r.bytes.length));
                      }
                      writeFully(ch, ByteBuffer.wrap(r.bytes), at);
                      index.offset[i] = at;
                      index.length[i] = r.bytes.length;
                      index.crc[i] = crc(r.bytes, 0, r.bytes.length);
                      index.kind[i] = r.kind;
                      progress.step();
                    }
                    return null;
                  }));
        }
        for (Future<?> f : tasks) {
          f.get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while building the pixel cache", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UncheckedIOException u) {
          throw u.getCause();
        }
        throw new IOException("building the pixel cache failed: " + e.getCause(), e.getCause());
      } finally {
        pool.shutdownNow();
      }
      byte[] idx = indexBytes(key, index);
      long indexOffset = end.get();
      writeFully(ch, ByteBuffer.wrap(idx), indexOffset);
      ByteBuffer h = ByteBuffer.allocate(HEADER);
      h.put(MAGIC).putInt(VERSION).putInt(key.width()).putInt(key.height()).putInt(n);
      h.put(key.fingerprint());
      h.putLong(indexOffset).putLong(idx.length).putLong(indexOffset + idx.length);
      h.putInt(crc(idx, 0, idx.length));
      h.putInt(HEADER - 4, crc(h.array(), 0, HEADER - 4));
      writeFully(ch, h.rewind(), 0);
    }
  }

  private record Record(byte kind, byte[] bytes) {}

  /** One image's record: its samples, or the reason it cannot be read. */
  private static Record decode(PixelFileKey key, int i) {
    Path file = key.file(i);
    String error;
    try {
      ResizedImage img = ImageLoader.read(file, key.width(), key.height());
      return new Record(img.bitDepth() == 8 ? KIND_GRAY8 : KIND_GRAY16, img.samplesAsBytes());
    } catch (CxrDataException e) {
      error = e.getMessage();
    } catch (OutOfMemoryError e) {
      error = file + ": out of memory while decoding the image";
    } catch (UncheckedIOException e) {
      throw e;
    } catch (RuntimeException e) {
      error = file + ": cannot load the image: " + e;
    }
    return new Record(KIND_UNREADABLE, error.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] indexBytes(PixelFileKey key, Index index) {
    List<byte[]> names = new ArrayList<>(key.size());
    byte[] root = key.root().toString().getBytes(StandardCharsets.UTF_8);
    int total = 4 + root.length;
    for (int i = 0; i < key.size(); i++) {
      byte[] name = key.name(i).getBytes(StandardCharsets.UTF_8);
      names.add(name);
      total += 2 + name.length + 1 + 8 + 4 + 4;
    }
    ByteBuffer b = ByteBuffer.allocate(total);
    b.putInt(root.length).put(root);
    for (int i = 0; i < key.size(); i++) {
      byte[] name = names.get(i);
      b.putShort((short) name.length).put(name).put(index.kind[i]);
      b.putLong(index.offset[i]).putInt(index.length[i]).putInt(index.crc[i]);
    }
    return b.array();
  }

  /**
   * What a checked file says about itself, without the data it was made from.
   *
   * @param width image width
   * @param height image height
   * @param fingerprint the 32-byte fingerprint of the images it was made from
   * @param root the data root at the time it was built
   * @param names the images' paths relative to the root, sorted
   * @param index where their records lie
   */
  record Contents(
      int width, int height, byte[] fingerprint, String root, String[] names, Index index) {}

  /**
   * Checks a file against a key and reads its index.
   *
   * @param ch the open file
   * @param key the images it must hold
   * @return the index
   * @throws Invalid when the file is truncated, corrupt or made for other images
   * @throws IOException when the file cannot be read
   */
  static Index read(FileChannel ch, PixelFileKey key) throws Invalid, IOException {
    Contents c = read(ch);
    if (c.width() != key.width() || c.height() != key.height() || c.names().length != key.size()) {
      throw new Invalid("made for another image size or image count");
    }
    if (!key.matches(c.fingerprint())) {
      throw new Invalid("made for other data (fingerprint differs)");
    }
    for (int i = 0; i < c.names().length; i++) {
      if (!c.names()[i].equals(key.name(i))) {
        throw new Invalid("index names other images");
      }
    }
    return c.index();
  }

  /**
   * Checks a file's header, length and index (not its records) and reads them.
   *
   * @param ch the open file
   * @return what it holds
   * @throws Invalid when the file is truncated, corrupt, not a cache file or of another version
   * @throws IOException when the file cannot be read
   */
  static Contents read(FileChannel ch) throws Invalid, IOException {
    long size = ch.size();
    if (size < HEADER) {
      throw new Invalid("shorter than its header (" + size + " bytes)");
    }
    ByteBuffer h = ByteBuffer.allocate(HEADER);
    readFully(ch, h, 0);
    byte[] hb = h.array();
    if (h.getInt(HEADER - 4) != crc(hb, 0, HEADER - 4)) {
      throw new Invalid("header checksum mismatch");
    }
    if (!Arrays.equals(Arrays.copyOf(hb, MAGIC.length), MAGIC) || h.getInt(8) != VERSION) {
      throw new Invalid("not a pixel-cache file of version " + VERSION);
    }
    int entries = h.getInt(20);
    long indexOffset = h.getLong(56);
    long indexLength = h.getLong(64);
    if (h.getLong(72) != size) {
      throw new Invalid("truncated or extended: " + size + " bytes, header says " + h.getLong(72));
    }
    if (entries < 0
        || indexOffset < HEADER
        || indexLength > Integer.MAX_VALUE
        || indexOffset + indexLength != size) {
      throw new Invalid("index out of bounds");
    }
    ByteBuffer idx = ByteBuffer.allocate((int) indexLength);
    readFully(ch, idx, indexOffset);
    if (crc(idx.array(), 0, idx.capacity()) != h.getInt(80)) {
      throw new Invalid("index checksum mismatch");
    }
    idx.rewind();
    Index index = new Index(entries);
    String[] names = new String[entries];
    String root;
    try {
      root = utf8(idx, idx.getInt());
      for (int i = 0; i < entries; i++) {
        names[i] = utf8(idx, Short.toUnsignedInt(idx.getShort()));
        index.kind[i] = idx.get();
        index.offset[i] = idx.getLong();
        index.length[i] = idx.getInt();
        index.crc[i] = idx.getInt();
        if (index.offset[i] < HEADER || index.offset[i] + index.length[i] > indexOffset) {
          throw new Invalid("record " + i + " out of bounds");
        }
      }
    } catch (java.nio.BufferUnderflowException e) {
      throw new Invalid("index shorter than its entries");
    }
    return new Contents(
        h.getInt(12), h.getInt(16), Arrays.copyOfRange(hb, 24, 56), root, names, index);
  }

  private static String utf8(ByteBuffer b, int length) throws Invalid {
    if (length < 0 || length > b.remaining()) {
      throw new Invalid("index shorter than its entries");
    }
    byte[] bytes = new byte[length];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static int crc(byte[] b, int from, int length) {
    CRC32 c = new CRC32();
    c.update(b, from, length);
    return (int) c.getValue();
  }

  private static long align(long at) {
    return (at + ALIGN - 1) / ALIGN * ALIGN;
  }

  static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    while (b.hasRemaining()) {
      int r = ch.read(b, at + b.position());
      if (r < 0) {
        throw new IOException("unexpected end of the pixel-cache file");
      }
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer b, long at) {
    try {
      while (b.hasRemaining()) {
        ch.write(b, at + b.position());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
