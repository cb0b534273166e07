/**
 * A faster batch-normalisation layer for training on CPU: {@link
 * dev.cxr.resnet.bn.FusedBatchNormalization} (the configuration, a subclass of DL4J's {@code
 * BatchNormalization} with the same parameters, running statistics and JSON form plus an optional
 * fused ReLU) and {@link dev.cxr.resnet.bn.FusedBatchNormalizationLayer} (its implementation: in
 * training, two passes forward and two backward on {@link dev.cxr.resnet.bn.BatchNormKernel}; in
 * inference, libnd4j's oneDNN {@code batchnorm} op).
 */
package dev.cxr.resnet.bn;
