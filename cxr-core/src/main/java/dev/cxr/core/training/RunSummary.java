package dev.cxr.core.training;

import dev.cxr.core.data.CxrTask;
import dev.cxr.core.evaluation.OperatingPoint;
import dev.cxr.core.provenance.EpochResult;
import dev.cxr.core.provenance.FindingSummary;
import dev.cxr.core.provenance.ValidationSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * The summary a training run stores with its kept weights: the validation metrics of the kept
 * epoch, each finding's operating threshold chosen on the selection part (the same data that chose
 * the epoch), and the sensitivity and specificity at that threshold on the validation part.
 */
final class RunSummary {
  private RunSummary() {}

  /**
   * The final summary of the kept weights ({@link OperatingPoint#summary}).
   *
   * @param task the run's task
   * @param validation the kept weights' validation scores
   * @param selection the kept weights' scores on the part that chose the epoch
   * @return the summary
   */
  static ValidationSummary of(CxrTask task, EpochScores validation, EpochScores selection) {
    return OperatingPoint.summary(task, validation.scores(), selection.scores());
  }

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
