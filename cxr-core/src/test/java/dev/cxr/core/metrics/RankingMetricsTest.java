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
