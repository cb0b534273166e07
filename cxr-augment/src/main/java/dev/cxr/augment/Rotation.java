package dev.cxr.augment;

import java.util.SplittableRandom;

/**
 * Rotation about the image centre by an angle drawn uniformly from {@code [-maxDegrees,
 * maxDegrees]}; positive angles turn the picture counter-clockwise as displayed. Bilinear
 * resampling with replicated borders (no black corners).
 *
 * <p>Limited to {@value #LIMIT_DEGREES} degrees: a chest radiograph is taken upright or supine in
 * a known orientation, so small tilts model patient positioning while larger angles produce
 * images no scanner makes. The article's notebook used +-10 degrees.
 */
public final class Rotation implements ImageTransform {
  /** The largest allowed {@code maxDegrees}. */
  public static final double LIMIT_DEGREES = 30;

  private final double maxDegrees;

  private Rotation(double maxDegrees) {
    this.maxDegrees = maxDegrees;
  }

  /**
   * A rotation by up to {@code maxDegrees} either way.
   *
   * @param maxDegrees the largest absolute angle, in [0, 30]; 0 is the identity
   * @return the transform
   * @throws IllegalArgumentException naming {@code rotation} when out of range
   */
  public static Rotation upTo(double maxDegrees) {
    return new Rotation(Checks.inRange("rotation", maxDegrees, 0, LIMIT_DEGREES, " degrees"));
  }

  /**
   * Returns the largest absolute angle.
   *
   * @return degrees
   */
  public double maxDegrees() {
    return maxDegrees;
  }

  double sampleDegrees(SplittableRandom random) {
    return maxDegrees == 0 ? 0 : (2 * random.nextDouble() - 1) * maxDegrees;
  }

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

  /**
   * Rotates {@code image} by a random angle.
   *
   * @param image the input
   * @param random the random source
   * @return the rotated image, or the input when the angle is 0
   */
  @Override
  public GrayImage apply(GrayImage image, SplittableRandom random) {
    return Resampler.applyForward(image, sampleForward(random, image.width(), image.height()));
  }

  /**
   * Describes the transform.
   *
   * @return e.g. {@code rotation(maxDegrees=10)}
   */
  @Override
  public String describe() {
    return "rotation(maxDegrees=" + Checks.fmt(maxDegrees) + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rotation r && Double.compare(r.maxDegrees, maxDegrees) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(maxDegrees);
  }

  @Override
  public String toString() {
    return describe();
  }
}
