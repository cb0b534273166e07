/**
 * Residual networks (ResNet-18/34/50/101/152 and custom stage layouts) as Deeplearning4j {@link
 * org.deeplearning4j.nn.graph.ComputationGraph}s, in the original layout of He, Zhang, Ren and Sun,
 * "Deep Residual Learning for Image Recognition" (CVPR 2016, arXiv 1512.03385) and the
 * pre-activation layout of He, Zhang, Ren and Sun, "Identity Mappings in Deep Residual Networks"
 * (ECCV 2016, arXiv 1603.05027).
 *
 * <p>Entry point: {@link dev.cxr.resnet.ResNets#builder()}. The depth table lives in {@link
 * dev.cxr.resnet.ResNetDepth}; {@link dev.cxr.resnet.ResNetSummary} reports shapes, parameter
 * counts and multiply-adds without allocating the network.
 */
package dev.cxr.resnet;
