package dev.cxr.core.config;

/**
 * Which data chooses the kept epoch (the checkpoint) of a run.
 *
 * <p>Choosing the epoch with the best AUC on the very split whose AUC is reported flatters that
 * AUC: on small data the validation AUC jumps from epoch to epoch, and the maximum of noisy values
 * is biased upwards. {@link #INNER} carves a patient-level inner split from the training patients
 * (the run's validation fraction of them, with a seed derived from the run's), chooses the epoch on
 * it, and leaves the reported split untouched by the choice (nested selection).
 */
public enum Selection {
  /**
   * {@link #INNER} when the reported split is a held-out test part (cross-validation's outer
   * folds), {@link #VALIDATION} otherwise (a plain {@code train}, as before this option existed).
   */
  AUTO,
  /** Choose on an inner split of the training patients (nested selection). */
  INNER,
  /** Choose on the reported validation split itself (optimistic on small data). */
  VALIDATION;

  /**
   * The selection a run uses.
   *
   * @param heldOutTest whether the run's validation part is a held-out test part
   * @return {@link #INNER} or {@link #VALIDATION}, never {@link #AUTO}
   */
  public Selection resolve(boolean heldOutTest) {
    if (this != AUTO) {
      return this;
    }
    return heldOutTest ? INNER : VALIDATION;
  }
}
