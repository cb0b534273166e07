package dev.cxr.augment;

import java.util.SplittableRandom;

/**
 * Rotation about the image centre by an angle drawn uniformly from {@code [-maxDegrees,
 * maxDegrees]}; positive angles turn the picture counter-clockwise as displayed. Bilinear
 * resampling with replicated borders (no black corners).
 *
 * <p>Limited to {@value #LIMIT_DEGREES} degrees: a chest radiograph is taken upright or supine in a
 * known orientation, so small tilts model patient positioning while larger angles produce images no
 * scanner makes. The article's notebook used +-10 degrees.
 *
 * <p>JSON form: {@code {"type": "rotation", "maxDegrees": 10.0}}.
 */
public final class Rotation extends GeometricStep {
  /** The largest allowed {@code maxDegrees}. */
  public static final double LIMIT_DEGREES = 30;

  Rotation(double... maxDegrees) {
    super(StepType.ROTATION, maxDegrees);
  }

  /**
   * A rotation by up to {@code maxDegrees} either way.
   *
   * @param maxDegrees the largest absolute angle, in [0, 30]; 0 is the identity
   * @return the transform
   * @throws IllegalArgumentException naming {@code rotation} when out of range
   */
  public static Rotation upTo(double maxDegrees) {
    return new Rotation(maxDegrees);
  }

  /**
   * Returns the largest absolute angle.
   *
   * @return degrees
   */
  public double maxDegrees() {
    return value(0);
  }

  double sampleDegrees(SplittableRandom random) {
    return Draw.symmetric(maxDegrees(), random);
  }

  @Override
  AffineMap sampleForward(SplittableRandom random, int width, int height) {
    return forward(sampleDegrees(random), width, height);
  }

  /** The forward map of a rotation by {@code degrees}; any angle, for package code and tests. */
  static AffineMap forward(double degrees, int width, int height) {
    if (degrees == 0) {
      return AffineMap.IDENTITY;
    }
    return AffineMap.rotationAbout(
        AffineMap.centreX(width), AffineMap.centreY(height), Math.toRadians(degrees));
  }
}
