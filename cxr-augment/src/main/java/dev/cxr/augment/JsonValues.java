package dev.cxr.augment;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Checks on the plain-Java JSON values ({@code Map}, {@code List}, {@code Number}, {@code String})
 * that {@link CxrAugmentation#fromJson(Map)} and {@link AugmentationStep#fromJson(Map)} read, with
 * messages that name the offending key. Any JSON library's numbers are accepted: Integer, Long,
 * BigInteger, Double, BigDecimal.
 */
final class JsonValues {
  private JsonValues() {}

  /**
   * The parameters {@code names} of a step of type {@code type}, in that order; every one must be
   * present and a number, and no key other than {@code "type"} and {@code names} may appear.
   */
  static double[] parameters(String type, List<String> names, Map<String, ?> json) {
    for (String key : json.keySet()) {
      if (!key.equals("type") && !names.contains(key)) {
        throw new IllegalArgumentException(
            type + " has unknown parameter '" + key + "'; expected " + names);
      }
    }
    double[] values = new double[names.size()];
    for (int i = 0; i < values.length; i++) {
      String name = names.get(i);
      if (!json.containsKey(name)) {
        throw new IllegalArgumentException(type + " is missing parameter '" + name + "'");
      }
      values[i] = number(type + "." + name, json.get(name));
    }
    return values;
  }

  /** {@code value} as a double; {@code what} names it in the message. */
  static double number(String what, Object value) {
    if (!(value instanceof Number n)) {
      throw new IllegalArgumentException(what + " must be a number but was " + show(value));
    }
    return n.doubleValue();
  }

  /** {@code value} as a long, which it must represent exactly (42 and 42.0, not 4.5 or 1e20). */
  static long integer(String what, Object value) {
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Number n) {
      try {
        return new BigDecimal(n.toString()).longValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException(
            what + " must be a 64-bit integer but was " + show(value), e);
      }
    }
    throw new IllegalArgumentException(what + " must be a 64-bit integer but was " + show(value));
  }

  /** A value for a message: strings quoted, so {@code "10"} is told apart from {@code 10}. */
  static String show(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }
}
