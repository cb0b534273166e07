package dev.cxr.core.evaluation;

import dev.cxr.core.data.CxrTask;
import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.ConfusionMatrix;
import dev.cxr.core.provenance.FindingSummary;
import dev.cxr.core.provenance.ValidationSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * How the operating threshold of a model is chosen on its validation scores, and the summary a
 * model stores with it: the one place for a training run, a cross-validation ensemble and every
 * finding of a multi-label model.
 */
public final class OperatingPoint {
  private OperatingPoint() {}

  /**
   * Youden's J threshold, moved halfway down to the next lower validation score so that the
   * operating point does not sit exactly on one image's score (where float noise would flip it).
   *
   * @param m validation metrics
   * @return the threshold
   */
  public static double threshold(BinaryMetrics m) {
    double t = m.youdenThreshold();
    for (double next : m.rocThresholds()) {
      if (next < t) {
        return (t + next) / 2; // thresholds are in descending order: the first lower one
      }
    }
    return t;
  }

  /**
   * The summary a model stores: each finding's validation metrics, its operating threshold chosen
   * on {@code selection} (the data that chose the epoch; {@code validation} itself when nothing
   * else did) and the sensitivity and specificity at that threshold on {@code validation}. A
   * finding whose selection part lacks a class gets no threshold (NaN), one whose validation part
   * lacks a class no AUC.
   *
   * @param task the model's task
   * @param validation the validation scores
   * @param selection the scores the thresholds are chosen on
   * @return a one-finding summary, or a multi-label one with the mean AUC of {@code validation}
   */
  public static ValidationSummary summary(CxrTask task, Scores validation, Scores selection) {
    if (!task.multiLabel()) {
      double threshold = threshold(selection.metrics());
      BinaryMetrics m = validation.metrics();
      ConfusionMatrix cm = m.confusionAt(threshold);
      return new ValidationSummary(
          m.auc(), m.ciLower(), m.ciUpper(), threshold, cm.sensitivity(), cm.specificity());
    }
    List<FindingSummary> findings = new ArrayList<>();
    for (int f = 0; f < task.findings().size(); f++) {
      Scores sel = selection.finding(f);
      Scores val = validation.finding(f);
      double threshold = sel.hasBothClasses(0) ? threshold(sel.metrics()) : Double.NaN;
      double auc = Double.NaN;
      double low = Double.NaN;
      double high = Double.NaN;
      double sens = Double.NaN;
      double spec = Double.NaN;
      if (val.hasBothClasses(0)) {
        BinaryMetrics m = val.metrics();
        auc = m.auc();
        low = m.ciLower();
        high = m.ciUpper();
        if (!Double.isNaN(threshold)) {
          ConfusionMatrix cm = m.confusionAt(threshold);
          sens = cm.sensitivity();
          spec = cm.specificity();
        }
      }
      findings.add(
          new FindingSummary(
              task.findings().get(f),
              val.positives(0),
              auc,
              low,
              high,
              threshold,
              sens,
              spec,
              ValidationSummary.UNCALIBRATED));
    }
    return ValidationSummary.multiLabel(validation.meanAuc(), findings);
  }
}
