package dev.cxr.core.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * One labelled training example: an image file, its patient, its target vector and which of the
 * task's findings it has.
 *
 * @param id a stable index of the sample in its data set (seeds its augmentation stream)
 * @param path the image file
 * @param patientId the patient, used to keep a patient's images in one split part
 * @param target one-hot (exclusive classes) or multi-hot (multi-label) target
 * @param findings one flag per finding of the task ({@link CxrTask#findings()}), in task order:
 *     whether the image has it; one flag for the binary task (used for stratification and metrics)
 */
public record Sample(int id, Path path, String patientId, float[] target, boolean[] findings) {
  /** Validates the fields. */
  public Sample {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(patientId, "patientId");
    target = Objects.requireNonNull(target, "target").clone();
    findings = Objects.requireNonNull(findings, "findings").clone();
    if (findings.length == 0) {
      throw new IllegalArgumentException("a sample needs at least one finding flag");
    }
  }

  /**
   * A sample of a one-finding (binary) task.
   *
   * @param id a stable index of the sample in its data set
   * @param path the image file
   * @param patientId the patient
   * @param target one-hot target
   * @param positive whether the sample has the positive finding
   */
  public Sample(int id, Path path, String patientId, float[] target, boolean positive) {
    this(id, path, patientId, target, new boolean[] {positive});
  }

  /**
   * The target vector.
   *
   * @return a copy: a record never hands out its own array
   */
  @Override
  public float[] target() {
    return target.clone();
  }

  /**
   * @return a copy of the per-finding flags
   */
  @Override
  public boolean[] findings() {
    return findings.clone();
  }

  /**
   * Whether the image has finding {@code i} of the task.
   *
   * @param i index in {@link CxrTask#findings()}
   * @return the flag
   */
  public boolean has(int i) {
    return findings[i];
  }

  /**
   * Whether the image has any of the task's findings: for the binary task, the positive finding.
   *
   * @return true when abnormal for the task
   */
  public boolean positive() {
    for (boolean f : findings) {
      if (f) {
        return true;
      }
    }
    return false;
  }

  /**
   * Value equality, the arrays compared element by element.
   *
   * @param o another object
   * @return whether {@code o} is an equal sample
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof Sample s
        && s.id == id
        && s.path.equals(path)
        && s.patientId.equals(patientId)
        && Arrays.equals(s.target, target)
        && Arrays.equals(s.findings, findings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, path, patientId) * 31 * 31
        + Arrays.hashCode(target) * 31
        + Arrays.hashCode(findings);
  }
}
