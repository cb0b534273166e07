package dev.cxr.core.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One descending walk over the distinct scores of both classes, giving everything that depends on
 * the order of the scores at once: the ROC curve, the Youden point, the exact AUC and the DeLong
 * placement values of each tie group. One walk keeps the whole computation O(n) after the sort.
 *
 * <p>For the tie group at value v with cp positives and cn negatives, given fpAbove negatives and
 * tpAbove positives strictly above v:
 *
 * <ul>
 *   <li>V10 of each of its positives = (negatives below v + cn/2) / n
 *   <li>V01 of each of its negatives = (positives above v + cp/2) / m
 * </ul>
 *
 * <p>(equivalently Tz - Tx midrank differences, Sun and Xu 2014).
 */
final class RocWalk {
  /** Number of positives, m. */
  final int m;

  /** Number of negatives, n. */
  final int n;

  /** The ROC curve, starting at (0, 0) with threshold +Infinity; unmodifiable. */
  final List<RocPoint> roc;

  /** The first (highest-threshold) point of maximal Youden's J. */
  final RocPoint youden;

  /** The exact AUC, ties counted one half. */
  final double auc;

  /** Number of tie groups (distinct scores). */
  final int groups;

  /** Placement value of the positives of each tie group. */
  final double[] v10;

  /** Placement value of the negatives of each tie group. */
  final double[] v01;

  /** Number of positives in each tie group. */
  final int[] cpOf;

  /** Number of negatives in each tie group. */
  final int[] cnOf;

  /**
   * Walks the scores.
   *
   * @param positiveScores scores of the positives, sorted ascending, no -0.0
   * @param negativeScores scores of the negatives, sorted ascending, no -0.0
   */
  RocWalk(double[] positiveScores, double[] negativeScores) {
    m = positiveScores.length;
    n = negativeScores.length;
    List<RocPoint> points = new ArrayList<>();
    points.add(new RocPoint(0, 0, Double.POSITIVE_INFINITY));
    v10 = new double[m + n];
    v01 = new double[m + n];
    cpOf = new int[m + n];
    cnOf = new int[m + n];
    int g = 0;
    int ip = m - 1;
    int in = n - 1;
    int tp = 0;
    int fp = 0;
    double pairSum = 0; // sum over positives of (negatives below + ties/2), exact in halves
    long bestJNum = Long.MIN_VALUE; // J * m * n = tp * n - fp * m
    RocPoint best = null;
    while (ip >= 0 || in >= 0) {
      double v =
          Math.max(
              ip >= 0 ? positiveScores[ip] : Double.NEGATIVE_INFINITY,
              in >= 0 ? negativeScores[in] : Double.NEGATIVE_INFINITY);
      int cp = 0;
      while (ip >= 0 && positiveScores[ip] == v) {
        cp++;
        ip--;
      }
      int cn = 0;
      while (in >= 0 && negativeScores[in] == v) {
        cn++;
        in--;
      }
      double negBelowPlusHalf = (n - fp - cn) + 0.5 * cn;
      double posAbovePlusHalf = tp + 0.5 * cp;
      v10[g] = negBelowPlusHalf / n;
      v01[g] = posAbovePlusHalf / m;
      cpOf[g] = cp;
      cnOf[g] = cn;
      g++;
      pairSum += cp * negBelowPlusHalf;
      tp += cp;
      fp += cn;
      RocPoint point = new RocPoint((double) fp / n, (double) tp / m, v);
      points.add(point);
      long jNum = (long) tp * n - (long) fp * m;
      if (jNum > bestJNum) { // strict: the first (highest) threshold wins ties
        bestJNum = jNum;
        best = point;
      }
    }
    this.groups = g;
    this.roc = Collections.unmodifiableList(points);
    this.youden = best;
    this.auc = pairSum / ((double) m * n);
  }

  /**
   * The DeLong (1988) standard error of the AUC: {@code sqrt(S10/m + S01/n)}, with {@code S10} and
   * {@code S01} the sample variances of the placement values (each tie group's value counted once
   * per member).
   *
   * @return the standard error; only meaningful with at least two positives and two negatives
   */
  double deLongStandardError() {
    double mean10 = 0;
    double mean01 = 0;
    for (int g = 0; g < groups; g++) {
      mean10 += cpOf[g] * v10[g];
      mean01 += cnOf[g] * v01[g];
    }
    mean10 /= m;
    mean01 /= n;
    double ss10 = 0;
    double ss01 = 0;
    for (int g = 0; g < groups; g++) {
      ss10 += cpOf[g] * (v10[g] - mean10) * (v10[g] - mean10);
      ss01 += cnOf[g] * (v01[g] - mean01) * (v01[g] - mean01);
    }
    double s10 = ss10 / (m - 1);
    double s01 = ss01 / (n - 1);
    return Math.sqrt(s10 / m + s01 / n);
  }
}
