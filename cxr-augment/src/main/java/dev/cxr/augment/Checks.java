package dev.cxr.augment;

/** Argument checks with messages that name the parameter, its allowed range and the bad value. */
final class Checks {
  private Checks() {}

  /**
   * Requires {@code lo <= value <= hi} (NaN fails).
   *
   * @param name parameter name, first word of the message
   * @param value the value
   * @param lo lower bound, inclusive
   * @param hi upper bound, inclusive
   * @param unit text after the range, e.g. {@code " degrees"}, or empty
   * @return {@code value}
   */
  static double inRange(String name, double value, double lo, double hi, String unit) {
    if (!(value >= lo && value <= hi)) {
      throw new IllegalArgumentException(
          name
              + " must be in ["
              + fmt(lo)
              + ", "
              + fmt(hi)
              + "]"
              + unit
              + " but was "
              + fmt(value));
    }
    return value;
  }

  /** Requires {@code min <= max}. */
  static void ordered(String name, double min, double max) {
    if (!(min <= max)) {
      throw new IllegalArgumentException(
          name
              + " min must not exceed "
              + name
              + " max but was ["
              + fmt(min)
              + ", "
              + fmt(max)
              + "]");
    }
  }

  /** Formats 30.0 as "30" and 0.05 as "0.05". */
  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
