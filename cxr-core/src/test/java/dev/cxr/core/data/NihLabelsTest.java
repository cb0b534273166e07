package dev.cxr.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.Fixtures;
import dev.cxr.core.io.CxrDataException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NihLabelsTest {
  @TempDir Path dir;

  @Test
  void readsOfficialHeaderWithElevenFieldsAndMultiLabels() throws Exception {
    Path csv =
        Fixtures.csv(
            dir.resolve("a.csv"),
            List.of(
                Fixtures.row("00000001_000.png", "Atelectasis|Effusion|Infiltration", "1"),
                Fixtures.row("00000002_000.png", "No Finding", "2"),
                Fixtures.row("00000003_000.png", "Pleural_Thickening", "3")));
    List<NihLabels.Row> rows = NihLabels.read(csv);
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).findings())
        .containsExactlyInAnyOrder("Atelectasis", "Effusion", "Infiltration");
    assertThat(rows.get(0).patientId()).isEqualTo("1");
    assertThat(rows.get(1).isNoFinding()).isTrue();
    assertThat(rows.get(2).findings()).containsExactly("Pleural_Thickening");
    assertThat(rows.get(2).line()).isEqualTo(4);
  }

  @Test
  void acceptsTrailingEmptyColumnQuotesBomAndCrlf() throws Exception {
    String text =
        "\uFEFF"
            + Fixtures.HEADER
            + ",\r\n"
            + "\"00000001_000.png\",\"Effusion|Mass\",0,\"1\",58,M,PA,2682,2749,0.143,0.143,\r\n"
            + "00000002_000.png,No Finding,0,2,58,F,AP,2500,2048,0.168,0.168,\r\n";
    Path csv = Files.writeString(dir.resolve("old.csv"), text, StandardCharsets.UTF_8);
    List<NihLabels.Row> rows = NihLabels.read(csv);
    assertThat(rows)
        .extracting(NihLabels.Row::imageIndex)
        .containsExactly("00000001_000.png", "00000002_000.png");
    assertThat(rows.get(0).findings()).isEqualTo(Set.of("Effusion", "Mass"));
    assertThat(rows.get(1).patientId()).isEqualTo("2");
  }

  @Test
  void readsGzipDirectly() throws Exception {
    Path gz = dir.resolve("labels.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(
          (Fixtures.HEADER + "\n" + Fixtures.row("x.png", "Effusion", "9") + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    assertThat(NihLabels.read(gz))
        .singleElement()
        .satisfies(r -> assertThat(r.findings()).containsExactly("Effusion"));
  }

  @Test
  void missingColumnIsNamed() throws Exception {
    Path csv =
        Files.writeString(dir.resolve("bad.csv"), "Image Index,Finding Labels\na.png,Effusion\n");
    assertThatThrownBy(() -> NihLabels.read(csv))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("bad.csv")
        .hasMessageContaining("'Patient ID'");
  }

  @Test
  void unknownLabelNamesFileAndRow() throws Exception {
    Path csv =
        Fixtures.csv(
            dir.resolve("u.csv"),
            List.of(Fixtures.row("a.png", "Effusion", "1"), Fixtures.row("b.png", "Efusion", "2")));
    assertThatThrownBy(() -> NihLabels.read(csv))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("u.csv, row 3")
        .hasMessageContaining("unknown label 'Efusion'");
  }

  @Test
  void shortRowNamesRow() throws Exception {
    Path csv = Files.writeString(dir.resolve("s.csv"), Fixtures.HEADER + "\na.png,Effusion\n");
    assertThatThrownBy(() -> NihLabels.read(csv))
        .hasMessageContaining("s.csv, row 2")
        .hasMessageContaining("fields");
  }

  @Test
  void canonicalIgnoresCaseSpacesAndUnderscores() {
    assertThat(NihLabels.canonical("no_finding")).contains("No Finding");
    assertThat(NihLabels.canonical("nofinding")).contains("No Finding");
    assertThat(NihLabels.canonical("pleural thickening")).contains("Pleural_Thickening");
    assertThat(NihLabels.canonical("kitten")).isEmpty();
  }

  @Test
  void officialLabelFileCounts() {
    Path gz = Fixtures.sharedData("nih-labels/Data_Entry_2017_v2020.csv.gz").orElse(null);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        gz != null, "../shared/data/nih-labels absent: skipping the 112,120-row label file test");
    long[] counts = new long[3];
    NihLabels.read(
        gz,
        r -> {
          counts[0]++;
          if (r.findings().contains("Effusion")) counts[1]++;
          if (r.isNoFinding()) counts[2]++;
        });
    assertThat(counts[0]).isEqualTo(112_120);
    assertThat(counts[1]).isEqualTo(13_317);
    assertThat(counts[2]).isEqualTo(60_361);
  }
}
