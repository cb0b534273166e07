package dev.cxr.augment;

import java.util.List;
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
public final class Contrast extends AugmentationStep {
  /** The largest allowed {@code maxDelta}. */
  public static final double LIMIT = 0.5;

  static final String TYPE = "contrast";
  static final Contrast OFF = new Contrast(0);
  private static final List<String> NAMES = names("maxDelta");
  private static final List<String> FLAT_NAMES = names("contrast");

  private final double maxDelta;

  private Contrast(double maxDelta) {
    this.maxDelta = maxDelta;
  }

  /**
   * A contrast factor within {@code 1 +- maxDelta}.
   *
   * @param maxDelta in [0, 0.5]; 0 is the identity
   * @return the transform
   * @throws IllegalArgumentException naming {@code contrast} when out of range
   */
  public static Contrast upTo(double maxDelta) {
    return new Contrast(Checks.inRange("contrast", maxDelta, 0, LIMIT, ""));
  }

  /**
   * Returns the largest deviation of the factor from 1.
   *
   * @return the deviation
   */
  public double maxDelta() {
    return maxDelta;
  }

  /**
   * Returns {@code "contrast"}.
   *
   * @return the type name
   */
  @Override
  public String type() {
    return TYPE;
  }

  /**
   * Whether {@code maxDelta} is 0.
   *
   * @return true when the factor is always 1
   */
  @Override
  public boolean isIdentity() {
    return maxDelta == 0;
  }

  double sampleFactor(SplittableRandom random) {
    return maxDelta == 0 ? 1 : 1 + (2 * random.nextDouble() - 1) * maxDelta;
  }

  /**
   * Scales every pixel's distance from 0.5 by the same random factor and clamps to [0, 1].
   *
   * @param image the input
   * @param random the random source
   * @return the new image, or the input when the factor is 1
   */
  @Override
  public GrayImage apply(GrayImage image, SplittableRandom random) {
    double c = sampleFactor(random);
    if (c == 1) {
      return image;
    }
    float[] px = image.toArray();
    IntensityKernel.apply(px, c, 0.5 * (1 - c), 1);
    return GrayImage.wrap(image.width(), image.height(), px);
  }

  @Override
  int slot() {
    return 6;
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
    return new double[] {maxDelta};
  }

  @Override
  Contrast withParameterValues(double[] values) {
    return upTo(values[0]);
  }

  @Override
  void contribute(FusedSample sample, SplittableRandom random) {
    double c = sampleFactor(random);
    // v -> c (v - 0.5) + 0.5, the same pivot as apply()
    sample.linear(c, 0.5 * (1 - c));
  }
}
