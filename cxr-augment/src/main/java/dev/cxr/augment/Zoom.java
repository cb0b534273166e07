package dev.cxr.augment;

import java.util.SplittableRandom;

/**
 * Zoom (uniform scaling) about the image centre by a factor drawn uniformly from {@code [min,
 * max]}; a factor above 1 enlarges the content (zooms in), below 1 shrinks it, with replicated
 * borders filling the margin. Models differences in patient size and source-to-detector distance.
 *
 * <p>Factors are limited to [{@value #LIMIT_MIN}, {@value #LIMIT_MAX}].
 *
 * <p>JSON form: {@code {"type": "zoom", "min": 0.9, "max": 1.1}}.
 */
public final class Zoom extends GeometricStep {
  /** The smallest allowed factor. */
  public static final double LIMIT_MIN = 0.5;

  /** The largest allowed factor. */
  public static final double LIMIT_MAX = 2;

  Zoom(double... minMax) {
    super(StepType.ZOOM, minMax);
  }

  /**
   * A zoom by a factor in {@code [min, max]}.
   *
   * @param min smallest factor, in [0.5, 2]
   * @param max largest factor, in [0.5, 2], at least {@code min}; {@code (1, 1)} is the identity
   * @return the transform
   * @throws IllegalArgumentException naming {@code zoom} when out of range or not ordered
   */
  public static Zoom between(double min, double max) {
    return new Zoom(min, max);
  }

  /**
   * Returns the smallest factor.
   *
   * @return the factor
   */
  public double min() {
    return value(0);
  }

  /**
   * Returns the largest factor.
   *
   * @return the factor
   */
  public double max() {
    return value(1);
  }

  double sampleFactor(SplittableRandom random) {
    return Draw.uniform(min(), max(), random);
  }

  @Override
  AffineMap sampleForward(SplittableRandom random, int width, int height) {
    return forward(sampleFactor(random), width, height);
  }

  static AffineMap forward(double factor, int width, int height) {
    if (factor == 1) {
      return AffineMap.IDENTITY;
    }
    return AffineMap.scaleAbout(AffineMap.centreX(width), AffineMap.centreY(height), factor);
  }
}
