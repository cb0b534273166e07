package dev.cxr.core.evaluation;

import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.Calibration;
import dev.cxr.core.metrics.ConfusionMatrix;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A model scored against the labels of a data directory: one {@link FindingEvaluation} per finding
 * of its task, in task order, and their mean AUC. The one-finding views ({@link #metrics()}, {@link
 * #threshold()}, ...) are those of a one-finding (binary) model; with several findings take {@link
 * #findings()}.
 *
 * @param scores every image's probability of each finding, with its labels
 * @param findings one evaluation per finding, in task order
 */
public record Evaluation(Scores scores, List<FindingEvaluation> findings) {

  /** Checks that there is one evaluation per finding of the scores. */
  public Evaluation {
    Objects.requireNonNull(scores, "scores");
    findings = List.copyOf(findings);
    if (findings.size() != scores.findings().size()) {
      throw new IllegalArgumentException(
          "one evaluation per finding is needed: "
              + scores.findings().size()
              + " findings, "
              + findings.size()
              + " evaluations");
    }
  }

  /**
   * The AUC of the one finding, or the mean AUC over the findings {@link Scores#meanAucFindings()}
   * names.
   *
   * @return the AUC, NaN when no finding has both classes
   */
  public double meanAuc() {
    List<Integer> in = scores.meanAucFindings();
    return in.stream().mapToDouble(i -> findings.get(i).auc()).average().orElse(Double.NaN);
  }

  /**
   * @return whether the model predicts several findings
   */
  public boolean multiLabel() {
    return findings.size() > 1;
  }

  /**
   * @return the images scored, in order
   */
  public List<Path> files() {
    return scores.files();
  }

  /**
   * @return the evaluation of a one-finding model
   * @throws IllegalStateException with several findings
   */
  public FindingEvaluation single() {
    if (findings.size() != 1) {
      throw new IllegalStateException(
          "this evaluation holds " + findings.size() + " findings: take findings()");
    }
    return findings.get(0);
  }

  /**
   * @return AUC, its CI and the ROC curve of a one-finding model
   */
  public BinaryMetrics metrics() {
    return single().metrics();
  }

  /**
   * @return the operating threshold of a one-finding model
   */
  public double threshold() {
    return single().threshold();
  }

  /**
   * @return the confusion matrix at the threshold, of a one-finding model
   */
  public ConfusionMatrix confusion() {
    return single().confusion();
  }

  /**
   * @return the positive class name of a one-finding model
   */
  public String positiveLabel() {
    return single().positiveLabel();
  }

  /**
   * @return the negative class name of a one-finding model
   */
  public String negativeLabel() {
    return single().negativeLabel();
  }

  /**
   * The label the operating threshold gives image {@code i}, of a one-finding model.
   *
   * @param i index of the image
   * @return {@link #positiveLabel()} or {@link #negativeLabel()}
   */
  public String predictedLabel(int i) {
    return single().predictedLabel(i);
  }

  /**
   * @return the calibration of a one-finding model's scores
   */
  public Calibration calibration() {
    return single().calibration();
  }
}
