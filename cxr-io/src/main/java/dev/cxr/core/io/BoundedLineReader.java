package dev.cxr.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads the lines of a text file (labels, boxes) as strict UTF-8 with a cap on each line's length
 * in bytes, checked before the line is buffered: a 300 MB file without a newline is refused at the
 * cap, not read into memory, and invalid UTF-8 is refused instead of becoming replacement
 * characters. Each refusal names the file and the line. Lines end at {@code \n}, {@code \r\n} or
 * {@code \r}, as in {@link java.io.BufferedReader#readLine()}. Since a field is part of a line, the
 * cap bounds every field too.
 */
public final class BoundedLineReader implements Closeable {

  /** Default cap: 64 KiB per line (an NIH labels or box line has about 100 bytes). */
  public static final int DEFAULT_MAX_LINE_BYTES = 1 << 16;

  private final Path file;
  private final InputStream in;
  private final int maxLineBytes;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] buf = new byte[1 << 16];
  private byte[] lineBytes = new byte[256];
  private int pos;
  private int lim;
  private long line;
  private boolean skipLf;

  /**
   * @param file the file, named in errors
   * @param in its bytes (decompressed already where it was compressed)
   * @param maxLineBytes the longest line accepted, in bytes, at least 1
   */
  public BoundedLineReader(Path file, InputStream in, int maxLineBytes) {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be >= 1 but was " + maxLineBytes);
    }
    this.file = file;
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * The next line, without its terminator.
   *
   * @return the line, or null at the end of the file
   * @throws CxrDataException naming the file and the line when the line is longer than the cap or
   *     is not valid UTF-8
   * @throws IOException when the file cannot be read
   */
  public String readLine() throws IOException {
    int n = 0;
    boolean any = false;
    while (true) {
      if (pos >= lim) {
        lim = in.read(buf, 0, buf.length);
        pos = 0;
        if (lim <= 0) {
          lim = 0;
          return any ? decode(n) : null;
        }
      }
      byte b = buf[pos++];
      if (skipLf) {
        skipLf = false;
        if (b == '\n') {
          continue;
        }
      }
      any = true;
      if (b == '\n' || b == '\r') {
        skipLf = b == '\r';
        return decode(n);
      }
      if (n >= maxLineBytes) {
        throw new CxrDataException(
            file,
            line + 1,
            "line longer than " + maxLineBytes + " bytes (the limit of a line); refused",
            null);
      }
      if (n == lineBytes.length) {
        lineBytes = java.util.Arrays.copyOf(lineBytes, Math.min(2 * n, maxLineBytes));
      }
      lineBytes[n++] = b;
    }
  }

  private String decode(int n) {
    line++;
    try {
      return decoder.decode(ByteBuffer.wrap(lineBytes, 0, n)).toString();
    } catch (CharacterCodingException e) {
      throw new CxrDataException(file, line, "not valid UTF-8; refused", e);
    }
  }

  /**
   * @return the number of the line {@link #readLine()} returned last (1-based; 0 before the first)
   */
  public long lineNumber() {
    return line;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
