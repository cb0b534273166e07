package dev.cxr.examples.cli;

import static dev.cxr.examples.cli.CliTest.cxr;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line with several findings: multi-finding phantoms, dataset-info per finding and
 * split part, train with --findings, evaluate's per-finding table, ROC charts and predictions
 * columns, predict's probabilities, explain per finding, and the errors of a wrong combination.
 */
class MultiLabelCliTest {
  @TempDir static Path shared;
  static Path data;
  static Path model;

  @BeforeAll
  static void trainOnMultiFindingPhantoms() {
    data = shared.resolve("data");
    CliTest.Result made =
        cxr(
            "make-demo-data",
            "--out",
            data.toString(),
            "--n",
            "60",
            "--size",
            "48",
            "--seed",
            "3",
            "--findings",
            "Effusion,Cardiomegaly");
    assertThat(made.code()).as(made.err()).isZero();
    model = shared.resolve("m/model.zip");
    CliTest.Result train =
        cxr(
            "train",
            "--data",
            data.toString(),
            "--out",
            model.toString(),
            "--findings",
            "effusion,cardiomegaly",
            "--size",
            "32",
            "--width",
            "4",
            "--epochs",
            "1",
            "--batch",
            "8",
            "--augment",
            "none");
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(train.out())
        .contains("findings", "2 (multi-label, sigmoid): Effusion, Cardiomegaly");
    assertThat(train.out()).contains("positive weight per finding Effusion");
  }

  @Test
  void datasetInfoPrintsImagesAndPatientsPerFindingAndPart() {
    CliTest.Result r =
        cxr("dataset-info", "--data", data.toString(), "--findings", "Effusion,Cardiomegaly");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("findings: 2 (multi-label)");
    assertThat(r.out()).containsPattern("Effusion\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+");
    assertThat(r.out()).containsPattern("Cardiomegaly\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+");
  }

  @Test
  void evaluatePrintsARowPerFindingAndWritesARocEach(@TempDir Path out) throws Exception {
    CliTest.Result r =
        cxr(
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            data.toString(),
            "--out",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("Effusion\\s+\\d+\\s+0\\.\\d{3}");
    assertThat(r.out()).contains("mean AUC: ");
    assertThat(out.resolve("roc-Effusion.png")).exists();
    assertThat(out.resolve("roc-Cardiomegaly.png")).exists();
    List<String> csv = Files.readAllLines(out.resolve("predictions.csv"));
    assertThat(csv.get(0)).isEqualTo("image,Effusion,p_Effusion,Cardiomegaly,p_Cardiomegaly");
    assertThat(csv).hasSize(61);
  }

  @Test
  void predictAndExplainNameEveryFinding(@TempDir Path out) throws Exception {
    Path image;
    try (var s = Files.list(data.resolve("images"))) {
      image = s.sorted().findFirst().orElseThrow();
    }
    CliTest.Result p = cxr("predict", "--model", model.toString(), image.toString());
    assertThat(p.code()).as(p.err()).isZero();
    assertThat(p.out()).contains("Effusion=", "Cardiomegaly=").doesNotContain("No Finding");
    CliTest.Result e =
        cxr(
            "explain",
            "--model",
            model.toString(),
            "--out",
            out.toString(),
            "--finding",
            "Cardiomegaly",
            image.toString());
    assertThat(e.code()).as(e.err()).isZero();
    String stem = image.getFileName().toString().replace(".png", "");
    assertThat(out.resolve(stem + "-Cardiomegaly-gradcam.png")).exists();
    CliTest.Result bad =
        cxr(
            "explain",
            "--model",
            model.toString(),
            "--out",
            out.toString(),
            "--finding",
            "Nodule",
            image.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("finding must be one of the model's").contains("Nodule");
  }

  @Test
  void aBinaryLossWithSeveralFindingsIsOneLine() {
    CliTest.Result r =
        cxr(
            "train",
            "--data",
            data.toString(),
            "--out",
            shared.resolve("x.zip").toString(),
            "--findings",
            "Effusion,Cardiomegaly",
            "--class-weights",
            "1,5");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("error: classWeights is for the one-finding task");
    assertThat(r.err().strip().lines()).hasSize(1);
  }
}
