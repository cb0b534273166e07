package dev.cxr.core.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Builds damaged and hostile PNG files for the robustness tests. */
public final class HostilePng {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private HostilePng() {}

  /** One chunk: length, type, data and a correct CRC. */
  public static byte[] chunk(String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length)
        .putInt(data.length)
        .put(t)
        .put(data)
        .putInt((int) crc.getValue())
        .array();
  }

  /** An IHDR chunk. */
  public static byte[] ihdr(int w, int h, int depth, int colorType, int interlace) {
    return chunk(
        "IHDR",
        ByteBuffer.allocate(13)
            .putInt(w)
            .putInt(h)
            .put((byte) depth)
            .put((byte) colorType)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) interlace)
            .array());
  }

  /** Concatenates the signature and the chunks. */
  public static byte[] png(byte[]... chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(SIGNATURE);
    for (byte[] c : chunks) {
      out.writeBytes(c);
    }
    return out.toByteArray();
  }

  /**
   * A file of about 100 bytes declaring {@code w x h} 8-bit gray pixels, with correct CRCs and a
   * few compressed zero rows: decoding it naively would allocate {@code w * h} bytes.
   */
  public static byte[] hugeDeclared(int w, int h, int interlace) {
    return png(
        ihdr(w, h, 8, 0, interlace), chunk("IDAT", zlib(new byte[64])), chunk("IEND", new byte[0]));
  }

  /** zlib (with header and Adler-32) of the data. */
  public static byte[] zlib(byte[] data) {
    Deflater d = new Deflater();
    d.setInput(data);
    d.finish();
    byte[] buf = new byte[data.length + 64];
    int n = d.deflate(buf);
    d.end();
    return Arrays.copyOf(buf, n);
  }

  /** The offset of the first chunk of a type (of its length field), or -1. */
  public static int find(byte[] png, String type) {
    ByteBuffer b = ByteBuffer.wrap(png);
    int at = 8;
    while (at + 8 <= png.length) {
      int len = b.getInt(at);
      String t = new String(png, at + 4, 4, StandardCharsets.ISO_8859_1);
      if (t.equals(type)) {
        return at;
      }
      at += 12 + len;
    }
    return -1;
  }

  /** A copy with one byte in the middle of the first IDAT chunk's data flipped (CRC left stale). */
  public static byte[] flipInIdat(byte[] png) {
    int at = find(png, "IDAT");
    int len = ByteBuffer.wrap(png).getInt(at);
    byte[] out = png.clone();
    out[at + 8 + len / 2] ^= 0x10;
    return out;
  }

  /** Recomputes the CRC of the chunk at an offset (after its data was changed on purpose). */
  public static void fixCrc(byte[] png, int at) {
    int len = ByteBuffer.wrap(png).getInt(at);
    CRC32 crc = new CRC32();
    crc.update(png, at + 4, len + 4);
    ByteBuffer.wrap(png).putInt(at + 8 + len, (int) crc.getValue());
  }
}
