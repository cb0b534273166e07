package dev.cxr.augment;

/**
 * A fast standard-normal source: {@value #SIZE} equiprobable quantiles of N(0, 1), indexed by 14
 * random bits, so one {@code SplittableRandom.nextLong()} yields four normal deviates with no
 * {@code log}, {@code sqrt} or {@code sin} per pixel (Box-Muller would cost more than the whole
 * rest of the augmentation).
 *
 * <p>Entry {@code i} is the quantile at probability {@code (i + 0.5) / SIZE}, found by integrating
 * the normal density numerically on a fine grid at class initialisation; the table is then centred
 * and scaled to mean exactly 0 and variance exactly 1. The tails are cut at about 4 standard
 * deviations, which is harmless for image noise.
 */
final class GaussianTable {
  /** Number of quantiles: 2^14. */
  static final int BITS = 14;

  static final int SIZE = 1 << BITS;
  static final int MASK = SIZE - 1;

  /** The quantiles, ascending, mean 0, variance 1. Never written after initialisation. */
  static final float[] VALUES = build();

  private GaussianTable() {}

  private static float[] build() {
    final double lo = -8.5;
    final double step = 1e-4;
    final int steps = (int) Math.round(17.0 / step);
    final double norm = 1 / Math.sqrt(2 * Math.PI);
    double[] q = new double[SIZE];
    double cdf = 0;
    double prevDensity = norm * Math.exp(-0.5 * lo * lo);
    int next = 0;
    double target = 0.5 / SIZE;
    for (int s = 1; s <= steps && next < SIZE; s++) {
      double x = lo + s * step;
      double density = norm * Math.exp(-0.5 * x * x);
      double area = 0.5 * step * (prevDensity + density);
      while (next < SIZE && cdf + area >= target) {
        // linear interpolation of the cumulative mass within this step
        q[next] = x - step + step * (target - cdf) / area;
        next++;
        target = (next + 0.5) / SIZE;
      }
      cdf += area;
      prevDensity = density;
    }
    double mean = 0;
    for (double v : q) {
      mean += v;
    }
    mean /= SIZE;
    double var = 0;
    for (double v : q) {
      var += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(var / SIZE);
    float[] out = new float[SIZE];
    for (int i = 0; i < SIZE; i++) {
      out[i] = (float) ((q[i] - mean) / sd);
    }
    return out;
  }
}
