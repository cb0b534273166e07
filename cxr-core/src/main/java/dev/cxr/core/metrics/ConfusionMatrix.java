package dev.cxr.core.metrics;

/**
 * Counts of a binary decision rule "positive when score {@code >= threshold}" against the truth.
 * Rates whose denominator is zero (for example precision when nothing is called positive) are
 * {@link Double#NaN}.
 *
 * @param threshold the decision threshold
 * @param truePositives positives called positive
 * @param falsePositives negatives called positive
 * @param trueNegatives negatives called negative
 * @param falseNegatives positives called negative
 */
public record ConfusionMatrix(
    double threshold,
    int truePositives,
    int falsePositives,
    int trueNegatives,
    int falseNegatives) {

  /**
   * Checks that all counts are non-negative.
   *
   * @throws IllegalArgumentException for a negative count or a NaN threshold
   */
  public ConfusionMatrix {
    if (Double.isNaN(threshold)) {
      throw new IllegalArgumentException("threshold must not be NaN");
    }
    if (truePositives < 0 || falsePositives < 0 || trueNegatives < 0 || falseNegatives < 0) {
      throw new IllegalArgumentException(
          "counts must be >= 0 but were tp="
              + truePositives
              + " fp="
              + falsePositives
              + " tn="
              + trueNegatives
              + " fn="
              + falseNegatives);
    }
  }

  /**
   * Sensitivity (recall, true-positive rate).
   *
   * @return TP / (TP + FN)
   */
  public double sensitivity() {
    return ratio(truePositives, truePositives + falseNegatives);
  }

  /**
   * Specificity (true-negative rate).
   *
   * @return TN / (TN + FP)
   */
  public double specificity() {
    return ratio(trueNegatives, trueNegatives + falsePositives);
  }

  /**
   * Precision (positive predictive value).
   *
   * @return TP / (TP + FP), NaN when nothing is called positive
   */
  public double precision() {
    return ratio(truePositives, truePositives + falsePositives);
  }

  /**
   * Negative predictive value.
   *
   * @return TN / (TN + FN), NaN when nothing is called negative
   */
  public double negativePredictiveValue() {
    return ratio(trueNegatives, trueNegatives + falseNegatives);
  }

  /**
   * Accuracy.
   *
   * @return (TP + TN) / total
   */
  public double accuracy() {
    return ratio(truePositives + trueNegatives, total());
  }

  /**
   * F1 score, the harmonic mean of precision and sensitivity.
   *
   * @return 2 TP / (2 TP + FP + FN)
   */
  public double f1() {
    return ratio(2L * truePositives, 2L * truePositives + falsePositives + falseNegatives);
  }

  /**
   * Number of samples counted.
   *
   * @return TP + FP + TN + FN
   */
  public int total() {
    return truePositives + falsePositives + trueNegatives + falseNegatives;
  }

  private static double ratio(long num, long den) {
    return den == 0 ? Double.NaN : (double) num / den;
  }
}
