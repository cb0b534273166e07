package dev.cxr.resnet.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.resnet.BatchNormImplementation;
import dev.cxr.resnet.ResNets;
import dev.cxr.resnet.compat.OneDnnHelpers;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The folded inference copy computes what the trained network computes, and leaves it alone. */
class InferenceGraphTest {
  private static final int SIZE = 32;

  @BeforeAll
  static void oneDnn() {
    OneDnnHelpers.ensureEnabled(); // the path CxrModel and the CLI run on
  }

  private static INDArray images(int batch, int channels, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] pixels = new float[batch * channels * SIZE * SIZE];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextDouble();
    }
    return Nd4j.create(pixels, new long[] {batch, channels, SIZE, SIZE});
  }

  private static DataSet batch(int n, long seed) {
    INDArray labels = Nd4j.zeros(DataType.FLOAT, n, 2);
    for (int i = 0; i < n; i++) {
      labels.putScalar(i, (int) ((seed + i) % 2), 1f);
    }
    return new DataSet(images(n, 1, seed), labels);
  }

  /** Trains a few Adam steps so that running statistics, gamma and beta are far from 0 and 1. */
  private static void train(ComputationGraph net, int steps, long seed) {
    for (int i = 0; i < steps; i++) {
      net.fit(batch(4, seed + i));
    }
  }

  /** Logits of the dense head: pooled features times its weights plus bias. */
  private static INDArray logits(ComputationGraph net, INDArray x) {
    INDArray pooled = net.feedForward(x, false).get("pool");
    return pooled
        .mmul(net.getLayer("output").getParam("W"))
        .addiRowVector(net.getLayer("output").getParam("b"));
  }

  private static double maxAbs(INDArray a) {
    return Transforms.abs(a).maxNumber().doubleValue();
  }

  private static void assertSameOutputs(ComputationGraph trained, InferenceGraph folded) {
    INDArray x = images(6, 1, 99);
    INDArray expected = trained.outputSingle(false, x);
    INDArray actual = folded.output(x);
    assertThat(maxAbs(actual.sub(expected))).as("probabilities, max abs").isLessThan(1e-4);
    INDArray l0 = logits(trained, x);
    INDArray l1 = logits(folded.network(), x);
    assertThat(maxAbs(l1.sub(l0)) / maxAbs(l0)).as("logits, relative").isLessThan(1e-4);
  }

  @ParameterizedTest(name = "ResNet-{0}, pre-activation {1}, batch norm {5}")
  @CsvSource({
    "18, false, 20, 9, 0, FUSED",
    "18, true, 9, 9, 8, FUSED",
    "50, false, 53, 33, 0, FUSED",
    "50, true, 33, 33, 16, FUSED",
    "18, false, 20, 9, 0, DL4J",
    "18, true, 9, 9, 8, DL4J"
  })
  void foldedNetworkEqualsTrainedNetwork(
      int depth,
      boolean pre,
      int folds,
      int fused,
      int batchNormsLeft,
      BatchNormImplementation batchNorm) {
    ComputationGraph trained =
        ResNets.builder()
            .depth(depth)
            .preActivation(pre)
            .batchNorm(batchNorm)
            .inputShape(1, SIZE, SIZE)
            .width(4)
            .updater(new Adam(0.02))
            .build();
    train(trained, 3, 1);
    INDArray paramsBefore = trained.params().dup();

    InferenceGraph folded = InferenceGraph.of(trained);

    assertThat(folded.foldedBatchNorms()).isEqualTo(folds);
    assertThat(folded.fusedActivations()).isEqualTo(fused);
    long left =
        folded.network().getConfiguration().getVertices().keySet().stream()
            .filter(n -> folded.network().getLayer(n) != null)
            .filter(
                n -> folded.network().getLayer(n).conf().getLayer() instanceof BatchNormalization)
            .count();
    assertThat(left).as("batch norms that cannot be folded exactly").isEqualTo(batchNormsLeft);
    assertSameOutputs(trained, folded);
    // folding and scoring only read the trained network (parameters include running statistics)
    assertThat(trained.params()).isEqualTo(paramsBefore);
  }

  @Test
  void refreshFoldsTheTrainedNetworksCurrentParameters() {
    ComputationGraph trained =
        ResNets.builder()
            .stages(1, 1)
            .inputShape(1, SIZE, SIZE)
            .width(4)
            .updater(new Adam(0.02))
            .build();
    train(trained, 2, 1);
    InferenceGraph folded = InferenceGraph.of(trained);
    INDArray x = images(4, 1, 7);
    INDArray before = folded.output(x).dup();

    train(trained, 3, 50);
    assertThat(folded.output(x)).as("a copy, not a view").isEqualTo(before);
    assertThat(maxAbs(folded.output(x).sub(trained.outputSingle(false, x)))).isGreaterThan(1e-3);
    assertSameOutputs(trained, folded.refresh());

    trained.setParams(trained.params().mul(0.9)); // the kind of change TrainingRun makes
    assertSameOutputs(trained, folded.refresh());
  }

  /**
   * conv(ReLU) -> BN is not conv -> BN, and a convolution read by two vertices cannot lose its
   * output: both stay; conv(bias) -> BN -> tanh folds, bias and activation included.
   */
  @Test
  void onlyExactRewritesAreMade() {
    ComputationGraphConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(3)
            .updater(new Adam(0.02))
            .activation(Activation.IDENTITY)
            .graphBuilder()
            .addInputs("in")
            .setInputTypes(InputType.convolutional(SIZE, SIZE, 2))
            .addLayer(
                "c1",
                new ConvolutionLayer.Builder(3, 3).nOut(5).activation(Activation.RELU).build(),
                "in")
            .addLayer("bn1", new BatchNormalization.Builder().build(), "c1")
            .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(6).hasBias(true).build(), "bn1")
            .addLayer("bn2", new BatchNormalization.Builder().useLogStd(false).build(), "c2")
            .addLayer(
                "r2", new ActivationLayer.Builder().activation(Activation.TANH).build(), "bn2")
            .addLayer("c3", new ConvolutionLayer.Builder(1, 1).nOut(4).build(), "r2")
            .addLayer("bn3", new BatchNormalization.Builder().build(), "c3")
            .addLayer("gap3", new GlobalPoolingLayer.Builder().build(), "bn3")
            .addLayer("gapc3", new GlobalPoolingLayer.Builder().build(), "c3")
            .addVertex("merge", new MergeVertex(), "gap3", "gapc3")
            .addLayer(
                "output",
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .nOut(2)
                    .activation(Activation.SOFTMAX)
                    .build(),
                "merge")
            .setOutputs("output")
            .build();
    ComputationGraph trained = new ComputationGraph(conf);
    trained.init();
    for (int i = 0; i < 4; i++) {
      INDArray labels = Nd4j.zeros(DataType.FLOAT, 8, 2);
      for (int r = 0; r < 8; r++) {
        labels.putScalar(r, (r + i) % 2, 1f);
      }
      trained.fit(new DataSet(images(8, 2, i), labels));
    }

    InferenceGraph folded = InferenceGraph.of(trained);

    assertThat(folded.folds()).containsExactly(new FoldPlanner.Fold("c2", "bn2", "r2", false));
    assertThat(folded.vertexNames()).contains("bn1", "bn3").doesNotContain("bn2", "r2");
    INDArray x = images(3, 2, 11);
    assertThat(maxAbs(folded.output(x).sub(trained.outputSingle(false, x)))).isLessThan(1e-5);
  }

  @Test
  void anUninitialisedNetworkIsRefused() {
    ComputationGraph raw =
        new ComputationGraph(
            ResNets.builder().inputShape(1, SIZE, SIZE).width(4).buildConfiguration());
    assertThatThrownBy(() -> InferenceGraph.of(raw))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("init()");
  }
}
