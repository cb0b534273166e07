package dev.cxr.resnet.residual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.resnet.ResNets;
import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link AddRelu}: DL4J's numerical gradient check, equality with DL4J's {@code
 * ElementWiseVertex(Add)} + ReLU layer inside a whole ResNet (outputs, gradients, parameters after
 * Adam steps, with DL4J's workspaces as {@code fit} runs), and a model-file round trip.
 */
class AddReluTest {

  /**
   * input -> a = conv3x3, b = conv1x1 of the input; r = relu(a + b); r feeds both another
   * convolution and a second AddRelu with it (a fan-out, whose gradients DL4J sums in place), then
   * pooling and a softmax head. Double precision, no workspaces, as DL4J's gradient checks run.
   */
  @Test
  void backpropagationMatchesNumericalGradients() {
    DataType previousDefault = Nd4j.dataType();
    DataType previousFloatingDefault = Nd4j.defaultFloatingPointType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    try {
      checkGradients();
    } finally {
      Nd4j.setDefaultDataTypes(previousDefault, previousFloatingDefault);
    }
  }

  private static void checkGradients() {
    ComputationGraphConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(3)
            .dataType(DataType.DOUBLE)
            .updater(new NoOp())
            .activation(Activation.IDENTITY)
            .convolutionMode(ConvolutionMode.Same)
            .trainingWorkspaceMode(WorkspaceMode.NONE)
            .inferenceWorkspaceMode(WorkspaceMode.NONE)
            .graphBuilder()
            .addInputs("in")
            .setInputTypes(InputType.convolutional(6, 6, 2))
            .addLayer("a", new ConvolutionLayer.Builder(3, 3).nOut(3).build(), "in")
            .addLayer("b", new ConvolutionLayer.Builder(1, 1).nOut(3).build(), "in")
            .addVertex("r", new AddRelu(), "a", "b")
            .addLayer("c", new ConvolutionLayer.Builder(3, 3).nOut(3).build(), "r")
            .addVertex("r2", new AddRelu(), "c", "r")
            .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "r2")
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
    Random random = new Random(5);
    INDArray features =
        Nd4j.create(random.doubles(3 * 2 * 36L, -1, 1).toArray(), new long[] {3, 2, 6, 6});
    INDArray labels = Nd4j.create(new double[][] {{1, 0}, {0, 1}, {1, 0}});

    boolean ok =
        GradientCheckUtil.checkGradients(
            new GradientCheckUtil.GraphConfig()
                .net(graph)
                .inputs(new INDArray[] {features})
                .labels(new INDArray[] {labels})
                .epsilon(1e-6)
                .maxRelError(1e-3)
                .minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));

    assertThat(ok).as("gradient check").isTrue();
    // the ReLU is really there: some sums are negative and come out as zeros
    INDArray r = graph.feedForward(features, false).get("r");
    assertThat(r.minNumber().doubleValue()).isEqualTo(0.0);
    assertThat(r.eq(0).castTo(DataType.INT32).sumNumber().intValue()).isPositive();
  }

  /** The fused graph computes what DL4J's add vertex + ReLU layer compute, step after step. */
  @Test
  void resNetGivesTheSameOutputsGradientsAndTrainingStepsAsDl4jsAddAndReluLayer() {
    ComputationGraph fused = resNet(true);
    ComputationGraph split = resNet(false);
    assertThat(fused.numParams()).isEqualTo(split.numParams());
    copyParametersByName(split, fused);
    DataSet batch = batch(4, 9);

    assertClose(
        fused.outputSingle(false, batch.getFeatures()),
        split.outputSingle(false, batch.getFeatures()));
    Map<String, INDArray> fusedActs = fused.feedForward(batch.getFeatures(), true);
    Map<String, INDArray> splitActs = split.feedForward(batch.getFeatures(), true);
    for (String block : new String[] {"s1_b1_relu", "s2_b1_relu", "s2_b2_relu"}) {
      assertClose(fusedActs.get(block), splitActs.get(block));
    }

    fused.setInputs(batch.getFeatures());
    fused.setLabels(batch.getLabels());
    fused.computeGradientAndScore();
    split.setInputs(batch.getFeatures());
    split.setLabels(batch.getLabels());
    split.computeGradientAndScore();
    assertThat(fused.score()).isCloseTo(split.score(), org.assertj.core.data.Offset.offset(1e-6));
    Map<String, INDArray> splitGradients = split.gradient().gradientForVariable();
    for (Map.Entry<String, INDArray> e : fused.gradient().gradientForVariable().entrySet()) {
      assertClose(e.getValue(), splitGradients.get(e.getKey()));
    }

    for (int step = 0; step < 3; step++) {
      DataSet d = batch(4, 20 + step);
      fused.fit(d);
      split.fit(d);
    }
    for (Map.Entry<String, INDArray> e : split.paramTable().entrySet()) {
      assertClose(fused.getParam(e.getKey()), e.getValue());
    }
    assertClose(
        fused.outputSingle(false, batch.getFeatures()),
        split.outputSingle(false, batch.getFeatures()));
  }

  @Test
  void savedModelReloadsWithTheVertexAndTrainsOnIdentically(@TempDir Path dir) throws Exception {
    ComputationGraph net = resNet(true);
    net.fit(batch(4, 1));
    File file = dir.resolve("model.zip").toFile();
    ModelSerializer.writeModel(net, file, true);

    ComputationGraph loaded = ModelSerializer.restoreComputationGraph(file, true);

    assertThat(loaded.getConfiguration().getVertices().get("s1_b1_relu"))
        .isInstanceOf(AddRelu.class);
    assertThat(loaded.getConfiguration()).isEqualTo(net.getConfiguration());
    assertThat(ComputationGraphConfiguration.fromJson(net.getConfiguration().toJson()))
        .isEqualTo(net.getConfiguration());
    DataSet next = batch(4, 2);
    assertThat(loaded.outputSingle(false, next.getFeatures()))
        .isEqualTo(net.outputSingle(false, next.getFeatures()));
    loaded.fit(next);
    net.fit(next);
    assertThat(loaded.params()).isEqualTo(net.params());
  }

  @Test
  void inputsOfDifferentShapesAreRefused() {
    assertThatThrownBy(
            () ->
                new AddRelu()
                    .getOutputType(
                        0, InputType.convolutional(8, 8, 4), InputType.convolutional(8, 8, 2)))
        .isInstanceOf(InvalidInputTypeException.class)
        .hasMessageContaining("input 1");
  }

  private static ComputationGraph resNet(boolean fusedAddRelu) {
    return ResNets.builder()
        .stages(1, 2)
        .width(8)
        .inputShape(1, 32, 32)
        .classes(2)
        .updater(new Adam(1e-2))
        .seed(11)
        .fusedAddRelu(fusedAddRelu)
        .build();
  }

  private static void copyParametersByName(ComputationGraph from, ComputationGraph to) {
    for (Map.Entry<String, INDArray> e : from.paramTable().entrySet()) {
      to.setParam(e.getKey(), e.getValue().dup());
    }
    assertThat(to.params()).isEqualTo(from.params());
  }

  private static DataSet batch(int n, long seed) {
    Random random = new Random(seed);
    INDArray x =
        Nd4j.create(random.doubles(n * 32 * 32L).toArray(), new long[] {n, 1, 32, 32})
            .castTo(DataType.FLOAT);
    INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2);
    for (int i = 0; i < n; i++) {
      y.putScalar(i, i % 2, 1);
    }
    return new DataSet(x, y);
  }

  /** Equal within float rounding: largest difference at most 1e-5 of the largest magnitude. */
  private static void assertClose(INDArray actual, INDArray expected) {
    assertThat(actual.shape()).isEqualTo(expected.shape());
    double scale = Math.max(1e-6, expected.amaxNumber().doubleValue());
    double diff = actual.sub(expected).amaxNumber().doubleValue();
    assertThat(diff / scale).isLessThanOrEqualTo(1e-5);
  }
}
