package dev.cxr.core.evaluation;

import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.Calibration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Probabilities of labelled images, one column per finding of the task, in order, with their labels
 * and (when a loss was given) the mean loss. The binary task has one finding: its positive-class
 * probability. The arrays are copied in and out.
 *
 * <p>The single-finding views ({@link #scores()}, {@link #positive()}, {@link #metrics()}, {@link
 * #calibration()}) are those of a one-finding task; with several findings take {@link
 * #finding(int)} first, so a count is never assumed.
 */
public final class Scores {
  /**
   * Fewest positive images a finding needs to enter {@link #meanAuc()} when the task has several
   * findings: an AUC from one or two positives is mostly noise (its DeLong interval spans most of
   * [0, 1]).
   */
  public static final int MEAN_AUC_MIN_POSITIVES = 5;

  private final List<Path> files;
  private final List<String> findings;
  private final double[][] scores; // [finding][image]
  private final boolean[][] labels; // [finding][image]
  private final double meanLoss;

  /**
   * Scores of one finding.
   *
   * @param files the images scored, in order
   * @param scores positive-class probability of each image
   * @param positive whether each image is positive
   * @param meanLoss mean of the configured loss over the images, NaN when no loss was given
   */
  public Scores(List<Path> files, double[] scores, boolean[] positive, double meanLoss) {
    this(files, List.of("positive"), new double[][] {scores}, new boolean[][] {positive}, meanLoss);
  }

  /**
   * Scores of several findings.
   *
   * @param files the images scored, in order
   * @param findings the finding of each column, in task order
   * @param scores {@code [finding][image]} probabilities
   * @param labels {@code [finding][image]} whether the image has the finding
   * @param meanLoss mean of the configured loss over the images, NaN when no loss was given
   */
  public Scores(
      List<Path> files,
      List<String> findings,
      double[][] scores,
      boolean[][] labels,
      double meanLoss) {
    this.files = List.copyOf(files);
    this.findings = List.copyOf(findings);
    if (this.findings.isEmpty()
        || scores.length != this.findings.size()
        || labels.length != this.findings.size()) {
      throw new IllegalArgumentException(
          "one score and one label column per finding are needed: "
              + this.findings.size()
              + " findings, "
              + scores.length
              + " score and "
              + labels.length
              + " label columns");
    }
    this.scores = new double[scores.length][];
    this.labels = new boolean[labels.length][];
    for (int f = 0; f < scores.length; f++) {
      this.scores[f] = scores[f].clone();
      this.labels[f] = labels[f].clone();
      if (this.scores[f].length != this.files.size() || this.labels[f].length != files.size()) {
        throw new IllegalArgumentException(
            "files, scores and labels differ in length: "
                + files.size()
                + ", "
                + this.scores[f].length
                + ", "
                + this.labels[f].length);
      }
    }
    this.meanLoss = meanLoss;
  }

  /**
   * @return the images scored, in order
   */
  public List<Path> files() {
    return files;
  }

  /**
   * @return the finding of each column, in task order
   */
  public List<String> findings() {
    return findings;
  }

  /**
   * @return mean of the configured loss over the images, NaN when no loss was given
   */
  public double meanLoss() {
    return meanLoss;
  }

  /**
   * The scores of one finding.
   *
   * @param i index in {@link #findings()}
   * @return one-finding scores (with this loss)
   */
  public Scores finding(int i) {
    Objects.checkIndex(i, findings.size());
    return new Scores(
        files,
        List.of(findings.get(i)),
        new double[][] {scores[i]},
        new boolean[][] {labels[i]},
        meanLoss);
  }

  /**
   * @param i index in {@link #findings()}
   * @return a copy of finding {@code i}'s probabilities
   */
  public double[] scoresOf(int i) {
    return scores[i].clone();
  }

  /**
   * @param i index in {@link #findings()}
   * @return a copy of finding {@code i}'s labels
   */
  public boolean[] labelsOf(int i) {
    return labels[i].clone();
  }

  /**
   * @param i index in {@link #findings()}
   * @return images with finding {@code i}
   */
  public int positives(int i) {
    int n = 0;
    for (boolean b : labels[i]) {
      n += b ? 1 : 0;
    }
    return n;
  }

  /**
   * @return a copy of the probabilities of a one-finding task
   * @throws IllegalStateException with several findings (take {@link #finding(int)})
   */
  public double[] scores() {
    return scores[single()].clone();
  }

  /**
   * @return a copy of the labels of a one-finding task
   * @throws IllegalStateException with several findings (take {@link #finding(int)})
   */
  public boolean[] positive() {
    return labels[single()].clone();
  }

  /**
   * ROC AUC with its DeLong CI, ROC curve and confusion matrices, of a one-finding task.
   *
   * @return the metrics
   * @throws IllegalStateException with several findings (take {@link #finding(int)})
   */
  public BinaryMetrics metrics() {
    return BinaryMetrics.of(scores[single()], labels[single()]);
  }

  /**
   * Expected calibration error, Brier score and reliability bins, of a one-finding task.
   *
   * @return the calibration
   * @throws IllegalStateException with several findings (take {@link #finding(int)})
   */
  public Calibration calibration() {
    return Calibration.of(scores[single()], labels[single()]);
  }

  /**
   * Whether finding {@code i} has both positive and negative images, so that its AUC is defined.
   *
   * @param i index in {@link #findings()}
   * @return true when both classes are present
   */
  public boolean hasBothClasses(int i) {
    int p = positives(i);
    return p > 0 && p < files.size();
  }

  /**
   * ROC AUC per finding; NaN where a finding lacks positives or negatives.
   *
   * @return one AUC per finding, in task order
   */
  public double[] aucs() {
    double[] a = new double[findings.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = hasBothClasses(i) ? BinaryMetrics.of(scores[i], labels[i]).auc() : Double.NaN;
    }
    return a;
  }

  /**
   * The findings that enter {@link #meanAuc()}: the only one of a one-finding task; with several,
   * those with at least {@value #MEAN_AUC_MIN_POSITIVES} positives and a negative (or, when none
   * has that many, every finding with both classes).
   *
   * @return indices in {@link #findings()}
   */
  public List<Integer> meanAucFindings() {
    List<Integer> in = new ArrayList<>();
    if (findings.size() == 1) {
      in.add(0);
      return in;
    }
    for (int i = 0; i < findings.size(); i++) {
      if (hasBothClasses(i) && positives(i) >= MEAN_AUC_MIN_POSITIVES) {
        in.add(i);
      }
    }
    if (in.isEmpty()) {
      for (int i = 0; i < findings.size(); i++) {
        if (hasBothClasses(i)) {
          in.add(i);
        }
      }
    }
    return in;
  }

  /**
   * The AUC a training run chooses its epoch on: the finding's AUC for a one-finding task, else the
   * mean AUC over {@link #meanAucFindings()}.
   *
   * @return the mean AUC, NaN when no finding has both classes
   */
  public double meanAuc() {
    return meanAuc(findings.size() == 1 ? null : aucs());
  }

  /**
   * {@link #meanAuc()} from per-finding AUCs already computed ({@link #aucs()}), so that a caller
   * that also reports them computes each AUC once.
   *
   * @param aucs this object's {@link #aucs()}; ignored (may be null) for a one-finding task
   * @return the mean AUC, NaN when no finding has both classes
   */
  public double meanAuc(double[] aucs) {
    if (findings.size() == 1) {
      return BinaryMetrics.of(scores[0], labels[0]).auc();
    }
    return meanAucFindings().stream().mapToDouble(i -> aucs[i]).average().orElse(Double.NaN);
  }

  /**
   * @return whether every probability is finite (a diverged network gives NaN)
   */
  public boolean allFinite() {
    for (double[] col : scores) {
      for (double x : col) {
        if (!Double.isFinite(x)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Scores of the same findings joined in order, e.g. the held-out folds of a cross-validation.
   *
   * @param parts scores with the same findings
   * @return all images, in part order (loss NaN)
   * @throws IllegalArgumentException when the parts' findings differ
   */
  public static Scores concat(List<Scores> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("nothing to join");
    }
    List<String> names = parts.get(0).findings;
    List<Path> files = new ArrayList<>();
    int n = 0;
    for (Scores p : parts) {
      if (!p.findings.equals(names)) {
        throw new IllegalArgumentException(
            "scores of different findings cannot be joined: " + names + " and " + p.findings);
      }
      files.addAll(p.files);
      n += p.files.size();
    }
    double[][] s = new double[names.size()][n];
    boolean[][] y = new boolean[names.size()][n];
    int at = 0;
    for (Scores p : parts) {
      for (int f = 0; f < names.size(); f++) {
        System.arraycopy(p.scores[f], 0, s[f], at, p.files.size());
        System.arraycopy(p.labels[f], 0, y[f], at, p.files.size());
      }
      at += p.files.size();
    }
    return new Scores(files, names, s, y, Double.NaN);
  }

  private int single() {
    if (findings.size() != 1) {
      throw new IllegalStateException(
          "these scores hold " + findings.size() + " findings " + findings + ": take finding(i)");
    }
    return 0;
  }
}
