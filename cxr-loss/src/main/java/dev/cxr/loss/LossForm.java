package dev.cxr.loss;

/**
 * The output activation a loss of this package is written for.
 *
 * <p>The form decides how labels are read and which activation gets the exact, logit-based
 * ("natural") computation. A loss still works with any other {@link
 * org.nd4j.linalg.activations.IActivation}: it then treats the activation's output as
 * probabilities, clips them to [1e-10, 1 - 1e-10] before taking logarithms, and back-propagates
 * through the activation.
 */
public enum LossForm {
  /**
   * Mutually exclusive classes: one softmax over each output row, labels one-hot (or a probability
   * distribution per row). With {@code ActivationSoftmax} the log-probabilities are computed from
   * the logits (log-sum-exp), so they are finite for any finite input.
   */
  SOFTMAX,
  /**
   * Independent binary labels (multi-label): one sigmoid per output, each label 0 or 1. With {@code
   * ActivationSigmoid} {@code log p} and {@code log(1 - p)} are computed from the logits
   * (softplus), so they are finite for any finite input.
   */
  SIGMOID
}
