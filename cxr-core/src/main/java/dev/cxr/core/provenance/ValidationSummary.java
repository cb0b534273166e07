package dev.cxr.core.provenance;

import dev.cxr.core.metrics.BinaryMetrics;

/**
 * The validation metrics of a model's kept weights and the operating point chosen on them.
 *
 * @param auc validation ROC AUC
 * @param aucLow lower bound of its 95% DeLong confidence interval
 * @param aucHigh upper bound
 * @param threshold operating threshold chosen on validation (Youden's J), NaN when none was chosen
 * @param sensitivity validation sensitivity at that threshold
 * @param specificity validation specificity at that threshold
 */
public record ValidationSummary(
    double auc,
    double aucLow,
    double aucHigh,
    double threshold,
    double sensitivity,
    double specificity) {

  /**
   * The AUC line in the form {@code cxr evaluate} prints.
   *
   * @return e.g. {@code AUC: 0.812500 (95% CI 0.701-0.924)}
   */
  public String aucLine() {
    return BinaryMetrics.formatAucLine(auc, aucLow, aucHigh);
  }
}
