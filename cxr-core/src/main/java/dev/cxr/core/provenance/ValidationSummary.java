package dev.cxr.core.provenance;

import dev.cxr.core.metrics.BinaryMetrics;

/**
 * The validation metrics of a model's kept weights, the operating point chosen on them and the
 * temperature that calibrates its probabilities.
 *
 * @param auc validation ROC AUC
 * @param aucLow lower bound of its 95% DeLong confidence interval
 * @param aucHigh upper bound
 * @param threshold operating threshold chosen on validation (Youden's J), NaN when none was chosen;
 *     it applies to the probabilities after temperature scaling
 * @param sensitivity validation sensitivity at that threshold
 * @param specificity validation specificity at that threshold
 * @param temperature softmax temperature fitted on the validation split ({@code cxr calibrate}); 1
 *     when the model is not calibrated (and for files written before calibration existed, which
 *     lack the field)
 */
public record ValidationSummary(
    double auc,
    double aucLow,
    double aucHigh,
    double threshold,
    double sensitivity,
    double specificity,
    double temperature) {

  /** Temperature of a model that is not calibrated. */
  public static final double UNCALIBRATED = 1.0;

  /** Checks the temperature. */
  public ValidationSummary {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException(
          "temperature must be positive and finite but was " + temperature);
    }
  }

  /**
   * Metrics of a model that is not calibrated (temperature 1).
   *
   * @param auc validation ROC AUC
   * @param aucLow lower bound of its 95% DeLong confidence interval
   * @param aucHigh upper bound
   * @param threshold operating threshold, NaN when none was chosen
   * @param sensitivity validation sensitivity at that threshold
   * @param specificity validation specificity at that threshold
   */
  public ValidationSummary(
      double auc,
      double aucLow,
      double aucHigh,
      double threshold,
      double sensitivity,
      double specificity) {
    this(auc, aucLow, aucHigh, threshold, sensitivity, specificity, UNCALIBRATED);
  }

  /**
   * Whether a temperature other than 1 was fitted.
   *
   * @return true when calibrated
   */
  public boolean calibrated() {
    return temperature != UNCALIBRATED;
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
