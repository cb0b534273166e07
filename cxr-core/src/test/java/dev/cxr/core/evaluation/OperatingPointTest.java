package dev.cxr.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.ConfusionMatrix;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operating threshold and the scores record. */
class OperatingPointTest {
  @Test
  void thresholdSitsBetweenScoresWithYoudensConfusion() {
    double[] scores = {0.9, 0.8, 0.7, 0.4, 0.3, 0.2};
    BinaryMetrics m =
        BinaryMetrics.of(scores, new boolean[] {true, true, false, true, false, false});
    double t = OperatingPoint.threshold(m);
    assertThat(t).isStrictlyBetween(0.2, 0.9);
    assertThat(Arrays.stream(scores)).noneMatch(s -> s == t);
    ConfusionMatrix y = m.confusionAtYouden();
    assertThat(m.confusionAt(t))
        .isEqualTo(
            new ConfusionMatrix(
                t, y.truePositives(), y.falsePositives(), y.trueNegatives(), y.falseNegatives()));
  }

  @Test
  void scoresCopyTheirArraysInAndOut() {
    double[] s = {0.1, 0.9};
    Scores scores =
        new Scores(List.of(Path.of("a"), Path.of("b")), s, new boolean[] {false, true}, 0.5);
    s[0] = 7;
    scores.scores()[1] = 7;
    assertThat(scores.scores()).containsExactly(0.1, 0.9);
    assertThat(scores.metrics().auc()).isEqualTo(1.0);
  }
}
