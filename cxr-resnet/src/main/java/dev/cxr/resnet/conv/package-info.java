/**
 * cxr's convolution layer: DL4J's convolution with the forward pass ({@link
 * dev.cxr.resnet.conv.DirectConvForward}) and the training backward pass ({@link
 * dev.cxr.resnet.conv.DirectConvBackprop}) computed by cxr's own calls of oneDNN, with primitives
 * cached per shape and thread, instead of libnd4j's {@code conv2d} and {@code conv2d_bp}.
 */
package dev.cxr.resnet.conv;
