package dev.cxr.augment;

import static com.google.common.collect.ImmutableList.toImmutableList;
import static dev.cxr.augment.StepType.BLUR;
import static dev.cxr.augment.StepType.BRIGHTNESS;
import static dev.cxr.augment.StepType.CONTRAST;
import static dev.cxr.augment.StepType.GAMMA;
import static dev.cxr.augment.StepType.HORIZONTAL_FLIP;
import static dev.cxr.augment.StepType.NOISE;
import static dev.cxr.augment.StepType.RANDOM_ERASING;
import static dev.cxr.augment.StepType.ROTATION;
import static dev.cxr.augment.StepType.TRANSLATION;
import static dev.cxr.augment.StepType.ZOOM;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The flat parameter map and the one-line description of the first release ({@link
 * CxrAugmentation#parameters()}, {@link CxrAugmentation#fromParameters(Map)}, {@link
 * CxrAugmentation#describe()}): every type's parameters under fixed names, a switched-off type with
 * its identity values. Saved models store this map, so its keys, order and defaults never change.
 *
 * <p>A key is the type name for a one-parameter type ({@code rotation}) and the type name followed
 * by the capitalised parameter name otherwise ({@code zoomMin}, {@code zoomMax}), which gives every
 * key of the first release.
 */
final class FlatParameters {
  /** The order of the types in the first release's map: part of the format of saved models. */
  private static final ImmutableList<StepType> FIRST_RELEASE =
      ImmutableList.of(
          ROTATION,
          ZOOM,
          TRANSLATION,
          BRIGHTNESS,
          CONTRAST,
          GAMMA,
          NOISE,
          BLUR,
          RANDOM_ERASING,
          HORIZONTAL_FLIP);

  /** The first release's types in their order, then any type added since, in pipeline order. */
  private static final ImmutableList<StepType> ORDER =
      Stream.concat(FIRST_RELEASE.stream(), StepType.pipeline().stream())
          .distinct()
          .collect(toImmutableList());

  private FlatParameters() {}

  /** See {@link CxrAugmentation#parameters()}. */
  static ImmutableMap<String, Number> of(CxrAugmentation a) {
    ImmutableMap.Builder<String, Number> b = ImmutableMap.builder();
    b.put("seed", a.seed()).put("probability", a.probability());
    for (StepType type : ORDER) {
      List<String> keys = keys(type);
      double[] values = values(a, type);
      for (int i = 0; i < values.length; i++) {
        b.put(keys.get(i), values[i]);
      }
    }
    return b.buildOrThrow();
  }

  /** See {@link CxrAugmentation#describe()}: e.g. {@code rotation=10, zoom=[0.9, 1.1]}. */
  static String describe(CxrAugmentation a) {
    StringBuilder sb = new StringBuilder("CxrAugmentation{seed=").append(a.seed());
    sb.append(", probability=").append(Checks.fmt(a.probability()));
    for (StepType type : ORDER) {
      double[] v = values(a, type);
      sb.append(", ").append(type.typeName()).append('=');
      if (v.length == 1) {
        sb.append(Checks.fmt(v[0]));
      } else {
        sb.append('[').append(Checks.fmt(v[0])).append(", ").append(Checks.fmt(v[1])).append(']');
      }
    }
    return sb.append('}').toString();
  }

  /** See {@link CxrAugmentation#fromParameters(Map)}. */
  static CxrAugmentation read(Map<String, ? extends Number> parameters) {
    Objects.requireNonNull(parameters, "parameters");
    long seed = CxrAugmentation.DEFAULT_SEED;
    double probability = CxrAugmentation.DEFAULT_PROBABILITY;
    // a pair given by half keeps the other half's default, as the first release's builder did
    Map<StepType, double[]> given = new EnumMap<>(StepType.class);
    for (Map.Entry<String, ? extends Number> e : parameters.entrySet()) {
      String key = e.getKey();
      Number value = Objects.requireNonNull(e.getValue(), key);
      if (key.equals("seed")) {
        seed = value.longValue();
      } else if (key.equals("probability")) {
        probability = Checks.inRange("probability", value.doubleValue(), 0, 1, "");
      } else {
        StepType type = typeOf(key);
        given.computeIfAbsent(type, t -> t.parameters().identity())[keys(type).indexOf(key)] =
            value.doubleValue();
      }
    }
    List<AugmentationStep> steps = new ArrayList<>();
    for (StepType type : StepType.pipeline()) {
      if (given.containsKey(type)) {
        steps.add(type.create(given.get(type)));
      }
    }
    return CxrAugmentation.of(seed, probability, steps);
  }

  /** The parameter values of {@code type}'s step in {@code a}, or its identity values. */
  private static double[] values(CxrAugmentation a, StepType type) {
    for (AugmentationStep s : a.steps()) {
      if (s.kind() == type) {
        return s.parameterValues();
      }
    }
    return type.parameters().identity();
  }

  /** The keys of {@code type}'s parameters, in the order of its values. */
  private static List<String> keys(StepType type) {
    List<String> names = type.parameters().names();
    if (names.size() == 1) {
      return List.of(type.typeName());
    }
    return names.stream()
        .map(n -> type.typeName() + Character.toUpperCase(n.charAt(0)) + n.substring(1))
        .toList();
  }

  /** The type whose flat parameters include {@code key}. */
  private static StepType typeOf(String key) {
    for (StepType type : ORDER) {
      if (keys(type).contains(key)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown augmentation parameter '" + key + "'");
  }
}
