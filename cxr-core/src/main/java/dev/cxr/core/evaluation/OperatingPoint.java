package dev.cxr.core.evaluation;

import dev.cxr.core.metrics.BinaryMetrics;

/** How the operating threshold of a model is chosen on its validation scores. */
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
}
