package dev.cxr.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.demo.DemoData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end tests of CxrPipeline and CxrModel on tiny phantom data. */
class PipelineTest {
  @TempDir static Path shared;
  static Path data;

  @TempDir Path dir;

  @BeforeAll
  static void phantoms() throws IOException {
    data = shared.resolve("phantoms");
    DemoData.builder().images(40).seed(3).size(64).build().writeTo(data);
  }

  private static CxrPipeline.Builder tiny() {
    return CxrPipeline.builder()
        .resnet(18)
        .width(4)
        .imageSize(32)
        .batchSize(8)
        .epochs(2)
        .augmentation(CxrAugmentation.seedArticle())
        .patience(0)
        .workers(2)
        .listener(new TrainingListener() {});
  }

  @Test
  void theOneLinerTrainsAndPredicts() {
    CxrModel model =
        CxrPipeline.builder().resnet(18).classWeights(1, 5).imageSize(64).epochs(1).fit(data);
    Path image = firstImage();
    Map<String, Double> p = model.predict(image);
    assertThat(p).containsOnlyKeys("No Finding", "Effusion");
    assertThat(p.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-4));
    assertThat(model.info().history()).hasSize(1);
    assertThat(model.info().loss()).contains("1.0, 5.0");
    assertThat(model.info().auc()).isBetween(0.0, 1.0);
  }

  @Test
  void saveLoadKeepsOutputsAndMetadata() throws IOException {
    CxrModel model = tiny().seed(5).fit(data);
    Path file = dir.resolve("m.zip");
    model.save(file);
    CxrModel back = CxrModel.load(file);
    assertThat(back.info()).isEqualTo(model.info());
    assertThat(back.predict(firstImage())).isEqualTo(model.predict(firstImage()));
    assertThat(back.info().dataFingerprint()).hasSize(64);
    assertThat(back.info().labelNames()).containsExactly("No Finding", "Effusion");
    assertThat(back.info().dl4jVersion()).isEqualTo("1.0.0-M2.1");
  }

  @Test
  void sameSeedSameValidationAuc() {
    double a = tiny().seed(11).fit(data).info().auc();
    double b = tiny().seed(11).fit(data).info().auc();
    assertThat(b).isEqualTo(a);
  }

  @Test
  void evaluateValidationSplitReproducesTrainingAuc() throws IOException {
    CxrModel model = tiny().seed(2).fit(data);
    Path file = dir.resolve("m.zip");
    model.save(file);
    CxrModel.Evaluation ev = CxrModel.load(file).evaluate(data, true);
    assertThat(ev.metrics().aucLine()).isEqualTo(model.info().aucLine());
    assertThat(ev.metrics().size()).isEqualTo(model.info().validationImages());
  }

  @Test
  void checkpointsAndResume() throws IOException {
    Path cp = dir.resolve("cp");
    CxrModel two = tiny().seed(9).checkpointDir(cp).fit(data);
    assertThat(cp.resolve(CxrPipeline.BEST_CHECKPOINT)).isRegularFile();
    assertThat(cp.resolve(CxrPipeline.LAST_CHECKPOINT)).isRegularFile();
    assertThat(CxrModel.load(cp.resolve(CxrPipeline.LAST_CHECKPOINT)).info().epochsCompleted()).isEqualTo(2);
    CxrModel three = tiny().seed(9).epochs(3).resume(cp).fit(data);
    assertThat(three.info().history()).hasSize(3);
    assertThat(three.info().history().subList(0, 2)).isEqualTo(two.info().history());
    assertThat(three.info().epochsCompleted()).isEqualTo(3);
    // a resumed run must use the same settings
    assertThatThrownBy(() -> tiny().seed(9).epochs(4).width(8).resume(cp).fit(data))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("network");
    assertThatThrownBy(() -> tiny().resume(dir.resolve("nothing")).fit(data))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("last.zip");
  }

  @Test
  void interruptedCheckpointWriteLeavesPreviousLoadable() throws IOException {
    CxrModel model = tiny().epochs(1).fit(data);
    Path file = dir.resolve("best.zip");
    model.save(file);
    byte[] before = Files.readAllBytes(file);
    assertThatThrownBy(() -> AtomicFiles.write(file, tmp -> {
      Files.write(tmp, new byte[] {'P', 'K', 3, 4, 1, 2});
      throw new IOException("killed mid-write");
    })).hasMessageContaining("killed mid-write");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(CxrModel.load(file).info()).isEqualTo(model.info());
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("best.zip");
    }
  }

  @Test
  void badModelFilesAndImagesGiveClearErrors() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.zip"), "not a model");
    assertThatThrownBy(() -> CxrModel.load(text))
        .isInstanceOf(CxrDataException.class).hasMessageContaining("notes.zip").hasMessageContaining("not a cxr model");
    assertThatThrownBy(() -> CxrModel.load(dir.resolve("absent.zip")))
        .isInstanceOf(CxrDataException.class).hasMessageContaining("absent.zip").hasMessageContaining("not found");
    CxrModel model = tiny().epochs(1).fit(data);
    Path future = dir.resolve("future.zip");
    model.save(future);
    try (java.nio.file.FileSystem zip = java.nio.file.FileSystems.newFileSystem(future)) {
      Path meta = zip.getPath(CxrModel.METADATA_ENTRY);
      Files.writeString(meta, Files.readString(meta).replaceFirst("\"format\" : 1", "\"format\" : 99"));
    }
    assertThatThrownBy(() -> CxrModel.load(future))
        .isInstanceOf(CxrDataException.class).hasMessageContaining("future.zip")
        .hasMessageContaining("format 99 is not supported");
    Path plainDl4j = dir.resolve("plain.zip");
    org.deeplearning4j.util.ModelSerializer.writeModel(model.network(), plainDl4j.toFile(), false);
    assertThatThrownBy(() -> CxrModel.load(plainDl4j))
        .isInstanceOf(CxrDataException.class).hasMessageContaining("without cxr metadata");
    assertThatThrownBy(() -> model.predict(dir.resolve("missing.png")))
        .isInstanceOf(CxrDataException.class).hasMessageContaining("missing.png");
    Path junk = Files.writeString(dir.resolve("junk.png"), "garbage");
    assertThatThrownBy(() -> model.predict(junk))
        .isInstanceOf(CxrDataException.class).hasMessageContaining("junk.png");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> model.evaluate(empty))
        .isInstanceOf(CxrDataException.class).hasMessageContaining("empty");
    Path other = dir.resolve("other");
    Fixtures.gray8(other.resolve("Mass/a.png"), 16, 16, 1);
    Fixtures.gray8(other.resolve("No Finding/b.png"), 16, 16, 2);
    assertThatThrownBy(() -> model.evaluate(other))
        .isInstanceOf(CxrDataException.class).hasMessageContaining("do not match");
  }

  @Test
  void builderRejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> CxrPipeline.builder().resnet(19)).hasMessageContaining("resnet depth").hasMessageContaining("19");
    assertThatThrownBy(() -> CxrPipeline.builder().classWeights(1, -5)).hasMessageContaining("-5.0");
    assertThatThrownBy(() -> CxrPipeline.builder().classWeights(1, 2, 3)).hasMessageContaining("2 weights");
    assertThatThrownBy(() -> CxrPipeline.builder().costMatrix(1, 5, 5)).hasMessageContaining("4 values");
    assertThatThrownBy(() -> CxrPipeline.builder().focal(-1)).hasMessageContaining("gamma");
    assertThatThrownBy(() -> CxrPipeline.builder().imageSize(8)).hasMessageContaining("imageSize").hasMessageContaining("8");
    assertThatThrownBy(() -> CxrPipeline.builder().learningRate(0)).hasMessageContaining("learningRate");
    assertThatThrownBy(() -> CxrPipeline.builder().validationFraction(1)).hasMessageContaining("validationFraction");
    assertThatThrownBy(() -> CxrPipeline.builder().positive("Kitten")).hasMessageContaining("Kitten");
    CxrPipeline.Builder b = CxrPipeline.builder().epochs(3);
    assertThat(b.build().config()).isEqualTo(b.build().config());
    assertThat(PipelineConfig.DEFAULTS.describe()).containsKeys("network", "image size", "loss", "augmentation");
  }

  @Test
  void operatingThresholdSitsBetweenScoresWithYoudensConfusion() {
    var m = dev.cxr.core.metrics.BinaryMetrics.of(
        new double[] {0.9, 0.8, 0.7, 0.4, 0.3, 0.2}, new boolean[] {true, true, false, true, false, false});
    double t = CxrPipeline.operatingThreshold(m);
    assertThat(t).isStrictlyBetween(0.2, 0.9);
    assertThat(java.util.Arrays.stream(new double[] {0.9, 0.8, 0.7, 0.4, 0.3, 0.2})).noneMatch(s -> s == t);
    assertThat(m.confusionAt(t)).isEqualTo(
        new dev.cxr.core.metrics.ConfusionMatrix(t, m.confusionAtYouden().truePositives(),
            m.confusionAtYouden().falsePositives(), m.confusionAtYouden().trueNegatives(),
            m.confusionAtYouden().falseNegatives()));
  }

  @Test
  void scheduleRates() {
    assertThat(PipelineConfig.Schedule.STEP.rate(0.01, 3, 10)).isCloseTo(0.00125, within(1e-12));
    assertThat(PipelineConfig.Schedule.COSINE.rate(0.01, 0, 10)).isCloseTo(0.01, within(1e-12));
    assertThat(PipelineConfig.Schedule.COSINE.rate(0.01, 5, 10)).isCloseTo(0.005, within(1e-12));
    assertThat(PipelineConfig.Schedule.CONSTANT.rate(0.01, 7, 10)).isEqualTo(0.01);
  }

  @Test
  void lrFinderProducesACurveAndASuggestion() {
    LrFinder.Result r = tiny().build().findLearningRate(data, 1e-5, 1, 12);
    assertThat(r.rates()).isNotEmpty().isSorted();
    assertThat(r.losses()).hasSameSizeAs(r.rates());
    assertThat(r.suggested()).isBetween(1e-5, 1.0);
  }

  @Test
  void lrSuggestionIgnoresEarlyNoiseAndPicksTheSteepestDescent() {
    int n = 60;
    double[] rates = new double[n];
    double[] losses = new double[n];
    for (int i = 0; i < n; i++) {
      rates[i] = 1e-5 * Math.pow(1e5, i / (n - 1.0));
      double x = Math.log10(rates[i]); // -5 .. 0: flat, a drop centred at 1e-3, a minimum near 1e-1
      losses[i] = 1.0 - 0.5 / (1 + Math.exp(-4 * (x + 3))) + (i == 1 ? -0.3 : 0) + (x > -1 ? 2 * (x + 1) * (x + 1) : 0);
    }
    double suggested = LrFinder.suggest(rates, losses);
    assertThat(suggested).isBetween(3e-4, 3e-3);
  }

  @Test
  void crossValidationGivesOneAucPerFold() {
    CxrPipeline.CrossValidation cv = tiny().epochs(1).build().crossValidate(data, 3);
    assertThat(cv.folds()).hasSize(3);
    assertThat(cv.meanAuc()).isBetween(0.0, 1.0);
    assertThat(cv.sdAuc()).isGreaterThanOrEqualTo(0.0);
  }

  private static Path firstImage() {
    try (Stream<Path> s = Files.walk(data)) {
      return s.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void lossSpecsBuildCxrLosses() {
    assertThat(new LossSpec(LossSpec.Kind.COST_MATRIX, new double[0], new double[][] {{1, 5}, {5, 1}}, 0)
        .toLossFunction(false)).isInstanceOf(dev.cxr.loss.CostMatrixCrossEntropy.class);
    assertThat(List.of(LossSpec.CROSS_ENTROPY.describe())).containsExactly("cross-entropy");
  }
}
