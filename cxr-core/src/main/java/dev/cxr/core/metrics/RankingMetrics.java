package dev.cxr.core.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Two figures of a ranking that move under class imbalance where ROC AUC barely does: average
 * precision (the area under the precision-recall curve, as scikit-learn's {@code
 * average_precision_score} defines it: the sum over thresholds of the recall gained times the
 * precision there; computed by {@link PrecisionRecall}) and the sensitivity at a required
 * specificity. Tied scores are one threshold.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  /**
   * Average precision: {@code sum_k (R_k - R_{k-1}) P_k} over the distinct thresholds, high to low.
   * Chance level is the prevalence. Delegates to {@link PrecisionRecall}, the one implementation.
   *
   * @param scores higher means more likely positive; not NaN
   * @param positive labels
   * @return AP in [0, 1], NaN without positives
   * @throws IllegalArgumentException when the lengths differ or a score is NaN
   */
  public static double averagePrecision(double[] scores, boolean[] positive) {
    return PrecisionRecall.of(scores, positive).averagePrecision();
  }

  /**
   * The highest sensitivity among the thresholds whose specificity is at least {@code specificity}
   * (an image is called positive when its score is at or above the threshold).
   *
   * @param scores higher means more likely positive
   * @param positive labels
   * @param specificity the required specificity, in [0, 1]
   * @return the sensitivity, NaN without positives or negatives
   */
  public static double sensitivityAtSpecificity(
      double[] scores, boolean[] positive, double specificity) {
    check(scores, positive);
    if (!(specificity >= 0 && specificity <= 1)) {
      throw new IllegalArgumentException("specificity must be in [0, 1] but was " + specificity);
    }
    Integer[] order = descending(scores);
    long pos = IntStream.range(0, positive.length).filter(i -> positive[i]).count();
    long neg = positive.length - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    double best = 0; // the threshold above every score: nothing called positive, specificity 1
    int tp = 0;
    int fp = 0;
    for (int k = 0; k < order.length; ) {
      double s = scores[order[k]];
      while (k < order.length && scores[order[k]] == s) {
        if (positive[order[k]]) {
          tp++;
        } else {
          fp++;
        }
        k++;
      }
      if (1 - (double) fp / neg >= specificity - 1e-12) {
        best = Math.max(best, (double) tp / pos);
      }
    }
    return best;
  }

  private static Integer[] descending(double[] scores) {
    Integer[] order = new Integer[scores.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    return order;
  }

  private static void check(double[] scores, boolean[] positive) {
    if (scores.length != positive.length) {
      throw new IllegalArgumentException(
          "scores and labels differ in length: " + scores.length + " vs " + positive.length);
    }
    for (double s : scores) {
      if (Double.isNaN(s)) {
        throw new IllegalArgumentException("scores must not be NaN");
      }
    }
  }
}
