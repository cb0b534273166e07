package dev.cxr.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The worked example of docs/losses.md, checked by hand. Softmax outputs p =
 * [[0.9,0.1],[0.2,0.8],[0.6,0.4],[0.3,0.7]], one-hot labels of classes [0,1,1,0]. The outputs are
 * fed two ways: as preOutput = ln(p) with a softmax activation (softmax(ln p) = p because each row
 * sums to 1), and directly as probabilities with the identity activation.
 */
class HandCheckedValuesTest {

  private static final double TOL = 1e-6;
  private static final INDArray P =
      Nd4j.createFromArray(new double[][] {{0.9, 0.1}, {0.2, 0.8}, {0.6, 0.4}, {0.3, 0.7}});
  private static final INDArray Y =
      Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {0, 1}, {1, 0}});

  // -ln 0.9, -ln 0.8, -5 ln 0.4 (class 1 predicted as 0), -5 ln 0.3 (class 0 predicted as 1)
  private static final double[] COST_MATRIX_LOSSES = {0.105361, 0.223144, 4.581454, 6.019864};
  // -ln 0.9, -5 ln 0.8, -5 ln 0.4, -ln 0.3: every class-1 example weighs 5
  private static final double[] CLASS_WEIGHT_LOSSES = {0.105361, 1.115718, 4.581454, 1.203973};

  @Test
  void costMatrixLossPerExample() {
    ILossFunction loss = CostMatrixCrossEntropy.diagonal(2, 1, 5);
    assertPerExample(loss, Transforms.log(P, true), new ActivationSoftmax(), COST_MATRIX_LOSSES);
    assertPerExample(loss, P.dup(), new ActivationIdentity(), COST_MATRIX_LOSSES);
    assertThat(loss.computeScore(Y, Transforms.log(P, true), new ActivationSoftmax(), null, true))
        .isCloseTo((0.105361 + 0.223144 + 4.581454 + 6.019864) / 4, within(TOL));
  }

  @Test
  void classWeightedLossPerExample() {
    ILossFunction loss = new WeightedCrossEntropy(1, 5);
    assertPerExample(loss, Transforms.log(P, true), new ActivationSoftmax(), CLASS_WEIGHT_LOSSES);
    assertPerExample(loss, P.dup(), new ActivationIdentity(), CLASS_WEIGHT_LOSSES);
  }

  @Test
  void costMatrixGradientIsTheCostTimesSoftmaxMinusLabels() {
    // W[t][k] * (p - y): 1*[-0.1, 0.1], 1*[0.2, -0.2], 5*[0.6, -0.6], 5*[-0.7, 0.7]
    double[] expected = {-0.1, 0.1, 0.2, -0.2, 3.0, -3.0, -3.5, 3.5};
    INDArray grad =
        CostMatrixCrossEntropy.diagonal(2, 1, 5)
            .computeGradient(Y, Transforms.log(P, true), new ActivationSoftmax(), null);
    assertThat(LossFixtures.values(grad)).containsExactly(expected, within(TOL));
  }

  @Test
  void notebookCostMatrixWeighsEveryEffusionExampleTen() {
    // W[1][0] = W[1][1] = 10: class-1 examples weigh 10 whatever the prediction
    ILossFunction loss = new CostMatrixCrossEntropy(new double[][] {{1, 1}, {10, 10}});
    assertPerExample(
        loss,
        Transforms.log(P, true),
        new ActivationSoftmax(),
        new double[] {0.105361, 2.231436, 9.162907, 1.203973});
  }

  @Test
  void focalLossDownWeightsConfidentExamples() {
    // gamma = 2: -(1 - p_t)^2 ln p_t = 0.01 * 0.105361, 0.04 * 0.223144, 0.36 * 0.916291, 0.49 *
    // 1.203973
    ILossFunction loss = new FocalLoss(2);
    assertPerExample(
        loss,
        Transforms.log(P, true),
        new ActivationSoftmax(),
        new double[] {0.00105361, 0.00892574, 0.32986466, 0.58994667});
  }

  private static void assertPerExample(
      ILossFunction loss, INDArray pre, IActivation act, double[] expected) {
    assertThat(LossFixtures.values(loss.computeScoreArray(Y, pre, act, null)))
        .containsExactly(expected, within(TOL));
  }
}
