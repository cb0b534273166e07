package dev.cxr.core.training;

import dev.cxr.core.data.CxrTask;
import dev.cxr.core.provenance.EpochResult;
import dev.cxr.core.provenance.FindingSummary;
import dev.cxr.core.provenance.ValidationSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * The summary a checkpoint stores before its run ends (the kept epoch's history row); the final
 * summary, with the operating thresholds, is {@link
 * dev.cxr.core.evaluation.OperatingPoint#summary}.
 */
final class RunSummary {
  private RunSummary() {}

  /**
   * The summary a checkpoint carries before the run ends: the kept epoch's history row, without an
   * operating threshold (sensitivity and specificity at 0.5).
   *
   * @param task the run's task
   * @param best the kept epoch's row
   * @return the summary
   */
  static ValidationSummary atHalf(CxrTask task, EpochResult best) {
    if (!task.multiLabel()) {
      return new ValidationSummary(
          best.auc(),
          best.aucLow(),
          best.aucHigh(),
          Double.NaN,
          best.sensitivity(),
          best.specificity());
    }
    List<FindingSummary> findings = new ArrayList<>();
    for (int f = 0; f < task.findings().size(); f++) {
      double auc = f < best.findingAucs().size() ? best.findingAucs().get(f) : Double.NaN;
      findings.add(
          new FindingSummary(
              task.findings().get(f),
              -1,
              auc,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              Double.NaN,
              ValidationSummary.UNCALIBRATED));
    }
    return ValidationSummary.multiLabel(best.auc(), findings);
  }
}
