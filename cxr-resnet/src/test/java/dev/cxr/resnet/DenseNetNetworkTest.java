package dev.cxr.resnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.cxr.resnet.inference.InferenceGraph;
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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Allocated DenseNets at tiny width: shapes, training step, JSON, model files, inference copy. */
class DenseNetNetworkTest {

  private static DenseNets.Builder tiny() {
    return DenseNets.builder().blocks(2, 2).growthRate(4).initFeatures(8).bnSize(2);
  }

  private static INDArray images(int batch, int channels, int height, int width, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] pixels = new float[batch * channels * height * width];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextDouble();
    }
    return Nd4j.create(pixels, new long[] {batch, channels, height, width});
  }

  @ParameterizedTest(name = "{0}, {1}x{2}, blocks {3}")
  @CsvSource({"FUSED, 32, 32, 2", "DL4J, 32, 32, 2", "FUSED, 48, 64, 3", "DL4J, 40, 33, 4"})
  void everyActivationHasTheShapeTheSummaryPredicts(
      BatchNormImplementation batchNorm, int height, int width, int blocks) {
    int[] layers = new int[blocks];
    Arrays.fill(layers, 1);
    DenseNetConfig config =
        DenseNets.builder()
            .blocks(layers)
            .growthRate(4)
            .initFeatures(8)
            .bnSize(2)
            .inputShape(1, height, width)
            .classes(3)
            .batchNorm(batchNorm)
            .config();
    ComputationGraph graph = DenseNets.graph(config);
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
    assertThat(shape(summary, "pool")).containsExactly((long) config.featureChannels());
    INDArray out = activations.get("output");
    assertThat(out.shape()).containsExactly(2, 3);
    assertThat(out.sum(1).toDoubleVector()).containsExactly(new double[] {1, 1}, offset(1e-5));
  }

  @Test
  void spatialSizesFollowTorchvision() {
    ResNetSummary s = ResNetSummary.of(DenseNets.builder().depth(121).inputSize(224).config());

    assertThat(shape(s, "conv0")).containsExactly(64L, 112L, 112L);
    assertThat(shape(s, "pool0")).containsExactly(64L, 56L, 56L);
    assertThat(shape(s, "denseblock1_denselayer1_conv1")).containsExactly(128L, 56L, 56L);
    assertThat(shape(s, "denseblock1_denselayer1_concat")).containsExactly(96L, 56L, 56L);
    assertThat(shape(s, "denseblock1_denselayer6_concat")).containsExactly(256L, 56L, 56L);
    assertThat(shape(s, "transition1_pool")).containsExactly(128L, 28L, 28L);
    assertThat(shape(s, "transition2_pool")).containsExactly(256L, 14L, 14L);
    assertThat(shape(s, "transition3_pool")).containsExactly(512L, 7L, 7L);
    assertThat(shape(s, "norm5")).containsExactly(1024L, 7L, 7L);
    assertThat(shape(s, "pool")).containsExactly(1024L);
    // torchvision densenet121(num_classes=2), 1-channel conv0, one 224 px image: forward hooks
    // summing Hout*Wout*Cout*Cin*kH*kW over Conv2d and in*out over Linear give 2,754,463,744
    assertThat(s.forwardMultiplyAdds()).isEqualTo(2_754_463_744L);
  }

  private static List<Long> shape(ResNetSummary s, String name) {
    return s.rows().stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow()
        .outputShape();
  }

  @Test
  void aTrainingStepMovesWeightsAndRunningStatistics() {
    ComputationGraph graph = tiny().inputSize(32).build();
    INDArray before = graph.params().dup();
    INDArray x = images(4, 1, 32, 32, 3);
    INDArray y = Nd4j.create(new float[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}});

    graph.fit(new DataSet(x, y));

    assertThat(Double.isFinite(graph.score())).isTrue();
    for (String key : List.of("conv0_W", "denseblock2_denselayer2_conv2_W", "output_W")) {
      assertThat(graph.getParam(key)).as(key).isNotEqualTo(paramOf(graph, before, key));
    }
    assertThat(graph.getParam("norm5_mean")).isNotEqualTo(paramOf(graph, before, "norm5_mean"));
  }

  /** The parameter {@code key} in a copy of the flattened parameters taken earlier. */
  private static INDArray paramOf(ComputationGraph graph, INDArray flat, String key) {
    long offsetInFlat = 0;
    for (Map.Entry<String, INDArray> e : graph.paramTable().entrySet()) {
      if (e.getKey().equals(key)) {
        return flat.get(
            org.nd4j.linalg.indexing.NDArrayIndex.interval(
                offsetInFlat, offsetInFlat + e.getValue().length()));
      }
      offsetInFlat += e.getValue().length();
    }
    throw new AssertionError(key);
  }

  @ParameterizedTest(name = "DenseNet-{0}")
  @CsvSource({"121", "169", "201"})
  void configurationSurvivesJson(int depth) {
    ComputationGraphConfiguration conf =
        DenseNets.builder().depth(depth).inputSize(64).dropout(0.2).l2(5e-4).buildConfiguration();

    ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());

    assertThat(back).isEqualTo(conf);
    assertThat(back.toJson()).isEqualTo(conf.toJson());
  }

  @Test
  void weightedLossSigmoidHeadDl4jBatchNormAndScalingSurviveJson() {
    ComputationGraphConfiguration weighted =
        tiny()
            .inputSize(32)
            .loss(new LossMCXENT(Nd4j.create(new double[] {1, 5})))
            .batchNorm(BatchNormImplementation.DL4J)
            .buildConfiguration();
    ComputationGraphConfiguration sigmoid =
        tiny()
            .inputSize(32)
            .classes(3)
            .headActivation(HeadActivation.SIGMOID)
            .inputScaling(InputScaling.imageNet())
            .buildConfiguration();

    assertThat(ComputationGraphConfiguration.fromJson(weighted.toJson())).isEqualTo(weighted);
    assertThat(ComputationGraphConfiguration.fromJson(sigmoid.toJson())).isEqualTo(sigmoid);
  }

  @Test
  void modelFileRestoresIdenticalOutputs(@TempDir Path dir) throws IOException {
    ComputationGraph graph = tiny().inputSize(32).dropout(0.2).l2(1e-4).build();
    INDArray x = images(4, 1, 32, 32, 3);
    INDArray y = Nd4j.create(new float[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}});
    graph.fit(new DataSet(x, y));
    File file = dir.resolve("densenet.zip").toFile();

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

  @Test
  void foldedInferenceCopyGivesTheSameOutputs() {
    ComputationGraph graph = tiny().inputSize(32).classes(3).build();
    INDArray x = images(3, 1, 32, 32, 4);
    INDArray y = Nd4j.create(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
    graph.fit(new DataSet(x, y)); // running statistics off their start
    InferenceGraph inference = InferenceGraph.of(graph);
    INDArray folded = inference.refresh().output(x);

    // conv0 -> norm0 and every conv1 -> norm2 fold; the other batch norms follow a concatenation
    // or a pooling and are copied
    assertThat(inference.foldedBatchNorms()).isEqualTo(1 + 4);

    assertThat(Transforms.abs(folded.sub(graph.outputSingle(false, x))).maxNumber().doubleValue())
        .isLessThan(1e-5);
  }
}
