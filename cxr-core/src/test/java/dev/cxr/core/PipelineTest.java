package dev.cxr.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.evaluation.Evaluation;
import dev.cxr.core.evaluation.EvaluationRequest;
import dev.cxr.core.image.ImageLoader;
import dev.cxr.core.io.AtomicFiles;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.RunLock;
import dev.cxr.core.provenance.ModelFile;
import dev.cxr.core.training.Checkpoints;
import dev.cxr.core.training.CrossValidation;
import dev.cxr.core.training.LrFinder;
import dev.cxr.core.training.TrainingListener;
import dev.cxr.phantoms.DemoData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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

  static CxrPipeline.Builder tiny() {
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
    assertThat(p.values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1.0, within(1e-4));
    assertThat(model.info().history()).hasSize(1);
    assertThat(model.info().config().loss().weights()).containsExactly(1.0, 5.0);
    // the kept metrics are those of the one epoch trained
    assertThat(model.info().validation().auc()).isEqualTo(model.info().history().get(0).auc());
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
    assertThat(back.info().format()).isEqualTo(2);
  }

  @Test
  void aSavedModelsConfigTrainsTheSameModelAgain() throws IOException {
    CxrModel model = tiny().seed(13).costMatrix(1, 5, 5, 1).fit(data);
    Path file = dir.resolve("m.zip");
    model.save(file);
    CxrModel again =
        CxrPipeline.builder(CxrModel.load(file).info().config())
            .listener(new TrainingListener() {})
            .fit(data);
    assertThat(again.info().config()).isEqualTo(model.info().config());
    assertThat(again.info().validation()).isEqualTo(model.info().validation());
    assertThat(again.predict(firstImage())).isEqualTo(model.predict(firstImage()));
  }

  @Test
  void theRunSeedDrivesAndIsRecordedForAugmentation() {
    List<Map<String, String>> banners = new ArrayList<>();
    TrainingListener banner =
        new TrainingListener() {
          @Override
          public void onStart(Map<String, String> settings, Map<String, String> facts) {
            banners.add(settings);
          }
        };
    CxrModel model =
        tiny()
            .epochs(1)
            .augmentation(CxrAugmentation.medicalSafe())
            .seed(7)
            .listener(banner)
            .fit(data);
    assertThat(model.info().config().augmentation().seed()).isEqualTo(7);
    assertThat(model.info().config().augmentation())
        .isEqualTo(CxrAugmentation.medicalSafe().withSeed(7));
    assertThat(banners.get(0).get("augmentation")).contains("seed=7").doesNotContain("seed=42");
  }

  @Test
  void sameSeedSameValidationAucOtherSeedOtherWeights() {
    CxrModel a = tiny().seed(11).fit(data);
    CxrModel b = tiny().seed(11).fit(data);
    CxrModel c = tiny().seed(12).fit(data);
    assertThat(b.info().validation()).isEqualTo(a.info().validation());
    assertThat(c.network().params()).isNotEqualTo(a.network().params());
  }

  @Test
  void evaluateValidationSplitReproducesTrainingAuc() throws IOException {
    CxrModel model = tiny().seed(2).fit(data);
    Path file = dir.resolve("m.zip");
    model.save(file);
    Evaluation ev =
        CxrModel.load(file).evaluate(EvaluationRequest.of(data).validationSplitOnly(true));
    assertThat(ev.metrics().aucLine()).isEqualTo(model.info().aucLine());
    assertThat(ev.metrics().size()).isEqualTo(model.info().validationImages());
    assertThat(ev.positiveLabel()).isEqualTo("Effusion");
    assertThat(ev.negativeLabel()).isEqualTo("No Finding");
    // other data: the split cannot be rebuilt, and saying so beats scoring other images
    Path other = dir.resolve("other-data");
    DemoData.builder().images(40).seed(99).size(64).build().writeTo(other);
    assertThatThrownBy(
            () ->
                CxrModel.load(file).evaluate(EvaluationRequest.of(other).validationSplitOnly(true)))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("not the data this model was trained on");
    assertThat(
            CxrModel.load(file)
                .evaluate(EvaluationRequest.of(other).validationSplitOnly(false))
                .metrics()
                .size())
        .isEqualTo(40);
  }

  @Test
  void checkpointsAndResume() throws IOException {
    Path cp = dir.resolve("cp");
    CxrModel two = tiny().seed(9).checkpointDir(cp).fit(data);
    assertThat(cp.resolve(Checkpoints.BEST)).isRegularFile();
    assertThat(cp.resolve(Checkpoints.LAST)).isRegularFile();
    assertThat(CxrModel.load(cp.resolve(Checkpoints.LAST)).info().epochsCompleted()).isEqualTo(2);
    // epochs, patience and workers may change on resume
    CxrModel three = tiny().seed(9).epochs(3).patience(4).workers(1).resume(cp).fit(data);
    assertThat(three.info().history()).hasSize(3);
    assertThat(three.info().history().subList(0, 2)).isEqualTo(two.info().history());
    assertThat(three.info().epochsCompleted()).isEqualTo(3);
    // anything else must be the same, compared as data and named in the error
    assertThatThrownBy(() -> tiny().seed(9).epochs(4).width(8).resume(cp).fit(data))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("width = 4 but this run has 8");
    assertThatThrownBy(() -> tiny().seed(10).epochs(4).resume(cp).fit(data))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("seed = 9 but this run has 10");
    assertThatThrownBy(() -> tiny().resume(dir.resolve("nothing")).fit(data))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("last.zip");
  }

  @Test
  void aResumedRunWithDropoutIsBitIdenticalToAnUninterruptedOne() {
    CxrModel whole = tiny().seed(6).epochs(3).dropout(0.5).fit(data);
    Path cp = dir.resolve("cp-dropout");
    tiny().seed(6).epochs(2).dropout(0.5).checkpointDir(cp).fit(data);
    CxrModel resumed = tiny().seed(6).epochs(3).dropout(0.5).resume(cp).fit(data);
    List<Double> wholeLosses = whole.info().history().stream().map(h -> h.trainLoss()).toList();
    List<Double> resumedLosses = resumed.info().history().stream().map(h -> h.trainLoss()).toList();
    assertThat(resumedLosses).isEqualTo(wholeLosses);
    assertThat(resumed.info().validation()).isEqualTo(whole.info().validation());
    assertThat(resumed.network().params()).isEqualTo(whole.network().params());
  }

  @Test
  void anUnwritableCheckpointFolderSaysWhy() throws IOException {
    Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
    assertThatThrownBy(() -> tiny().epochs(1).checkpointDir(notAFolder.resolve("cp")).fit(data))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot write checkpoint in " + notAFolder.resolve("cp"))
        .satisfies(e -> assertThat(e.getMessage()).contains(e.getCause().toString()));
  }

  @Test
  void aCheckpointFolderInUseByAnotherRunIsRefusedBeforeTraining() {
    Path cp = dir.resolve("locked-cp");
    try (RunLock other = RunLock.acquire(cp, w -> {})) {
      assertThatThrownBy(() -> tiny().epochs(1).checkpointDir(cp).fit(data))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith(cp + " is in use by another run (process ");
      assertThat(cp.resolve(Checkpoints.LAST)).doesNotExist();
    }
  }

  @Test
  void interruptedCheckpointWriteLeavesPreviousLoadable() throws IOException {
    CxrModel model = tiny().epochs(1).fit(data);
    Path file = dir.resolve("best.zip");
    model.save(file);
    byte[] before = Files.readAllBytes(file);
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    file,
                    tmp -> {
                      Files.write(tmp, new byte[] {'P', 'K', 3, 4, 1, 2});
                      throw new IOException("killed mid-write");
                    }))
        .hasMessageContaining("killed mid-write");
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
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("notes.zip")
        .hasMessageContaining("not a cxr model");
    assertThatThrownBy(() -> CxrModel.load(dir.resolve("absent.zip")))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("absent.zip")
        .hasMessageContaining("not found");
    CxrModel model = tiny().epochs(1).fit(data);
    Path future = dir.resolve("future.zip");
    model.save(future);
    try (FileSystem zip = FileSystems.newFileSystem(future)) {
      Path meta = zip.getPath(ModelFile.METADATA_ENTRY);
      Files.writeString(
          meta, Files.readString(meta).replaceFirst("\"format\" : 2", "\"format\" : 99"));
    }
    assertThatThrownBy(() -> CxrModel.load(future))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("future.zip")
        .hasMessageContaining("format 99")
        .hasMessageContaining("reads format 2");
    Path plainDl4j = dir.resolve("plain.zip");
    ModelSerializer.writeModel(model.network(), plainDl4j.toFile(), false);
    assertThatThrownBy(() -> CxrModel.load(plainDl4j))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("without cxr metadata");
    assertThatThrownBy(() -> model.predict(dir.resolve("missing.png")))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("missing.png");
    Path junk = Files.writeString(dir.resolve("junk.png"), "garbage");
    assertThatThrownBy(() -> model.predict(junk))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("junk.png");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> model.evaluate(empty))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("empty");
    Path other = dir.resolve("other");
    Fixtures.gray8(other.resolve("Mass/a.png"), 16, 16, 1);
    Fixtures.gray8(other.resolve("No Finding/b.png"), 16, 16, 2);
    assertThatThrownBy(() -> model.evaluate(other))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("found 0 'Effusion' and 1 negative")
        .hasMessageContaining("both classes");
  }

  @Test
  void lrFinderProducesACurveAndASuggestion() {
    LrFinder.Result r = tiny().build().findLearningRate(data, 1e-5, 1, 12);
    assertThat(r.rates()).isNotEmpty().isSorted();
    assertThat(r.rates()[0]).isEqualTo(1e-5);
    assertThat(r.losses()).hasSameSizeAs(r.rates());
    assertThat(r.suggested()).isIn(Arrays.stream(r.rates()).boxed().toArray());
  }

  @Test
  void crossValidationGivesOneModelPerFoldOnDisjointPatients() {
    CrossValidation cv = tiny().epochs(1).build().crossValidate(data, 3);
    assertThat(cv.folds()).hasSize(3);
    // every image is validated exactly once across the folds
    assertThat(cv.folds().stream().mapToInt(f -> f.validationImages()).sum()).isEqualTo(40);
    double mean =
        cv.folds().stream().mapToDouble(f -> f.validation().auc()).average().orElseThrow();
    assertThat(cv.meanAuc()).isCloseTo(mean, within(1e-12));
    assertThat(cv.folds().stream().map(f -> f.dataFingerprint()).distinct()).hasSize(3);
  }

  @Test
  void aDivergingRunStopsWithOneLineAndKeepsTheBestEpoch() {
    List<String> messages = new ArrayList<>();
    TrainingListener capture =
        new TrainingListener() {
          @Override
          public void onMessage(String message) {
            messages.add(message);
          }
        };
    // SGD at the largest rate with momentum 0.99: measured to diverge in epoch 3 after a valid
    // epoch, on the raw weights (a weight average of exploding weights fails in epoch 1 already)
    CxrModel model = tiny().seed(4).epochs(6).sgd(10, 0.99).ema(0).listener(capture).fit(data);
    messages.removeIf(m -> m.startsWith("first batch after ")); // progress, not about divergence
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0))
        .matches(
            "training diverged at epoch \\d+ \\(non-finite loss or scores\\); kept epoch \\d+, AUC .*");
    int divergedAt = Integer.parseInt(messages.get(0).replaceAll(".*at epoch (\\d+) .*", "$1"));
    assertThat(model.info().history()).hasSize(divergedAt - 1);
    assertThat(model.info().threshold()).isFinite();
    assertThat(model.info().validation().auc()).isFinite();
    assertThat(model.predict(firstImage()).values()).allMatch(Double::isFinite);
  }

  /**
   * Scoring runs on a folded inference copy: it gives the trained network's own outputs, and the
   * saved model (the trainable network with its running statistics and updater) is unchanged.
   */
  @Test
  void scoringUsesAFoldedCopyAndLeavesTheSavedModelUnchanged() throws IOException {
    CxrModel model = tiny().epochs(1).seed(8).fit(data);
    Path before = dir.resolve("before.zip");
    Path after = dir.resolve("after.zip");
    model.save(before);

    List<Path> images;
    try (Stream<Path> s = Files.walk(data)) {
      images = s.filter(p -> p.toString().endsWith(".png")).sorted().limit(5).toList();
    }
    List<Map<String, Double>> predicted = model.predict(images);
    model.evaluate(data);
    model.save(after);

    assertThat(zipEntries(after)).isEqualTo(zipEntries(before));
    int size = model.info().imageSize();
    for (int i = 0; i < images.size(); i++) {
      float[] px = ImageLoader.load(images.get(i), size);
      model.info().normalisation().applyInPlace(px, 0, px.length);
      INDArray direct =
          model.network().outputSingle(false, Nd4j.create(px, new long[] {1, 1, size, size}));
      List<String> names = model.labelNames();
      for (int c = 0; c < names.size(); c++) {
        assertThat(predicted.get(i).get(names.get(c)))
            .isCloseTo(direct.getDouble(0, c), within(1e-4));
      }
    }
  }

  /** Entry name to content (hex), so that zip timestamps do not count. */
  private static Map<String, String> zipEntries(Path zip) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (ZipEntry e : Collections.list(z.entries())) {
        entries.put(e.getName(), HexFormat.of().formatHex(z.getInputStream(e).readAllBytes()));
      }
    }
    return entries;
  }

  static Path firstImage() {
    try (Stream<Path> s = Files.walk(data)) {
      return s.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
