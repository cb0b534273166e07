package dev.cxr.augment;

import java.util.SplittableRandom;

/**
 * Gamma correction: {@code v' = clamp01(v) ^ gamma} with {@code gamma} drawn log-uniformly from
 * {@code [min, max]} (so 0.8 and 1.25 are equally likely). Brightens ({@code gamma < 1}) or
 * darkens ({@code gamma > 1}) the mid-tones while keeping 0 and 1 fixed, like a different
 * windowing of the same exposure.
 *
 * <p>Limited to [{@value #LIMIT_MIN}, {@value #LIMIT_MAX}].
 */
public final class Gamma implements ImageTransform {
  /** The smallest allowed gamma. */
  public static final double LIMIT_MIN = 0.5;

  /** The largest allowed gamma. */
  public static final double LIMIT_MAX = 2;

  private final double min;
  private final double max;

  private Gamma(double min, double max) {
    this.min = min;
    this.max = max;
  }

  /**
   * A gamma in {@code [min, max]}.
   *
   * @param min smallest gamma, in [0.5, 2]
   * @param max largest gamma, in [0.5, 2], at least {@code min}; {@code (1, 1)} is the identity
   * @return the transform
   * @throws IllegalArgumentException naming {@code gamma} when out of range or not ordered
   */
  public static Gamma between(double min, double max) {
    Checks.inRange("gamma min", min, LIMIT_MIN, LIMIT_MAX, "");
    Checks.inRange("gamma max", max, LIMIT_MIN, LIMIT_MAX, "");
    Checks.ordered("gamma", min, max);
    return new Gamma(min, max);
  }

  /**
   * Returns the smallest gamma.
   *
   * @return the gamma
   */
  public double min() {
    return min;
  }

  /**
   * Returns the largest gamma.
   *
   * @return the gamma
   */
  public double max() {
    return max;
  }

  double sampleGamma(SplittableRandom random) {
    if (min == max) {
      return min;
    }
    double lo = Math.log(min);
    return Math.exp(lo + (Math.log(max) - lo) * random.nextDouble());
  }

  /**
   * Raises every pixel (clamped to [0, 1]) to the same random power.
   *
   * @param image the input
   * @param random the random source
   * @return the new image, or the input when gamma is 1
   */
  @Override
  public GrayImage apply(GrayImage image, SplittableRandom random) {
    double g = sampleGamma(random);
    if (g == 1) {
      return image;
    }
    float[] px = image.toArray();
    IntensityKernel.apply(px, 1, 0, g);
    return GrayImage.wrap(image.width(), image.height(), px);
  }

  /**
   * Describes the transform.
   *
   * @return e.g. {@code gamma(min=0.8, max=1.25)}
   */
  @Override
  public String describe() {
    return "gamma(min=" + Checks.fmt(min) + ", max=" + Checks.fmt(max) + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Gamma g && Double.compare(g.min, min) == 0 && Double.compare(g.max, max) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * Double.hashCode(min) + Double.hashCode(max);
  }

  @Override
  public String toString() {
    return describe();
  }
}
