package dev.cxr.augment;

import java.util.SplittableRandom;

/**
 * The fused intensity pass: {@code v -> clamp01(gain * v + offset) ^ gamma}, optionally followed by
 * Gaussian noise, in place, in one loop over the pixels. Brightness ({@code offset}), contrast
 * about mid-gray ({@code gain}) and gamma are folded into these three numbers by {@link
 * FusedSample}, so however many of them fire, the pixels are visited once.
 *
 * <p>The power is read from a 2049-entry table built per image (2049 {@code exp} calls, not 65,536
 * {@code pow} calls) and interpolated linearly; values in the first segment (0, 1/2048) are
 * computed exactly. The absolute error is below 1e-3 for gamma in [0.5, 2] and below 1e-4 for gamma
 * in [0.8, 1.25] (measured in the tests).
 */
final class IntensityKernel {
  /** Table segments over [0, 1]. */
  static final int SEGMENTS = 2048;

  private static final int ONE_BITS = 0x3F800000; // Float.floatToRawIntBits(1f)
  private static final int FRACTION_BITS = 23 - 11; // 2^11 = SEGMENTS
  private static final int FRACTION_MASK = (1 << FRACTION_BITS) - 1;

  /** {@code ln(i / SEGMENTS)} for {@code i = 0..SEGMENTS}; entry 0 is negative infinity. */
  private static final double[] LOG_GRID = new double[SEGMENTS + 1];

  static {
    for (int i = 0; i <= SEGMENTS; i++) {
      LOG_GRID[i] = Math.log(i / (double) SEGMENTS);
    }
  }

  private IntensityKernel() {}

  /**
   * Applies {@code clamp01(clamp01(gain * v + offset) ^ gamma + sigma * z)} to every pixel in
   * place, {@code z} standard normal from {@code random}: the intensity map and {@link
   * GaussianNoise} in one pass. With {@code gamma == 1} no table is built; with {@code sigma == 0}
   * no noise is added and {@code random} is not used. Four 14-bit {@link GaussianTable} indices
   * come from each {@code nextLong()}, pixel {@code i} of each group of four taking bits {@code 14
   * i} upwards.
   */
  static void apply(
      float[] px, double gain, double offset, double gamma, double sigma, SplittableRandom random) {
    final float g = (float) gain;
    final float o = (float) offset;
    final float[] lut = gamma == 1 ? null : powerTable(gamma);
    if (sigma == 0) {
      for (int i = 0; i < px.length; i++) {
        px[i] = tone(px[i], g, o, lut, gamma);
      }
      return;
    }
    final float s = (float) sigma;
    final float[] t = GaussianTable.VALUES;
    final int m = GaussianTable.MASK;
    final int b = GaussianTable.BITS;
    final int n = px.length;
    final int n4 = n & ~3;
    int i = 0;
    for (; i < n4; i += 4) { // four 14-bit indices per 64 random bits
      long bits = random.nextLong();
      px[i] = clamp01(tone(px[i], g, o, lut, gamma) + s * t[(int) bits & m]);
      px[i + 1] = clamp01(tone(px[i + 1], g, o, lut, gamma) + s * t[(int) (bits >>> b) & m]);
      px[i + 2] = clamp01(tone(px[i + 2], g, o, lut, gamma) + s * t[(int) (bits >>> (2 * b)) & m]);
      px[i + 3] = clamp01(tone(px[i + 3], g, o, lut, gamma) + s * t[(int) (bits >>> (3 * b)) & m]);
    }
    long bits = random.nextLong();
    for (; i < n; i++, bits >>>= b) {
      px[i] = clamp01(tone(px[i], g, o, lut, gamma) + s * t[(int) bits & m]);
    }
  }

  /** {@code clamp01(g * v + o)}, raised to the power through {@code lut} unless it is null. */
  private static float tone(float v, float g, float o, float[] lut, double gamma) {
    v = clamp01(g * v + o);
    if (lut == null) {
      return v;
    }
    // v + 1 lies in [1, 2]: its bits minus those of 1.0 are round(v * 2^23), 2^23 for v = 1;
    // the top 11 bits index the table and the low 12 bits become the float weight, with no
    // float-to-int conversion (which profiling showed to dominate this loop)
    int m = Float.floatToRawIntBits(v + 1f) - ONE_BITS;
    int k = m >>> FRACTION_BITS;
    int f = m & FRACTION_MASK;
    if (k == 0 && f != 0) {
      return (float) Math.pow(v, gamma); // the steep first segment, rare in practice
    }
    float frac = Float.intBitsToFloat(ONE_BITS | (f << (23 - FRACTION_BITS))) - 1f;
    return lut[k] + frac * (lut[k + 1] - lut[k]);
  }

  static float clamp01(float v) {
    return v > 0f ? (v < 1f ? v : 1f) : 0f;
  }

  /** {@code (i / SEGMENTS) ^ gamma} for {@code i = 0..SEGMENTS}, plus one guard entry. */
  static float[] powerTable(double gamma) {
    float[] lut = new float[SEGMENTS + 2];
    for (int i = 0; i <= SEGMENTS; i++) {
      lut[i] = (float) Math.exp(gamma * LOG_GRID[i]);
    }
    lut[SEGMENTS] = 1f;
    lut[SEGMENTS + 1] = 1f;
    return lut;
  }
}
