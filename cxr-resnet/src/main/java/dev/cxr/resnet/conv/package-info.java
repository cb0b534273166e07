/**
 * cxr's convolution layer: DL4J's convolution with the training backward pass computed by oneDNN's
 * direct algorithm ({@link dev.cxr.resnet.conv.DirectConvBackprop}) instead of libnd4j's {@code
 * conv2d_bp}.
 */
package dev.cxr.resnet.conv;
