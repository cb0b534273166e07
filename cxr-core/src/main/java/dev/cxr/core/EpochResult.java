package dev.cxr.core;

import java.util.LinkedHashMap;
import java.util.Map;

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
    double seconds) {

  /** @return the fields as a JSON-friendly map */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epoch", epoch);
    m.put("learningRate", learningRate);
    m.put("trainLoss", trainLoss);
    m.put("validationLoss", validationLoss);
    m.put("auc", auc);
    m.put("aucLow", aucLow);
    m.put("aucHigh", aucHigh);
    m.put("sensitivity", sensitivity);
    m.put("specificity", specificity);
    m.put("imagesPerSecond", imagesPerSecond);
    m.put("seconds", seconds);
    return m;
  }

  /**
   * @param m a map written by {@link #toMap()}
   * @return the result
   */
  public static EpochResult fromMap(Map<String, Object> m) {
    return new EpochResult(
        ((Number) m.get("epoch")).intValue(),
        num(m, "learningRate"),
        num(m, "trainLoss"),
        num(m, "validationLoss"),
        num(m, "auc"),
        num(m, "aucLow"),
        num(m, "aucHigh"),
        num(m, "sensitivity"),
        num(m, "specificity"),
        num(m, "imagesPerSecond"),
        num(m, "seconds"));
  }

  private static double num(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
