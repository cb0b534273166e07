package dev.cxr.core.localize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.core.explain.Explanation;
import dev.cxr.core.explain.HeatMap;
import dev.cxr.core.explain.Outline;
import dev.cxr.phantoms.DemoData;
import dev.cxr.phantoms.LesionMask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Localizer}'s measure of one map against true boxes, without a model: a map that is the
 * phantom's own lesion hits and localises, its complement misses, and the overlay draws the boxes.
 */
class LocalizerMeasureTest {
  @TempDir static Path dir;
  static Path image;
  static LesionMask effusion;

  @BeforeAll
  static void phantom() throws IOException {
    DemoData d = DemoData.builder().images(8).seed(4).size(64).findings("Effusion").build();
    d.writeTo(dir);
    for (Map.Entry<String, Map<String, LesionMask>> e : d.findingMasks().entrySet()) {
      if (e.getValue().containsKey("Effusion")) {
        image = dir.resolve("images").resolve(e.getKey());
        effusion = e.getValue().get("Effusion");
        break;
      }
    }
    assertThat(image).as("a phantom with an effusion").isNotNull();
  }

  /** The mask's bounding box. */
  static Box boxOf(LesionMask m) {
    int x0 = m.size(), y0 = m.size(), x1 = -1, y1 = -1;
    for (int y = 0; y < m.size(); y++) {
      for (int x = 0; x < m.size(); x++) {
        if (m.contains(x, y)) {
          x0 = Math.min(x0, x);
          y0 = Math.min(y0, y);
          x1 = Math.max(x1, x);
          y1 = Math.max(y1, y);
        }
      }
    }
    return new Box(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
  }

  static HeatMap map(boolean lesion) {
    float[] v = new float[64 * 64];
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        v[y * 64 + x] = effusion.contains(x, y) == lesion ? 1f : 0f;
      }
    }
    return new HeatMap(64, 64, v);
  }

  static Explanation explanation(HeatMap m) {
    return new Explanation(image, "Effusion", 0.9, 0.5, m, m);
  }

  @Test
  void aMapOnTheLesionPointsAtItAndLocalisesIt() {
    List<Box> truth = List.of(boxOf(effusion));
    HeatMap m = map(true);
    ImageLocalization r =
        Localizer.measureMap(explanation(m), "Effusion", m, truth, LocalizationRequest.of(dir));
    assertThat(r.pointingHit()).isTrue();
    assertThat(r.localized()).containsOnly(true); // at every T(IoBB), 0.1 to 0.75
    assertThat(r.detected()).isNotEmpty();
    assertThat(r.falsePositives().get(0)).isZero();
  }

  @Test
  void theComplementOfTheLesionMissesIt() {
    List<Box> truth = List.of(boxOf(effusion));
    HeatMap m = map(false);
    ImageLocalization r =
        Localizer.measureMap(explanation(m), "Effusion", m, truth, LocalizationRequest.of(dir));
    assertThat(r.pointingHit()).isFalse();
    assertThat(r.localized().get(3)).isFalse(); // not at IoBB 0.75: its box is mostly elsewhere
  }

  @Test
  void theOverlayDrawsTrueAndDetectedBoxes() throws IOException {
    List<Box> truth = List.of(boxOf(effusion));
    HeatMap m = map(true);
    ImageLocalization r =
        Localizer.measureMap(explanation(m), "Effusion", m, truth, LocalizationRequest.of(dir));
    assertThat(r.outlines())
        .extracting(Outline::kind)
        .startsWith(Outline.Kind.TRUTH)
        .contains(Outline.Kind.DETECTED);
    var plain = r.explanation().renderOverlay(128);
    var boxed = r.explanation().renderOverlay(128, r.outlines());
    // the footnote names the boxes, so the picture may be wider: compare the common area
    int differ = 0;
    for (int y = 0; y < Math.min(plain.getHeight(), boxed.getHeight()) * 3 / 4; y++) {
      for (int x = 0; x < Math.min(plain.getWidth(), boxed.getWidth()) / 2; x++) {
        differ += plain.getRGB(x, y) != boxed.getRGB(x, y) ? 1 : 0;
      }
    }
    assertThat(differ).as("pixels the outlines changed").isGreaterThan(100);
  }
}
