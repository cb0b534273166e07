package dev.cxr.core.provenance;

import dev.cxr.core.metrics.BinaryMetrics;

/**
 * The validation metrics of one finding of a multi-label model's kept weights, its operating
 * threshold and its temperature.
 *
 * @param finding the finding's canonical NIH name
 * @param positives validation images with the finding
 * @param auc validation ROC AUC, NaN when the validation part lacks a class
 * @param aucLow lower bound of its 95% DeLong confidence interval
 * @param aucHigh upper bound
 * @param threshold operating threshold chosen on the selection part (Youden's J), NaN when none
 *     could be chosen; it applies to the probabilities after temperature scaling
 * @param sensitivity validation sensitivity at that threshold
 * @param specificity validation specificity at that threshold
 * @param temperature the finding's fitted temperature ({@code cxr calibrate}), 1 when uncalibrated
 */
public record FindingSummary(
    String finding,
    int positives,
    double auc,
    double aucLow,
    double aucHigh,
    double threshold,
    double sensitivity,
    double specificity,
    double temperature) {

  /** Checks the temperature. */
  public FindingSummary {
    java.util.Objects.requireNonNull(finding, "finding");
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException(
          "temperature must be positive and finite but was " + temperature);
    }
  }

  /**
   * @param threshold a new operating threshold
   * @param temperature a new temperature
   * @return this summary with them
   */
  public FindingSummary withCalibration(double threshold, double temperature) {
    return new FindingSummary(
        finding, positives, auc, aucLow, aucHigh, threshold, sensitivity, specificity, temperature);
  }

  /**
   * The AUC line in the form {@code cxr evaluate} prints.
   *
   * @return e.g. {@code AUC: 0.812500 (95% CI 0.701-0.924)}
   */
  public String aucLine() {
    return BinaryMetrics.formatAucLine(auc, aucLow, aucHigh);
  }
}
