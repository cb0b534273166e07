package dev.cxr.resnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** Allocated networks at tiny width: shapes, heads, seeds, JSON and model files. */
class ResNetNetworkTest {

  private static INDArray images(int batch, int channels, int height, int width, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] pixels = new float[batch * channels * height * width];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextDouble();
    }
    return Nd4j.create(pixels, new long[] {batch, channels, height, width});
  }

  @ParameterizedTest(name = "depth {0}, pre-activation {1}, {2}x{3}")
  @CsvSource({
    "18, false, 32, 32",
    "18, true, 48, 64",
    "50, false, 64, 64",
    "50, true, 48, 64",
    "34, true, 32, 32"
  })
  void everyActivationHasTheShapeTheSummaryPredicts(int depth, boolean pre, int height, int width) {
    ResNetConfig config =
        ResNets.builder()
            .depth(depth)
            .preActivation(pre)
            .width(4)
            .inputShape(1, height, width)
            .classes(3)
            .config();
    ComputationGraph graph = ResNets.graph(config);
    ResNetSummary summary = ResNetSummary.of(config);

    Map<String, INDArray> activations = graph.feedForward(images(2, 1, height, width, 1), false);

    assertThat(activations.keySet())
        .containsExactlyInAnyOrderElementsOf(
            summary.rows().stream().map(ResNetSummary.Row::name).toList());
    for (ResNetSummary.Row row : summary.rows()) {
      long[] shape = activations.get(row.name()).shape();
      assertThat(shape[0]).isEqualTo(2);
      assertThat(Arrays.stream(shape).skip(1).boxed().toList())
          .as(row.name())
          .isEqualTo(row.outputShape());
    }
    INDArray out = activations.get("output");
    assertThat(out.shape()).containsExactly(2, 3);
    assertThat(out.sum(1).toDoubleVector()).containsExactly(new double[] {1, 1}, offset(1e-5));
  }

  @Test
  void spatialSizesFollowTorchvision() {
    ResNetSummary square = ResNetSummary.of(ResNets.builder().depth(18).inputSize(224).config());
    ResNetSummary rectangular =
        ResNetSummary.of(ResNets.builder().depth(18).inputSize(48, 64).config());

    assertThat(shape(square, "stem_conv")).containsExactly(64L, 112L, 112L);
    assertThat(shape(square, "stem_pool")).containsExactly(64L, 56L, 56L);
    assertThat(shape(square, "s2_b1_relu")).containsExactly(128L, 28L, 28L);
    assertThat(shape(square, "s4_b2_relu")).containsExactly(512L, 7L, 7L);
    // 48x64 -> 24x32 -> 12x16 -> 6x8 -> 3x4 -> 2x2 (floor((n + 2 - 3) / 2) + 1 at odd sizes)
    assertThat(shape(rectangular, "stem_pool")).containsExactly(64L, 12L, 16L);
    assertThat(shape(rectangular, "s3_b2_relu")).containsExactly(256L, 3L, 4L);
    assertThat(shape(rectangular, "s4_b2_relu")).containsExactly(512L, 2L, 2L);
  }

  private static List<Long> shape(ResNetSummary s, String name) {
    return s.rows().stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow()
        .outputShape();
  }

  @Test
  void sigmoidHeadGivesIndependentProbabilities() {
    ComputationGraph graph =
        ResNets.builder()
            .stages(1, 1)
            .width(4)
            .inputSize(32)
            .classes(4)
            .headActivation(HeadActivation.SIGMOID)
            .build();

    INDArray out = graph.outputSingle(false, images(5, 1, 32, 32, 2));

    assertThat(out.shape()).containsExactly(5, 4);
    for (double p : out.ravel().toDoubleVector()) {
      assertThat(p).isStrictlyBetween(0.0, 1.0);
    }
    // independent outputs: rows are not normalised to 1 the way softmax rows are
    double[] rowSums = out.sum(1).toDoubleVector();
    assertThat(Arrays.stream(rowSums).map(s -> Math.abs(s - 1)).max().orElseThrow())
        .isGreaterThan(0.1);
  }

  @Test
  void sameSeedSameWeightsOtherSeedOtherWeights() {
    ResNets.Builder b = ResNets.builder().stages(1, 1).width(4).inputSize(32);

    INDArray a = b.seed(1).build().params();
    INDArray again = b.seed(1).build().params();
    INDArray other = b.seed(2).build().params();

    assertThat(again).isEqualTo(a);
    assertThat(other).isNotEqualTo(a);
  }

  @Test
  void dataTypeReachesTheParameters() {
    assertThat(ResNets.builder().stages(1).width(4).inputSize(32).build().params().dataType())
        .isEqualTo(DataType.FLOAT);
    assertThat(
            ResNets.builder()
                .stages(1)
                .width(4)
                .inputSize(32)
                .dataType(DataType.DOUBLE)
                .build()
                .params()
                .dataType())
        .isEqualTo(DataType.DOUBLE);
  }

  @ParameterizedTest(name = "depth {0}, pre-activation {1}")
  @CsvSource({"18, false", "18, true", "50, false", "152, true"})
  void configurationSurvivesJson(int depth, boolean pre) {
    ComputationGraphConfiguration conf =
        ResNets.builder()
            .depth(depth)
            .preActivation(pre)
            .inputSize(64)
            .dropout(0.2)
            .l2(5e-4)
            .buildConfiguration();

    ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());

    assertThat(back).isEqualTo(conf);
    assertThat(back.toJson()).isEqualTo(conf.toJson());
  }

  @Test
  void weightedLossAndSigmoidHeadSurviveJson() {
    ComputationGraphConfiguration weighted =
        ResNets.builder()
            .stages(1, 1)
            .width(4)
            .inputSize(32)
            .loss(new LossMCXENT(Nd4j.create(new double[] {1, 5})))
            .buildConfiguration();
    ComputationGraphConfiguration sigmoid =
        ResNets.builder()
            .stages(1, 1)
            .width(4)
            .inputSize(32)
            .classes(3)
            .headActivation(HeadActivation.SIGMOID)
            .buildConfiguration();

    assertThat(ComputationGraphConfiguration.fromJson(weighted.toJson())).isEqualTo(weighted);
    assertThat(ComputationGraphConfiguration.fromJson(sigmoid.toJson())).isEqualTo(sigmoid);
    assertThat(ComputationGraphConfiguration.fromJson(sigmoid.toJson()))
        .isNotEqualTo(ComputationGraphConfiguration.fromJson(weighted.toJson()));
  }

  @ParameterizedTest(name = "pre-activation {0}")
  @CsvSource({"false", "true"})
  void modelFileRestoresIdenticalOutputs(boolean pre, @TempDir Path dir) throws IOException {
    ComputationGraph graph =
        ResNets.builder()
            .depth(18)
            .preActivation(pre)
            .width(4)
            .inputSize(32)
            .dropout(0.2)
            .l2(1e-4)
            .build();
    INDArray x = images(4, 1, 32, 32, 3);
    INDArray y = Nd4j.create(new float[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}});
    graph.fit(
        new DataSet(x, y)); // moves weights, BN running statistics and Adam state off their start
    File file = dir.resolve("resnet.zip").toFile();

    ModelSerializer.writeModel(graph, file, true);
    ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

    assertThat(restored.getConfiguration()).isEqualTo(graph.getConfiguration());
    assertThat(restored.params()).isEqualTo(graph.params());
    assertThat(restored.getUpdater().getStateViewArray())
        .isEqualTo(graph.getUpdater().getStateViewArray());
    assertThat(restored.outputSingle(false, x)).isEqualTo(graph.outputSingle(false, x));
    assertThat(ResNetSummary.of(restored, InputType.convolutional(32, 32, 1)))
        .isEqualTo(ResNetSummary.of(graph, InputType.convolutional(32, 32, 1)));
  }
}
