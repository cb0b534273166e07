package dev.cxr.core.evaluation;

import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.Calibration;
import java.nio.file.Path;
import java.util.List;

/**
 * Positive-class probabilities of labelled images, in order, with their labels and (when a loss was
 * given) the mean loss. The arrays are copied in and out: a record never hands out its own.
 *
 * @param files the images scored, in order
 * @param scores positive-class probability of each image
 * @param positive whether each image is positive
 * @param meanLoss mean of the configured loss over the images, NaN when no loss was given
 */
public record Scores(List<Path> files, double[] scores, boolean[] positive, double meanLoss) {

  /** Copies the arrays and checks that the lengths agree. */
  public Scores {
    files = List.copyOf(files);
    scores = scores.clone();
    positive = positive.clone();
    if (scores.length != files.size() || positive.length != files.size()) {
      throw new IllegalArgumentException(
          "files, scores and labels differ in length: "
              + files.size()
              + ", "
              + scores.length
              + ", "
              + positive.length);
    }
  }

  /**
   * @return a copy of the positive-class probabilities
   */
  @Override
  public double[] scores() {
    return scores.clone();
  }

  /**
   * @return a copy of the labels
   */
  @Override
  public boolean[] positive() {
    return positive.clone();
  }

  /**
   * ROC AUC with its DeLong CI, ROC curve and confusion matrices of these scores.
   *
   * @return the metrics
   */
  public BinaryMetrics metrics() {
    return BinaryMetrics.of(scores, positive);
  }

  /**
   * Expected calibration error, Brier score and reliability bins of these scores.
   *
   * @return the calibration
   */
  public Calibration calibration() {
    return Calibration.of(scores, positive);
  }
}
