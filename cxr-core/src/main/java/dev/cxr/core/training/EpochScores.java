package dev.cxr.core.training;

import dev.cxr.core.evaluation.Scores;
import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.ConfusionMatrix;
import dev.cxr.core.provenance.EpochResult;
import java.util.Arrays;
import java.util.List;

/**
 * One part (validation or selection) scored after an epoch: the scores with the configured loss,
 * the AUC the epoch is chosen on ({@link Scores#meanAuc()}: the finding's AUC for a one-finding
 * task, the mean over findings for a multi-label one) and, for a one-finding task, its metrics and
 * the confusion matrix at 0.5.
 *
 * @param scores the part's scores
 * @param auc the AUC the epoch is chosen on
 * @param metrics a one-finding task's metrics, null for a multi-label task
 * @param atHalf a one-finding task's confusion matrix at 0.5, null for a multi-label task
 * @param findingAucs a multi-label task's AUC per finding (NaN without both classes), computed once
 *     for the choice and the history; empty for a one-finding task
 */
record EpochScores(
    Scores scores,
    double auc,
    BinaryMetrics metrics,
    ConfusionMatrix atHalf,
    List<Double> findingAucs) {

  /**
   * @param s a part's scores
   * @return its epoch scores, or null when a probability is not finite (the network diverged)
   */
  static EpochScores of(Scores s) {
    if (!s.allFinite()) {
      return null;
    }
    if (s.findings().size() == 1) {
      BinaryMetrics m = s.metrics();
      return new EpochScores(s, m.auc(), m, m.confusionAt(0.5), List.of());
    }
    double[] aucs = s.aucs();
    return new EpochScores(s, s.meanAuc(aucs), null, null, Arrays.stream(aucs).boxed().toList());
  }

  /**
   * The history row of an epoch validated with these scores.
   *
   * @param epoch 1-based epoch
   * @param lr its learning rate
   * @param trainLoss its mean training loss
   * @param imagesPerSecond training throughput
   * @param seconds wall time, validation included
   * @return the row
   */
  EpochResult result(
      int epoch, double lr, double trainLoss, double imagesPerSecond, double seconds) {
    if (metrics != null) {
      return new EpochResult(
          epoch,
          lr,
          trainLoss,
          scores.meanLoss(),
          metrics.auc(),
          metrics.ciLower(),
          metrics.ciUpper(),
          atHalf.sensitivity(),
          atHalf.specificity(),
          imagesPerSecond,
          seconds);
    }
    return new EpochResult(
        epoch,
        lr,
        trainLoss,
        scores.meanLoss(),
        auc,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        imagesPerSecond,
        seconds,
        findingAucs);
  }
}
