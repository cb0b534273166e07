package dev.cxr.core.data;

import dev.cxr.core.io.CxrDataException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the network is asked, as data: the findings it predicts and how. Two kinds, after Tribuo's
 * {@code Label} and {@code MultiLabel} outputs:
 *
 * <ul>
 *   <li><b>one finding</b> (the article's task, {@link #EFFUSION}): is the finding present, against
 *       images labelled exactly "No Finding", with a two-class softmax head. Images with only other
 *       findings are excluded by default (counted in {@link Labeled#excludedOther()}) or, on
 *       request, kept as negatives.
 *   <li><b>multi-label</b> ({@link #multiLabel(List)}, {@link #allFindings()}): one independent
 *       sigmoid output per finding; every image takes part, an image without a finding being
 *       negative for it (a "No Finding" image is negative for all).
 * </ul>
 *
 * <p>Every consumer asks the task, never a count: {@link #findings()} lists what is scored, in
 * order, and {@link #column(int)} says which output column holds finding {@code i}'s probability.
 *
 * @param findings the canonical NIH names of the findings the model predicts, in output order; one
 *     for the binary task
 * @param otherFindingsAsNegative binary task only: keep images with only other findings, as
 *     negatives
 * @param multiLabel one sigmoid output per finding instead of a softmax over (negative, positive)
 */
public record CxrTask(List<String> findings, boolean otherFindingsAsNegative, boolean multiLabel) {

  /** The article's task: Effusion vs exactly No Finding. */
  public static final CxrTask EFFUSION = binary("Effusion");

  /** Canonicalises the finding names and checks the combination. */
  public CxrTask {
    Objects.requireNonNull(findings, "findings");
    if (findings.isEmpty()) {
      throw new IllegalArgumentException("findings must name at least one finding");
    }
    Set<String> canonical = new LinkedHashSet<>();
    for (String given : findings) {
      String name = canonical(given);
      if (!canonical.add(name)) {
        throw new IllegalArgumentException("findings names '" + name + "' twice");
      }
    }
    findings = List.copyOf(canonical);
    if (!multiLabel && findings.size() != 1) {
      throw new IllegalArgumentException(
          "a binary task has one finding but was given " + findings.size() + ": " + findings);
    }
    if (multiLabel && otherFindingsAsNegative) {
      throw new IllegalArgumentException(
          "othersAsNegative is for the one-finding task; a multi-label task keeps every image");
    }
  }

  /**
   * The canonical NIH name of a finding.
   *
   * @param given a finding name, matched ignoring case, spaces and underscores
   * @return the canonical name
   * @throws IllegalArgumentException for a name that is not one of the 14 NIH findings
   */
  public static String canonical(String given) {
    Objects.requireNonNull(given, "finding");
    return NihLabels.canonical(given)
        .filter(p -> !p.equals(NihLabels.NO_FINDING))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "finding must be one of " + NihLabels.FINDINGS + " but was '" + given + "'"));
  }

  /**
   * Positive finding vs exactly "No Finding".
   *
   * @param positive finding name, matched ignoring case, spaces and underscores
   * @return the task
   */
  public static CxrTask binary(String positive) {
    return new CxrTask(List.of(positive), false, false);
  }

  /**
   * One sigmoid output per finding.
   *
   * @param findings finding names, matched ignoring case, spaces and underscores; at least one
   * @return the task
   */
  public static CxrTask multiLabel(List<String> findings) {
    return new CxrTask(findings, false, true);
  }

  /**
   * @return the multi-label task over all 14 NIH findings
   */
  public static CxrTask allFindings() {
    return multiLabel(NihLabels.FINDINGS);
  }

  /**
   * The positive finding of the binary task; for a multi-label task, its first finding.
   *
   * @return the canonical name
   */
  public String positive() {
    return findings.get(0);
  }

  /**
   * @return the output names, in column order: {@code [No Finding, Effusion]} for the binary task
   *     (with other findings kept as negatives: {@code [No Effusion, Effusion]}), the findings for
   *     a multi-label task
   */
  public List<String> labelNames() {
    if (multiLabel) {
      return findings;
    }
    String negative = otherFindingsAsNegative ? "No " + positive() : NihLabels.NO_FINDING;
    return List.of(negative, positive());
  }

  /**
   * The column of the network's output (and of the targets) that holds finding {@code i}'s
   * probability: the one place that decides it; labels, scoring, evaluation and the command line
   * all ask here.
   *
   * @param i index in {@link #findings()}
   * @return 1 for the binary task (after the negative class), {@code i} for multi-label
   */
  public int column(int i) {
    Objects.checkIndex(i, findings.size());
    return multiLabel ? i : 1;
  }

  /**
   * The column of the binary task's positive finding (finding 0 of a multi-label task).
   *
   * @return {@code column(0)}
   */
  public int positiveColumn() {
    return column(0);
  }

  /**
   * The labelled samples of a data set under this task.
   *
   * @param samples the usable samples, in data set order
   * @param positives samples with at least one of the task's findings
   * @param noFinding samples labelled exactly "No Finding"
   * @param otherAsNegative samples with only other findings kept as negatives
   * @param excludedOther samples with only other findings that were excluded
   * @param labelNames output names
   */
  public record Labeled(
      List<Sample> samples,
      int positives,
      int noFinding,
      int otherAsNegative,
      int excludedOther,
      List<String> labelNames) {
    /**
     * @return number of distinct patients among the samples
     */
    public long patients() {
      return samples.stream().map(Sample::patientId).distinct().count();
    }
  }

  /**
   * Images with finding {@code i}, for each finding of the task.
   *
   * @param samples labelled samples of this task
   * @return one count per finding, in task order
   */
  public int[] positivesPerFinding(List<Sample> samples) {
    int[] n = new int[findings.size()];
    for (Sample s : samples) {
      for (int i = 0; i < n.length; i++) {
        n[i] += s.has(i) ? 1 : 0;
      }
    }
    return n;
  }

  /**
   * Labels the images of a data set and checks that both classes are present, as training and
   * evaluation (ROC AUC) need: for a multi-label task, at least one finding with positive and
   * negative images.
   *
   * @param dataset the data set
   * @return samples and counts
   * @throws CxrDataException naming the directory and the counts when a class is missing
   */
  public Labeled labelBothClasses(CxrDataset dataset) {
    Labeled labeled = label(dataset);
    List<Sample> samples = labeled.samples();
    if (samples.isEmpty()) {
      throw new CxrDataException(
          dataset.root(),
          "no usable images ("
              + (multiLabel ? "of any finding" : positive() + " or " + labelNames().get(0))
              + ")");
    }
    if (multiLabel) {
      int[] pos = positivesPerFinding(samples);
      for (int p : pos) {
        if (p > 0 && p < samples.size()) {
          return labeled;
        }
      }
      throw new CxrDataException(
          dataset.root(),
          "none of the findings "
              + findings
              + " has both positive and negative images among the "
              + samples.size()
              + " images");
    }
    if (labeled.positives() == 0 || labeled.positives() == samples.size()) {
      throw new CxrDataException(
          dataset.root(),
          "found "
              + labeled.positives()
              + " '"
              + positive()
              + "' and "
              + (samples.size() - labeled.positives())
              + " negative images: both classes are needed");
    }
    return labeled;
  }

  /**
   * Labels the images of a data set.
   *
   * @param dataset the data set
   * @return samples and counts
   */
  public Labeled label(CxrDataset dataset) {
    List<Sample> out = new ArrayList<>();
    int pos = 0;
    int nf = 0;
    int otherNeg = 0;
    int excluded = 0;
    for (CxrDataset.Image img : dataset.images()) {
      boolean[] has = new boolean[findings.size()];
      boolean any = false;
      for (int i = 0; i < has.length; i++) {
        has[i] = img.findings().contains(findings.get(i));
        any |= has[i];
      }
      boolean isNf = img.isNoFinding();
      if (any) {
        pos++;
      } else if (isNf) {
        nf++;
      }
      float[] target;
      if (multiLabel) {
        target = new float[has.length];
        for (int i = 0; i < has.length; i++) {
          target[i] = has[i] ? 1f : 0f;
        }
        if (!any && !isNf) {
          otherNeg++;
        }
      } else {
        if (!any && !isNf) {
          if (!otherFindingsAsNegative) {
            excluded++;
            continue;
          }
          otherNeg++;
        }
        target = new float[2];
        target[any ? positiveColumn() : 1 - positiveColumn()] = 1f;
      }
      out.add(new Sample(out.size(), img.path(), img.patientId(), target, has));
    }
    return new Labeled(List.copyOf(out), pos, nf, otherNeg, excluded, labelNames());
  }
}
