package dev.cxr.augment;

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
public final class Gamma extends ToneStep {
  /** The smallest allowed gamma. */
  public static final double LIMIT_MIN = 0.5;

  /** The largest allowed gamma. */
  public static final double LIMIT_MAX = 2;

  Gamma(double... minMax) {
    super(StepType.GAMMA, minMax);
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
    return new Gamma(min, max);
  }

  /**
   * Returns the smallest gamma.
   *
   * @return the gamma
   */
  public double min() {
    return value(0);
  }

  /**
   * Returns the largest gamma.
   *
   * @return the gamma
   */
  public double max() {
    return value(1);
  }

  /** The power {@code gamma}. */
  @Override
  double sample(SplittableRandom random) {
    return Draw.logUniform(min(), max(), random);
  }

  @Override
  void toneMap(FusedSample sample, double gamma) {
    sample.power(gamma);
  }
}
