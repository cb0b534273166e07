package dev.cxr.core.provenance;

import java.util.List;

/**
 * What one training epoch achieved.
 *
 * @param epoch 1-based epoch number
 * @param learningRate learning rate used
 * @param trainLoss mean training loss (the configured loss)
 * @param validationLoss mean validation loss (the configured loss)
 * @param auc validation ROC AUC, exact
 * @param aucLow lower bound of its 95% DeLong confidence interval
 * @param aucHigh upper bound
 * @param sensitivity validation sensitivity at probability 0.5
 * @param specificity validation specificity at probability 0.5
 * @param imagesPerSecond training throughput
 * @param seconds wall time of the epoch, validation included
 * @param findingAucs a multi-label model's validation AUC per finding, in task order (NaN where the
 *     validation part lacks a class); then {@code auc} is their mean over the findings the epoch is
 *     chosen on, and the interval, sensitivity and specificity are NaN. Empty for the one-finding
 *     task (and for files written before multi-label models existed)
 */
public record EpochResult(
    int epoch,
    double learningRate,
    double trainLoss,
    double validationLoss,
    double auc,
    double aucLow,
    double aucHigh,
    double sensitivity,
    double specificity,
    double imagesPerSecond,
    double seconds,
    List<Double> findingAucs) {

  /** Copies the list; a missing one reads as empty. */
  public EpochResult {
    findingAucs = findingAucs == null ? List.of() : List.copyOf(findingAucs);
  }

  /**
   * What one epoch of a one-finding model achieved.
   *
   * @param epoch 1-based epoch number
   * @param learningRate learning rate used
   * @param trainLoss mean training loss (the configured loss)
   * @param validationLoss mean validation loss (the configured loss)
   * @param auc validation ROC AUC, exact
   * @param aucLow lower bound of its 95% DeLong confidence interval
   * @param aucHigh upper bound
   * @param sensitivity validation sensitivity at probability 0.5
   * @param specificity validation specificity at probability 0.5
   * @param imagesPerSecond training throughput
   * @param seconds wall time of the epoch, validation included
   */
  public EpochResult(
      int epoch,
      double learningRate,
      double trainLoss,
      double validationLoss,
      double auc,
      double aucLow,
      double aucHigh,
      double sensitivity,
      double specificity,
      double imagesPerSecond,
      double seconds) {
    this(
        epoch,
        learningRate,
        trainLoss,
        validationLoss,
        auc,
        aucLow,
        aucHigh,
        sensitivity,
        specificity,
        imagesPerSecond,
        seconds,
        List.of());
  }
}
