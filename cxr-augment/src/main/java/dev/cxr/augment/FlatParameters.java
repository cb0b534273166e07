package dev.cxr.augment;

import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The flat parameter map and the one-line description of the first release ({@link
 * CxrAugmentation#parameters()}, {@link CxrAugmentation#fromParameters(Map)}, {@link
 * CxrAugmentation#describe()}): every type's parameters under fixed names, a switched-off type with
 * its identity values. Saved models store this map, so its keys, order and defaults never change;
 * each step supplies its own part ({@link AugmentationStep#flatNames()}).
 */
final class FlatParameters {
  private FlatParameters() {}

  /** See {@link CxrAugmentation#parameters()}. */
  static ImmutableMap<String, Number> of(CxrAugmentation a) {
    ImmutableMap.Builder<String, Number> b = ImmutableMap.builder();
    b.put("seed", a.seed()).put("probability", a.probability());
    for (String type : StepTypes.FLAT_ORDER) {
      b.putAll(a.step(type).flatParameters());
    }
    return b.buildOrThrow();
  }

  /** See {@link CxrAugmentation#describe()}. */
  static String describe(CxrAugmentation a) {
    StringBuilder sb = new StringBuilder("CxrAugmentation{seed=").append(a.seed());
    sb.append(", probability=").append(Checks.fmt(a.probability()));
    for (String type : StepTypes.FLAT_ORDER) {
      sb.append(", ").append(a.step(type).flatDescription());
    }
    return sb.append('}').toString();
  }

  /** See {@link CxrAugmentation#fromParameters(Map)}. */
  static CxrAugmentation read(Map<String, ? extends Number> parameters) {
    Objects.requireNonNull(parameters, "parameters");
    long seed = CxrAugmentation.DEFAULT_SEED;
    double probability = CxrAugmentation.DEFAULT_PROBABILITY;
    Map<String, Map<String, Double>> byType = new HashMap<>();
    for (Map.Entry<String, ? extends Number> e : parameters.entrySet()) {
      String key = e.getKey();
      Number value = Objects.requireNonNull(e.getValue(), key);
      if (key.equals("seed")) {
        seed = value.longValue();
      } else if (key.equals("probability")) {
        probability = Checks.inRange("probability", value.doubleValue(), 0, 1, "");
      } else {
        byType.computeIfAbsent(typeOf(key), t -> new HashMap<>()).put(key, value.doubleValue());
      }
    }
    List<AugmentationStep> steps = new ArrayList<>();
    for (String type : StepTypes.types()) {
      Map<String, Double> given = byType.get(type);
      if (given != null) {
        // a pair given by half keeps the other half's default, as the first release's builder did
        steps.add(StepTypes.off(type).withFlatParameters(given));
      }
    }
    return CxrAugmentation.of(seed, probability, steps);
  }

  /** The type whose flat parameters include {@code key}. */
  private static String typeOf(String key) {
    for (String type : StepTypes.types()) {
      if (StepTypes.off(type).flatNames().contains(key)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown augmentation parameter '" + key + "'");
  }
}
