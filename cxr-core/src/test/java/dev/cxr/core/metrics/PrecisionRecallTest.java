package dev.cxr.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Average precision as scikit-learn's average_precision_score defines it. */
class PrecisionRecallTest {
  @Test
  void matchesScikitLearnsDocumentedExample() {
    // sklearn docs: y_true [0, 0, 1, 1], y_scores [0.1, 0.4, 0.35, 0.8] -> 0.8333...
    PrecisionRecall pr =
        PrecisionRecall.of(
            new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true});
    assertThat(pr.averagePrecision()).isCloseTo(0.8333333333, within(1e-9));
    assertThat(pr.recall()).containsExactly(0, 0.5, 0.5, 1, 1);
    assertThat(pr.prevalence()).isEqualTo(0.5);
  }

  @Test
  void tiedScoresAreOneStep() {
    PrecisionRecall pr =
        PrecisionRecall.of(new double[] {0.5, 0.5, 0.5}, new boolean[] {true, false, false});
    assertThat(pr.averagePrecision()).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(pr.precision()).containsExactly(1, 1 / 3.0);
  }

  @Test
  void withoutPositivesTheCurveIsEmptyAndAveragePrecisionNaN() {
    PrecisionRecall pr = PrecisionRecall.of(new double[] {0.2, 0.7}, new boolean[2]);
    assertThat(pr.averagePrecision()).isNaN();
    assertThat(pr.recall()).isEmpty();
    assertThat(pr.precision()).isEmpty();
    assertThat(pr.prevalence()).isZero();
    assertThat(PrecisionRecall.of(new double[0], new boolean[0]).prevalence()).isNaN();
  }

  @Test
  void refusesNaNScoresAndMismatchedLengths() {
    assertThatThrownBy(
            () -> PrecisionRecall.of(new double[] {0.1, Double.NaN}, new boolean[] {true, false}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scores[1] was NaN");
    assertThatThrownBy(() -> PrecisionRecall.of(new double[2], new boolean[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 vs 3");
  }
}
