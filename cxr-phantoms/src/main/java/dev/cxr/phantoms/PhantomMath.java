package dev.cxr.phantoms;

import java.util.SplittableRandom;

/**
 * Small numeric helpers shared by the phantom's parts: random draws, smooth steps, bilinear
 * sampling and a Gaussian blur.
 *
 * <p>Transcendental functions are {@link StrictMath}'s, so results are the same bytes on every JVM;
 * expressions are kept in the order the phantom was tuned with, because reordering floating-point
 * arithmetic would change the generated images.
 */
final class PhantomMath {

  /** Width of the soft edges of anatomical outlines, in normalised units. */
  static final double EDGE = 0.006;

  private PhantomMath() {}

  /**
   * A uniform draw from {@code [lo, hi)}.
   *
   * @param r the random stream to draw from (advanced by one double)
   * @param lo lower bound
   * @param hi upper bound
   * @return the draw
   */
  static double uniform(SplittableRandom r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  /** Unnormalised Gaussian bump {@code exp(-z^2 / 2)}. */
  static double gauss(double z) {
    return StrictMath.exp(-0.5 * z * z);
  }

  /** Smoothstep of {@code f} without clamping (the caller guarantees [0, 1]). */
  static double smooth(double f) {
    return f * f * (3 - 2 * f);
  }

  /** Smoothstep of {@code z} clamped to [0, 1]: 0 below 0, 1 above 1. */
  static double sstep(double z) {
    if (z <= 0) {
      return 0.0;
    }
    if (z >= 1) {
      return 1.0;
    }
    return z * z * (3 - 2 * z);
  }

  /** {@code z} clamped to [0, 1]. */
  static double clamp01(double z) {
    return z < 0 ? 0 : (z > 1 ? 1 : z);
  }

  /**
   * Bilinear sample of a square image at pixel coordinates, clamped to the border.
   *
   * @param img {@code n * n} values, row by row
   * @param n width and height
   * @param x column coordinate (pixel centres at integers)
   * @param y row coordinate
   * @return the interpolated value
   */
  static double bilinear(float[] img, int n, double x, double y) {
    double cx = Math.min(n - 1.0, Math.max(0.0, x));
    double cy = Math.min(n - 1.0, Math.max(0.0, y));
    int x0 = Math.min(n - 2, (int) cx);
    int y0 = Math.min(n - 2, (int) cy);
    double fx = cx - x0;
    double fy = cy - y0;
    double top = img[y0 * n + x0] * (1 - fx) + img[y0 * n + x0 + 1] * fx;
    double bottom = img[(y0 + 1) * n + x0] * (1 - fx) + img[(y0 + 1) * n + x0 + 1] * fx;
    return top * (1 - fy) + bottom * fy;
  }

  /**
   * Separable Gaussian blur with clamped borders.
   *
   * @param in {@code size * size} values, row by row; not modified
   * @param size width and height
   * @param sigma standard deviation in pixels; below 0.3 the input is only copied
   * @return a new blurred image
   */
  static float[] gaussianBlur(float[] in, int size, double sigma) {
    if (sigma < 0.3) {
      return in.clone();
    }
    int radius = (int) Math.ceil(3 * sigma);
    double[] kernel = new double[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      kernel[i + radius] = StrictMath.exp(-0.5 * i * i / (sigma * sigma));
      sum += kernel[i + radius];
    }
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] /= sum;
    }
    float[] tmp = new float[in.length];
    float[] out = new float[in.length];
    for (int y = 0; y < size; y++) {
      int row = y * size;
      for (int x = 0; x < size; x++) {
        double acc = 0;
        for (int i = -radius; i <= radius; i++) {
          int xx = Math.min(size - 1, Math.max(0, x + i));
          acc += kernel[i + radius] * in[row + xx];
        }
        tmp[row + x] = (float) acc;
      }
    }
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double acc = 0;
        for (int i = -radius; i <= radius; i++) {
          int yy = Math.min(size - 1, Math.max(0, y + i));
          acc += kernel[i + radius] * tmp[yy * size + x];
        }
        out[y * size + x] = (float) acc;
      }
    }
    return out;
  }
}
