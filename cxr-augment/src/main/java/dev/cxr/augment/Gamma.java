package dev.cxr.augment;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Gamma correction: {@code v' = clamp01(v) ^ gamma} with {@code gamma} drawn log-uniformly from
 * {@code [min, max]} (so 0.8 and 1.25 are equally likely). Brightens ({@code gamma < 1}) or darkens
 * ({@code gamma > 1}) the mid-tones while keeping 0 and 1 fixed, like a different windowing of the
 * same exposure.
 *
 * <p>Limited to [{@value #LIMIT_MIN}, {@value #LIMIT_MAX}].
 *
 * <p>JSON form: {@code {"type": "gamma", "min": 0.8, "max": 1.25}}.
 */
public final class Gamma extends AugmentationStep {
  /** The smallest allowed gamma. */
  public static final double LIMIT_MIN = 0.5;

  /** The largest allowed gamma. */
  public static final double LIMIT_MAX = 2;

  static final String TYPE = "gamma";
  static final Gamma OFF = new Gamma(1, 1);
  private static final List<String> NAMES = names("min", "max");
  private static final List<String> FLAT_NAMES = names("gammaMin", "gammaMax");

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

  /**
   * Returns {@code "gamma"}.
   *
   * @return the type name
   */
  @Override
  public String type() {
    return TYPE;
  }

  /**
   * Whether gamma is always 1.
   *
   * @return true for {@code [1, 1]}
   */
  @Override
  public boolean isIdentity() {
    return min == 1 && max == 1;
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

  @Override
  int slot() {
    return 7;
  }

  @Override
  List<String> parameterNames() {
    return NAMES;
  }

  @Override
  List<String> flatNames() {
    return FLAT_NAMES;
  }

  @Override
  double[] parameterValues() {
    return new double[] {min, max};
  }

  @Override
  Gamma withParameterValues(double[] values) {
    return between(values[0], values[1]);
  }

  @Override
  void contribute(FusedSample sample, SplittableRandom random) {
    sample.power(sampleGamma(random));
  }
}
