package dev.cxr.augment;

import java.util.List;
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
public final class Translation extends AugmentationStep {
  /** The largest allowed shift, as a fraction of the image size. */
  public static final double LIMIT_FRACTION = 0.2;

  static final String TYPE = "translation";
  static final Translation OFF = new Translation(0);
  private static final List<String> NAMES = names("maxFraction");
  private static final List<String> FLAT_NAMES = names("translation");

  private final double maxFraction;

  private Translation(double maxFraction) {
    this.maxFraction = maxFraction;
  }

  /**
   * A translation by up to {@code maxFraction} of the image size on each axis.
   *
   * @param maxFraction in [0, 0.2]; 0 is the identity
   * @return the transform
   * @throws IllegalArgumentException naming {@code translation} when out of range
   */
  public static Translation upTo(double maxFraction) {
    return new Translation(
        Checks.inRange(
            "translation", maxFraction, 0, LIMIT_FRACTION, " (fraction of the image size)"));
  }

  /**
   * Returns the largest shift as a fraction of the image size.
   *
   * @return the fraction
   */
  public double maxFraction() {
    return maxFraction;
  }

  /**
   * Returns {@code "translation"}.
   *
   * @return the type name
   */
  @Override
  public String type() {
    return TYPE;
  }

  /**
   * Whether {@code maxFraction} is 0.
   *
   * @return true when the image is never shifted
   */
  @Override
  public boolean isIdentity() {
    return maxFraction == 0;
  }

  AffineMap sampleForward(SplittableRandom random, int width, int height) {
    if (maxFraction == 0) {
      return AffineMap.IDENTITY;
    }
    double tx = (2 * random.nextDouble() - 1) * maxFraction * width;
    double ty = (2 * random.nextDouble() - 1) * maxFraction * height;
    return AffineMap.translation(tx, ty);
  }

  /**
   * Shifts {@code image} by a random offset.
   *
   * @param image the input
   * @param random the random source
   * @return the shifted image, or the input when the shift is 0
   */
  @Override
  public GrayImage apply(GrayImage image, SplittableRandom random) {
    return Resampler.applyForward(image, sampleForward(random, image.width(), image.height()));
  }

  @Override
  int slot() {
    return 3;
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
    return new double[] {maxFraction};
  }

  @Override
  Translation withParameterValues(double[] values) {
    return upTo(values[0]);
  }

  @Override
  void contribute(FusedSample sample, SplittableRandom random) {
    sample.transform(sampleForward(random, sample.width(), sample.height()));
  }
}
