package dev.cxr.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.evaluation.Evaluation;
import dev.cxr.core.evaluation.EvaluationRequest;
import dev.cxr.core.evaluation.FindingEvaluation;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.provenance.FindingSummary;
import dev.cxr.core.training.CrossValidation;
import dev.cxr.phantoms.DemoData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;

/**
 * A multi-label model through the whole library: trained with one sigmoid output per finding, saved
 * and loaded with identical outputs, evaluated per finding, on two data folders at once, and a
 * cross-validation fold model evaluated and calibrated on its own held-out fold.
 */
class MultiLabelTest {
  @TempDir static Path shared;
  static Path data;
  static Path second;
  static CxrModel model;

  @BeforeAll
  static void train() throws IOException {
    data = shared.resolve("a");
    second = shared.resolve("b");
    // other findings (Cardiomegaly, Atelectasis, Nodule) beside Effusion and No Finding
    DemoData.builder().images(48).otherFindings(16).seed(5).size(64).build().writeTo(data);
    DemoData.builder().images(24).otherFindings(8).seed(6).size(64).build().writeTo(second);
    renumber(second, 9000); // other patients with other image names than the first folder
    model = PipelineTest.tiny().findings("Effusion", "Cardiomegaly").epochs(1).fit(data);
  }

  /** Moves a phantom folder's patients to ids from {@code offset} on (names and label rows). */
  static void renumber(Path dir, int offset) throws IOException {
    Path csv = dir.resolve("Data_Entry_2017.csv");
    List<String> lines = Files.readAllLines(csv);
    List<String> out = new java.util.ArrayList<>();
    out.add(lines.get(0));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      int patient = Integer.parseInt(f[3]) + offset;
      String name = String.format("%08d_%s", patient, f[0].substring(9));
      Files.move(dir.resolve("images").resolve(f[0]), dir.resolve("images").resolve(name));
      f[0] = name;
      f[3] = Integer.toString(patient);
      out.add(String.join(",", f));
    }
    Files.write(csv, out);
  }

  @Test
  void aMultiLabelModelHasOneSigmoidOutputPerFinding() {
    assertThat(model.info().task().multiLabel()).isTrue();
    assertThat(model.info().labelNames()).containsExactly("Effusion", "Cardiomegaly");
    OutputLayer head = (OutputLayer) model.network().getOutputLayer(0).conf().getLayer();
    assertThat(head.getActivationFn()).isInstanceOf(ActivationSigmoid.class);
    assertThat(head.getNOut()).isEqualTo(2);
    List<FindingSummary> findings = model.info().validation().findings();
    assertThat(findings)
        .extracting(FindingSummary::finding)
        .containsExactly("Effusion", "Cardiomegaly");
    assertThat(model.info().history().get(0).findingAucs()).hasSize(2);
  }

  @Test
  void savedAndLoadedItScoresIdentically(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("multi.zip");
    model.save(file);
    CxrModel back = CxrModel.load(file);
    assertThat(back.info()).isEqualTo(model.info());
    List<Path> images;
    try (Stream<Path> s = Files.list(data.resolve("images"))) {
      images = s.sorted().limit(6).toList();
    }
    List<Map<String, Double>> before = model.predict(images);
    List<Map<String, Double>> after = back.predict(images);
    assertThat(after).isEqualTo(before);
    assertThat(after.get(0)).containsOnlyKeys("Effusion", "Cardiomegaly");
    // independent sigmoids: the probabilities need not sum to 1
    assertThat(after.get(0).values()).allMatch(p -> p >= 0 && p <= 1);
  }

  @Test
  void evaluationHasOneRowPerFindingAndTheirMeanAuc() {
    Evaluation ev = model.evaluate(data);
    assertThat(ev.multiLabel()).isTrue();
    assertThat(ev.findings())
        .extracting(FindingEvaluation::finding)
        .containsExactly("Effusion", "Cardiomegaly");
    for (FindingEvaluation f : ev.findings()) {
      assertThat(f.files()).hasSize(48); // every image takes part in a multi-label task
      assertThat(f.auc()).isBetween(0.0, 1.0);
    }
    double mean = (ev.findings().get(0).auc() + ev.findings().get(1).auc()) / 2;
    assertThat(ev.meanAuc()).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-12));
    assertThatThrownBy(ev::metrics)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("take findings()");
  }

  @Test
  void theReportHasATableAndARocPerFindingAndGalleriesPerFinding(@TempDir Path out)
      throws Exception {
    String html = Files.readString(model.report(data, out));
    assertThat(html).contains("<h2>Findings</h2>", "<h2>ROC per finding</h2>");
    assertThat(html).contains("<td>Effusion</td>", "<td>Cardiomegaly</td>");
    assertThat(html).contains("multi-label, one sigmoid per finding: Effusion, Cardiomegaly");
    // its own training data: the warning of the training data
    assertThat(html).contains("This is the data the model was trained on");
  }

  @Test
  void aReportOnOtherFoldersHoldingTrainingImagesWarnsOfThem(@TempDir Path out) throws Exception {
    // the model trained on folder a; a report on folders a and b is not its training data as
    // given, but most of its images trained it
    Path file = model.report(second, out.resolve("b"));
    assertThat(Files.readString(file)).doesNotContain("used to train this model");
    // the training folder with the second one's images added: other data, but most of it trained
    // the model (a plain copy would be the training data: the fingerprint lets data move)
    Path merged = out.resolve("merged");
    copyTree(data, merged);
    copyTree(second.resolve("images"), merged.resolve("images"));
    List<String> rows = Files.readAllLines(second.resolve("Data_Entry_2017.csv"));
    Files.write(
        merged.resolve("Data_Entry_2017.csv"),
        rows.subList(1, rows.size()),
        java.nio.file.StandardOpenOption.APPEND);
    String html = Files.readString(model.report(merged, out.resolve("c")));
    assertThat(html).doesNotContain("This is the data the model was trained on");
    assertThat(html).containsPattern("warning: \\d+ of 72 report images were used to train");
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else if (!Files.exists(t)) {
          Files.copy(p, t);
        }
      }
    }
  }

  @Test
  void explainNamesTheFindingAndRefusesOneTheModelLacks() throws Exception {
    Path image;
    try (Stream<Path> s = Files.list(data.resolve("images"))) {
      image = s.sorted().findFirst().orElseThrow();
    }
    var ex = model.explain(List.of(image), "cardiomegaly");
    assertThat(ex.get(0).label()).isEqualTo("Cardiomegaly");
    assertThat(ex.get(0).probability())
        .isEqualTo(model.predict(List.of(image)).get(0).get("Cardiomegaly"));
    assertThatThrownBy(() -> model.explain(List.of(image), "Nodule"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Nodule");
  }

  @Test
  void anImageInMemoryIsScoredAndExplainedAsItsFile() throws Exception {
    Path image;
    try (Stream<Path> s = Files.list(data.resolve("images"))) {
      image = s.sorted().skip(1).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(image);
    var fromFile = model.explain(List.of(image), "Effusion").get(0);
    var fromBytes =
        model.explainInputs(List.of(model.prepare("upload.png", bytes)), "Effusion").get(0);
    assertThat(fromBytes.source().inMemory()).isTrue();
    assertThat(fromBytes.image()).isEqualTo(Path.of("upload.png"));
    assertThat(fromBytes.probability()).isEqualTo(fromFile.probability());
    assertThat(fromBytes.coarse()).isEqualTo(fromFile.coarse());
    java.awt.image.BufferedImage a = fromFile.renderOverlay(64);
    java.awt.image.BufferedImage b = fromBytes.renderOverlay(64);
    assertThat(b.getWidth()).isEqualTo(a.getWidth());
    assertThat(b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth()))
        .as("the overlay is drawn from the bytes, pixel for pixel as from the file")
        .isEqualTo(a.getRGB(0, 0, a.getWidth(), a.getHeight(), null, 0, a.getWidth()));
    // test-time variants apply to prepared inputs as to files
    CxrModel tta = model.withTta(3);
    assertThat(tta.predictInputs(List.of(tta.prepare("upload.png", bytes))))
        .isEqualTo(tta.predict(List.of(image)))
        .isNotEqualTo(model.predict(List.of(image)));
  }

  @Test
  void severalDataFoldersAreOneDataSet() {
    CxrDataset both = CxrDataset.scan(List.of(data, second), null, false, null);
    assertThat(both.images()).hasSize(72);
    assertThat(both.roots()).containsExactly(data, second);
    Evaluation ev = model.evaluate(EvaluationRequest.of(data, second));
    assertThat(ev.files()).hasSize(72);
    assertThat(both.relativeName(second.resolve("images/x.png"))).isEqualTo("2/images/x.png");
  }

  @Test
  void anImageInTwoFoldersIsRefused(@TempDir Path copy) throws IOException {
    DemoData.builder().images(8).seed(5).size(64).build().writeTo(copy);
    assertThatThrownBy(() -> CxrDataset.scan(List.of(data, copy), null, false, null))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("is also in")
        .hasMessageContaining("give it once");
  }

  @Test
  void theSameFolderTwiceIsRefused() {
    assertThatThrownBy(() -> CxrDataset.scan(List.of(data, data), null, false, null))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("given twice");
  }

  @Test
  void lossesOfTheBinaryTaskAreRefusedForSeveralFindings() {
    assertThatThrownBy(
            () -> PipelineTest.tiny().findings("Effusion", "Nodule").classWeights(1, 5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("classWeights is for the one-finding task");
    assertThatThrownBy(() -> PipelineTest.tiny().findings("Effusion", "Nodle"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Nodle");
    // one finding is the binary task
    assertThat(PipelineTest.tiny().findings("effusion").build().config().task())
        .isEqualTo(CxrTask.EFFUSION);
  }

  @Test
  void aFoldModelIsEvaluatedAndCalibratedOnItsOwnHeldOutFold(@TempDir Path out) throws Exception {
    CrossValidation cv =
        PipelineTest.tiny()
            .findings("Effusion", "Cardiomegaly")
            .epochs(1)
            .build()
            .crossValidate(List.of(data), 2, out);
    assertThat(Files.readAllLines(out.resolve("folds.csv")).get(0))
        .isEqualTo("path,patient,fold,Effusion,Cardiomegaly");
    CxrModel fold = CxrModel.load(out.resolve("fold-2.zip"));
    // before the split had one home, a fold model's validation part was rebuilt as a plain
    // 80/20 split, whose fingerprint differs: evaluate and calibrate refused the training data
    Evaluation ev = fold.evaluate(EvaluationRequest.of(data).validationSplitOnly(true));
    List<String> heldOut =
        Files.readAllLines(out.resolve("folds.csv")).stream()
            .skip(1)
            .filter(l -> l.split(",")[2].equals("2"))
            .map(l -> l.split(",")[0])
            .sorted()
            .toList();
    assertThat(ev.files().stream().map(p -> p.toAbsolutePath().toString()).sorted().toList())
        .isEqualTo(heldOut);
    assertThat(cv.folds().get(1).validationImages()).isEqualTo(heldOut.size());
    CxrModel calibrated = fold.calibrate(data);
    assertThat(calibrated.info().validation().findings()).hasSize(2);
    assertThat(dev.cxr.core.evaluation.Evaluator.isTrainingData(fold.info(), List.of(data), null))
        .isTrue();
  }
}
