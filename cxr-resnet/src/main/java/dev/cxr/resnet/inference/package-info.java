/**
 * Inference copies of trained networks: each batch normalisation folded into the convolution before
 * it, and the activation after it fused into that convolution (the transform of Jacob et al.,
 * "Quantization and Training of Neural Networks for Efficient Integer-Arithmetic-Only Inference",
 * CVPR 2018, section 3.2, used here in floating point).
 *
 * <p>Entry point: {@link dev.cxr.resnet.inference.InferenceGraph#of}. The copy shares nothing with
 * the trained network; {@link dev.cxr.resnet.inference.InferenceGraph#refresh()} folds the trained
 * network's current parameters again.
 */
package dev.cxr.resnet.inference;
