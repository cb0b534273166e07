package dev.cxr.core.provenance;

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
    double seconds) {}
