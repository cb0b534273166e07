package dev.cxr.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Central finite differences of computeScore against computeGradient, in double precision, for
 * every loss, with its natural activation and with another one, without a mask, with a per-example
 * mask and with a per-output mask (where masked entries must have zero gradient, the DL4J
 * convention).
 */
class NumericalGradientTest {

  private static final int ROWS = 6;
  private static final int COLS = 3;
  private static final double H = 1e-5;
  private static final double TOL = 1e-6;

  enum Mask {
    NONE,
    PER_EXAMPLE,
    PER_OUTPUT
  }

  static Stream<Arguments> cases() {
    List<ILossFunction> softmaxForm =
        List.of(
            new WeightedCrossEntropy(1, 5, 2),
            new CostMatrixCrossEntropy(new double[][] {{1, 5, 2}, {5, 1, 3}, {4, 2, 1}}),
            new FocalLoss(2, 0.25, 1, 2),
            new FocalLoss(0.5),
            new FocalLoss(0));
    List<ILossFunction> sigmoidForm =
        List.of(
            WeightedCrossEntropy.sigmoid(2, 0.5, 3),
            FocalLoss.sigmoid(2, 0.25, 0.5, 0.9),
            FocalLoss.sigmoid(0.5));
    List<Arguments> out = new ArrayList<>();
    for (Mask m : Mask.values()) {
      for (ILossFunction l : softmaxForm) {
        out.add(Arguments.of(l, new ActivationSoftmax(), true, m));
        out.add(Arguments.of(l, new ActivationSigmoid(), true, m));
      }
      for (ILossFunction l : sigmoidForm) {
        out.add(Arguments.of(l, new ActivationSigmoid(), false, m));
        out.add(Arguments.of(l, new ActivationSoftmax(), false, m));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} / {1} / mask {3}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(
      ILossFunction loss, IActivation act, boolean oneHot, Mask maskKind) {
    Random rnd = new Random(21);
    INDArray pre = LossFixtures.logits(rnd, ROWS, COLS);
    INDArray y =
        oneHot ? LossFixtures.oneHot(rnd, ROWS, COLS) : LossFixtures.binary(rnd, ROWS, COLS);
    INDArray mask =
        switch (maskKind) {
          case NONE -> null;
          case PER_EXAMPLE -> LossFixtures.perExampleMask(ROWS);
          case PER_OUTPUT -> LossFixtures.perOutputMask(rnd, ROWS, COLS);
        };

    double[] analytic = LossFixtures.values(loss.computeGradient(y, pre, act, mask));
    double[] numeric = new double[analytic.length];
    for (int i = 0; i < ROWS; i++) {
      for (int c = 0; c < COLS; c++) {
        double x0 = pre.getDouble(i, c);
        pre.putScalar(i, c, x0 + H);
        double up = loss.computeScore(y, pre, act, mask, false);
        pre.putScalar(i, c, x0 - H);
        double down = loss.computeScore(y, pre, act, mask, false);
        pre.putScalar(i, c, x0);
        numeric[i * COLS + c] = (up - down) / (2 * H);
      }
    }
    double[] maskValues = maskKind == Mask.PER_OUTPUT ? LossFixtures.values(mask) : null;
    for (int j = 0; j < analytic.length; j++) {
      if (maskValues != null && maskValues[j] == 0) {
        // DL4J zeroes masked pre-outputs, so their gradient is zero by convention (as in DL4J's
        // losses)
        assertThat(analytic[j]).as("masked entry %d", j).isZero();
      } else {
        assertThat(analytic[j]).as("entry %d", j).isCloseTo(numeric[j], within(TOL));
      }
    }
    // the masked-out entries really carry no gradient, and the check is not vacuous
    assertThat(maxAbs(analytic)).isGreaterThan(1e-3);
    if (maskKind == Mask.PER_EXAMPLE) {
      for (int c = 0; c < COLS; c++) {
        assertThat(analytic[COLS + c]).isZero(); // row 1 is masked out
      }
    }

    // the score array is the per-example split of the total score
    double[] perExample = LossFixtures.values(loss.computeScoreArray(y, pre, act, mask));
    assertThat(perExample).hasSize(ROWS);
    assertThat(sum(perExample))
        .isCloseTo(loss.computeScore(y, pre, act, mask, false), within(1e-12));
    assertThat(loss.computeScore(y, pre, act, mask, true))
        .isCloseTo(sum(perExample) / ROWS, within(1e-12));
  }

  private static double maxAbs(double[] v) {
    double m = 0;
    for (double d : v) {
      m = Math.max(m, Math.abs(d));
    }
    return m;
  }

  private static double sum(double[] v) {
    double s = 0;
    for (double d : v) {
      s += d;
    }
    return s;
  }
}
