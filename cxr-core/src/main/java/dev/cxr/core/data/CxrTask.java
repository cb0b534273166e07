package dev.cxr.core.data;

import dev.cxr.core.io.CxrDataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the network is asked: by default, is the positive finding (Effusion) present, against images
 * labelled exactly "No Finding". Images with only other findings are excluded by default (counted
 * in {@link Labeled#excludedOther()}) or, on request, kept as negatives. The multi-label mode gives
 * one sigmoid target per NIH finding (14).
 *
 * @param positive canonical name of the positive finding
 * @param otherFindingsAsNegative keep images with only other findings, as negatives
 * @param multiLabel one target per NIH finding instead of positive-vs-negative
 */
public record CxrTask(String positive, boolean otherFindingsAsNegative, boolean multiLabel) {

  /** The article's task: Effusion vs exactly No Finding. */
  public static final CxrTask EFFUSION = binary("Effusion");

  /** Validates the positive finding name. */
  public CxrTask {
    Objects.requireNonNull(positive, "positive");
    final String given = positive;
    positive =
        NihLabels.canonical(given)
            .filter(p -> !p.equals(NihLabels.NO_FINDING))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "positive must be one of "
                            + NihLabels.FINDINGS
                            + " but was '"
                            + given
                            + "'"));
  }

  /**
   * Positive finding vs exactly "No Finding".
   *
   * @param positive finding name, matched ignoring case, spaces and underscores
   * @return the task
   */
  public static CxrTask binary(String positive) {
    return new CxrTask(positive, false, false);
  }

  /**
   * @return the 14-finding multi-label task
   */
  public static CxrTask multiLabelTask() {
    return new CxrTask("Effusion", true, true);
  }

  /**
   * @return the output names, in target order: {@code [No Finding, Effusion]} for the binary task
   *     (with other findings kept as negatives: {@code [No Effusion, Effusion]}), the 14 findings
   *     for the multi-label task
   */
  public List<String> labelNames() {
    if (multiLabel) {
      return NihLabels.FINDINGS;
    }
    String negative = otherFindingsAsNegative ? "No " + positive : NihLabels.NO_FINDING;
    return positiveColumn() == 1 ? List.of(negative, positive) : List.of(positive, negative);
  }

  /**
   * The column of the network's output (and of the targets) that holds the positive finding: the
   * one place that decides it; labels, scoring, evaluation and the command line all ask here.
   *
   * @return 1 for the binary task (after the negative class), the finding's index for multi-label
   */
  public int positiveColumn() {
    return multiLabel ? NihLabels.FINDINGS.indexOf(positive) : 1;
  }

  /**
   * The labelled samples of a data set under this task.
   *
   * @param samples the usable samples, in data set order
   * @param positives samples with the positive finding
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
   * Labels the images of a data set and checks that both classes are present, as training and
   * evaluation (ROC AUC) need.
   *
   * @param dataset the data set
   * @return samples and counts, with at least one positive and one negative
   * @throws CxrDataException naming the directory and the counts when a class is missing
   */
  public Labeled labelBothClasses(CxrDataset dataset) {
    Labeled labeled = label(dataset);
    List<Sample> samples = labeled.samples();
    if (samples.isEmpty()) {
      throw new CxrDataException(
          dataset.root(), "no usable images (" + positive + " or " + labelNames().get(0) + ")");
    }
    if (labeled.positives() == 0 || labeled.positives() == samples.size()) {
      throw new CxrDataException(
          dataset.root(),
          "found "
              + labeled.positives()
              + " '"
              + positive
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
      boolean isPos = img.findings().contains(positive);
      boolean isNf = img.isNoFinding();
      if (isPos) {
        pos++;
      } else if (isNf) {
        nf++;
      }
      float[] target;
      if (multiLabel) {
        target = new float[NihLabels.FINDINGS.size()];
        for (int i = 0; i < target.length; i++) {
          target[i] = img.findings().contains(NihLabels.FINDINGS.get(i)) ? 1f : 0f;
        }
      } else {
        if (!isPos && !isNf) {
          if (!otherFindingsAsNegative) {
            excluded++;
            continue;
          }
          otherNeg++;
        }
        target = new float[2];
        target[isPos ? positiveColumn() : 1 - positiveColumn()] = 1f;
      }
      out.add(new Sample(out.size(), img.path(), img.patientId(), target, isPos));
    }
    return new Labeled(List.copyOf(out), pos, nf, otherNeg, excluded, labelNames());
  }
}
