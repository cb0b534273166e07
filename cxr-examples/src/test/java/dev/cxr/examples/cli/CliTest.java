package dev.cxr.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.config.Optimizer;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.phantoms.DemoData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cxr command line end to end: train, evaluate, predict, dataset-info and their errors. */
class CliTest {
  @TempDir static Path shared;
  static Path data;

  /** Output of one run. */
  record Result(int code, String out, String err) {}

  @BeforeAll
  static void phantoms() throws Exception {
    data = shared.resolve("data");
    DemoData.builder().images(40).seed(7).size(48).build().writeTo(data);
  }

  static Result cxr(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = CxrCli.run(args);
      System.out.flush();
      System.err.flush();
      return new Result(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void trainThenEvaluateValidationSplitPrintsTheSameAucLine() throws Exception {
    Path model = shared.resolve("run/model.zip");
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
            "3");
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(model).isRegularFile();
    assertThat(shared.resolve("run/checkpoints/best.zip")).isRegularFile();
    assertThat(shared.resolve("run/training-curves.png")).isRegularFile();
    String summary = Files.readString(shared.resolve("run/training-summary.txt"));
    String aucLine =
        summary
            .lines()
            .filter(l -> l.startsWith("best validation AUC: "))
            .findFirst()
            .orElseThrow()
            .substring("best validation ".length());

    Path evalDir = shared.resolve("eval");
    Result eval =
        cxr(
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            data.toString(),
            "--split",
            "validation",
            "--out",
            evalDir.toString());
    assertThat(eval.code()).as(eval.err()).isZero();
    assertThat(eval.out().lines()).contains(aucLine);
    assertThat(eval.out())
        .contains("sensitivity: ")
        .contains("specificity: ")
        .contains("confusion matrix");
    assertThat(evalDir.resolve("roc.png")).isRegularFile();
    List<String> csv = Files.readAllLines(evalDir.resolve("predictions.csv"));
    assertThat(csv.get(0)).startsWith("image,label,probability_Effusion");

    Path image;
    try (var s = Files.walk(data)) {
      image = s.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
    }
    Result predict = cxr("predict", "--model", model.toString(), image.toString());
    assertThat(predict.code()).isZero();
    assertThat(predict.out().trim())
        .matches(
            ".*\\.png  Effusion=0\\.\\d\\d  No Finding=0\\.\\d\\d|.*\\.png  Effusion=1\\.00  No Finding=0\\.00|.*\\.png  Effusion=0\\.00  No Finding=1\\.00");

    // test-time augmentation: the same line format, and evaluate takes it too
    Result tta = cxr("predict", "--model", model.toString(), "--tta", "4", image.toString());
    assertThat(tta.code()).as(tta.err()).isZero();
    assertThat(tta.out().trim())
        .matches(".*\\.png  Effusion=\\d\\.\\d\\d  No Finding=\\d\\.\\d\\d");
    Result evalTta =
        cxr(
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            data.toString(),
            "--tta",
            "2",
            "--out",
            shared.resolve("eval-tta").toString());
    assertThat(evalTta.code()).as(evalTta.err()).isZero();
    assertThat(evalTta.out()).contains("AUC: ");
    Result bad = cxr("predict", "--model", model.toString(), "--tta", "0", image.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err().trim()).isEqualTo("error: --tta must be between 1 (off) and 32 but was 0");
  }

  /** Every command's help renders cleanly: a stray '%' in a description makes picocli warn. */
  @Test
  void everyHelpPageRendersWithoutWarnings() {
    java.util.ArrayDeque<picocli.CommandLine> todo = new java.util.ArrayDeque<>();
    todo.add(CxrCli.commandLine());
    int pages = 0;
    while (!todo.isEmpty()) {
      picocli.CommandLine c = todo.poll();
      todo.addAll(c.getSubcommands().values());
      java.util.List<String> path = new java.util.ArrayList<>();
      for (picocli.CommandLine.Model.CommandSpec s = c.getCommandSpec();
          s.parent() != null;
          s = s.parent()) {
        path.add(0, s.name());
      }
      path.add("--help");
      Result r = cxr(path.toArray(String[]::new));
      assertThat(r.code()).as(String.join(" ", path)).isZero();
      assertThat(r.err()).as(String.join(" ", path)).doesNotContain("WARN");
      assertThat(r.out()).as(String.join(" ", path)).contains("Usage:").doesNotContain("%n");
      pages++;
    }
    assertThat(pages).isGreaterThan(20);
  }

  @Test
  void datasetInfoPrintsCounts() {
    Result r = cxr("dataset-info", "--data", data.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("Effusion: 20")
        .contains("No Finding: 20")
        .contains("patients: ")
        .contains("patients in both parts: 0")
        .contains("problems: none");
  }

  @Test
  void badInputIsOneLineOnStderrWithExitCode2() throws Exception {
    Path notModel = Files.writeString(shared.resolve("notes.zip"), "hello");
    List<String[]> cases =
        List.of(
            new String[] {"dataset-info", "--data", shared.resolve("missing").toString()},
            new String[] {"predict", "--model", notModel.toString(), "x.png"},
            new String[] {"train", "--data", data.toString(), "--out", "m.zip", "--depth", "19"},
            new String[] {
              "train", "--data", data.toString(), "--out", "m.zip", "--augment", "wild"
            },
            new String[] {
              "evaluate",
              "--model",
              shared.resolve("absent.zip").toString(),
              "--data",
              data.toString()
            });
    for (String[] args : cases) {
      Result r = cxr(args);
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err().lines().toList()).as(String.join(" ", args)).hasSize(1);
      assertThat(r.err()).startsWith("error: ").doesNotContain("Exception");
    }
    Result verbose =
        cxr("dataset-info", "--data", shared.resolve("missing").toString(), "--verbose");
    assertThat(verbose.code()).isEqualTo(2);
    assertThat(verbose.err()).contains("CxrDataException").contains("\tat ");
  }

  @Test
  void everyCommandHasHelp() {
    for (String c :
        List.of(
            "demo",
            "train",
            "evaluate",
            "predict",
            "crossval",
            "lr-find",
            "dataset-info",
            "make-demo-data",
            "augment-preview",
            "model-summary",
            "bench-loader",
            "bench-augment",
            "bench-model",
            "study",
            "study imbalance")) {
      List<String> words = new ArrayList<>(List.of(c.split(" ")));
      words.add("--help");
      Result r = cxr(words.toArray(String[]::new));
      assertThat(r.code()).as(c).isZero();
      assertThat(r.out()).as(c).contains("Usage: cxr " + c);
    }
  }

  @Test
  void crossvalPrintsNestedLastOptimisticAndOutOfFoldAndItsEnsemblePredicts() throws Exception {
    Path out = shared.resolve("cv");
    Result cv =
        cxr(
            "crossval",
            "--data",
            data.toString(),
            "--folds",
            "2",
            "--out",
            out.toString(),
            "--size",
            "32",
            "--width",
            "4",
            "--epochs",
            "2",
            "--batch",
            "8",
            "--sampler",
            "balanced");
    assertThat(cv.code()).as(cv.err()).isZero();
    assertThat(cv.out())
        .contains("fold  nested")
        .contains("last epoch  optimistic")
        .containsPattern("mean AUC: [0-9.]+ ± [0-9.]+ \\(nested")
        .containsPattern("out-of-fold AUC: [0-9.]+ \\(40 images")
        .contains("ensemble: " + out.resolve("ensemble.zip"));
    String image;
    try (var files = Files.list(data.resolve("images"))) {
      image = files.sorted().findFirst().orElseThrow().toString();
    }
    Result p = cxr("predict", "--model", out.resolve("ensemble.zip").toString(), image);
    assertThat(p.code()).as(p.err()).isZero();
    assertThat(p.out()).containsPattern("Effusion=[0-9.]+  No Finding=[0-9.]+");
    Result e =
        cxr(
            "evaluate",
            "--model",
            out.resolve("ensemble.zip").toString(),
            "--data",
            data.toString(),
            "--out",
            out.resolve("eval").toString());
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(e.out()).contains("AUC");
    Result bad = cxr("train", "--data", data.toString(), "--out", "m.zip", "--select-on", "outer");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--select-on must be one of [auto, inner, validation]");
  }

  @Test
  void helpShowsTheLibrarysDefaultsAndPresetNames() {
    PipelineConfig d = PipelineConfig.DEFAULTS;
    String help = cxr("train", "--help").out().replaceAll("\\s+", " ");
    assertThat(help)
        .contains("(default: " + d.imageSize() + ")")
        .contains("Maximum epochs (default: " + d.epochs() + ")")
        .contains("ResNet depth: 18, 34, 50, 101, 152 (default: " + d.depth() + ")")
        .contains(Optimizer.SGD.defaultLearningRate() + " for sgd")
        .contains(String.join(", ", CxrAugmentation.presetNames()) + " (default: medical-safe)");
    assertThat(cxr("augment-preview", "--help").out()).contains("seed-article");
  }

  @Test
  void conflictingFlagsAndUnknownPresetsAreNamed() throws Exception {
    Result twoLosses =
        cxr(
            "train",
            "--data",
            data.toString(),
            "--out",
            "m.zip",
            "--class-weights",
            "1,5",
            "--focal",
            "2");
    assertThat(twoLosses.code()).isEqualTo(2);
    assertThat(twoLosses.err()).contains("focal(...) conflicts with classWeights(...)");
    Result preset = cxr("train", "--data", data.toString(), "--out", "m.zip", "--augment", "wild");
    assertThat(preset.err()).contains("--augment").contains("wild").contains("medical-safe");
    Path notAFolder = Files.writeString(shared.resolve("plain-file"), "x");
    Result unwritable =
        cxr("train", "--data", data.toString(), "--out", notAFolder.resolve("m.zip").toString());
    assertThat(unwritable.code()).isEqualTo(2);
    assertThat(unwritable.err()).startsWith("error: cannot write the model in " + notAFolder);
    Result both =
        cxr(
            "train",
            "--data",
            data.toString(),
            "--out",
            "m.zip",
            "--resume",
            "a",
            "--checkpoint-dir",
            "b");
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).contains("--resume").contains("--checkpoint-dir");
  }

  @Test
  void dicomPhantomsTrainAndDescribeThemselves() throws Exception {
    Path dicom = shared.resolve("dicom");
    Result make =
        cxr(
            "make-demo-data",
            "--out",
            dicom.toString(),
            "--n",
            "40",
            "--size",
            "48",
            "--format",
            "dicom");
    assertThat(make.code()).as(make.err()).isZero();
    Path image;
    try (var s = Files.walk(dicom)) {
      image = s.filter(p -> p.toString().endsWith(".dcm")).sorted().findFirst().orElseThrow();
    }
    Result info = cxr("image-info", image.toString());
    assertThat(info.code()).as(info.err()).isZero();
    assertThat(info.out())
        .contains("DICOM  48x48  bits=12")
        .contains("Explicit VR Little Endian")
        .containsPattern("MONOCHROME[12]")
        .contains("min=")
        .contains("mean=");
    Path model = shared.resolve("dicom-run/model.zip");
    Result train =
        cxr(
            "train",
            "--data",
            dicom.toString(),
            "--out",
            model.toString(),
            "--size",
            "32",
            "--width",
            "4",
            "--epochs",
            "1",
            "--batch",
            "8");
    assertThat(train.code()).as(train.err()).isZero();
    Result predict = cxr("predict", "--model", model.toString(), image.toString());
    assertThat(predict.code()).as(predict.err()).isZero();
    assertThat(predict.out()).contains(".dcm  Effusion=");
    Result badFormat =
        cxr("make-demo-data", "--out", shared.resolve("x").toString(), "--format", "tiff");
    assertThat(badFormat.code()).isEqualTo(2);
    assertThat(badFormat.err().trim())
        .isEqualTo("error: --format must be png or dicom but was 'tiff'");
    Path text = Files.writeString(shared.resolve("notes.txt"), "hello");
    Result bad = cxr("image-info", text.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("notes.txt").contains("not a PNG, JPEG or DICOM image");
  }
}
