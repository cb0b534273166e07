package dev.cxr.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.ROC;
import org.nd4j.linalg.factory.Nd4j;

class BinaryMetricsTest {

  /** Random scores on a coarse grid (many ties, also across classes), positives shifted up. */
  private static Object[] randomData(long seed, int size, int gridSteps, double shift) {
    Random rnd = new Random(seed);
    double[] scores = new double[size];
    boolean[] positive = new boolean[size];
    for (int i = 0; i < size; i++) {
      positive[i] = rnd.nextDouble() < 0.3;
      double raw = rnd.nextGaussian() + (positive[i] ? shift : 0);
      double p = 1 / (1 + Math.exp(-raw));
      scores[i] = gridSteps > 0 ? Math.round(p * gridSteps) / (double) gridSteps : p;
    }
    positive[0] = true;
    positive[1] = false;
    return new Object[] {scores, positive};
  }

  private static double dl4jAuc(double[] scores, boolean[] positive, boolean oneHot) {
    int n = scores.length;
    double[][] labels = new double[n][oneHot ? 2 : 1];
    double[][] predictions = new double[n][oneHot ? 2 : 1];
    for (int i = 0; i < n; i++) {
      if (oneHot) {
        labels[i][positive[i] ? 1 : 0] = 1;
        predictions[i][0] = 1 - scores[i];
        predictions[i][1] = scores[i];
      } else {
        labels[i][0] = positive[i] ? 1 : 0;
        predictions[i][0] = scores[i];
      }
    }
    ROC roc = new ROC(0);
    roc.eval(Nd4j.create(labels), Nd4j.create(predictions));
    return roc.calculateAUC();
  }

  /** Brute-force O(m n) Mann-Whitney AUC and DeLong structural components, written out. */
  private static double[] bruteForceAucAndSe(double[] scores, boolean[] positive) {
    double[] x =
        java.util.stream.IntStream.range(0, scores.length)
            .filter(i -> positive[i])
            .mapToDouble(i -> scores[i])
            .toArray();
    double[] y =
        java.util.stream.IntStream.range(0, scores.length)
            .filter(i -> !positive[i])
            .mapToDouble(i -> scores[i])
            .toArray();
    int m = x.length;
    int n = y.length;
    double[] v10 = new double[m];
    double[] v01 = new double[n];
    double total = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double psi = x[i] > y[j] ? 1 : x[i] == y[j] ? 0.5 : 0;
        v10[i] += psi / n;
        v01[j] += psi / m;
        total += psi;
      }
    }
    double auc = total / (m * (double) n);
    double s10 = 0;
    for (double v : v10) {
      s10 += (v - auc) * (v - auc);
    }
    s10 /= m - 1;
    double s01 = 0;
    for (double v : v01) {
      s01 += (v - auc) * (v - auc);
    }
    s01 /= n - 1;
    return new double[] {auc, Math.sqrt(s10 / m + s01 / n)};
  }

  @Test
  void aucMatchesDl4jExactRocWithoutTies() {
    for (long seed = 1; seed <= 3; seed++) {
      Object[] d = randomData(seed, 500, 0, 1.0);
      double[] scores = (double[]) d[0];
      boolean[] positive = (boolean[]) d[1];
      BinaryMetrics m = BinaryMetrics.of(scores, positive);
      assertThat(m.auc()).isCloseTo(dl4jAuc(scores, positive, false), within(1e-9));
      assertThat(m.auc()).isCloseTo(dl4jAuc(scores, positive, true), within(1e-9));
    }
  }

  @Test
  void aucMatchesDl4jExactRocWithTiesWithinOneClass() {
    // ties inside a class do not depend on sort order, so DL4J's per-sample staircase is exact
    Random rnd = new Random(11);
    int size = 400;
    double[] scores = new double[size];
    boolean[] positive = new boolean[size];
    for (int i = 0; i < size; i++) {
      positive[i] = i % 3 == 0;
      int level = rnd.nextInt(20) + (positive[i] ? 6 : 0);
      // positives on odd hundredths, negatives on even ones: many ties, none across classes
      scores[i] = (2 * level + (positive[i] ? 1 : 0)) / 100.0;
    }
    BinaryMetrics m = BinaryMetrics.of(scores, positive);
    assertThat(m.rocCurve().size()).isLessThan(size / 4); // ties really present
    assertThat(m.auc()).isCloseTo(dl4jAuc(scores, positive, false), within(1e-9));
    assertThat(m.auc()).isCloseTo(dl4jAuc(scores, positive, true), within(1e-9));
  }

  @Test
  void aucMatchesBruteForceMannWhitneyWithTiesAcrossClasses() {
    Object[] d = randomData(5, 300, 10, 0.8);
    double[] scores = (double[]) d[0];
    boolean[] positive = (boolean[]) d[1];
    BinaryMetrics m = BinaryMetrics.of(scores, positive);
    assertThat(m.rocCurve().size()).isLessThanOrEqualTo(12); // at most 11 distinct scores + (0,0)
    assertThat(m.auc()).isCloseTo(bruteForceAucAndSe(scores, positive)[0], within(1e-12));
  }

  @Test
  void delongStandardErrorMatchesStructuralComponents() {
    for (int grid : new int[] {0, 10, 50}) {
      Object[] d = randomData(20 + grid, 250, grid, 0.7);
      double[] scores = (double[]) d[0];
      boolean[] positive = (boolean[]) d[1];
      BinaryMetrics m = BinaryMetrics.of(scores, positive);
      double[] expected = bruteForceAucAndSe(scores, positive);
      assertThat(m.auc()).isCloseTo(expected[0], within(1e-12));
      assertThat(m.standardError()).isCloseTo(expected[1], within(1e-12));
      assertThat(m.ciLower()).isCloseTo(expected[0] - 1.959964 * expected[1], within(1e-12));
      assertThat(m.ciUpper()).isCloseTo(expected[0] + 1.959964 * expected[1], within(1e-12));
    }
  }

  @Test
  void handWorkedExample() {
    // positives 0.9 0.8 0.4, negatives 0.7 0.3 0.2 0.1: 11 of 12 pairs ordered correctly
    double[] s = {0.1, 0.9, 0.7, 0.8, 0.2, 0.4, 0.3};
    boolean[] p = {false, true, false, true, false, true, false};
    BinaryMetrics m = BinaryMetrics.of(s, p);
    assertThat(m.positives()).isEqualTo(3);
    assertThat(m.negatives()).isEqualTo(4);
    assertThat(m.size()).isEqualTo(7);
    assertThat(m.auc()).isEqualTo(11.0 / 12.0);
    // V10 = (1, 1, 3/4), V01 = (2/3, 1, 1, 1): S10 = 1/48, S01 = 1/36,
    // Var = S10/3 + S01/4 = 2/144, SE = sqrt(2)/12
    double se = Math.sqrt(2) / 12;
    assertThat(m.standardError()).isCloseTo(se, within(1e-15));
    assertThat(m.ciLower()).isCloseTo(11.0 / 12 - 1.959964 * se, within(1e-12));
    assertThat(m.ciUpper()).isEqualTo(1.0); // clipped
    // Youden: J = 1/3, 2/3, 5/12, 3/4, 1/2, 1/4, 0 at 0.9 .. 0.1
    assertThat(m.youdenThreshold()).isEqualTo(0.4);
    assertThat(m.youdenJ()).isCloseTo(0.75, within(1e-15));
    assertThat(m.youdenPoint()).isEqualTo(new RocPoint(0.25, 1.0, 0.4));
  }

  @Test
  void rocPointsRunFromOriginToOneOneAndIntegrateToAuc() {
    double[] s = {0.1, 0.9, 0.7, 0.8, 0.2, 0.4, 0.3, 0.4};
    boolean[] p = {false, true, false, true, false, true, false, false};
    BinaryMetrics m = BinaryMetrics.of(s, p);
    List<RocPoint> roc = m.rocCurve();
    assertThat(roc.get(0)).isEqualTo(new RocPoint(0, 0, Double.POSITIVE_INFINITY));
    assertThat(roc.get(roc.size() - 1)).isEqualTo(new RocPoint(1, 1, 0.1));
    assertThat(m.rocThresholds())
        .containsExactly(Double.POSITIVE_INFINITY, 0.9, 0.8, 0.7, 0.4, 0.3, 0.2, 0.1);
    // 3 positives (0.9 0.8 0.4), 5 negatives (0.7 0.4 0.3 0.2 0.1)
    assertThat(m.rocFpr()).containsExactly(0, 0, 0, 0.2, 0.4, 0.6, 0.8, 1);
    assertThat(m.rocTpr()).containsExactly(0, 1.0 / 3, 2.0 / 3, 2.0 / 3, 1, 1, 1, 1);
    double area = 0;
    for (int i = 1; i < roc.size(); i++) {
      area +=
          (roc.get(i).fpr() - roc.get(i - 1).fpr()) * (roc.get(i).tpr() + roc.get(i - 1).tpr()) / 2;
    }
    assertThat(area).isCloseTo(m.auc(), within(1e-12));
    // the tie at 0.4 (one positive, one negative) counts one half: (5 + 5 + 3.5) / 15
    assertThat(m.auc()).isCloseTo(13.5 / 15, within(1e-15));
    assertThatThrownBy(() -> roc.add(roc.get(0))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void perfectReversedAndTiedScores() {
    boolean[] p = {true, true, false, false, false};
    assertThat(BinaryMetrics.of(new double[] {0.9, 0.8, 0.3, 0.2, 0.1}, p).auc()).isEqualTo(1.0);
    BinaryMetrics reversed = BinaryMetrics.of(new double[] {0.1, 0.2, 0.7, 0.8, 0.9}, p);
    assertThat(reversed.auc()).isEqualTo(0.0);
    assertThat(reversed.youdenJ()).isEqualTo(0.0);
    assertThat(reversed.youdenThreshold()).isEqualTo(0.1); // only the all-positive rule has J 0
    BinaryMetrics ties = BinaryMetrics.of(new double[] {0.5, 0.5, 0.5, 0.5, 0.5}, p);
    assertThat(ties.auc()).isEqualTo(0.5);
    assertThat(ties.rocCurve())
        .containsExactly(new RocPoint(0, 0, Double.POSITIVE_INFINITY), new RocPoint(1, 1, 0.5));
    assertThat(ties.standardError()).isEqualTo(0.0);
    assertThat(ties.aucLine()).isEqualTo("AUC: 0.500000 (95% CI 0.500-0.500)");
  }

  @Test
  void youdenTiesGoToTheHighestThreshold() {
    // J = 1/2 at 0.9, 0 at 0.7, 1/2 at 0.5, 0 at 0.1
    BinaryMetrics m =
        BinaryMetrics.of(
            new double[] {0.9, 0.5, 0.7, 0.1}, new boolean[] {true, true, false, false});
    assertThat(m.youdenJ()).isEqualTo(0.5);
    assertThat(m.youdenThreshold()).isEqualTo(0.9);
  }

  @Test
  void confusionMatrixAtThreshold() {
    double[] s = {0.1, 0.9, 0.7, 0.8, 0.2, 0.4, 0.3};
    boolean[] p = {false, true, false, true, false, true, false};
    BinaryMetrics m = BinaryMetrics.of(s, p);
    ConfusionMatrix c = m.confusionAt(0.4); // >= 0.4 is positive: 0.9 0.8 0.4 and 0.7
    assertThat(c).isEqualTo(new ConfusionMatrix(0.4, 3, 1, 3, 0));
    assertThat(c.sensitivity()).isEqualTo(1.0);
    assertThat(c.specificity()).isEqualTo(0.75);
    assertThat(c.precision()).isEqualTo(0.75);
    assertThat(c.negativePredictiveValue()).isEqualTo(1.0);
    assertThat(c.accuracy()).isEqualTo(6.0 / 7);
    assertThat(c.f1()).isEqualTo(6.0 / 7);
    assertThat(m.confusionAtYouden()).isEqualTo(c);
    assertThat(m.confusionAt(0.75)).isEqualTo(new ConfusionMatrix(0.75, 2, 0, 4, 1));
    ConfusionMatrix none = m.confusionAt(Double.POSITIVE_INFINITY);
    assertThat(none).isEqualTo(new ConfusionMatrix(Double.POSITIVE_INFINITY, 0, 0, 4, 3));
    assertThat(none.precision()).isNaN();
    assertThat(m.confusionAt(0.0)).isEqualTo(new ConfusionMatrix(0.0, 3, 4, 0, 0));
    // every ROC point agrees with the confusion matrix at its threshold
    for (RocPoint r : m.rocCurve()) {
      ConfusionMatrix at = m.confusionAt(r.threshold());
      assertThat(1 - at.specificity()).isCloseTo(r.fpr(), within(1e-15));
      assertThat(at.sensitivity()).isCloseTo(r.tpr(), within(1e-15));
    }
  }

  @Test
  void aucLineFormat() {
    assertThat(BinaryMetrics.formatAucLine(0.8125, 0.70149, 0.92351))
        .isEqualTo("AUC: 0.812500 (95% CI 0.701-0.924)");
    assertThat(BinaryMetrics.formatAucLine(0.5, Double.NaN, Double.NaN))
        .isEqualTo("AUC: 0.500000 (95% CI n/a)");
    Object[] d = randomData(3, 200, 0, 1.0);
    BinaryMetrics m = BinaryMetrics.of((double[]) d[0], (boolean[]) d[1]);
    assertThat(m.aucLine()).matches("AUC: 0\\.\\d{6} \\(95% CI 0\\.\\d{3}-0\\.\\d{3}\\)");
    assertThat(m.aucLine())
        .isEqualTo(BinaryMetrics.formatAucLine(m.auc(), m.ciLower(), m.ciUpper()));
    assertThat(m.toString()).contains(m.aucLine());
  }

  @Test
  void singlePositiveHasAucButNoInterval() {
    BinaryMetrics m =
        BinaryMetrics.of(new double[] {0.9, 0.2, 0.95}, new boolean[] {true, false, false});
    assertThat(m.auc()).isEqualTo(0.5);
    assertThat(m.standardError()).isNaN();
    assertThat(m.ciLower()).isNaN();
    assertThat(m.aucLine()).isEqualTo("AUC: 0.500000 (95% CI n/a)");
  }

  @Test
  void badInputsAreRejectedWithClearMessages() {
    assertThatThrownBy(() -> BinaryMetrics.of(new double[] {0.1, 0.2}, new boolean[] {true}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scores and positive must have the same length but had 2 and 1");
    assertThatThrownBy(() -> BinaryMetrics.of(new double[] {0.1, 0.2}, new boolean[] {true, true}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "AUC needs at least one positive and one negative sample but got 2 positives"
                + " and 0 negatives");
    assertThatThrownBy(() -> BinaryMetrics.of(new double[0], new boolean[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 0 positives and 0 negatives");
    assertThatThrownBy(
            () -> BinaryMetrics.of(new double[] {0.1, Double.NaN}, new boolean[] {true, false}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scores[1] must be finite but was NaN");
    assertThatThrownBy(() -> BinaryMetrics.of(null, new boolean[0]))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("scores");
    BinaryMetrics m = BinaryMetrics.of(new double[] {0.1, 0.2}, new boolean[] {false, true});
    assertThatThrownBy(() -> m.confusionAt(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
  }
}
