package dev.cxr.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.CxrPipeline;
import dev.cxr.core.data.Sampler;
import dev.cxr.loss.CostMatrixCrossEntropy;
import dev.cxr.loss.FocalLoss;
import dev.cxr.loss.WeightedCrossEntropy;
import dev.cxr.resnet.ResNetDepth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** The configuration records, their builders, limits and conflicts. */
class PipelineConfigTest {

  @Test
  void builderRejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> CxrPipeline.builder().resnet(19))
        .hasMessageContaining("resnet depth")
        .hasMessageContaining("19");
    assertThatThrownBy(() -> CxrPipeline.builder().classWeights(1, -5))
        .hasMessageContaining("-5.0");
    assertThatThrownBy(() -> CxrPipeline.builder().classWeights(1, 2, 3))
        .hasMessageContaining("2 weights");
    assertThatThrownBy(() -> CxrPipeline.builder().costMatrix(1, 5, 5))
        .hasMessageContaining("4 values");
    assertThatThrownBy(() -> CxrPipeline.builder().focal(-1)).hasMessageContaining("gamma");
    assertThatThrownBy(() -> CxrPipeline.builder().imageSize(8))
        .hasMessageContaining("imageSize")
        .hasMessageContaining("8");
    assertThatThrownBy(() -> CxrPipeline.builder().learningRate(0))
        .hasMessageContaining("learningRate");
    assertThatThrownBy(() -> CxrPipeline.builder().validationFraction(1))
        .hasMessageContaining("validationFraction");
    assertThatThrownBy(() -> CxrPipeline.builder().positive("Kitten"))
        .hasMessageContaining("Kitten");
    assertThatThrownBy(() -> CxrPipeline.builder().workers(0)).hasMessageContaining("workers");
    assertThatThrownBy(() -> CxrPipeline.builder().dropout(1)).hasMessageContaining("dropout");
    assertThatThrownBy(() -> CxrPipeline.builder().sgd(0.01, 1)).hasMessageContaining("momentum");
  }

  @Test
  void limitsComeFromTheNetworkLibrary() {
    assertThat(Limits.DEPTHS).isEqualTo(ResNetDepth.supported());
    // the largest size the network takes is accepted, one more is not
    PipelineConfig.builder().imageSize(Limits.MAX_IMAGE_SIZE).width(Limits.MAX_WIDTH).build();
    assertThatThrownBy(() -> PipelineConfig.builder().imageSize(Limits.MAX_IMAGE_SIZE + 1))
        .hasMessageContaining(String.valueOf(Limits.MAX_IMAGE_SIZE + 1));
    assertThatThrownBy(() -> PipelineConfig.builder().width(Limits.MAX_WIDTH + 1))
        .hasMessageContaining("width");
    assertThatThrownBy(() -> PipelineConfig.builder().ema(1.0)).hasMessageContaining("emaDecay");
    assertThatThrownBy(() -> PipelineConfig.builder().ema(-0.1)).hasMessageContaining("emaDecay");
    assertThat(PipelineConfig.builder().ema(0.95).build().emaDecay()).isEqualTo(0.95);
    assertThat(PipelineConfig.DEFAULTS.emaDecay()).isEqualTo(0.97);
  }

  @Test
  void recordsMadeDirectlyAreCheckedToo() {
    PipelineConfig d = PipelineConfig.DEFAULTS;
    assertThatThrownBy(
            () ->
                new PipelineConfig(
                    d.depth(),
                    false,
                    d.width(),
                    16,
                    d.batchSize(),
                    d.epochs(),
                    d.optimizer(),
                    d.learningRate(),
                    d.momentum(),
                    d.schedule(),
                    d.augmentation(),
                    d.loss(),
                    d.positive(),
                    false,
                    0.2,
                    42,
                    null,
                    5,
                    2,
                    0,
                    0,
                    false,
                    false,
                    null,
                    Sampler.NATURAL,
                    Selection.AUTO,
                    0.0,
                    List.of(),
                    null,
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("imageSize must be in [32, 4096] but was 16");
    assertThatThrownBy(
            () -> new LossSpec(LossSpec.Kind.CLASS_WEIGHTS, List.of(1.0, -2.0), List.of(), 0))
        .hasMessageContaining("classWeights[1]");
    assertThatThrownBy(
            () ->
                new LossSpec(
                    LossSpec.Kind.COST_MATRIX,
                    List.of(),
                    List.of(List.of(1.0, 5.0), List.of(5.0)),
                    0))
        .hasMessageContaining("square");
    assertThatThrownBy(() -> new LossSpec(LossSpec.Kind.CROSS_ENTROPY, List.of(1.0), List.of(), 0))
        .hasMessageContaining("takes no weights");
  }

  @Test
  void conflictingCallsFailNamingBoth() {
    assertThatThrownBy(() -> CxrPipeline.builder().adam(1e-3).sgd(0.01, 0.9))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sgd(...)")
        .hasMessageContaining("adam(...)");
    assertThatThrownBy(() -> CxrPipeline.builder().classWeights(1, 5).focal(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("focal(...) conflicts with classWeights(...)");
    assertThatThrownBy(() -> CxrPipeline.builder().resume(Path.of("a")).checkpointDir(Path.of("b")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("checkpointDir(...) conflicts with resume(...)");
    assertThatThrownBy(() -> CxrPipeline.builder().checkpointDir(Path.of("b")).resume(Path.of("a")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("resume(...) conflicts with checkpointDir(...)");
    // the same call again replaces its value; learningRate alone does not pick an optimiser
    PipelineConfig c =
        PipelineConfig.builder()
            .classWeights(1, 5)
            .classWeights(1, 9)
            .sgd(0.1, 0.5)
            .learningRate(0.2)
            .build();
    assertThat(c.loss()).isEqualTo(LossSpec.classWeights(1, 9));
    assertThat(c.optimizer()).isEqualTo(Optimizer.SGD);
    assertThat(c.learningRate()).isEqualTo(0.2);
  }

  @Test
  void buildNeverChangesTheBuilderAndDefaultsAreTheRecordsDefaults() {
    PipelineConfig.Builder b = PipelineConfig.builder().epochs(3);
    PipelineConfig first = b.build();
    assertThat(b.build()).isEqualTo(first);
    assertThat(b.epochs(4).build().epochs()).isEqualTo(4);
    assertThat(first.epochs()).isEqualTo(3);
    assertThat(PipelineConfig.builder().build()).isEqualTo(PipelineConfig.DEFAULTS);
    assertThat(CxrPipeline.builder().build().config()).isEqualTo(PipelineConfig.DEFAULTS);
    assertThat(PipelineConfig.DEFAULTS.toBuilder().build()).isEqualTo(PipelineConfig.DEFAULTS);
  }

  @Test
  void theRunSeedIsTheAugmentationSeed() {
    PipelineConfig c =
        PipelineConfig.builder()
            .augmentation(CxrAugmentation.medicalSafe().withSeed(3))
            .seed(7)
            .build();
    assertThat(c.augmentation().seed()).isEqualTo(7);
    assertThat(c.describe().get("augmentation")).contains("seed=7");
  }

  @Test
  void resumeComparesAsDataIgnoringOnlyTheFieldsThatMayChange() {
    PipelineConfig a = PipelineConfig.builder().seed(1).build();
    PipelineConfig changedRunOnly =
        a.toBuilder().epochs(99).patience(0).workers(1).checkpointDir(Path.of("x")).build();
    assertThat(changedRunOnly.differenceFrom(a)).isEmpty();
    List<String> differences = new ArrayList<>();
    a.toBuilder().l2(1e-4).build().differenceFrom(a).ifPresent(differences::add);
    a.toBuilder()
        .augmentation(CxrAugmentation.none())
        .build()
        .differenceFrom(a)
        .ifPresent(differences::add);
    assertThat(differences).hasSize(2);
    assertThat(differences.get(0)).isEqualTo("l2 = 0.0 but this run has 1.0E-4");
    assertThat(differences.get(1)).startsWith("augmentation = ");
    assertThat(PipelineConfig.MAY_CHANGE_ON_RESUME)
        .containsExactlyInAnyOrder("epochs", "patience", "checkpointDir", "workers");
  }

  @Test
  void lossSpecsBuildCxrLossesAndHandOutNoMutableState() {
    assertThat(LossSpec.CROSS_ENTROPY.toLossFunction()).isInstanceOf(LossMCXENT.class);
    assertThat(LossSpec.classWeights(1, 5).toLossFunction())
        .isInstanceOf(WeightedCrossEntropy.class);
    assertThat(LossSpec.costMatrix(1, 5, 5, 1).toLossFunction())
        .isInstanceOf(CostMatrixCrossEntropy.class);
    assertThat(LossSpec.focal(2).toLossFunction()).isInstanceOf(FocalLoss.class);
    LossSpec spec = LossSpec.costMatrix(1, 5, 5, 1);
    assertThat(spec.costMatrix()).containsExactly(List.of(1.0, 5.0), List.of(5.0, 1.0));
    assertThatThrownBy(() -> spec.costMatrix().get(0).set(0, 9.0))
        .isInstanceOf(UnsupportedOperationException.class);
    double[] weights = {1, 5};
    LossSpec w = LossSpec.classWeights(weights);
    weights[1] = 100;
    assertThat(w.weights()).containsExactly(1.0, 5.0);
    assertThat(w.describe()).isEqualTo("class-weighted cross-entropy [1.0, 5.0]");
  }

  @Test
  void scheduleRates() {
    assertThat(Schedule.STEP.rate(0.01, 3, 10)).isCloseTo(0.00125, within(1e-12));
    assertThat(Schedule.COSINE.rate(0.01, 0, 10)).isCloseTo(0.01, within(1e-12));
    assertThat(Schedule.COSINE.rate(0.01, 5, 10)).isCloseTo(0.005, within(1e-12));
    assertThat(Schedule.CONSTANT.rate(0.01, 7, 10)).isEqualTo(0.01);
    assertThat(Optimizer.SGD.defaultLearningRate()).isEqualTo(0.01);
  }
}
