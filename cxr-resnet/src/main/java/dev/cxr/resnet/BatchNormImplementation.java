package dev.cxr.resnet;

/**
 * Which layer implements the batch normalisations of a ResNet. Both have the same parameters, the
 * same running statistics and the same results within float rounding; they differ in training speed
 * and in the graph's vertices.
 */
public enum BatchNormImplementation {
  /**
   * DL4J's {@code BatchNormalization} layer (with its oneDNN helper when {@code
   * OneDnnHelpers.ensureEnabled()} was called), each followed by a separate ReLU {@code
   * ActivationLayer} where the block has one. Models saved before cxr had {@link #FUSED} use this.
   */
  DL4J,
  /**
   * cxr's {@link dev.cxr.resnet.bn.FusedBatchNormalization}: fewer passes over the activations in
   * training, and a batch norm directly followed by a ReLU becomes one layer named after the ReLU
   * (e.g. {@code stem_relu}; the {@code stem_bn} vertex then does not exist).
   */
  FUSED
}
