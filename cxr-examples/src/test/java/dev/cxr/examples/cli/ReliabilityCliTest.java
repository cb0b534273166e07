package dev.cxr.examples.cli;

import static dev.cxr.examples.cli.CliTest.cxr;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.Sample;
import dev.cxr.core.provenance.Fold;
import dev.cxr.core.provenance.ModelFile;
import dev.cxr.core.provenance.ModelInfo;
import dev.cxr.phantoms.DemoData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, items 4 and 7 through the command line: {@code --skip-bad} in every command that reads
 * images, each ending with the same skip line, and without it the first bad image stopping the run
 * before training; fold models that record their fold and are evaluated on it; the warning when
 * evaluation images were training images.
 */
class ReliabilityCliTest {
  @TempDir static Path shared;
  static Path data;
  static List<Path> bad;

  private static final String[] SMALL = {
    "--size", "32", "--width", "4", "--batch", "8", "--seed", "3", "--augment", "none"
  };

  @BeforeAll
  static void dataWithFourCutImages() throws Exception {
    data = shared.resolve("data");
    DemoData.builder().images(40).seed(7).size(48).build().writeTo(data);
    try (Stream<Path> s = Files.walk(data)) {
      bad = s.filter(p -> p.toString().endsWith(".png")).sorted().limit(40).toList();
    }
    bad = List.of(bad.get(3), bad.get(11), bad.get(22), bad.get(35));
    for (Path p : bad) {
      byte[] whole = Files.readAllBytes(p);
      Files.write(p, Arrays.copyOf(whole, 200)); // header intact, image data cut
    }
  }

  private static String[] args(String command, String... more) {
    return Stream.of(new String[] {command, "--data", data.toString()}, SMALL, more)
        .flatMap(Arrays::stream)
        .toArray(String[]::new);
  }

  private static String lastLine(String out) {
    List<String> lines = out.lines().toList();
    return lines.get(lines.size() - 1);
  }

  private static void assertSkipLine(CliTest.Result r) {
    assertThat(r.code()).as(r.err()).isZero();
    String line = lastLine(r.out());
    assertThat(line).startsWith("skipped 4 bad items: ").endsWith(" and 1 more");
    assertThat(line)
        .contains(bad.get(0).getFileName() + " (not a readable PNG image: truncated PNG");
  }

  @Test
  void withoutSkipBadTheFirstBadImageStopsTheRunBeforeTraining() {
    Path out = shared.resolve("strict/model.zip");
    CliTest.Result r = cxr(args("train", "--out", out.toString(), "--epochs", "1"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: ").contains("not a readable PNG image: truncated PNG");
    assertThat(bad.stream().anyMatch(p -> r.err().startsWith("error: " + p + ": "))).isTrue();
    assertThat(r.out()).doesNotContain("epoch 1");
    assertThat(shared.resolve("strict/checkpoints/last.zip")).doesNotExist();
    assertThat(shared.resolve("strict/checkpoints/.cxr-run.lock")).doesNotExist();
  }

  @Test
  void everyCommandSkipsTheSameImagesAndEndsWithTheSkipLine() throws Exception {
    Path model = shared.resolve("lenient/model.zip");
    // --standardise: the statistics, too, are computed over the readable images only
    assertSkipLine(
        cxr(
            args(
                "train",
                "--out",
                model.toString(),
                "--epochs",
                "1",
                "--standardise",
                "--skip-bad")));
    ModelInfo info = ModelFile.readInfo(model);
    assertThat(info.trainImages() + info.validationImages()).isEqualTo(36);
    assertThat(info.trainingImages().size()).isEqualTo(info.trainImages());
    assertThat(info.fold()).isNull();
    Path evalDir = shared.resolve("lenient/eval");
    CliTest.Result strictEval =
        cxr("evaluate", "--model", model.toString(), "--data", data.toString());
    assertThat(strictEval.code()).isEqualTo(2);
    CliTest.Result ev =
        cxr(
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            data.toString(),
            "--out",
            evalDir.toString(),
            "--skip-bad");
    assertSkipLine(ev);
    assertThat(ev.out()).contains("images: 36 ");
    assertThat(ev.err())
        .contains(
            "warning: "
                + info.trainImages()
                + " of 36 evaluation images were used to train this model");
    CliTest.Result validationOnly =
        cxr(
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            data.toString(),
            "--out",
            evalDir.toString(),
            "--split",
            "validation",
            "--skip-bad");
    assertThat(validationOnly.code()).as(validationOnly.err()).isZero();
    assertThat(validationOnly.out()).contains("images: " + info.validationImages() + " ");
    assertThat(validationOnly.err()).doesNotContain("warning:");
    List<String> predictArgs =
        new java.util.ArrayList<>(List.of("predict", "--model", model.toString(), "--skip-bad"));
    predictArgs.add(bad.get(0).toString());
    predictArgs.add(evalDir.toString()); // not an image either
    predictArgs.add(bad.get(1).toString());
    CliTest.Result predict = cxr(predictArgs.toArray(String[]::new));
    assertThat(predict.code()).as(predict.err()).isZero();
    assertThat(lastLine(predict.out()))
        .startsWith("skipped 3 bad items: " + bad.get(0).getFileName());
    assertSkipLine(
        cxr(
            args(
                "lr-find",
                "--steps",
                "5",
                "--out",
                shared.resolve("lr.png").toString(),
                "--skip-bad")));
    assertSkipLine(
        cxr(
            "bench-loader",
            "--data",
            data.toString(),
            "--size",
            "32",
            "--threads",
            "2",
            "--skip-bad"));
    CliTest.Result bench =
        cxr("bench-loader", "--data", data.toString(), "--size", "32", "--threads", "2");
    assertThat(bench.code()).isEqualTo(2);
    assertThat(bench.err()).contains("not a readable PNG image");
  }

  @Test
  void foldModelsRecordTheirFoldAndEvaluateScoresThatFold() throws Exception {
    Path cp = shared.resolve("cv");
    CliTest.Result cv =
        cxr(
            args(
                "crossval",
                "--folds",
                "2",
                "--epochs",
                "1",
                "--checkpoint-dir",
                cp.toString(),
                "--skip-bad"));
    assertSkipLine(cv);
    PipelineConfig config = PipelineConfig.builder().seed(3).build();
    List<Sample> samples =
        config.task().labelBothClasses(CxrDataset.scan(data, null, true)).samples();
    for (int i = 1; i <= 2; i++) {
      Path model = cp.resolve("fold-" + i + "/best.zip");
      ModelInfo info = ModelFile.readInfo(model);
      assertThat(info.fold()).isEqualTo(new Fold(i, 2, 3));
      PatientSplit fold = PatientSplit.kFold(samples, 2, 3).get(i - 1);
      List<String> expected =
          fold.validation().stream()
              .map(Sample::path)
              .filter(p -> !bad.contains(p))
              .map(Path::toString)
              .sorted()
              .toList();
      Path out = shared.resolve("cv-eval-" + i);
      CliTest.Result ev =
          cxr(
              "evaluate",
              "--model",
              model.toString(),
              "--data",
              data.toString(),
              "--split",
              "validation",
              "--skip-bad",
              "--out",
              out.toString());
      assertThat(ev.code()).as(ev.err()).isZero();
      List<String> scored =
          Files.readAllLines(out.resolve("predictions.csv")).stream()
              .skip(1)
              .map(l -> l.substring(0, l.indexOf(',')))
              .sorted()
              .toList();
      assertThat(scored).isEqualTo(expected);
      assertThat(ev.err()).doesNotContain("warning:");
    }
  }
}
