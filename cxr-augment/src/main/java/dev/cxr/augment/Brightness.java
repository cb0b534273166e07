package dev.cxr.augment;

import java.util.SplittableRandom;

/**
 * Brightness shift: {@code v' = clamp01(v + delta)} with {@code delta} drawn uniformly from
 * {@code [-maxDelta, maxDelta]}. Models exposure differences between radiographs.
 *
 * <p>Limited to {@value #LIMIT} (half the [0, 1] range).
 */
public final class Brightness implements ImageTransform {
  /** The largest allowed {@code maxDelta}. */
  public static final double LIMIT = 0.5;

  private final double maxDelta;

  private Brightness(double maxDelta) {
    this.maxDelta = maxDelta;
  }

  /**
   * A brightness shift of up to {@code maxDelta} either way.
   *
   * @param maxDelta in [0, 0.5]; 0 is the identity
   * @return the transform
   * @throws IllegalArgumentException naming {@code brightness} when out of range
   */
  public static Brightness upTo(double maxDelta) {
    return new Brightness(Checks.inRange("brightness", maxDelta, 0, LIMIT, ""));
  }

  /**
   * Returns the largest shift.
   *
   * @return the shift, in pixel units
   */
  public double maxDelta() {
    return maxDelta;
  }

  double sampleDelta(SplittableRandom random) {
    return maxDelta == 0 ? 0 : (2 * random.nextDouble() - 1) * maxDelta;
  }

  /**
   * Shifts every pixel of {@code image} by the same random amount and clamps to [0, 1].
   *
   * @param image the input
   * @param random the random source
   * @return the new image, or the input when the shift is 0
   */
  @Override
  public GrayImage apply(GrayImage image, SplittableRandom random) {
    double delta = sampleDelta(random);
    if (delta == 0) {
      return image;
    }
    float[] px = image.toArray();
    IntensityKernel.apply(px, 1, delta, 1);
    return GrayImage.wrap(image.width(), image.height(), px);
  }

  /**
   * Describes the transform.
   *
   * @return e.g. {@code brightness(maxDelta=0.1)}
   */
  @Override
  public String describe() {
    return "brightness(maxDelta=" + Checks.fmt(maxDelta) + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Brightness b && Double.compare(b.maxDelta, maxDelta) == 0;
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
