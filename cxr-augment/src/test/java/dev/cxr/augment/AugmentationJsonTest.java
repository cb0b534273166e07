package dev.cxr.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The JSON form of configurations and steps, and the flat form of the first release. */
class AugmentationJsonTest {

  static Stream<CxrAugmentation> configurations() {
    return Stream.concat(
        CxrAugmentation.presetNames().stream().map(CxrAugmentation::preset),
        Stream.of(
            AugmentationGoldenTest.allOn(),
            AugmentationGoldenTest.allAlways(),
            CxrAugmentation.builder().probability(0).seed(Long.MIN_VALUE).build()));
  }

  @ParameterizedTest
  @MethodSource("configurations")
  void jsonRoundTripsToAnEqualConfiguration(CxrAugmentation a) {
    CxrAugmentation back = CxrAugmentation.fromJson(a.toJson());
    assertThat(back).isEqualTo(a).hasSameHashCodeAs(a);
    assertThat(back.toJson()).isEqualTo(a.toJson());
    assertThat(back.describe()).isEqualTo(a.describe());
    // as a JSON library reads it back: small integers as Integer, lists and maps of its own
    assertThat(CxrAugmentation.fromJson(asParsed(a.toJson()))).isEqualTo(a);
  }

  @ParameterizedTest
  @MethodSource("configurations")
  void flatParametersRoundTripToAnEqualConfiguration(CxrAugmentation a) {
    assertThat(CxrAugmentation.fromParameters(a.parameters())).isEqualTo(a);
    assertThat(CxrAugmentation.of(a.seed(), a.probability(), a.steps())).isEqualTo(a);
  }

  @Test
  void toJsonHasTheDocumentedShape() {
    Map<String, Object> json = CxrAugmentation.medicalSafe().toJson();
    assertThat(json.keySet()).containsExactly("seed", "probability", "steps");
    assertThat(json.get("seed")).isEqualTo(42L);
    assertThat(json.get("probability")).isEqualTo(0.5);
    assertThat(json.get("steps"))
        .isEqualTo(
            List.of(
                Map.of("type", "rotation", "maxDegrees", 10.0),
                Map.of("type", "zoom", "min", 0.9, "max", 1.1),
                Map.of("type", "translation", "maxFraction", 0.05),
                Map.of("type", "brightness", "maxDelta", 0.1),
                Map.of("type", "contrast", "maxDelta", 0.1),
                Map.of("type", "gamma", "min", 0.8, "max", 1.25),
                Map.of("type", "noise", "sigma", 0.01)));
    assertThat(AugmentationGoldenTest.allOn().steps().get(0).toJson())
        .containsExactly(Map.entry("type", "horizontalFlipUnsafe"), Map.entry("probability", 0.5));
  }

  @Test
  void absentKeysTakeTheDefaults() {
    assertThat(CxrAugmentation.fromJson(Map.of())).isEqualTo(CxrAugmentation.none());
    assertThat(
            CxrAugmentation.fromJson(
                Map.of("steps", List.of(Map.of("type", "rotation", "maxDegrees", 10)))))
        .isEqualTo(CxrAugmentation.seedArticle());
    assertThat(CxrAugmentation.fromJson(Map.of("seed", 7.0)).seed()).isEqualTo(7);
  }

  static Stream<Arguments> badJson() {
    Map<String, Object> rot = Map.of("type", "rotation", "maxDegrees", 10.0);
    Map<String, Object> zoom = Map.of("type", "zoom", "min", 0.9, "max", 1.1);
    return Stream.of(
        Arguments.of(Map.of("shear", 1), "unknown augmentation key 'shear'"),
        Arguments.of(Map.of("seed", 4.5), "seed must be a 64-bit integer but was 4.5"),
        Arguments.of(Map.of("seed", 1e20), "seed must be a 64-bit integer"),
        Arguments.of(Map.of("seed", "7"), "seed must be a 64-bit integer but was \"7\""),
        Arguments.of(Map.of("probability", 1.5), "probability must be in [0, 1] but was 1.5"),
        Arguments.of(Map.of("probability", "high"), "probability must be a number"),
        Arguments.of(Map.of("steps", rot), "steps must be a list"),
        Arguments.of(Map.of("steps", List.of("rotation")), "steps[0] must be a map"),
        Arguments.of(
            Map.of("steps", List.of(rot, Map.of("type", "shear", "degrees", 3))),
            "steps[1]: unknown augmentation step type \"shear\"; expected one of"
                + " [horizontalFlipUnsafe,"),
        Arguments.of(
            Map.of("steps", List.of(Map.of("maxDegrees", 3))),
            "steps[0]: augmentation step has no \"type\""),
        Arguments.of(
            Map.of("steps", List.of(Map.of("type", "rotation", "maxDegree", 3))),
            "steps[0]: rotation has unknown parameter 'maxDegree'; expected [maxDegrees]"),
        Arguments.of(
            Map.of("steps", List.of(Map.of("type", "zoom", "min", 0.9))),
            "steps[0]: zoom is missing parameter 'max'"),
        Arguments.of(
            Map.of("steps", List.of(Map.of("type", "rotation", "maxDegrees", "10"))),
            "steps[0]: rotation.maxDegrees must be a number but was \"10\""),
        Arguments.of(
            Map.of("steps", List.of(Map.of("type", "rotation", "maxDegrees", 45))),
            "steps[0]: rotation.maxDegrees: rotation must be in [0, 30] degrees but was 45"),
        Arguments.of(
            Map.of("steps", List.of(Map.of("type", "zoom", "min", 1.2, "max", 1.1))),
            "steps[0]: zoom: zoom min must not exceed zoom max but was [1.2, 1.1]"),
        Arguments.of(
            Map.of("steps", List.of(Map.of("type", "horizontalFlipUnsafe", "probability", 2))),
            "steps[0]: horizontalFlipUnsafe.probability: horizontalFlipUnsafe must be in [0, 1]"),
        Arguments.of(
            Map.of("steps", List.of(zoom, rot)),
            "steps[1]: rotation is out of order; steps must be in pipeline order"),
        Arguments.of(Map.of("steps", List.of(rot, rot)), "steps[1]: rotation appears twice"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badJson")
  void fromJsonRejectsBadValuesNamingStepAndParameter(Map<String, ?> json, String message) {
    assertThatThrownBy(() -> CxrAugmentation.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void everyStepTypeRoundTripsAlone() {
    CxrAugmentation all = AugmentationGoldenTest.allOn();
    assertThat(all.steps()).extracting(AugmentationStep::type).isEqualTo(AugmentationStep.types());
    for (AugmentationStep step : all.steps()) {
      assertThat(AugmentationStep.fromJson(step.toJson())).isEqualTo(step);
      assertThat(step.isIdentity()).isFalse();
    }
    assertThat(AugmentationStep.fromJson(Map.of("type", "zoom", "min", 1, "max", 1)).isIdentity())
        .isTrue();
  }

  @Test
  void readsParameterFilesOfTheFirstRelease() {
    // metadata.json of the first release, as Jackson parses it back (whole numbers as Integer)
    Map<String, Number> saved = new LinkedHashMap<>();
    saved.put("seed", 42);
    saved.put("probability", 0.5);
    saved.put("rotation", 10);
    saved.put("zoomMin", 0.9);
    saved.put("zoomMax", 1.1);
    saved.put("translation", 0.05);
    saved.put("brightness", 0.1);
    saved.put("contrast", 0.1);
    saved.put("gammaMin", 0.8);
    saved.put("gammaMax", 1.25);
    saved.put("noise", 0.01);
    saved.put("blur", 0);
    saved.put("randomErasing", 0);
    saved.put("horizontalFlipUnsafe", 0);
    CxrAugmentation read = CxrAugmentation.fromParameters(saved);
    assertThat(read).isEqualTo(CxrAugmentation.medicalSafe());
    assertThat(read.parameters().keySet()).containsExactlyElementsOf(saved.keySet());
    // a half-given pair keeps the default of the other half, as the first release did
    assertThat(CxrAugmentation.fromParameters(Map.of("zoomMin", 0.9)).steps())
        .containsExactly(Zoom.between(0.9, 1));
    assertThatThrownBy(() -> CxrAugmentation.fromParameters(Map.of("zoomMin", 1.2)))
        .hasMessage("zoom min must not exceed zoom max but was [1.2, 1]");
  }

  /** A copy as a JSON parser would produce: Integers where they fit, its own maps and lists. */
  private static Object asParsed(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new HashMap<>();
      m.forEach((k, v) -> out.put((String) k, asParsed(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(asParsed(v)));
      return out;
    }
    if (value instanceof Long n && n == n.intValue()) {
      return n.intValue();
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> asParsed(Map<String, Object> json) {
    return (Map<String, ?>) asParsed((Object) json);
  }
}
