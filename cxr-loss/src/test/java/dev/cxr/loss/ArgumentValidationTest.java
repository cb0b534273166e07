package dev.cxr.loss;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/** Bad arguments fail early with a message naming the problem. */
class ArgumentValidationTest {

  @Test
  void rejectsNegativeNanOrInfiniteWeights() {
    assertThatThrownBy(() -> new WeightedCrossEntropy(1, -5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weights[1] must be finite and >= 0 but was -5.0");
    assertThatThrownBy(() -> WeightedCrossEntropy.softmax(Double.NaN, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weights[0] must be finite and >= 0 but was NaN");
    assertThatThrownBy(() -> WeightedCrossEntropy.sigmoid(1, Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("posWeights[1] must be finite and >= 0 but was Infinity");
    assertThatThrownBy(() -> new WeightedCrossEntropy(null, new double[] {1}))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("form");
  }

  @Test
  void rejectsBadCostMatrices() {
    assertThatThrownBy(() -> new CostMatrixCrossEntropy(new double[0][]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("costMatrix must not be empty");
    assertThatThrownBy(() -> new CostMatrixCrossEntropy(new double[][] {{1, 5}, {5}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("costMatrix must be square but row 1 has 1 entries for 2 rows");
    assertThatThrownBy(() -> new CostMatrixCrossEntropy(new double[][] {{1, 5, 5}, {5, 1, 5}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("costMatrix must be square but row 0 has 3 entries for 2 rows");
    assertThatThrownBy(() -> new CostMatrixCrossEntropy(new double[][] {{1, 5}, {-5, 1}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("costMatrix[1][0] must be finite and >= 0 but was -5.0");
    assertThatThrownBy(() -> new CostMatrixCrossEntropy(new double[][] {{1, Double.NaN}, {5, 1}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("costMatrix[0][1] must be finite and >= 0 but was NaN");
    assertThatThrownBy(() -> new CostMatrixCrossEntropy(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("costMatrix");
    assertThatThrownBy(() -> new CostMatrixCrossEntropy(new double[][] {{1, 5}, null}))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("costMatrix[1]");
    assertThatThrownBy(() -> CostMatrixCrossEntropy.diagonal(0, 1, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("numClasses must be >= 1 but was 0");
    assertThatThrownBy(() -> CostMatrixCrossEntropy.diagonal(2, 1, -5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("costMatrix[0][1] must be finite and >= 0 but was -5.0");
  }

  @Test
  void rejectsBadGammaOrAlpha() {
    assertThatThrownBy(() -> new FocalLoss(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gamma must be finite and >= 0 but was -1.0");
    assertThatThrownBy(() -> FocalLoss.sigmoid(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gamma must be finite and >= 0 but was NaN");
    assertThatThrownBy(() -> new FocalLoss(2, 1, -0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("alpha[1] must be finite and >= 0 but was -0.5");
    assertThatThrownBy(() -> FocalLoss.sigmoid(2, 0.25, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("alpha[1] of the sigmoid focal loss must be in [0, 1]")
        .hasMessageEndingWith("but was 1.5");
  }

  @Test
  void weightCountMustMatchOutputsAtFirstUse() {
    INDArray pre = Nd4j.createFromArray(new double[][] {{0.1, 0.2, 0.3}, {0.3, 0.2, 0.1}});
    INDArray y = Nd4j.createFromArray(new double[][] {{1, 0, 0}, {0, 0, 1}});
    ILossFunction[] twoClassLosses = {
      new WeightedCrossEntropy(1, 5),
      CostMatrixCrossEntropy.diagonal(2, 1, 5),
      new FocalLoss(2, 0.25, 0.75),
      WeightedCrossEntropy.sigmoid(1, 5)
    };
    for (ILossFunction loss : twoClassLosses) {
      assertThatThrownBy(() -> loss.computeScore(y, pre, new ActivationSoftmax(), null, true))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(loss.getClass().getSimpleName())
          .hasMessageContaining("expected 2, actual 3");
      assertThatThrownBy(() -> loss.computeGradient(y, pre, new ActivationSoftmax(), null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("expected 2, actual 3");
    }
    assertThatThrownBy(
            () ->
                new WeightedCrossEntropy(1, 5)
                    .computeScore(y, pre, new ActivationSoftmax(), null, true))
        .hasMessageStartingWith(
            "WeightedCrossEntropy with 2 class weights expects 2 outputs but the "
                + "output layer has 3");
  }

  @Test
  void rejectsMismatchedShapesAndMasks() {
    INDArray pre = Nd4j.createFromArray(new double[][] {{0.1, 0.2}, {0.3, 0.2}});
    INDArray y3 = Nd4j.createFromArray(new double[][] {{1, 0, 0}, {0, 0, 1}});
    INDArray y = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}});
    ILossFunction loss = new WeightedCrossEntropy(1, 5);
    assertThatThrownBy(() -> loss.computeScore(y3, pre, new ActivationSoftmax(), null, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "labels and preOutput must have equal shapes but were [2, 3] and [2, 2]");
    INDArray badMask = Nd4j.ones(3, 1);
    assertThatThrownBy(() -> loss.computeGradient(y, pre, new ActivationSoftmax(), badMask))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the mask has shape [3, 1]");
    assertThatThrownBy(() -> loss.computeScore(null, pre, new ActivationSoftmax(), null, true))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("labels");
  }
}
