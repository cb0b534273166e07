package dev.cxr.phantoms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multi-finding mode: independent findings, the NIH multi-label file, masks and settings. */
class MultiFindingTest {
  @TempDir Path tmp;

  private static final List<String> ALL = DemoData.DRAWABLE_FINDINGS;

  @Test
  void drawableFindingsAreTheNihNamesInOrder() {
    assertThat(DemoData.DRAWABLE_FINDINGS)
        .containsExactly("Atelectasis", "Cardiomegaly", "Effusion", "Nodule", "Pneumothorax");
  }

  /**
   * Over 400 images at prevalence 0.3, each finding's frequency is near 0.3 and every pair's
   * co-occurrence near 0.09 = 0.3^2 (patients, not images, are independent: about 333 of them, so
   * one standard error of a pair's frequency is about 0.016; the bounds are three of them).
   */
  @Test
  void findingsAreDrawnIndependently() {
    for (long seed = 1; seed <= 3; seed++) {
      DemoData d =
          DemoData.builder().findings(ALL).findingPrevalence(0.3).images(400).seed(seed).build();
      List<CohortPlan.Entry> plan = d.plan();
      assertThat(plan).hasSize(400);
      Finding[] fs = Finding.values();
      int[] counts = new int[4];
      for (Finding a : fs) {
        double pa = plan.stream().filter(e -> e.findings().contains(a)).count() / 400.0;
        assertThat(pa).as("%s, seed %d", a, seed).isBetween(0.3 - 0.07, 0.3 + 0.07);
        for (Finding b : fs) {
          if (a.compareTo(b) < 0) {
            double both =
                plan.stream()
                        .filter(e -> e.findings().contains(a) && e.findings().contains(b))
                        .count()
                    / 400.0;
            assertThat(both)
                .as("%s and %s, seed %d", a, b, seed)
                .isBetween(0.09 - 0.05, 0.09 + 0.05);
          }
        }
      }
      for (CohortPlan.Entry e : plan) {
        counts[Math.min(3, e.findings().size())]++;
      }
      // (0.7)^5 = 0.17 of the images have none; 0.36 one; 0.31 two; 0.16 three or more.
      for (int k = 0; k < counts.length; k++) {
        assertThat(counts[k])
            .as("images with %d findings (3: or more), seed %d", k, seed)
            .isGreaterThan(30);
      }
    }
  }

  /** A patient's findings come from its own stream: asking for more findings changes no other. */
  @Test
  void aFindingDoesNotDependOnWhichOthersAreAsked() {
    List<CohortPlan.Entry> one =
        DemoData.builder().findings("Effusion").images(120).seed(4).build().plan();
    List<CohortPlan.Entry> all =
        DemoData.builder().findings(ALL).images(120).seed(4).build().plan();
    assertThat(one).hasSameSizeAs(all);
    for (int i = 0; i < one.size(); i++) {
      assertThat(one.get(i).fileName(ImageFormat.PNG))
          .isEqualTo(all.get(i).fileName(ImageFormat.PNG));
      assertThat(one.get(i).findings().contains(Finding.EFFUSION))
          .isEqualTo(all.get(i).findings().contains(Finding.EFFUSION));
      assertThat(one.get(i).findings()).isSubsetOf(Set.of(Finding.EFFUSION));
    }
  }

  /**
   * The label file is the NIH multi-label CSV: one cell per image, its findings sorted, and the
   * summary counts them (cxr-core's {@code PhantomDataTest} reads it with the library).
   */
  @Test
  void theMultiLabelFileHasSortedNihCells() throws IOException {
    Path dir = tmp.resolve("multi");
    DemoData d =
        DemoData.builder()
            .findings("pneumothorax", "Effusion", "NODULE")
            .images(40)
            .size(32)
            .seed(6)
            .build();
    DemoDataSummary s = d.writeTo(dir);

    Map<String, String> written = new HashMap<>();
    List<String> lines = Files.readAllLines(dir.resolve(DemoData.LABEL_FILE));
    assertThat(lines.get(0)).isEqualTo(DemoData.CSV_HEADER);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      assertThat(f).hasSize(11);
      written.put(f[0], f[1]);
    }
    Set<String> cells = Set.copyOf(written.values());
    assertThat(cells)
        .contains("No Finding", "Effusion|Nodule")
        .allSatisfy(
            c ->
                assertThat(c)
                    .matches(
                        "No Finding|(Effusion|Nodule|Pneumothorax)(\\|(Effusion|Nodule|Pneumothorax))*"));
    for (String c : cells) {
      List<String> parts = List.of(c.split("\\|"));
      assertThat(parts).isSorted().doesNotHaveDuplicates();
    }

    assertThat(s.effusion() + s.noFinding() + s.otherFinding()).isEqualTo(40);
    assertThat((long) s.noFinding())
        .isEqualTo(written.values().stream().filter("No Finding"::equals).count());
  }

  /**
   * findingMasks has every image, in file order, with a mask for each finding its label names
   * (non-empty), and agrees with effusionMasks; in the Effusion mode too.
   */
  @Test
  void findingMasksNameEveryImageAndItsFindings() throws IOException {
    DemoData multi =
        DemoData.builder().findings(ALL).findingPrevalence(0.4).images(16).size(32).seed(2).build();
    DemoData effusion = DemoData.builder().images(12).size(32).otherFindings(3).seed(2).build();
    for (DemoData d : List.of(multi, effusion)) {
      Path dir = tmp.resolve("d" + d.hashCode());
      d.writeTo(dir);
      List<String> rows = Files.readAllLines(dir.resolve(DemoData.LABEL_FILE));
      Map<String, Map<String, LesionMask>> masks = d.findingMasks();
      List<String> names = new ArrayList<>();
      for (String row : rows.subList(1, rows.size())) {
        String[] f = row.split(",", -1);
        names.add(f[0]);
        Map<String, LesionMask> m = masks.get(f[0]);
        if (f[1].equals("No Finding")) {
          assertThat(m).isEmpty();
        } else {
          assertThat(m.keySet()).containsExactly(f[1].split("\\|"));
        }
        m.values().forEach(mask -> assertThat(mask.area()).isPositive());
      }
      assertThat(List.copyOf(masks.keySet())).isEqualTo(names);
      Map<String, LesionMask> eff = d.effusionMasks();
      assertThat(eff).isNotEmpty();
      eff.forEach(
          (name, mask) ->
              assertThat(LegacyBytesTest.digest(Map.of(name, masks.get(name).get("Effusion"))))
                  .isEqualTo(LegacyBytesTest.digest(Map.of(name, mask))));
    }
  }

  @Test
  void theSameConfigurationWritesTheSameBytes() throws IOException {
    DemoData d =
        DemoData.builder().findings(ALL).images(12).size(48).seed(9).difficulty(0.3).build();
    d.writeTo(tmp.resolve("a"));
    d.writeTo(tmp.resolve("b"));
    assertThat(LegacyBytesTest.digest(tmp.resolve("a")))
        .isEqualTo(LegacyBytesTest.digest(tmp.resolve("b")));
  }

  @Test
  void badFindingsNameTheParameterAndTheValue() {
    assertThatThrownBy(() -> DemoData.builder().findings("Effusion", "Foo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("findings")
        .hasMessageContaining("'Foo'")
        .hasMessageContaining("Pneumothorax");
    assertThatThrownBy(() -> DemoData.builder().findings("Mass"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("findings")
        .hasMessageContaining("'Mass'")
        .hasMessageContaining("cannot draw");
    assertThatThrownBy(() -> DemoData.builder().findings("No Finding"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'No Finding'");
    assertThatThrownBy(() -> DemoData.builder().findings("Nodule", "nodule"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("findings names 'nodule' twice");
    assertThatThrownBy(() -> DemoData.builder().findings())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("findings must name at least one");
    assertThatThrownBy(() -> DemoData.builder().findings((String) null))
        .isInstanceOf(NullPointerException.class);
    for (double bad : new double[] {0.0, 1.0, -0.1, Double.NaN}) {
      assertThatThrownBy(() -> DemoData.builder().findingPrevalence(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("findingPrevalence")
          .hasMessageContaining(String.valueOf(bad));
    }
  }

  @Test
  void settingsOfTwoModesConflictInBuild() throws IOException {
    Path labels = Files.write(tmp.resolve("labels.csv"), List.of(DemoData.CSV_HEADER));
    DemoDataBuilder withLabels = DemoData.builder().findings("Effusion").labelsLike(labels);
    assertThatThrownBy(withLabels::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("findings")
        .hasMessageContaining("labelsLike");
    assertThatThrownBy(() -> DemoData.builder().findings("Nodule").positiveFraction(0.2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("findings [Nodule]")
        .hasMessageContaining("positiveFraction");
    assertThatThrownBy(() -> DemoData.builder().otherFindings(3).findings("Nodule").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("findings")
        .hasMessageContaining("otherFindings");
    assertThatThrownBy(() -> DemoData.builder().findingPrevalence(0.2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("findingPrevalence")
        .hasMessageContaining("findings");
    // build() leaves the builder as it was: the failed one still fails, a fixed one builds.
    assertThatThrownBy(withLabels::build).isInstanceOf(IllegalArgumentException.class);
    DemoData ok =
        DemoData.builder().findings("Pneumothorax", "Effusion").findingPrevalence(0.2).build();
    assertThat(ok.findings()).containsExactly("Effusion", "Pneumothorax");
    assertThat(ok.findingPrevalence()).isEqualTo(0.2);
    assertThat(ok.toString()).contains("findings=[Effusion, Pneumothorax], findingPrevalence=0.2");
    assertThat(DemoData.builder().build().findings()).isEmpty();
    assertThat(DemoData.builder().build().toString()).doesNotContain("findings");
  }
}
