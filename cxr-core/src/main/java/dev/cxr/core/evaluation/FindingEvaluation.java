package dev.cxr.core.evaluation;

import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.Calibration;
import dev.cxr.core.metrics.ConfusionMatrix;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One finding of a model scored against the labels of a data directory.
 *
 * @param finding the finding's canonical NIH name
 * @param scores every image's probability of the finding and label
 * @param metrics AUC, its CI and the ROC curve; null when the images lack a class (no AUC)
 * @param threshold operating threshold (chosen on the training run's validation split)
 * @param confusion confusion matrix at that threshold
 * @param positiveLabel name of the positive class
 * @param negativeLabel name of the negative class
 */
public record FindingEvaluation(
    String finding,
    Scores scores,
    BinaryMetrics metrics,
    double threshold,
    ConfusionMatrix confusion,
    String positiveLabel,
    String negativeLabel) {

  /** Checks for nulls. */
  public FindingEvaluation {
    Objects.requireNonNull(finding, "finding");
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(confusion, "confusion");
    if (scores.findings().size() != 1) {
      throw new IllegalArgumentException("a finding's evaluation holds its own scores only");
    }
    Objects.requireNonNull(positiveLabel, "positiveLabel");
    Objects.requireNonNull(negativeLabel, "negativeLabel");
  }

  /**
   * @return whether the images had both classes, so that {@link #metrics()} exists
   */
  public boolean hasAuc() {
    return metrics != null;
  }

  /**
   * @return the ROC AUC, NaN when the images lack a class
   */
  public double auc() {
    return metrics == null ? Double.NaN : metrics.auc();
  }

  /**
   * @return the images with the finding
   */
  public int positives() {
    return scores.positives(0);
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
