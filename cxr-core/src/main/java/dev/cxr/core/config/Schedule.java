package dev.cxr.core.config;

/** Learning-rate schedules over epochs. */
public enum Schedule {
  /** The same rate every epoch. */
  CONSTANT,
  /** Halved every epoch, as in the article's notebook. */
  STEP,
  /** Cosine annealing from the initial rate towards zero over the epochs. */
  COSINE;

  /**
   * The rate of one epoch.
   *
   * @param base initial learning rate
   * @param epoch 0-based epoch
   * @param epochs total epochs
   * @return the learning rate of that epoch
   */
  public double rate(double base, int epoch, int epochs) {
    return switch (this) {
      case CONSTANT -> base;
      case STEP -> base * Math.pow(0.5, epoch);
      case COSINE -> base * 0.5 * (1 + Math.cos(Math.PI * epoch / Math.max(1, epochs)));
    };
  }
}
