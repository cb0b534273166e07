package dev.cxr.resnet.bn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link FusedBatchNormalization} against DL4J's own {@code BatchNormalization} (followed by a ReLU
 * where fused): same parameters in, same outputs, input gradients, parameter gradients and running
 * statistics updates out, in training and inference mode; plus a numerical gradient check and a
 * save/load round trip.
 */
class FusedBatchNormalizationTest {

  private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();
  private static final String GAMMA = BatchNormalizationParamInitializer.GAMMA;
  private static final String BETA = BatchNormalizationParamInitializer.BETA;
  private static final String MEAN = BatchNormalizationParamInitializer.GLOBAL_MEAN;
  private static final String LOG_STD = BatchNormalizationParamInitializer.GLOBAL_LOG_STD;

  /**
   * {@code permuted}: input and upstream gradient are permuted views (NHWC memory seen as NCHW), as
   * DL4J's built-in convolution returns; libnd4j's reductions mis-handle some of those.
   */
  @ParameterizedTest(name = "{0}, relu {1}, rank {2}, permuted {3}, cxr's kernel {4}")
  @CsvSource({
    "FLOAT, false, 4, false, true",
    "FLOAT, true, 4, false, true",
    "DOUBLE, false, 4, false, true",
    "DOUBLE, true, 4, false, true",
    "FLOAT, true, 4, true, true",
    "DOUBLE, false, 4, true, true",
    "FLOAT, true, 2, false, true",
    "DOUBLE, false, 2, false, true",
    "FLOAT, false, 4, false, false",
    "FLOAT, true, 4, true, false"
  })
  void matchesDl4jBatchNormalization(
      DataType type, boolean relu, int rank, boolean permuted, boolean kernel) {
    BatchNormKernel.setEnabled(kernel);
    try {
      compareWithDl4j(type, relu, rank, permuted);
    } finally {
      BatchNormKernel.setEnabled(true);
    }
  }

  private void compareWithDl4j(DataType type, boolean relu, int rank, boolean permuted) {
    int channels = 5;
    long[] shape = rank == 4 ? new long[] {3, channels, 6, 7} : new long[] {8, channels};
    // tolerance relative to the largest magnitude of each compared array
    double tolerance = type == DataType.DOUBLE ? 1e-10 : 2e-5;

    Layer dl4j = layer(new BatchNormalization.Builder().nIn(channels).nOut(channels).build(), type);
    FusedBatchNormalization fusedConf = FusedBatchNormalization.builder().relu(relu).build();
    fusedConf.setNIn(channels);
    fusedConf.setNOut(channels);
    Layer fused = layer(fusedConf, type);
    assertThat(fused).isInstanceOf(FusedBatchNormalizationLayer.class);
    assertThat(fused.numParams()).isEqualTo(dl4j.numParams()).isEqualTo(4L * channels);

    Random random = new Random(3);
    INDArray params = Nd4j.create(type, 1, 4 * channels);
    for (int i = 0; i < 4 * channels; i++) {
      params.putScalar(i, random.nextGaussian() * 0.5 + (i < channels ? 1 : 0));
    }
    dl4j.setParams(params.dup());
    fused.setParams(params.dup());
    // a shifted, scaled input: batch mean and variance far from 0 and 1
    INDArray x = random(type, shape, permuted).muli(2.5).addi(1.5);
    INDArray upstream = random(type, shape, permuted);
    INDArray xBefore = x.dup();
    INDArray upstreamBefore = upstream.dup();

    for (int round = 0; round < 2; round++) {
      dl4j.setInput(x.dup(), NO_WS);
      fused.setInput(x, NO_WS); // the view itself
      INDArray expected = dl4j.activate(true, NO_WS);
      if (relu) {
        expected = Transforms.relu(expected, true);
      }
      INDArray actual = fused.activate(true, NO_WS);
      assertClose("training output", actual, expected, tolerance);

      INDArray bnUpstream = relu ? upstream.mul(expected.gt(0).castTo(type)) : upstream.dup();
      Pair<Gradient, INDArray> expectedBp = dl4j.backpropGradient(bnUpstream, NO_WS);
      Pair<Gradient, INDArray> actualBp = fused.backpropGradient(upstream, NO_WS);
      assertClose("input gradient", actualBp.getSecond(), expectedBp.getSecond(), tolerance);
      Map<String, INDArray> expectedGrads = expectedBp.getFirst().gradientForVariable();
      Map<String, INDArray> actualGrads = actualBp.getFirst().gradientForVariable();
      assertThat(actualGrads.keySet()).containsExactlyElementsOf(expectedGrads.keySet());
      assertThat(actualGrads.keySet()).containsExactly(GAMMA, BETA, MEAN, LOG_STD);
      for (String key : expectedGrads.keySet()) {
        assertClose(key + " gradient", actualGrads.get(key), expectedGrads.get(key), tolerance);
      }
      // what the no-op updater does with the running statistics' "gradients", then round two
      // starts from the updated running statistics
      for (String key : new String[] {MEAN, LOG_STD}) {
        dl4j.getParam(key).subi(expectedGrads.get(key));
        fused.getParam(key).subi(actualGrads.get(key));
      }
      assertClose("running mean", fused.getParam(MEAN), dl4j.getParam(MEAN), tolerance);
    }
    INDArray expectedInference = dl4j.activate(x.dup(), false, NO_WS);
    if (relu) {
      expectedInference = Transforms.relu(expectedInference, true);
    }
    assertThat(x).as("input left untouched").isEqualTo(xBefore);
    assertThat(upstream).as("upstream gradient left untouched").isEqualTo(upstreamBefore);
    assertClose("inference output", fused.activate(x, false, NO_WS), expectedInference, tolerance);
  }

  @Test
  void updatesRunningStatisticsWithDl4jDecayConvention() {
    FusedBatchNormalization conf = FusedBatchNormalization.builder().decay(0.75).build();
    conf.setNIn(2);
    conf.setNOut(2);
    Layer layer = layer(conf, DataType.DOUBLE);
    // channel 0: values 1, 3 (mean 2, biased variance 1); channel 1: 0, 4 (mean 2, variance 4)
    INDArray x = Nd4j.create(new double[][] {{1, 0}, {3, 4}});
    layer.activate(x, true, NO_WS);
    Gradient g = layer.backpropGradient(Nd4j.ones(DataType.DOUBLE, 2, 2), NO_WS).getFirst();
    layer.getParam(MEAN).subi(g.getGradientFor(MEAN));
    layer.getParam(LOG_STD).subi(g.getGradientFor(LOG_STD));
    // running mean 0 -> 0.75 * 0 + 0.25 * 2; running variance 1 -> 0.75 * 1 + 0.25 * var
    assertThat(layer.getParam(MEAN).toDoubleVector()).containsExactly(new double[] {0.5, 0.5});
    double[] log10Std = layer.getParam(LOG_STD).toDoubleVector();
    assertThat(Math.pow(10, 2 * log10Std[0])).isCloseTo(1.0, within(1e-12));
    assertThat(Math.pow(10, 2 * log10Std[1])).isCloseTo(1.75, within(1e-12));
  }

  @Test
  void refusesLockedGammaAndBeta() {
    FusedBatchNormalization conf = FusedBatchNormalization.builder().build();
    conf.setNIn(2);
    conf.setNOut(2);
    conf.setLockGammaBeta(true);
    assertThatThrownBy(() -> layer(conf, DataType.FLOAT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lockGammaBeta");
    assertThatThrownBy(() -> FusedBatchNormalization.builder().decay(1.5))
        .hasMessageContaining("decay");
    assertThatThrownBy(() -> FusedBatchNormalization.builder().eps(0)).hasMessageContaining("eps");
  }

  @Test
  void gradientCheckInDoublePrecision() {
    DataType previousDefault = Nd4j.dataType();
    DataType previousFloatingDefault = Nd4j.defaultFloatingPointType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      gradientCheck();
    } finally {
      Nd4j.setDefaultDataTypes(previousDefault, previousFloatingDefault);
    }
  }

  private void gradientCheck() {
    ComputationGraph graph = tinyGraph(DataType.DOUBLE, new NoOp(), 1, 2, WorkspaceMode.NONE);
    INDArray features = Nd4j.rand(DataType.DOUBLE, 3, 1, 6, 6).subi(0.3);
    INDArray labels = Nd4j.create(new double[][] {{1, 0}, {0, 1}, {1, 0}});
    Set<String> runningStatistics =
        Set.of("bn1_" + MEAN, "bn1_" + LOG_STD, "bn2_" + MEAN, "bn2_" + LOG_STD);
    boolean ok =
        GradientCheckUtil.checkGradients(
            new GradientCheckUtil.GraphConfig()
                .net(graph)
                .inputs(new INDArray[] {features})
                .labels(new INDArray[] {labels})
                .excludeParams(runningStatistics)
                .epsilon(1e-6)
                .maxRelError(1e-3)
                .minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    assertThat(ok).as("gradient check").isTrue();
  }

  @Test
  void savedModelReloadsWithIdenticalOutputs(@TempDir Path dir) throws Exception {
    ComputationGraph graph = tinyGraph(DataType.FLOAT, new Adam(0.01), 2, 3, WorkspaceMode.ENABLED);
    INDArray features = Nd4j.rand(DataType.FLOAT, 4, 2, 6, 6);
    INDArray labels = Nd4j.create(new float[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}});
    for (int i = 0; i < 3; i++) {
      graph.fit(new org.nd4j.linalg.dataset.DataSet(features, labels));
    }
    File file = dir.resolve("model.zip").toFile();
    ModelSerializer.writeModel(graph, file, true);
    ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);

    assertThat(restored.getConfiguration()).isEqualTo(graph.getConfiguration());
    FusedBatchNormalization bn1 =
        (FusedBatchNormalization) restored.getLayer("bn1").conf().getLayer();
    assertThat(bn1.isRelu()).isTrue();
    assertThat(((FusedBatchNormalization) restored.getLayer("bn2").conf().getLayer()).isRelu())
        .isFalse();
    assertThat(restored.getLayer("bn1")).isInstanceOf(FusedBatchNormalizationLayer.class);
    assertThat(restored.params()).isEqualTo(graph.params());
    assertThat(restored.outputSingle(false, features))
        .isEqualTo(graph.outputSingle(false, features));

    String json = graph.getConfiguration().toJson();
    assertThat(json).contains(FusedBatchNormalization.class.getName());
    assertThat(ComputationGraphConfiguration.fromJson(json)).isEqualTo(graph.getConfiguration());
    // and training continues from the restored updater state identically
    graph.fit(new org.nd4j.linalg.dataset.DataSet(features, labels));
    restored.fit(new org.nd4j.linalg.dataset.DataSet(features, labels));
    assertThat(restored.params()).isEqualTo(graph.params());
  }

  /** conv - BN+ReLU - conv - BN - global average pool - softmax. */
  private static ComputationGraph tinyGraph(
      DataType type,
      org.nd4j.linalg.learning.config.IUpdater u,
      int channels,
      int filters,
      WorkspaceMode mode) {
    ComputationGraphConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(5)
            .dataType(type)
            .updater(u)
            .activation(Activation.IDENTITY)
            .trainingWorkspaceMode(mode)
            .inferenceWorkspaceMode(mode)
            .graphBuilder()
            .addInputs("in")
            .setInputTypes(InputType.convolutional(6, 6, channels))
            .addLayer(
                "conv1",
                new ConvolutionLayer.Builder(3, 3)
                    .nOut(filters)
                    .padding(1, 1)
                    .hasBias(false)
                    .build(),
                "in")
            .addLayer("bn1", FusedBatchNormalization.builder().relu(true).build(), "conv1")
            .addLayer(
                "conv2",
                new ConvolutionLayer.Builder(3, 3)
                    .nOut(filters)
                    .padding(1, 1)
                    .hasBias(false)
                    .build(),
                "bn1")
            .addLayer("bn2", FusedBatchNormalization.builder().build(), "conv2")
            .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "bn2")
            .addLayer(
                "out",
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .nOut(2)
                    .activation(Activation.SOFTMAX)
                    .build(),
                "pool")
            .setOutputs("out")
            .build();
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init();
    return graph;
  }

  private static INDArray random(DataType type, long[] shape, boolean permuted) {
    if (!permuted) {
      return Nd4j.randn(type, shape);
    }
    return Nd4j.randn(type, shape[0], shape[2], shape[3], shape[1]).permute(0, 3, 1, 2);
  }

  private static Layer layer(org.deeplearning4j.nn.conf.layers.Layer layerConf, DataType type) {
    NeuralNetConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .dataType(type)
            .updater(new NoOp())
            .layer(layerConf)
            .build();
    long n = conf.getLayer().initializer().numParams(conf);
    INDArray params = Nd4j.create(type, 1, n);
    Layer layer = conf.getLayer().instantiate(conf, null, 0, params, true, type);
    layer.setBackpropGradientsViewArray(Nd4j.create(type, 1, n));
    return layer;
  }

  private static void assertClose(String what, INDArray actual, INDArray expected, double rel) {
    assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
    double scale = Math.max(1e-12, expected.amaxNumber().doubleValue());
    double diff =
        actual
            .castTo(DataType.DOUBLE)
            .sub(expected.castTo(DataType.DOUBLE))
            .amaxNumber()
            .doubleValue();
    assertThat(diff / scale)
        .as(what + ": largest difference relative to largest value")
        .isLessThan(rel);
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }
}
