package dev.cxr.core.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The precision-recall curve and average precision of scores against labels: the library's one
 * implementation of average precision ({@link RankingMetrics#averagePrecision} reads it from here).
 * Average precision is the step-wise area {@code sum_n (R_n - R_(n-1)) P_n} over the distinct
 * thresholds (the definition of scikit-learn's {@code average_precision_score}; no interpolation).
 * Tied scores form one step.
 *
 * <p>Without a positive label recall is 0/0 at every threshold: the curve has no points and the
 * average precision is NaN, the honest value (scikit-learn warns and reports 0, which reads as the
 * worst possible ranking). Immutable; arrays are copied out.
 */
public final class PrecisionRecall {
  private final double[] recall;
  private final double[] precision;
  private final double averagePrecision;
  private final double prevalence;

  private PrecisionRecall(double[] recall, double[] precision, double ap, double prevalence) {
    this.recall = recall;
    this.precision = precision;
    this.averagePrecision = ap;
    this.prevalence = prevalence;
  }

  /**
   * Computes the curve.
   *
   * @param scores positive-class scores, higher meaning more likely positive; not NaN
   * @param positive labels
   * @return the curve, from the highest threshold down; without a positive label an empty curve
   *     with NaN average precision
   * @throws IllegalArgumentException when the lengths differ or a score is NaN
   */
  public static PrecisionRecall of(double[] scores, boolean[] positive) {
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(positive, "positive");
    if (scores.length != positive.length) {
      throw new IllegalArgumentException(
          "scores and labels differ in length: " + scores.length + " vs " + positive.length);
    }
    int pos = 0;
    for (int i = 0; i < scores.length; i++) {
      if (Double.isNaN(scores[i])) {
        throw new IllegalArgumentException("scores must not be NaN but scores[" + i + "] was NaN");
      }
      pos += positive[i] ? 1 : 0;
    }
    if (pos == 0) {
      return new PrecisionRecall(
          new double[0], new double[0], Double.NaN, scores.length == 0 ? Double.NaN : 0);
    }
    Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    double[] r = new double[scores.length + 1];
    double[] p = new double[scores.length + 1];
    int n = 0;
    r[n] = 0;
    p[n] = 1; // the curve starts at (recall 0, precision 1), as scikit-learn's does
    n++;
    int tp = 0;
    int fp = 0;
    double ap = 0;
    for (int k = 0; k < order.length; ) {
      int j = k;
      while (j < order.length && scores[order[j]] == scores[order[k]]) {
        if (positive[order[j]]) {
          tp++;
        } else {
          fp++;
        }
        j++;
      }
      double rec = (double) tp / pos;
      double prec = (double) tp / (tp + fp);
      ap += (rec - r[n - 1]) * prec;
      r[n] = rec;
      p[n] = prec;
      n++;
      k = j;
    }
    return new PrecisionRecall(
        Arrays.copyOf(r, n), Arrays.copyOf(p, n), ap, (double) pos / scores.length);
  }

  /**
   * @return recall at each step, rising from 0; empty without a positive label
   */
  public double[] recall() {
    return recall.clone();
  }

  /**
   * @return precision at each step; empty without a positive label
   */
  public double[] precision() {
    return precision.clone();
  }

  /**
   * @return average precision, in [0, 1]; NaN without a positive label
   */
  public double averagePrecision() {
    return averagePrecision;
  }

  /**
   * @return fraction of positives: the precision of a classifier that guesses; NaN without samples
   */
  public double prevalence() {
    return prevalence;
  }
}
