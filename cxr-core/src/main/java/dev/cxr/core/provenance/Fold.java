package dev.cxr.core.provenance;

/**
 * Which fold of a patient-level k-fold cross-validation a model was trained on, so that its
 * validation patients can be found again ({@code PatientSplit.kFold(samples, count, seed)} at
 * {@code index - 1}).
 *
 * @param index 1-based fold number (fold {@code i} is checkpointed in {@code fold-i})
 * @param count number of folds
 * @param seed the seed the folds were drawn with
 */
public record Fold(int index, int count, long seed) {
  /** Checks the numbers. */
  public Fold {
    if (count < 2 || index < 1 || index > count) {
      throw new IllegalArgumentException(
          "fold must be 1.." + count + " of at least 2 folds but was " + index + " of " + count);
    }
  }
}
