package dev.cxr.augment;

import java.util.SplittableRandom;

/**
 * Contrast change about mid-gray: {@code v' = clamp01((v - 0.5) * c + 0.5)} with the factor
 * {@code c} drawn uniformly from {@code [1 - maxDelta, 1 + maxDelta]}. The pivot is the fixed
 * middle of the min-max normalised range rather than the image mean, so the transform is a pure
 * per-pixel map that fuses with brightness and gamma into one pass. Models differences in tube
 * voltage and detector response.
 *
 * <p>Limited to {@value #LIMIT}: factors stay in [0.5, 1.5].
 */
public final class Contrast implements ImageTransform {
  /** The largest allowed {@code maxDelta}. */
  public static final double LIMIT = 0.5;

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

  /**
   * Describes the transform.
   *
   * @return e.g. {@code contrast(maxDelta=0.1)}
   */
  @Override
  public String describe() {
    return "contrast(maxDelta=" + Checks.fmt(maxDelta) + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Contrast c && Double.compare(c.maxDelta, maxDelta) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(maxDelta);
  }

  @Override
  public String toString() {
    return describe();
  }
}
