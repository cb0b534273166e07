package dev.cxr.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * With all weights 1 (and gamma 0) every loss equals DL4J's LossMCXENT / LossBinaryXENT within
 * 1e-6.
 */
class MatchesDl4jLossesTest {

  private static final double TOL = 1e-6;
  private static final int ROWS = 7;
  private static final int COLS = 3;

  static Stream<Arguments> softmaxLosses() {
    return Stream.of(
        Arguments.of(new WeightedCrossEntropy(), "WeightedCrossEntropy()"),
        Arguments.of(new WeightedCrossEntropy(1, 1, 1), "WeightedCrossEntropy(1,1,1)"),
        Arguments.of(CostMatrixCrossEntropy.diagonal(COLS, 1, 1), "CostMatrix all ones"),
        Arguments.of(new FocalLoss(0), "FocalLoss(0)"),
        Arguments.of(FocalLoss.softmax(0, 1, 1, 1), "FocalLoss(0, 1,1,1)"));
  }

  static Stream<Arguments> sigmoidLosses() {
    return Stream.of(
        Arguments.of(WeightedCrossEntropy.sigmoid(), "WeightedCrossEntropy.sigmoid()"),
        Arguments.of(WeightedCrossEntropy.sigmoid(1, 1, 1), "WeightedCrossEntropy.sigmoid(1,1,1)"),
        Arguments.of(FocalLoss.sigmoid(0), "FocalLoss.sigmoid(0)"));
  }

  @ParameterizedTest(name = "{1} == LossMCXENT with softmax")
  @MethodSource("softmaxLosses")
  void softmaxFormEqualsLossMcxent(ILossFunction loss, String label) {
    Random rnd = new Random(11);
    INDArray pre = LossFixtures.logits(rnd, ROWS, COLS);
    INDArray y = LossFixtures.oneHot(rnd, ROWS, COLS);
    assertSame(new LossMCXENT(), loss, y, pre, new ActivationSoftmax(), null, true);
    assertSame(
        new LossMCXENT(),
        loss,
        y,
        pre,
        new ActivationSoftmax(),
        LossFixtures.perExampleMask(ROWS),
        true);
    // LossMCXENT has no per-output-mask gradient with softmax; scores still must agree
    assertSame(
        new LossMCXENT(),
        loss,
        y,
        pre,
        new ActivationSoftmax(),
        LossFixtures.perOutputMask(rnd, ROWS, COLS),
        false);
  }

  @ParameterizedTest(
      name = "{1} == LossMCXENT with a sigmoid activation (clipped-probability path)")
  @MethodSource("softmaxLosses")
  void softmaxFormEqualsLossMcxentWithOtherActivation(ILossFunction loss, String label) {
    Random rnd = new Random(12);
    INDArray pre = LossFixtures.logits(rnd, ROWS, COLS);
    INDArray y = LossFixtures.oneHot(rnd, ROWS, COLS);
    assertSame(new LossMCXENT(), loss, y, pre, new ActivationSigmoid(), null, true);
    assertSame(
        new LossMCXENT(),
        loss,
        y,
        pre,
        new ActivationSigmoid(),
        LossFixtures.perExampleMask(ROWS),
        true);
  }

  @ParameterizedTest(name = "{1} == LossBinaryXENT with sigmoid")
  @MethodSource("sigmoidLosses")
  void sigmoidFormEqualsLossBinaryXent(ILossFunction loss, String label) {
    Random rnd = new Random(13);
    INDArray pre = LossFixtures.logits(rnd, ROWS, COLS);
    INDArray y = LossFixtures.binary(rnd, ROWS, COLS);
    assertSame(new LossBinaryXENT(), loss, y, pre, new ActivationSigmoid(), null, true);
    assertSame(
        new LossBinaryXENT(),
        loss,
        y,
        pre,
        new ActivationSigmoid(),
        LossFixtures.perExampleMask(ROWS),
        true);
    assertSame(
        new LossBinaryXENT(),
        loss,
        y,
        pre,
        new ActivationSigmoid(),
        LossFixtures.perOutputMask(rnd, ROWS, COLS),
        true);
  }

  @Test
  void classWeightsEqualWeightedLossMcxent() {
    Random rnd = new Random(14);
    INDArray pre = LossFixtures.logits(rnd, ROWS, COLS);
    INDArray y = LossFixtures.oneHot(rnd, ROWS, COLS);
    INDArray w = Nd4j.createFromArray(new double[][] {{1, 5, 0.5}});
    assertSame(
        new LossMCXENT(w),
        new WeightedCrossEntropy(1, 5, 0.5),
        y,
        pre,
        new ActivationSoftmax(),
        null,
        true);
    // focal with gamma 0 is the class-weighted cross-entropy
    assertSame(
        new LossMCXENT(w),
        new FocalLoss(0, 1, 5, 0.5),
        y,
        pre,
        new ActivationSoftmax(),
        null,
        true);
  }

  @Test
  void keepsTheDataTypeOfPreOutput() {
    Random rnd = new Random(15);
    INDArray pre = LossFixtures.logits(rnd, ROWS, COLS).castTo(DataType.FLOAT);
    INDArray y = LossFixtures.oneHot(rnd, ROWS, COLS).castTo(DataType.FLOAT);
    ILossFunction loss = new WeightedCrossEntropy(1, 5, 2);
    assertThat(loss.computeGradient(y, pre, new ActivationSoftmax(), null).dataType())
        .isEqualTo(DataType.FLOAT);
    assertThat(loss.computeScoreArray(y, pre, new ActivationSoftmax(), null).dataType())
        .isEqualTo(DataType.FLOAT);
    assertThat(loss.computeScoreArray(y, pre, new ActivationSoftmax(), null).shape())
        .containsExactly(ROWS, 1);
  }

  /** Every call gets fresh copies: some DL4J activations back-propagate in place into preOutput. */
  private static void assertSame(
      ILossFunction reference,
      ILossFunction loss,
      INDArray y,
      INDArray pre,
      IActivation act,
      INDArray mask,
      boolean compareGradient) {
    for (boolean average : new boolean[] {false, true}) {
      assertThat(loss.computeScore(y.dup(), pre.dup(), act, mask, average))
          .isCloseTo(reference.computeScore(y.dup(), pre.dup(), act, mask, average), within(TOL));
    }
    assertThat(LossFixtures.values(loss.computeScoreArray(y.dup(), pre.dup(), act, mask)))
        .containsExactly(
            LossFixtures.values(reference.computeScoreArray(y.dup(), pre.dup(), act, mask)),
            within(TOL));
    if (compareGradient) {
      double[] expected =
          LossFixtures.values(reference.computeGradient(y.dup(), pre.dup(), act, mask));
      assertThat(LossFixtures.values(loss.computeGradient(y.dup(), pre.dup(), act, mask)))
          .containsExactly(expected, within(TOL));
      Pair<Double, INDArray> both =
          loss.computeGradientAndScore(y.dup(), pre.dup(), act, mask, true);
      assertThat(both.getFirst())
          .isCloseTo(reference.computeScore(y.dup(), pre.dup(), act, mask, true), within(TOL));
      assertThat(LossFixtures.values(both.getSecond())).containsExactly(expected, within(TOL));
    }
  }
}
