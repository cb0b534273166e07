package dev.cxr.augment;

import java.util.SplittableRandom;

/**
 * Translation by independent horizontal and vertical shifts drawn uniformly from {@code
 * [-maxFraction, maxFraction]} times the image width and height; the uncovered margin repeats the
 * border pixels. Models patient positioning on the detector.
 *
 * <p>Limited to {@value #LIMIT_FRACTION} of the image: larger shifts push the lung bases or apices
 * (where effusions show) out of the picture.
 *
 * <p>JSON form: {@code {"type": "translation", "maxFraction": 0.05}}.
 */
public final class Translation extends GeometricStep {
  /** The largest allowed shift, as a fraction of the image size. */
  public static final double LIMIT_FRACTION = 0.2;

  Translation(double... maxFraction) {
    super(StepType.TRANSLATION, maxFraction);
  }

  /**
   * A translation by up to {@code maxFraction} of the image size on each axis.
   *
   * @param maxFraction in [0, 0.2]; 0 is the identity
   * @return the transform
   * @throws IllegalArgumentException naming {@code translation} when out of range
   */
  public static Translation upTo(double maxFraction) {
    return new Translation(maxFraction);
  }

  /**
   * Returns the largest shift as a fraction of the image size.
   *
   * @return the fraction
   */
  public double maxFraction() {
    return value(0);
  }

  @Override
  AffineMap sampleForward(SplittableRandom random, int width, int height) {
    double tx = Draw.symmetric(maxFraction(), random) * width;
    double ty = Draw.symmetric(maxFraction(), random) * height;
    return AffineMap.translation(tx, ty);
  }
}
