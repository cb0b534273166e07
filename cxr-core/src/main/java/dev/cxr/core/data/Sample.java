package dev.cxr.core.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * One labelled training example: an image file, its patient and its target vector.
 *
 * @param id a stable index of the sample in its data set (seeds its augmentation stream)
 * @param path the image file
 * @param patientId the patient, used to keep a patient's images in one split part
 * @param target one-hot (exclusive classes) or multi-hot (multi-label) target
 * @param positive whether the sample has the positive finding (used for stratification)
 */
public record Sample(int id, Path path, String patientId, float[] target, boolean positive) {
  /** Validates the fields. */
  public Sample {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(patientId, "patientId");
    target = Objects.requireNonNull(target, "target").clone();
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
   * Value equality, the target compared element by element.
   *
   * @param o another object
   * @return whether {@code o} is an equal sample
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof Sample s
        && s.id == id
        && s.positive == positive
        && s.path.equals(path)
        && s.patientId.equals(patientId)
        && Arrays.equals(s.target, target);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, path, patientId, positive) * 31 + Arrays.hashCode(target);
  }
}
