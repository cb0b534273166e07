package dev.cxr.core.image;

/** The PNG row filters (none, sub, up, average, Paeth) undone in place, for {@link PngDecoder}. */
final class PngFilters {
  private PngFilters() {}

  /**
   * Unfilters the inflated rows in place.
   *
   * @param raw the rows, {@code rowBytes + 1} bytes each, filter byte first
   * @param height number of rows
   * @param rowBytes bytes per row without the filter byte
   * @param bpp bytes per complete pixel (at least 1)
   * @throws PngDecoder.PngFormatException on an unknown filter type
   */
  static void unfilter(byte[] raw, int height, int rowBytes, int bpp)
      throws PngDecoder.PngFormatException {
    int stride = rowBytes + 1;
    byte[] zeros = new byte[rowBytes]; // the row "above" the first row
    for (int y = 0; y < height; y++) {
      int row = y * stride + 1;
      byte[] up = y > 0 ? raw : zeros;
      int u = y > 0 ? row - stride : 0;
      int filter = raw[row - 1];
      switch (filter) {
        case 0 -> {}
        case 1 -> {
          for (int i = bpp; i < rowBytes; i++) {
            raw[row + i] += raw[row + i - bpp];
          }
        }
        case 2 -> {
          for (int i = 0; i < rowBytes; i++) {
            raw[row + i] += up[u + i];
          }
        }
        case 3 -> average(raw, row, up, u, rowBytes, bpp);
        case 4 -> paeth(raw, row, up, u, rowBytes, bpp);
        default ->
            throw new PngDecoder.PngFormatException(
                "invalid PNG row filter " + filter + " in row " + y);
      }
    }
  }

  // Each filter is its own small method so that the JIT compiles the hot loops early and apart.

  private static void average(byte[] raw, int row, byte[] up, int u, int rowBytes, int bpp) {
    if (bpp == 1) { // gray 8-bit, the common radiograph case: keep the left byte in a register
      int a = (raw[row] += (byte) ((up[u] & 0xFF) >>> 1)) & 0xFF;
      for (int i = 1; i < rowBytes; i++) {
        a = (raw[row + i] + ((a + (up[u + i] & 0xFF)) >>> 1)) & 0xFF;
        raw[row + i] = (byte) a;
      }
      return;
    }
    for (int i = 0; i < bpp; i++) {
      raw[row + i] += (byte) ((up[u + i] & 0xFF) >>> 1);
    }
    for (int i = bpp; i < rowBytes; i++) {
      raw[row + i] += (byte) (((raw[row + i - bpp] & 0xFF) + (up[u + i] & 0xFF)) >>> 1);
    }
  }

  private static void paeth(byte[] raw, int row, byte[] up, int u, int rowBytes, int bpp) {
    if (bpp == 1) { // keep a (left) and c (upper left) in registers
      int a = (raw[row] += up[u]) & 0xFF;
      int c = up[u] & 0xFF;
      for (int i = 1; i < rowBytes; i++) {
        int b = up[u + i] & 0xFF;
        int pa = Math.abs(b - c);
        int pb = Math.abs(a - c);
        int pc = Math.abs(a + b - 2 * c);
        // three plain selects, so the JIT can emit conditional moves
        int t = pb <= pc ? b : c;
        int m = pb <= pc ? pb : pc;
        a = (raw[row + i] + (pa <= m ? a : t)) & 0xFF;
        raw[row + i] = (byte) a;
        c = b;
      }
      return;
    }
    for (int i = 0; i < bpp; i++) {
      raw[row + i] += up[u + i]; // a = c = 0, so the predictor is b
    }
    for (int i = bpp; i < rowBytes; i++) {
      int a = raw[row + i - bpp] & 0xFF;
      int b = up[u + i] & 0xFF;
      int c = up[u + i - bpp] & 0xFF;
      int pa = Math.abs(b - c);
      int pb = Math.abs(a - c);
      int pc = Math.abs(a + b - 2 * c);
      int t = pb <= pc ? b : c;
      int m = pb <= pc ? pb : pc;
      raw[row + i] += (byte) (pa <= m ? a : t);
    }
  }
}
