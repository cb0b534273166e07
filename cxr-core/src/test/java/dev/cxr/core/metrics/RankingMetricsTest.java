package dev.cxr.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankingMetricsTest {
  private static final double[] SCORES = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
  private static final boolean[] LABELS = {true, false, true, false, false, true};

  @Test
  void averagePrecisionMatchesScikitLearn() {
    // sklearn.metrics.average_precision_score([1,0,1,0,0,1], [.9,.8,.7,.6,.5,.4]) = 0.7222...
    assertThat(RankingMetrics.averagePrecision(SCORES, LABELS)).isCloseTo(13 / 18.0, within(1e-12));
    // a perfect ranking scores 1; ties form one threshold, so all-equal scores give the prevalence
    assertThat(
            RankingMetrics.averagePrecision(
                new double[] {0.9, 0.8, 0.1}, new boolean[] {true, true, false}))
        .isEqualTo(1.0);
    assertThat(
            RankingMetrics.averagePrecision(
                new double[4], new boolean[] {true, false, false, false}))
        .isEqualTo(0.25);
  }

  @Test
  void averagePrecisionIsPrecisionRecallsOwnAndNaNWithoutPositives() {
    java.util.Random r = new java.util.Random(4);
    for (int t = 0; t < 50; t++) {
      double[] s = new double[1 + r.nextInt(40)];
      boolean[] p = new boolean[s.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = r.nextInt(6) / 5.0; // few distinct values: many ties
        p[i] = i == 0 || r.nextInt(3) == 0;
      }
      assertThat(RankingMetrics.averagePrecision(s, p))
          .isEqualTo(PrecisionRecall.of(s, p).averagePrecision());
    }
    assertThat(RankingMetrics.averagePrecision(new double[] {0.3, 0.1}, new boolean[2])).isNaN();
    assertThatThrownBy(
            () -> RankingMetrics.averagePrecision(new double[] {Double.NaN}, new boolean[1]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sensitivityAtSpecificityTakesTheBestAllowedThreshold() {
    assertThat(RankingMetrics.sensitivityAtSpecificity(SCORES, LABELS, 0.9))
        .isCloseTo(1 / 3.0, within(1e-12));
    assertThat(RankingMetrics.sensitivityAtSpecificity(SCORES, LABELS, 2 / 3.0))
        .isCloseTo(2 / 3.0, within(1e-12));
    assertThat(RankingMetrics.sensitivityAtSpecificity(SCORES, LABELS, 0)).isEqualTo(1.0);
    assertThatThrownBy(() -> RankingMetrics.sensitivityAtSpecificity(SCORES, LABELS, 1.5))
        .hasMessageContaining("specificity must be in [0, 1] but was 1.5");
  }
}
