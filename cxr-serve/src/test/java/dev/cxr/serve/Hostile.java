package dev.cxr.serve;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/** Hostile uploads: what a careless or malicious client sends. */
final class Hostile {
  private Hostile() {}

  /**
   * A valid 8-bit gray PNG header declaring 46000 x 46000 pixels (2 GB decoded) and 64 bytes of
   * compressed zero rows: the decoder must refuse it from the header.
   */
  static byte[] png46000() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(46000).putInt(46000).put((byte) 8).array());
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(z)) {
      d.write(new byte[64]);
    } catch (java.io.IOException e) {
      throw new AssertionError(e); // in memory
    }
    chunk(out, "IDAT", z.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(
        ByteBuffer.allocate(8 + data.length + 4)
            .putInt(data.length)
            .put(t)
            .put(data)
            .putInt((int) crc.getValue())
            .array());
  }
}
