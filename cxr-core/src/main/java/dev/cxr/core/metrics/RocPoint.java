package dev.cxr.core.metrics;

/**
 * One point of a ROC curve: the false- and true-positive rates obtained by calling a sample
 * positive when its score is {@code >= threshold}.
 *
 * @param fpr false-positive rate, 1 - specificity, in [0, 1]
 * @param tpr true-positive rate (sensitivity), in [0, 1]
 * @param threshold the decision threshold; {@link Double#POSITIVE_INFINITY} for the (0, 0) point at
 *     which nothing is called positive
 */
public record RocPoint(double fpr, double tpr, double threshold) {

  /**
   * Youden's J statistic at this point.
   *
   * @return {@code tpr - fpr}, in [-1, 1]
   */
  public double youdenJ() {
    return tpr - fpr;
  }
}
