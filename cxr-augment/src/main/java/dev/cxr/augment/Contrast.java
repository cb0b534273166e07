package dev.cxr.augment;

import java.util.SplittableRandom;

/**
 * Contrast change about mid-gray: {@code v' = clamp01((v - 0.5) * c + 0.5)} with the factor {@code
 * c} drawn uniformly from {@code [1 - maxDelta, 1 + maxDelta]}. The pivot is the fixed middle of
 * the min-max normalised range rather than the image mean, so the transform is a pure per-pixel map
 * that fuses with brightness and gamma into one pass. Models differences in tube voltage and
 * detector response.
 *
 * <p>Limited to {@value #LIMIT}: factors stay in [0.5, 1.5].
 *
 * <p>JSON form: {@code {"type": "contrast", "maxDelta": 0.1}}.
 */
public final class Contrast extends ToneStep {
  /** The largest allowed {@code maxDelta}. */
  public static final double LIMIT = 0.5;

  Contrast(double... maxDelta) {
    super(StepType.CONTRAST, maxDelta);
  }

  /**
   * A contrast factor within {@code 1 +- maxDelta}.
   *
   * @param maxDelta in [0, 0.5]; 0 is the identity
   * @return the transform
   * @throws IllegalArgumentException naming {@code contrast} when out of range
   */
  public static Contrast upTo(double maxDelta) {
    return new Contrast(maxDelta);
  }

  /**
   * Returns the largest deviation of the factor from 1.
   *
   * @return the deviation
   */
  public double maxDelta() {
    return value(0);
  }

  /** The factor {@code c}. */
  @Override
  double sample(SplittableRandom random) {
    return 1 + Draw.symmetric(maxDelta(), random);
  }

  @Override
  void toneMap(FusedSample sample, double c) {
    // v -> c (v - 0.5) + 0.5
    sample.linear(c, 0.5 * (1 - c));
  }
}
