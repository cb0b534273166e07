package dev.cxr.phantoms;

import java.util.BitSet;

/**
 * Where one finding of a phantom lies: the pixels whose attenuation the finding changes by at least
 * {@value #FRACTION_OF_PEAK} of its largest change in that image (computed by rendering the
 * attenuation with and without the finding, same anatomy, other findings and positioning). For an
 * effusion that is the fluid; for cardiomegaly the rim the heart grew by; for a pneumothorax the
 * pleural air band and its edge. Immutable; the ground truth for localisation checks such as the
 * pointing game.
 */
public final class LesionMask {
  /** Fraction of the largest attenuation change a pixel needs to count as lesion. */
  public static final double FRACTION_OF_PEAK = 0.1;

  private final int size;
  private final BitSet bits;

  LesionMask(int size, BitSet bits) {
    this.size = size;
    this.bits = (BitSet) bits.clone();
  }

  /**
   * @return width and height in pixels (the phantom's size)
   */
  public int size() {
    return size;
  }

  /**
   * @param x column
   * @param y row
   * @return whether the pixel is part of the lesion (false outside the image)
   */
  public boolean contains(int x, int y) {
    return x >= 0 && y >= 0 && x < size && y < size && bits.get(y * size + x);
  }

  /**
   * The bounding box of the lesion's pixels.
   *
   * @return {x, y, width, height} in pixels, or null for an empty mask
   */
  public int[] bounds() {
    int x0 = size, y0 = size, x1 = -1, y1 = -1;
    for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
      int x = i % size;
      int y = i / size;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
    return x1 < 0 ? null : new int[] {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
  }

  /**
   * @return number of lesion pixels
   */
  public int area() {
    return bits.cardinality();
  }
}
