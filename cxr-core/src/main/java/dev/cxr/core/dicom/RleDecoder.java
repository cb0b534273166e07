package dev.cxr.core.dicom;

import dev.cxr.core.io.CxrDataException;
import java.nio.file.Path;

/**
 * Decodes one frame of RLE Lossless (PS3.5 Annex G): a header of 16 little-endian 32-bit numbers
 * (the segment count, then the offset of each segment), then one PackBits segment per byte plane,
 * the most significant byte of each sample first and sample after sample (G.2). The output is the
 * unsigned samples, interleaved per pixel as in native Pixel Data with PlanarConfiguration 0.
 */
final class RleDecoder {
  private RleDecoder() {}

  /**
   * @param frame the frame's bytes, its fragments concatenated
   * @param pixels rows times columns
   * @param samples samples per pixel (1 or 3)
   * @param bytesPerSample BitsAllocated / 8
   * @return {@code pixels * samples} unsigned sample values
   */
  static int[] decode(Path file, byte[] frame, int pixels, int samples, int bytesPerSample) {
    if (frame.length < 64) {
      throw new CxrDataException(file, "RLE frame of " + frame.length + " bytes has no header");
    }
    int segments = int32(frame, 0);
    int expected = samples * bytesPerSample;
    if (segments != expected) {
      throw new CxrDataException(
          file, "RLE header lists " + segments + " segments, expected " + expected);
    }
    int[] out = new int[pixels * samples];
    byte[] plane = new byte[pixels];
    for (int s = 0; s < segments; s++) {
      long start = int32(frame, 4 + 4 * s) & 0xFFFFFFFFL;
      long end = s + 1 < segments ? int32(frame, 8 + 4 * s) & 0xFFFFFFFFL : frame.length;
      if (start < 64 || end > frame.length || start > end) {
        throw new CxrDataException(
            file,
            "RLE segment "
                + (s + 1)
                + " has offsets "
                + start
                + ".."
                + end
                + " outside the "
                + frame.length
                + "-byte frame: corrupt file");
      }
      unpack(file, frame, (int) start, (int) end, plane);
      int sample = s / bytesPerSample;
      // Segment order is most significant byte first (PS3.5 G.2).
      int shift = 8 * (bytesPerSample - 1 - s % bytesPerSample);
      for (int p = 0, o = sample; p < pixels; p++, o += samples) {
        out[o] |= (plane[p] & 0xFF) << shift;
      }
    }
    return out;
  }

  /** PackBits (PS3.5 G.3.1) from {@code in[start..end)} into all of {@code out}. */
  private static void unpack(Path file, byte[] in, int start, int end, byte[] out) {
    int i = start;
    int o = 0;
    while (o < out.length && i < end) {
      int n = in[i++]; // signed: every branch consumes at least this byte, so the loop advances
      if (n >= 0) {
        int count = n + 1;
        if (count > end - i || count > out.length - o) {
          throw new CxrDataException(file, "RLE literal run overflows its segment: corrupt file");
        }
        System.arraycopy(in, i, out, o, count);
        i += count;
        o += count;
      } else if (n != -128) {
        int count = 1 - n;
        if (i >= end || count > out.length - o) {
          throw new CxrDataException(file, "RLE repeat run overflows its segment: corrupt file");
        }
        java.util.Arrays.fill(out, o, o + count, in[i++]);
        o += count;
      }
    }
    if (o < out.length) {
      throw new CxrDataException(
          file,
          "RLE segment decodes to "
              + o
              + " bytes, expected "
              + out.length
              + ": file cut short or corrupt");
    }
  }

  private static int int32(byte[] d, int p) {
    return (d[p] & 0xFF)
        | (d[p + 1] & 0xFF) << 8
        | (d[p + 2] & 0xFF) << 16
        | (d[p + 3] & 0xFF) << 24;
  }
}
