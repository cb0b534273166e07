package dev.cxr.augment;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The registry of step types: the one place that lists them, in pipeline order, each by its
 * switched-off instance (which also gives the defaults of the flat parameter map). Kept apart from
 * {@link AugmentationStep} because a superclass whose static initialiser reads its subclasses'
 * constants would see them still null when a subclass happens to be initialised first.
 */
final class StepTypes {
  /** The switched-off step of every type, keyed by type, in pipeline order. */
  private static final ImmutableMap<String, AugmentationStep> OFF =
      byType(
          HorizontalFlip.OFF,
          Rotation.OFF,
          Zoom.OFF,
          Translation.OFF,
          GaussianBlur.OFF,
          Brightness.OFF,
          Contrast.OFF,
          Gamma.OFF,
          GaussianNoise.OFF,
          RandomErasing.OFF);

  /**
   * The order of the types in the flat {@link CxrAugmentation#parameters()} map and in {@link
   * CxrAugmentation#describe()} of the first release, kept so saved descriptions stay identical.
   */
  static final ImmutableList<String> FLAT_ORDER =
      ImmutableList.of(
          Rotation.TYPE,
          Zoom.TYPE,
          Translation.TYPE,
          Brightness.TYPE,
          Contrast.TYPE,
          Gamma.TYPE,
          GaussianNoise.TYPE,
          GaussianBlur.TYPE,
          RandomErasing.TYPE,
          HorizontalFlip.TYPE);

  private StepTypes() {}

  private static ImmutableMap<String, AugmentationStep> byType(AugmentationStep... steps) {
    ImmutableMap.Builder<String, AugmentationStep> b = ImmutableMap.builder();
    for (AugmentationStep s : steps) {
      b.put(s.type(), s);
    }
    return b.buildOrThrow();
  }

  /** Every type name, in pipeline order. */
  static ImmutableList<String> types() {
    return OFF.keySet().asList();
  }

  /** The position of {@code type} in the pipeline. */
  static int pipelineIndex(String type) {
    return types().indexOf(type);
  }

  /** The switched-off step of {@code type}. */
  static AugmentationStep off(String type) {
    return Objects.requireNonNull(OFF.get(type), type);
  }

  /** Reads one step from its JSON form; see {@link AugmentationStep#fromJson(Map)}. */
  static AugmentationStep read(Map<String, ?> json) {
    Objects.requireNonNull(json, "json");
    Object type = json.get("type");
    if (type == null) {
      throw new IllegalArgumentException(
          "augmentation step has no \"type\"; expected one of " + types());
    }
    AugmentationStep off = type instanceof String name ? OFF.get(name) : null;
    if (off == null) {
      throw new IllegalArgumentException(
          "unknown augmentation step type "
              + JsonValues.show(type)
              + "; expected one of "
              + types());
    }
    double[] values = JsonValues.parameters(off.type(), off.parameterNames(), json);
    String where =
        off.parameterNames().size() == 1
            ? off.type() + "." + off.parameterNames().get(0)
            : off.type();
    try {
      return off.withParameterValues(values);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code steps} checked to be in pipeline order with each type at most once, identity steps left
   * out; see {@link CxrAugmentation#of(long, double, List)}.
   */
  static ImmutableList<AugmentationStep> pipeline(List<? extends AugmentationStep> steps) {
    Objects.requireNonNull(steps, "steps");
    ImmutableList.Builder<AugmentationStep> kept = ImmutableList.builder();
    int last = -1;
    for (int i = 0; i < steps.size(); i++) {
      AugmentationStep step = Objects.requireNonNull(steps.get(i), "steps[" + i + "]");
      int index = pipelineIndex(step.type());
      if (index <= last) {
        throw new IllegalArgumentException(
            "steps["
                + i
                + "]: "
                + step.type()
                + (index == last ? " appears twice" : " is out of order")
                + "; steps must be in pipeline order "
                + types()
                + ", each type at most once");
      }
      last = index;
      if (!step.isIdentity()) {
        kept.add(step);
      }
    }
    return kept.build();
  }
}
