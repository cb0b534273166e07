package dev.cxr.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.CxrModel;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.config.Selection;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.Sample;
import dev.cxr.core.provenance.EpochResult;
import dev.cxr.core.provenance.ModelFile;
import dev.cxr.phantoms.DemoData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nested selection: with {@link Selection#INNER} the kept epoch is chosen on an inner split of the
 * training patients, so the reported (outer) part never takes part in the choice.
 */
class NestedSelectionTest {
  @TempDir static Path shared;
  static Path data;

  @BeforeAll
  static void phantoms() throws IOException {
    data = shared.resolve("phantoms");
    DemoData.builder().images(40).seed(3).size(64).build().writeTo(data);
  }

  private static PipelineConfig config(Selection selection) {
    return PipelineConfig.builder()
        .width(4)
        .imageSize(32)
        .batchSize(8)
        .epochs(4)
        .augmentation(CxrAugmentation.seedArticle())
        .patience(0)
        .workers(2)
        .selectOn(selection)
        .build();
  }

  /** Records the inner AUCs and the epochs flagged best. */
  private static final class Recorder implements TrainingListener {
    final List<Double> inner = new ArrayList<>();
    final List<EpochResult> epochs = new ArrayList<>();

    @Override
    public void onSelectionScore(int epoch, double auc) {
      inner.add(auc);
    }

    @Override
    public void onEpochEnd(EpochResult result, boolean best) {
      epochs.add(result);
    }

    int argmaxInner() {
      int best = 0;
      for (int i = 1; i < inner.size(); i++) {
        if (inner.get(i) > inner.get(best)) {
          best = i;
        }
      }
      return best + 1;
    }
  }

  /** The same split with every label of the validation part flipped. */
  private static PatientSplit flipped(PatientSplit s) {
    List<Sample> val = new ArrayList<>();
    for (Sample x : s.validation()) {
      float[] t = x.target();
      float[] f = {t[1], t[0]};
      val.add(new Sample(x.id(), x.path(), x.patientId(), f, !x.positive()));
    }
    return new PatientSplit(s.train(), val);
  }

  @Test
  void theOuterPartNeverChoosesTheEpoch() {
    PipelineConfig c = config(Selection.INNER);
    TrainingData d = TrainingData.read(c, data);
    PatientSplit split = d.split(c);
    Recorder plain = new Recorder();
    ModelFile.Contents a = new TrainingRun(c, plain).train(d, split, null, false);
    Recorder flip = new Recorder();
    ModelFile.Contents b = new TrainingRun(c, flip).train(d, flipped(split), null, false);

    // the choice follows the inner AUCs, which flipping the outer labels does not change ...
    assertThat(plain.inner).hasSize(4).isEqualTo(flip.inner);
    assertThat(a.info().bestEpoch()).isEqualTo(plain.argmaxInner());
    assertThat(b.info().bestEpoch()).isEqualTo(a.info().bestEpoch());
    assertThat(b.network().params()).isEqualTo(a.network().params());
    // ... while the outer AUCs it reports did change (flipped labels: 1 - AUC)
    for (int e = 0; e < 4; e++) {
      assertThat(flip.epochs.get(e).auc())
          .isCloseTo(1 - plain.epochs.get(e).auc(), org.assertj.core.data.Offset.offset(1e-9));
    }
    // the reported AUC is the outer AUC of the chosen epoch, and the threshold came from inside
    assertThat(a.info().validation().auc())
        .isEqualTo(plain.epochs.get(a.info().bestEpoch() - 1).auc());
    assertThat(b.info().threshold()).isEqualTo(a.info().threshold());
    // fewer images were trained on: the inner part was held out of the fit
    assertThat(a.info().trainImages()).isLessThan(split.train().size());
  }

  @Test
  void autoSelectsInnerOnlyForAHeldOutTestPart() {
    assertThat(Selection.AUTO.resolve(true)).isEqualTo(Selection.INNER);
    assertThat(Selection.AUTO.resolve(false)).isEqualTo(Selection.VALIDATION);
    assertThat(Selection.VALIDATION.resolve(true)).isEqualTo(Selection.VALIDATION);
    assertThat(PipelineConfig.DEFAULTS.selectOn()).isEqualTo(Selection.AUTO);
    Recorder r = new Recorder();
    PipelineConfig c = config(Selection.AUTO).toBuilder().epochs(2).build();
    TrainingData d = TrainingData.read(c, data);
    ModelFile.Contents m = new TrainingRun(c, r).train(d, d.split(c), null, false);
    assertThat(r.inner).isEmpty(); // a plain run chooses on its validation split, as before
    assertThat(m.info().validation().auc())
        .isEqualTo(r.epochs.stream().mapToDouble(EpochResult::auc).max().orElseThrow());
  }

  @Test
  void crossValidationReportsNestedLastAndOptimisticAndKeepsAnEnsemble(@TempDir Path out)
      throws IOException {
    Recorder r = new Recorder();
    PipelineConfig c = config(Selection.AUTO).toBuilder().epochs(2).build();
    CrossValidation cv =
        CrossValidator.run(c, r, java.util.List.of(data), 3, out, new DataReport(), null);
    assertThat(r.inner).hasSize(6); // every fold chose on an inner split
    assertThat(cv.folds()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(cv.optimistic().values().get(i))
          .isGreaterThanOrEqualTo(cv.nested().values().get(i))
          .isGreaterThanOrEqualTo(cv.last().values().get(i));
    }
    assertThat(cv.meanAuc()).isEqualTo(cv.nested().mean());
    // every image scored once, by the fold model that did not train on it
    assertThat(cv.outOfFold().files()).hasSize(40).doesNotHaveDuplicates();
    for (int i = 1; i <= 3; i++) {
      assertThat(out.resolve("fold-" + i + ".zip")).isRegularFile();
    }
    Path ensemble = out.resolve(CrossValidator.ENSEMBLE_FILE);
    CxrModel model = CxrModel.load(ensemble);
    assertThat(model.info().validation().auc()).isEqualTo(cv.outOfFoldAuc());
    assertThat(ModelFile.readEnsemble(ensemble).orElseThrow().members()).isEqualTo(3);
    Path image = cv.outOfFold().files().get(0);
    double p = model.predict(image).get("Effusion");
    double mean = 0;
    for (int i = 1; i <= 3; i++) {
      mean += CxrModel.load(out.resolve("fold-" + i + ".zip")).predict(image).get("Effusion") / 3;
    }
    assertThat(p).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(Files.size(ensemble)).isGreaterThan(Files.size(out.resolve("fold-1.zip")));
  }
}
