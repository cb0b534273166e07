package dev.cxr.loss;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** DL4J's GradientCheckUtil on a tiny double-precision network whose OutputLayer uses each loss. */
class NetworkGradientCheckTest {

  private static final int N_IN = 3;
  private static final int HIDDEN = 3;
  private static final int N_OUT = 3;
  private static final int ROWS = 6;

  private static DataType previousDefault;
  private static DataType previousFloatingDefault;

  @BeforeAll
  static void useDoublePrecision() {
    previousDefault = Nd4j.dataType();
    previousFloatingDefault = Nd4j.defaultFloatingPointType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  @AfterAll
  static void restorePrecision() {
    Nd4j.setDefaultDataTypes(previousDefault, previousFloatingDefault);
  }

  static Stream<Arguments> cases() {
    return Stream.of("none", "perExample", "perOutput")
        .flatMap(
            mask ->
                Stream.of(
                    Arguments.of(new WeightedCrossEntropy(1, 5, 2), Activation.SOFTMAX, mask),
                    Arguments.of(
                        new CostMatrixCrossEntropy(
                            new double[][] {{1, 5, 2}, {5, 1, 3}, {4, 2, 1}}),
                        Activation.SOFTMAX,
                        mask),
                    Arguments.of(new FocalLoss(2, 0.25, 1, 2), Activation.SOFTMAX, mask),
                    Arguments.of(WeightedCrossEntropy.sigmoid(2, 0.5, 3), Activation.SIGMOID, mask),
                    Arguments.of(FocalLoss.sigmoid(2, 0.25, 0.5, 0.9), Activation.SIGMOID, mask)));
  }

  @ParameterizedTest(name = "{0} / {1} / mask {2}")
  @MethodSource("cases")
  void backpropMatchesFiniteDifferences(ILossFunction loss, Activation outAct, String maskKind) {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(42)
            .dataType(DataType.DOUBLE)
            .updater(new NoOp())
            .weightInit(WeightInit.XAVIER)
            .list()
            .layer(
                new DenseLayer.Builder().nIn(N_IN).nOut(HIDDEN).activation(Activation.TANH).build())
            .layer(new OutputLayer.Builder(loss).nIn(HIDDEN).nOut(N_OUT).activation(outAct).build())
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();

    Random rnd = new Random(31);
    INDArray input = LossFixtures.logits(rnd, ROWS, N_IN);
    INDArray labels =
        outAct == Activation.SOFTMAX
            ? LossFixtures.oneHot(rnd, ROWS, N_OUT)
            : LossFixtures.binary(rnd, ROWS, N_OUT);
    INDArray mask =
        switch (maskKind) {
          case "perExample" -> LossFixtures.perExampleMask(ROWS);
          case "perOutput" -> LossFixtures.perOutputMask(rnd, ROWS, N_OUT);
          default -> null;
        };
    if (loss instanceof CostMatrixCrossEntropy) {
      // the predicted class must not flip under the check's 1e-6 parameter perturbations
      assertThat(minTopTwoMargin(net.output(input))).isGreaterThan(1e-4);
    }

    boolean ok =
        GradientCheckUtil.checkGradients(
            new GradientCheckUtil.MLNConfig()
                .net(net)
                .input(input)
                .labels(labels)
                .labelMask(mask)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    assertThat(ok).as("gradient check of %s with mask %s", loss, maskKind).isTrue();
  }

  private static double minTopTwoMargin(INDArray out) {
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < out.rows(); i++) {
      double[] row = out.getRow(i).toDoubleVector();
      double first = Double.NEGATIVE_INFINITY;
      double second = Double.NEGATIVE_INFINITY;
      for (double v : row) {
        if (v > first) {
          second = first;
          first = v;
        } else if (v > second) {
          second = v;
        }
      }
      min = Math.min(min, first - second);
    }
    return min;
  }
}
