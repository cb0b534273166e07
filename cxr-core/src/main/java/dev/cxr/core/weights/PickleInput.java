package dev.cxr.core.weights;

import dev.cxr.core.io.CxrDataException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The bytes a pickle is read from, with the position and how many bytes are left, so that a length
 * read from the file is checked against what remains before anything is allocated for it.
 */
final class PickleInput {
  private final Path file;
  private final String where;
  private final InputStream in;
  private final long end;
  private final long maxPickleBytes;
  private long budgetEnd;
  private long pos;

  /**
   * @param file the file, named in errors
   * @param where what the bytes are, in errors: {@code "the file"}, {@code "entry a/data.pkl"}
   * @param in the stream, at the start of the bytes
   * @param length how many bytes the stream may give
   * @param maxPickleBytes how many bytes the pickles may take at most
   */
  PickleInput(Path file, String where, InputStream in, long length, long maxPickleBytes) {
    this.file = file;
    this.where = where;
    this.in = in;
    this.end = length;
    this.maxPickleBytes = maxPickleBytes;
    this.budgetEnd = maxPickleBytes;
  }

  /** The position of the next byte. */
  long position() {
    return pos;
  }

  /** The bytes left before the end. */
  long remaining() {
    return end - pos;
  }

  /** Lifts the pickle limit: what follows is raw data (a legacy file's storages). */
  void pickleEnded() {
    budgetEnd = Long.MAX_VALUE;
  }

  /** The next byte, 0 to 255. */
  int u8() {
    if (pos >= end) {
      throw truncated();
    }
    if (pos >= budgetEnd) {
      throw tooLong();
    }
    int b;
    try {
      b = in.read();
    } catch (IOException e) {
      throw failed(e);
    }
    if (b < 0) {
      throw truncated();
    }
    pos++;
    return b;
  }

  /** {@code n} bytes, once {@code n} is known to be left. */
  byte[] bytes(long n, String what) {
    if (n < 0 || n > remaining()) {
      throw new CxrDataException(
          file,
          "truncated or corrupt: "
              + what
              + " of "
              + n
              + " bytes at byte "
              + pos
              + " runs past the end of "
              + where
              + " ("
              + remaining()
              + " bytes left)");
    }
    if (n > budgetEnd - pos) {
      throw tooLong();
    }
    if (n > Integer.MAX_VALUE - 8) {
      throw new CxrDataException(file, what + " of " + n + " bytes is too long to read");
    }
    try {
      byte[] b = in.readNBytes((int) n);
      if (b.length != n) {
        throw truncated();
      }
      pos += n;
      return b;
    } catch (IOException e) {
      throw failed(e);
    }
  }

  /** An unsigned little-endian integer of {@code n} (1 to 8) bytes. */
  long le(int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
      v |= (long) u8() << (8 * i);
    }
    return v;
  }

  /** The bytes up to a newline (excluded), at most {@code max} of them, as UTF-8. */
  String line(int max) {
    byte[] b = new byte[max];
    int n = 0;
    int c;
    while ((c = u8()) != '\n') {
      if (n == max) {
        throw new CxrDataException(
            file, "GLOBAL name longer than " + max + " bytes at byte " + pos);
      }
      b[n++] = (byte) c;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  /** Skips {@code n} bytes that are known to be left. */
  void skip(long n) {
    if (n < 0 || n > remaining()) {
      throw truncated();
    }
    try {
      in.skipNBytes(n);
    } catch (EOFException e) {
      throw truncated();
    } catch (IOException e) {
      throw failed(e);
    }
    pos += n;
  }

  private CxrDataException truncated() {
    return new CxrDataException(file, "truncated: " + where + " ends at byte " + pos);
  }

  private CxrDataException tooLong() {
    return new CxrDataException(
        file, "pickle longer than " + maxPickleBytes + " bytes (WeightLimits.maxPickleBytes)");
  }

  private CxrDataException failed(IOException e) {
    return new CxrDataException(file, -1, "cannot read: " + e, e);
  }
}
