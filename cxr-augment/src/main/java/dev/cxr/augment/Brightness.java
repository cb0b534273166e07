package dev.cxr.augment;

import java.util.SplittableRandom;

/**
 * Brightness shift: {@code v' = clamp01(v + delta)} with {@code delta} drawn uniformly from {@code
 * [-maxDelta, maxDelta]}. Models exposure differences between radiographs.
 *
 * <p>Limited to {@value #LIMIT} (half the [0, 1] range).
 *
 * <p>JSON form: {@code {"type": "brightness", "maxDelta": 0.1}}.
 */
public final class Brightness extends ToneStep {
  /** The largest allowed {@code maxDelta}. */
  public static final double LIMIT = 0.5;

  Brightness(double... maxDelta) {
    super(StepType.BRIGHTNESS, maxDelta);
  }

  /**
   * A brightness shift of up to {@code maxDelta} either way.
   *
   * @param maxDelta in [0, 0.5]; 0 is the identity
   * @return the transform
   * @throws IllegalArgumentException naming {@code brightness} when out of range
   */
  public static Brightness upTo(double maxDelta) {
    return new Brightness(maxDelta);
  }

  /**
   * Returns the largest shift.
   *
   * @return the shift, in pixel units
   */
  public double maxDelta() {
    return value(0);
  }

  /** The shift {@code delta}. */
  @Override
  double sample(SplittableRandom random) {
    return Draw.symmetric(maxDelta(), random);
  }

  @Override
  void toneMap(FusedSample sample, double delta) {
    sample.linear(1, delta);
  }
}
