package dev.cxr.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Reads {@link CxrAugmentation#fromJson(Map)}; {@link CxrAugmentation#toJson()} writes it. */
final class ConfigJson {
  private static final Set<String> KEYS = Set.of("seed", "probability", "steps");

  private ConfigJson() {}

  static CxrAugmentation read(Map<String, ?> json) {
    Objects.requireNonNull(json, "json");
    for (String key : json.keySet()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "unknown augmentation key '" + key + "'; expected seed, probability and steps");
      }
    }
    long seed =
        json.containsKey("seed")
            ? JsonValues.integer("seed", json.get("seed"))
            : CxrAugmentation.DEFAULT_SEED;
    double probability =
        json.containsKey("probability")
            ? JsonValues.number("probability", json.get("probability"))
            : CxrAugmentation.DEFAULT_PROBABILITY;
    Object rawSteps = json.containsKey("steps") ? json.get("steps") : List.of();
    if (!(rawSteps instanceof List<?> list)) {
      throw new IllegalArgumentException(
          "steps must be a list but was " + JsonValues.show(rawSteps));
    }
    List<AugmentationStep> steps = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (!(item instanceof Map<?, ?> map)) {
        throw new IllegalArgumentException(
            "steps[" + i + "] must be a map but was " + JsonValues.show(item));
      }
      try {
        steps.add(StepTypes.read(stringKeys(map)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("steps[" + i + "]: " + e.getMessage(), e);
      }
    }
    return CxrAugmentation.of(seed, probability, steps);
  }

  /** {@code map} typed as JSON objects are, after checking that every key is a string. */
  @SuppressWarnings("unchecked")
  private static Map<String, ?> stringKeys(Map<?, ?> map) {
    for (Object key : map.keySet()) {
      if (!(key instanceof String)) {
        throw new IllegalArgumentException("step key " + JsonValues.show(key) + " is not a string");
      }
    }
    return (Map<String, ?>) map;
  }
}
