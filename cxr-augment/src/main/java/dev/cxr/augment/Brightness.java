package dev.cxr.augment;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Brightness shift: {@code v' = clamp01(v + delta)} with {@code delta} drawn uniformly from {@code
 * [-maxDelta, maxDelta]}. Models exposure differences between radiographs.
 *
 * <p>Limited to {@value #LIMIT} (half the [0, 1] range).
 *
 * <p>JSON form: {@code {"type": "brightness", "maxDelta": 0.1}}.
 */
public final class Brightness extends AugmentationStep {
  /** The largest allowed {@code maxDelta}. */
  public static final double LIMIT = 0.5;

  static final String TYPE = "brightness";
  static final Brightness OFF = new Brightness(0);
  private static final List<String> NAMES = names("maxDelta");
  private static final List<String> FLAT_NAMES = names("brightness");

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

  /**
   * Returns {@code "brightness"}.
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
   * @return true when the brightness never changes
   */
  @Override
  public boolean isIdentity() {
    return maxDelta == 0;
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

  @Override
  int slot() {
    return 5;
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
  Brightness withParameterValues(double[] values) {
    return upTo(values[0]);
  }

  @Override
  void contribute(FusedSample sample, SplittableRandom random) {
    sample.linear(1, sampleDelta(random));
  }
}
