package dev.cxr.core.config;

/** Optimisers a pipeline trains with, each with its own default learning rate. */
public enum Optimizer {
  /** Adam (Kingma and Ba 2015), default rate 1e-3. */
  ADAM(1e-3),
  /** Stochastic gradient descent with Nesterov momentum, default rate 0.01 (the notebook's). */
  SGD(0.01);

  private final double defaultLearningRate;

  Optimizer(double defaultLearningRate) {
    this.defaultLearningRate = defaultLearningRate;
  }

  /**
   * The learning rate used when none is given.
   *
   * @return the default rate of this optimiser
   */
  public double defaultLearningRate() {
    return defaultLearningRate;
  }
}
