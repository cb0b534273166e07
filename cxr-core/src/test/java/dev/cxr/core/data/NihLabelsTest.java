package dev.cxr.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.Fixtures;
import dev.cxr.core.io.CxrDataException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  private Path write(String name, String... rows) throws Exception {
    return Files.writeString(
        dir.resolve(name),
        Fixtures.HEADER + "\n" + String.join("\n", rows) + "\n",
        StandardCharsets.UTF_8);
  }

  @Test
  void imageListedTwiceNamesBothRowsAndLabels() throws Exception {
    Path csv =
        Fixtures.csv(
            dir.resolve("Data_Entry_2017.csv"),
            List.of(
                Fixtures.row("00000013_005.png", "Effusion", "13"),
                Fixtures.row("00000014_000.png", "Mass", "14"),
                Fixtures.row("00000013_005.png", "No Finding", "13")));
    assertThatThrownBy(() -> NihLabels.read(csv))
        .isInstanceOf(CxrDataException.class)
        .hasMessage(
            csv
                + ": image 00000013_005.png is listed twice, in row 2 (Effusion) and row 4 (No"
                + " Finding)");
    List<CxrDataException> bad = new ArrayList<>();
    List<NihLabels.Row> kept = new ArrayList<>();
    NihLabels.read(csv, kept::add, bad::add);
    assertThat(kept).extracting(NihLabels.Row::imageIndex).containsExactly("00000014_000.png");
    assertThat(bad).singleElement().satisfies(e -> assertThat(e.row()).isEqualTo(-1));
  }

  @Test
  void imageListedThreeTimesWithSameLabelsIsStillRefused() throws Exception {
    Path csv =
        write(
            "t.csv",
            Fixtures.row("a.png", "Effusion|Mass", "1"),
            Fixtures.row("a.png", "Effusion|Mass", "1"),
            Fixtures.row("a.png", "Effusion", "1"));
    assertThatThrownBy(() -> NihLabels.read(csv))
        .hasMessageEndingWith(
            "t.csv: image a.png is listed 3 times, in rows 2 (Effusion|Mass), 3 (Effusion|Mass)"
                + " and 4 (Effusion)");
  }

  @Test
  void unterminatedQuoteIsRefusedNotSwallowed() throws Exception {
    Path csv =
        write(
            "q.csv",
            Fixtures.row("a.png", "Effusion", "1"),
            "\"b.png,No Finding,0,2,50,M,PA,2500,2048,0.143,0.143",
            Fixtures.row("c.png", "Mass", "3"));
    assertThatThrownBy(() -> NihLabels.read(csv))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("q.csv, row 3: field 1: unterminated quote")
        .hasMessageContaining("must end on its own line");
    // in the last field too, where swallowing would have been silent
    Path last = write("l.csv", "a.png,Effusion,0,1,50,M,PA,2500,2048,0.143,\"0.143");
    assertThatThrownBy(() -> NihLabels.read(last))
        .hasMessageContaining("l.csv, row 2: field 11: unterminated quote");
    // leniently the row is skipped, and the rows after it are still read
    List<CxrDataException> bad = new ArrayList<>();
    List<NihLabels.Row> kept = new ArrayList<>();
    NihLabels.read(csv, kept::add, bad::add);
    assertThat(kept).extracting(NihLabels.Row::imageIndex).containsExactly("a.png", "c.png");
    assertThat(bad).singleElement().satisfies(e -> assertThat(e.row()).isEqualTo(3));
  }

  @Test
  void quoteInsideUnquotedFieldAndTextAfterClosingQuote() throws Exception {
    Path mid = write("m.csv", Fixtures.row("a\"b.png", "Effusion", "1"));
    assertThatThrownBy(() -> NihLabels.read(mid))
        .hasMessageContaining(
            "m.csv, row 2: field 1: a quote inside an unquoted field: 'a\"b.png'");
    Path after = write("t.csv", Fixtures.row("\"a.png\"x", "Effusion", "1"));
    assertThatThrownBy(() -> NihLabels.read(after))
        .hasMessageContaining("t.csv, row 2: field 1: text after the closing quote");
    Path header =
        Files.writeString(dir.resolve("h.csv"), "Image Index,\"Finding Labels,Patient ID\na,b,c\n");
    assertThatThrownBy(() -> NihLabels.read(header))
        .hasMessageContaining("h.csv, row 1: field 2: unterminated quote");
  }

  @Test
  void quotedCommasAndDoubledQuotesStillWork() throws Exception {
    Path csv =
        write(
            "ok.csv",
            " \"a.png\" ,\"Effusion|Mass\",0,\"1\",50,M,PA,\"2500\",\"2048\",\"0,143\",\"x\"\"y\"");
    assertThat(NihLabels.read(csv))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.imageIndex()).isEqualTo("a.png");
              assertThat(r.findings()).containsExactly("Effusion", "Mass");
            });
    assertThat(CsvLine.split(csv, 2, "\"x\"\"y\",,\"\",\"a,b\""))
        .containsExactly("x\"y", "", "", "a,b");
  }

  @Test
  void wrongNumberOfFieldsNamesTheRow() throws Exception {
    Path shortRow =
        write(
            "short.csv",
            Fixtures.row("a.png", "Effusion", "1"),
            "b.png,Effusion,0,2,50,M,PA,2500,2048,0.143");
    assertThatThrownBy(() -> NihLabels.read(shortRow))
        .hasMessageContaining(
            "short.csv, row 3: expected 11 fields, as in the header, but found 10");
    Path longRow = write("long.csv", Fixtures.row("a.png", "Effusion", "1") + ",extra");
    assertThatThrownBy(() -> NihLabels.read(longRow))
        .hasMessageContaining(
            "long.csv, row 2: expected 11 fields, as in the header, but found 12");
    // trailing empty fields (a trailing comma) are harmless
    Path trailing = write("trail.csv", Fixtures.row("a.png", "Effusion", "1") + ",,");
    assertThat(NihLabels.read(trailing)).hasSize(1);
  }

  @Test
  void patientIdsAreNormalised() throws Exception {
    Path csv =
        write(
            "p.csv",
            Fixtures.row("a.png", "Effusion", "13"),
            Fixtures.row("b.png", "Effusion", "013"),
            Fixtures.row("c.png", "Effusion", "\" 00000013 \""),
            Fixtures.row("d.png", "Effusion", "0000"),
            Fixtures.row("e.png", "Effusion", " P-013 "));
    assertThat(NihLabels.read(csv))
        .extracting(NihLabels.Row::patientId)
        .containsExactly("13", "13", "13", "0", "P-013");
    assertThat(NihLabels.normalisePatientId("0013a")).isEqualTo("0013a");
    assertThat(NihLabels.normalisePatientId("123456789012345678901234567890"))
        .isEqualTo("123456789012345678901234567890");
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
