package dev.cxr.examples.cli;

import static dev.cxr.examples.cli.CliTest.cxr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.core.CxrModel;
import dev.cxr.examples.cli.CliTest.Result;
import dev.cxr.phantoms.DemoData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --calibrate}, {@code explain}, {@code evaluate}'s calibration, {@code report}. */
class ExplainCommandsTest {
  @TempDir static Path shared;
  static Path data;
  static Path model;

  @BeforeAll
  static void trainCalibrated() throws Exception {
    data = shared.resolve("data");
    DemoData.builder().images(40).seed(7).size(48).build().writeTo(data);
    model = shared.resolve("run/model.zip");
    Result train =
        cxr(
            "train",
            "--data",
            data.toString(),
            "--out",
            model.toString(),
            "--size",
            "32",
            "--width",
            "4",
            "--epochs",
            "2",
            "--batch",
            "8",
            "--seed",
            "3",
            "--calibrate");
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(train.out()).contains("temperature (fitted on validation): ");
  }

  @Test
  void explainWritesOneCaptionedOverlayPerImage(@TempDir Path out) throws Exception {
    Path a = data.resolve("images/00000001_000.png");
    Path b = data.resolve("images/00000002_000.png");
    Result r =
        cxr(
            "explain",
            "--model",
            model.toString(),
            "--out",
            out.toString(),
            a.toString(),
            b.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern("00000001_000.png  Effusion \\d\\.\\d\\d \\(threshold \\d\\.\\d\\d\\)");
    BufferedImage img = ImageIO.read(out.resolve("00000001_000-gradcam.png").toFile());
    // the 48 px radiograph plus colour bar and labels, caption above it
    assertThat(img.getWidth()).isGreaterThan(48);
    assertThat(img.getHeight()).isGreaterThan(48);
    assertThat(out.resolve("00000002_000-gradcam.png")).isRegularFile();
    // the same probability as predict's (both calibrated)
    double p = CxrModel.load(model).predict(a).get("Effusion");
    assertThat(r.out()).contains(String.format(java.util.Locale.ROOT, "Effusion %.2f", p));

    Result clash =
        cxr(
            "explain",
            "--model",
            model.toString(),
            "--out",
            out.toString(),
            a.toString(),
            data.resolve("images/../images/00000001_000.png").toString());
    assertThat(clash.code()).isEqualTo(CxrCli.EXIT_BAD_INPUT);
    assertThat(clash.err()).contains("would both be written to");
  }

  @Test
  void evaluatePrintsCalibrationAndDrawsTheReliabilityDiagram(@TempDir Path out) {
    Result r =
        cxr(
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            data.toString(),
            "--out",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern("ECE: 0\\.\\d{4} \\(10 equal-width bins\\)  Brier: 0\\.\\d{4}");
    assertThat(r.out()).contains("temperature: ");
    assertThat(out.resolve("reliability.png")).isRegularFile();
  }

  @Test
  void reportWritesOnePageAndCalibrateRefusesOtherData(@TempDir Path out) throws Exception {
    Result r =
        cxr(
            "report",
            "--model",
            model.toString(),
            "--data",
            data.toString(),
            "--out",
            out.toString(),
            "--gallery",
            "1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("report.html").contains(" bytes) in ");
    assertThat(Files.readString(out.resolve("report.html"))).contains("temperature-scaled (T = ");

    Path other = shared.resolve("other");
    DemoData.builder().images(40).seed(99).size(48).build().writeTo(other);
    Result c =
        cxr(
            "calibrate",
            "--model",
            model.toString(),
            "--data",
            other.toString(),
            "--out",
            out.resolve("m.zip").toString());
    assertThat(c.code()).isEqualTo(CxrCli.EXIT_BAD_INPUT);
    assertThat(c.err()).contains("not the data this model was trained on");
  }
}
