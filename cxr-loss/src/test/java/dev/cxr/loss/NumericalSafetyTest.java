package dev.cxr.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * No NaN or infinity when outputs are exactly 0 or 1 (saturated logits, or probabilities fed
 * directly).
 */
class NumericalSafetyTest {

  /** Confidently right, confidently wrong, and a tie, for 2 classes. */
  private static final INDArray Y =
      Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}});

  /** Logits whose softmax/sigmoid is exactly 0 or 1 in double precision. */
  private static final INDArray SATURATED_LOGITS =
      Nd4j.createFromArray(new double[][] {{1000, -1000}, {1000, -1000}, {0, 0}, {-800, 800}});

  /** Probabilities of exactly 0 and 1. */
  private static final INDArray HARD_PROBABILITIES =
      Nd4j.createFromArray(new double[][] {{1, 0}, {1, 0}, {0.5, 0.5}, {0, 1}});

  static Stream<Arguments> cases() {
    ILossFunction[] losses = {
      new WeightedCrossEntropy(1, 5),
      CostMatrixCrossEntropy.diagonal(2, 1, 5),
      new FocalLoss(2, 0.25, 0.75),
      new FocalLoss(0.5),
      new FocalLoss(0),
      WeightedCrossEntropy.sigmoid(1, 5),
      FocalLoss.sigmoid(2, 0.25, 0.75),
      FocalLoss.sigmoid(0.5)
    };
    return Stream.of(losses)
        .flatMap(
            l ->
                Stream.of(
                    Arguments.of(l, SATURATED_LOGITS, new ActivationSoftmax()),
                    Arguments.of(l, SATURATED_LOGITS, new ActivationSigmoid()),
                    Arguments.of(l, HARD_PROBABILITIES, new ActivationIdentity())));
  }

  @ParameterizedTest(name = "{0} / {2}", autoCloseArguments = false)
  @MethodSource("cases")
  void scoresAndGradientsStayFinite(ILossFunction loss, INDArray pre, IActivation act) {
    double[] perExample = LossFixtures.values(loss.computeScoreArray(Y, pre.dup(), act, null));
    double[] grad = LossFixtures.values(loss.computeGradient(Y, pre.dup(), act, null));
    assertThat(LossFixtures.list(perExample)).allMatch(Double::isFinite).allMatch(v -> v >= 0);
    assertThat(LossFixtures.list(grad)).allMatch(Double::isFinite);
    assertThat(loss.computeScore(Y, pre.dup(), act, null, true)).isFinite();
    // a confidently wrong example costs far more than a confidently right one
    assertThat(perExample[1]).isGreaterThan(perExample[0] + 1);
  }

  @Test
  void wrongSaturatedSoftmaxCostsTheLogitGap() {
    // from logits: -log softmax = 2000 for the wrong example (class 1, weight 5), not a clipped
    // log(1e-10)
    double[] perExample =
        LossFixtures.values(
            new WeightedCrossEntropy(1, 5)
                .computeScoreArray(Y, SATURATED_LOGITS.dup(), new ActivationSoftmax(), null));
    assertThat(perExample[1]).isCloseTo(5 * 2000, within(1e-9));
    assertThat(perExample[0]).isCloseTo(0, within(1e-12));
    assertThat(perExample[3]).isCloseTo(0, within(1e-12));
  }

  @Test
  void clippedProbabilitiesBoundTheLoss() {
    // identity on p = 0 reads p as 1e-10: the wrong example (class 1, weight 5) costs -5 ln(1e-10)
    for (ILossFunction loss :
        new ILossFunction[] {
          new WeightedCrossEntropy(1, 5), CostMatrixCrossEntropy.diagonal(2, 1, 5)
        }) {
      double[] perExample =
          LossFixtures.values(
              loss.computeScoreArray(Y, HARD_PROBABILITIES.dup(), new ActivationIdentity(), null));
      assertThat(perExample[1])
          .isCloseTo(-5 * Math.log(BaseCrossEntropyLoss.CLIP_EPS), within(1e-6));
      assertThat(perExample[0]).isCloseTo(0, within(1e-9));
    }
  }

  @Test
  void focalGradientIsFiniteAtCertaintyForGammaBelowOne() {
    // (1 - p)^(gamma - 1) is infinite at p = 1 for gamma < 1; the gradient must still be finite
    // (and ~0)
    INDArray certain = Nd4j.createFromArray(new double[][] {{1000, -1000}});
    INDArray y = Nd4j.createFromArray(new double[][] {{1, 0}});
    double[] grad =
        LossFixtures.values(
            new FocalLoss(0.5).computeGradient(y, certain, new ActivationSoftmax(), null));
    assertThat(grad).containsExactly(new double[] {0, 0}, within(1e-12));
  }
}
