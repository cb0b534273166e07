package dev.cxr.core.dicom;

/**
 * Reads native Pixel Data (PS3.5 section 8.1.1 and 8.2: samples of BitsAllocated bits in the
 * transfer syntax's byte order; PlanarConfiguration 1 stores each colour plane after the other) and
 * keeps the stored bits of each sample (PS3.5 section 8.1.1: bits above HighBit and below HighBit -
 * BitsStored + 1 are not part of the value).
 */
final class SampleReader {
  private SampleReader() {}

  /**
   * The first frame's unsigned samples, interleaved per pixel.
   *
   * @param planar true for PlanarConfiguration 1 (R plane, then G, then B)
   * @param swapPairs true for 8-bit samples in a big-endian OW value, whose byte pairs are swapped
   */
  static int[] read(
      DicomElements.Element pixel,
      int pixels,
      int samples,
      int bytes,
      boolean planar,
      boolean swapPairs) {
    byte[] d = pixel.data();
    int base = pixel.offset();
    int n = pixels * samples;
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      // Index of the sample in file order for output position i.
      int src = planar ? (i % samples) * pixels + i / samples : i;
      int p = base + src * bytes;
      out[i] =
          switch (bytes) {
            case 1 -> d[swapPairs ? base + (src ^ 1) : p] & 0xFF;
            case 2 ->
                pixel.bigEndian()
                    ? (d[p] & 0xFF) << 8 | (d[p + 1] & 0xFF)
                    : (d[p] & 0xFF) | (d[p + 1] & 0xFF) << 8;
            default ->
                pixel.bigEndian()
                    ? (d[p] & 0xFF) << 24
                        | (d[p + 1] & 0xFF) << 16
                        | (d[p + 2] & 0xFF) << 8
                        | (d[p + 3] & 0xFF)
                    : (d[p] & 0xFF)
                        | (d[p + 1] & 0xFF) << 8
                        | (d[p + 2] & 0xFF) << 16
                        | (d[p + 3] & 0xFF) << 24;
          };
    }
    return out;
  }

  /**
   * Keeps bits {@code highBit - bitsStored + 1 .. highBit} of each sample, shifted down, and
   * sign-extends them from bit {@code bitsStored - 1} when {@code signed} (PixelRepresentation 1,
   * two's complement).
   */
  static void keepStoredBits(int[] v, int bitsStored, int highBit, boolean signed) {
    int shift = highBit + 1 - bitsStored;
    if (bitsStored == 32) {
      return; // signed 32-bit: the int is the value
    }
    int mask = (1 << bitsStored) - 1;
    int sign = 1 << (bitsStored - 1);
    for (int i = 0; i < v.length; i++) {
      int x = (v[i] >>> shift) & mask;
      v[i] = signed && (x & sign) != 0 ? x - (1 << bitsStored) : x;
    }
  }
}
