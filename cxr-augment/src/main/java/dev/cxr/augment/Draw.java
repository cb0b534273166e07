package dev.cxr.augment;

import java.util.SplittableRandom;

/**
 * The distributions the steps draw their parameters from, each written once. The arithmetic of each
 * formula is that of the first release, operation for operation, because a saved seed must replay
 * the same images bit for bit ({@code AugmentationGoldenTest}): {@code (2u - 1) max} and {@code
 * -max + 2 max u} differ in the last bit.
 */
final class Draw {
  private Draw() {}

  /** Uniform in {@code [-max, max]}; 0 without a draw when {@code max} is 0. */
  static double symmetric(double max, SplittableRandom random) {
    return max == 0 ? 0 : (2 * random.nextDouble() - 1) * max;
  }

  /** Uniform in {@code [min, max]}; {@code min} without a draw when the two are equal. */
  static double uniform(double min, double max, SplittableRandom random) {
    return min == max ? min : min + (max - min) * random.nextDouble();
  }

  /** Log-uniform in {@code [min, max]}; {@code min} without a draw when the two are equal. */
  static double logUniform(double min, double max, SplittableRandom random) {
    if (min == max) {
      return min;
    }
    double lo = Math.log(min);
    return Math.exp(lo + (Math.log(max) - lo) * random.nextDouble());
  }
}
