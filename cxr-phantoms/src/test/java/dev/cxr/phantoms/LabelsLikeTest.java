package dev.cxr.phantoms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.io.CxrDataException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** make-demo-data's {@code labelsLike}: the cohort of a real label file, with phantom images. */
class LabelsLikeTest {
  @TempDir Path tmp;

  private static final List<String> ROWS =
      List.of(
          DemoData.CSV_HEADER,
          "00000001_000.png,Cardiomegaly,0,1,57,M,PA,2682,2749,0.143,0.143",
          "00000001_001.png,Cardiomegaly|Effusion,0,1,58,M,PA,2894,2729,0.143,0.143",
          "00000002_000.png,No Finding,0,2,80,F,PA,2500,2048,0.171,0.171",
          "00000003_004.png,Hernia,3,3,77,F,PA,2500,2048,0.168,0.168",
          "00000005_000.png,Effusion,0,5,60,F,AP,2500,2048,0.168,0.168");

  private Path gzip(List<String> lines) throws Exception {
    Path f = tmp.resolve("labels.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
      out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return f;
  }

  @Test
  void copiesNamesPatientsAndFindingsOfTheFirstRows() throws Exception {
    Path out = tmp.resolve("d");
    DemoDataSummary s =
        DemoData.builder().images(4).size(32).labelsLike(gzip(ROWS)).build().writeTo(out);
    List<String> csv = Files.readAllLines(out.resolve(DemoData.LABEL_FILE));
    assertThat(csv).hasSize(5);
    assertThat(csv.get(1)).startsWith("00000001_000.png,Cardiomegaly,0,1,57,M,");
    assertThat(csv.get(2)).startsWith("00000001_001.png,Cardiomegaly|Effusion,1,1,58,M,");
    assertThat(csv.get(4)).startsWith("00000003_004.png,Hernia,4,3,77,F,");
    assertThat(out.resolve("images/00000003_004.png")).exists();
    assertThat(out.resolve("images/00000005_000.png")).doesNotExist();
    assertThat(s.images()).isEqualTo(4);
    assertThat(s.patients()).isEqualTo(3);
    assertThat(s.effusion()).isEqualTo(1);
    assertThat(s.noFinding()).isEqualTo(1);
    assertThat(s.otherFinding()).isEqualTo(2);
  }

  @Test
  void badFilesAndConflictsAreNamed() throws Exception {
    Path labels = gzip(ROWS);
    assertThatThrownBy(() -> DemoData.builder().images(6).labelsLike(labels).build().writeTo(tmp))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("labels.csv.gz")
        .hasMessageContaining("fewer than the 6");
    assertThatThrownBy(() -> DemoData.builder().labelsLike(labels).positiveFraction(0.3).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positiveFraction");
    Path plain = Files.write(tmp.resolve("bad.csv"), List.of(ROWS.get(0), "x.png,Hernia,0,3,7,F"));
    assertThatThrownBy(() -> DemoData.builder().images(4).labelsLike(plain).build().writeTo(tmp))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("bad.csv")
        .hasMessageContaining("row 2");
    assertThatThrownBy(() -> DemoData.builder().labelsLike(tmp.resolve("none.csv")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("none.csv");
  }

  @Test
  void theRealLabelFileGivesTheRealClassMix() throws Exception {
    // ../shared/data beside the checkout (from this module's folder, two levels up), or
    // -Dcxr.shared.data, as cxr-core's tests look for it
    String prop = System.getProperty("cxr.shared.data");
    Path shared = prop != null ? Path.of(prop) : Path.of("../../shared/data");
    Path file = shared.resolve("nih-labels/Data_Entry_2017_v2020.csv.gz");
    Optional<Path> real = Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    Assumptions.assumeTrue(real.isPresent(), "../shared/data/nih-labels is absent: skipped");
    List<CohortPlan.Entry> plan = LabelsLike.plan(real.get(), 112_120);
    assertThat(plan).hasSize(112_120);
    assertThat(plan.stream().filter(e -> e.findings().contains(Finding.EFFUSION)).count())
        .isEqualTo(13_317);
    assertThat(plan.stream().filter(e -> e.label().equals("No Finding")).count()).isEqualTo(60_361);
    assertThat(plan.stream().mapToInt(CohortPlan.Entry::patientId).distinct().count())
        .isEqualTo(30_805);
  }
}
