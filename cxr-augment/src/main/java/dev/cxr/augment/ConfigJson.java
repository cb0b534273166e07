package dev.cxr.augment;

import static com.google.common.collect.ImmutableList.toImmutableList;

import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads {@link CxrAugmentation#fromJson(Map)} and {@link AugmentationStep#fromJson(Map)}; {@link
 * CxrAugmentation#toJson()} and {@link AugmentationStep#toJson()} write them.
 */
final class ConfigJson {
  private static final Set<String> KEYS = Set.of("seed", "probability", "steps");

  private ConfigJson() {}

  /** See {@link CxrAugmentation#toJson()}. */
  static ImmutableMap<String, Object> write(CxrAugmentation a) {
    return ImmutableMap.of(
        "seed",
        a.seed(),
        "probability",
        a.probability(),
        "steps",
        a.steps().stream().map(AugmentationStep::toJson).collect(toImmutableList()));
  }

  /** See {@link CxrAugmentation#fromJson(Map)}. */
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
        steps.add(readStep(stringKeys(map)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("steps[" + i + "]: " + e.getMessage(), e);
      }
    }
    return CxrAugmentation.of(seed, probability, steps);
  }

  /** See {@link AugmentationStep#fromJson(Map)}. */
  static AugmentationStep readStep(Map<String, ?> json) {
    Objects.requireNonNull(json, "json");
    Object name = json.get("type");
    if (name == null) {
      throw new IllegalArgumentException(
          "augmentation step has no \"type\"; expected one of " + AugmentationStep.types());
    }
    StepType type = name instanceof String s ? StepType.named(s) : null;
    if (type == null) {
      throw new IllegalArgumentException(
          "unknown augmentation step type "
              + JsonValues.show(name)
              + "; expected one of "
              + AugmentationStep.types());
    }
    List<String> names = type.parameters().names();
    double[] values = JsonValues.parameters(type.typeName(), names, json);
    try {
      return type.create(values);
    } catch (IllegalArgumentException e) {
      String where = type.typeName() + (names.size() == 1 ? "." + names.get(0) : "");
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
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
