package dev.cxr.core.evaluation;

import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.Calibration;
import dev.cxr.core.metrics.ConfusionMatrix;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A model scored against the labels of a data directory.
 *
 * @param scores every image's positive-class probability and label
 * @param metrics AUC, its CI and the ROC curve
 * @param threshold operating threshold (chosen on the training run's validation split)
 * @param confusion confusion matrix at that threshold
 * @param positiveLabel name of the positive class
 * @param negativeLabel name of the negative class
 */
public record Evaluation(
    Scores scores,
    BinaryMetrics metrics,
    double threshold,
    ConfusionMatrix confusion,
    String positiveLabel,
    String negativeLabel) {

  /** Checks for nulls. */
  public Evaluation {
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(confusion, "confusion");
    Objects.requireNonNull(positiveLabel, "positiveLabel");
    Objects.requireNonNull(negativeLabel, "negativeLabel");
  }

  /**
   * @return the images scored, in order
   */
  public List<Path> files() {
    return scores.files();
  }

  /**
   * The label the operating threshold gives image {@code i}.
   *
   * @param i index of the image
   * @return {@link #positiveLabel()} or {@link #negativeLabel()}
   */
  public String predictedLabel(int i) {
    return scores.scores()[i] >= threshold ? positiveLabel : negativeLabel;
  }

  /**
   * Expected calibration error (10 equal-width bins), Brier score and reliability bins.
   *
   * @return the calibration of the scores
   */
  public Calibration calibration() {
    return scores.calibration();
  }
}
