package dev.cxr.augment;

import com.google.common.collect.ImmutableList;

/**
 * The parameters of a step type: their names in the JSON form, the values that switch the step off,
 * and the checks that give the builder's messages. Two shapes cover every step type, so a step
 * class declares its shape and limits ({@link StepType}) instead of writing fields, checks,
 * accessors, equality and identity tests again.
 */
sealed interface StepParameters {

  /** The JSON names of the parameters, in the order of the values. */
  ImmutableList<String> names();

  /** The values of the switched-off step; a fresh array. */
  double[] identity();

  /**
   * Checks {@code values} for a step of type {@code type}.
   *
   * @throws IllegalArgumentException naming the type, the allowed range and the bad value
   */
  void check(String type, double[] values);

  /** Whether {@code values} switch the step off (compared with {@code ==}, so -0 is 0). */
  default boolean isIdentity(double[] values) {
    double[] off = identity();
    for (int i = 0; i < off.length; i++) {
      if (values[i] != off[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * One parameter, the largest size of a change, in {@code [0, limit]}; 0 switches the step off.
   * The message reads e.g. {@code rotation must be in [0, 30] degrees but was 45}.
   *
   * @param name the JSON name, e.g. {@code maxDegrees}
   * @param limit the largest allowed value
   * @param unit text after the range in the message, e.g. {@code " degrees"}, or empty
   */
  record Magnitude(String name, double limit, String unit) implements StepParameters {
    @Override
    public ImmutableList<String> names() {
      return ImmutableList.of(name);
    }

    @Override
    public double[] identity() {
      return new double[] {0};
    }

    @Override
    public void check(String type, double[] values) {
      Checks.inRange(type, values[0], 0, limit, unit);
    }
  }

  /**
   * Two parameters {@code min <= max}, the range of a multiplicative factor, each in {@code [lo,
   * hi]}; {@code (1, 1)} switches the step off. The messages read e.g. {@code zoom min must be in
   * [0.5, 2] but was 0.4} and {@code zoom min must not exceed zoom max but was [1.2, 1.1]}.
   *
   * @param lo the smallest allowed factor
   * @param hi the largest allowed factor
   */
  record FactorRange(double lo, double hi) implements StepParameters {
    @Override
    public ImmutableList<String> names() {
      return ImmutableList.of("min", "max");
    }

    @Override
    public double[] identity() {
      return new double[] {1, 1};
    }

    @Override
    public void check(String type, double[] values) {
      Checks.inRange(type + " min", values[0], lo, hi, "");
      Checks.inRange(type + " max", values[1], lo, hi, "");
      Checks.ordered(type, values[0], values[1]);
    }
  }
}
