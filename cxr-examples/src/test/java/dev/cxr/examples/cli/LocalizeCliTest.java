package dev.cxr.examples.cli;

import static dev.cxr.examples.cli.CliTest.cxr;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxr localize}, {@code explain --boxes} and the report's localisation section on phantoms
 * whose lesion masks give the "radiologists'" boxes (written as NIH's BBox_List_2017.csv in the
 * 1024 px frame), with a tiny two-finding model.
 */
class LocalizeCliTest {
  @TempDir static Path shared;
  static Path data;
  static Path model;

  @BeforeAll
  static void phantomsBoxesAndAModel() {
    data = shared.resolve("data");
    CliTest.Result made =
        cxr(
            "make-demo-data",
            "--out",
            data.toString(),
            "--n",
            "60",
            "--seed",
            "3",
            "--size",
            "64",
            "--findings",
            "Effusion,Cardiomegaly",
            "--boxes");
    assertThat(made.code()).as(made.err()).isZero();
    assertThat(made.out()).containsPattern("boxes:\\s+\\d+ \\(BBox_List_2017.csv\\)");
    model = shared.resolve("m/model.zip");
    CliTest.Result train =
        cxr(
            "train",
            "--data",
            data.toString(),
            "--out",
            model.toString(),
            "--findings",
            "Effusion,Cardiomegaly",
            "--size",
            "64",
            "--width",
            "4",
            "--epochs",
            "2",
            "--batch",
            "8",
            "--augment",
            "none");
    assertThat(train.code()).as(train.err()).isZero();
  }

  @Test
  void localizePrintsATableBesideRandomMapsAndWritesOverlays() throws IOException {
    Path out = shared.resolve("loc");
    CliTest.Result r =
        cxr(
            "localize",
            "--model",
            model.toString(),
            "--data",
            data.toString(),
            "--out",
            out.toString(),
            "--overlays",
            "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("pointing game (95% CI)", "random maps", "acc@0.1", "acc@0.5");
    assertThat(r.out()).containsPattern("Effusion\\s+\\d+\\s+\\d+\\s+0\\.\\d\\d \\(");
    assertThat(r.out()).containsPattern("Cardiomegaly\\s+\\d+\\s+\\d+");
    assertThat(r.out()).contains("map boxes: regions >= 0.50 of each map's maximum");
    assertThat(out.resolve("localization.csv")).exists();
    assertThat(Files.readAllLines(out.resolve("localization.csv")).get(0))
        .startsWith("image,finding,probability,true_boxes,map_boxes,peak_x,peak_y,pointing_hit");
    try (var s = Files.list(out.resolve("Effusion"))) {
      assertThat(s.map(p -> p.getFileName().toString()).toList())
          .hasSize(2)
          .allMatch(n -> n.endsWith("-hit.png") || n.endsWith("-miss.png"));
    }

    // the same seed gives the same random line; the table is reproducible
    CliTest.Result again = cxr("localize", "--model", model.toString(), "--data", data.toString());
    assertThat(tableOf(again.out())).isEqualTo(tableOf(r.out()));
  }

  private static String tableOf(String out) {
    return out.substring(0, out.indexOf("map boxes:"));
  }

  @Test
  void aFindingWithoutBoxesIsRefusedInOneLine() throws IOException {
    Path other = shared.resolve("mass-boxes.csv"); // boxes of a finding the model does not predict
    Files.write(
        other,
        List.of(
            "Image Index,Finding Label,Bbox [x,y,w,h],,,", "00000001_000.png,Mass,10,10,50,50"));
    CliTest.Result r =
        cxr(
            "localize",
            "--model",
            model.toString(),
            "--data",
            data.toString(),
            "--boxes",
            other.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("nothing to measure", "no box for it").hasLineCount(1);
  }

  @Test
  void explainDrawsTheTrueBoxesAndTheReportHasALocalisationSection() throws IOException {
    String image;
    try (var s = Files.list(data.resolve("images"))) {
      image = s.sorted().findFirst().orElseThrow().toString();
    }
    Path ex = shared.resolve("ex");
    CliTest.Result e =
        cxr(
            "explain",
            "--model",
            model.toString(),
            "--out",
            ex.toString(),
            "--finding",
            "Effusion",
            "--boxes",
            data.resolve("BBox_List_2017.csv").toString(),
            image);
    assertThat(e.code()).as(e.err()).isZero();
    Path rep = shared.resolve("rep");
    CliTest.Result r =
        cxr(
            "report",
            "--model",
            model.toString(),
            "--data",
            data.toString(),
            "--out",
            rep.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String html = Files.readString(rep.resolve("report.html"));
    assertThat(html)
        .contains("<section id=\"localisation\">", "pointing game", "Effusion: maps and boxes");
  }
}
