package dev.cxr.augment;

import java.util.List;
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
public final class Rotation extends AugmentationStep {
  /** The largest allowed {@code maxDegrees}. */
  public static final double LIMIT_DEGREES = 30;

  static final String TYPE = "rotation";
  static final Rotation OFF = new Rotation(0);
  private static final List<String> NAMES = names("maxDegrees");
  private static final List<String> FLAT_NAMES = names("rotation");

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

  /**
   * Returns {@code "rotation"}.
   *
   * @return the type name
   */
  @Override
  public String type() {
    return TYPE;
  }

  /**
   * Whether {@code maxDegrees} is 0.
   *
   * @return true when the rotation never turns the image
   */
  @Override
  public boolean isIdentity() {
    return maxDegrees == 0;
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

  @Override
  int slot() {
    return 1;
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
    return new double[] {maxDegrees};
  }

  @Override
  Rotation withParameterValues(double[] values) {
    return upTo(values[0]);
  }

  @Override
  void contribute(FusedSample sample, SplittableRandom random) {
    sample.transform(sampleForward(random, sample.width(), sample.height()));
  }
}
