/**
 * Residual networks (ResNet-18/34/50/101/152 and custom stage layouts) as Deeplearning4j {@link
 * org.deeplearning4j.nn.graph.ComputationGraph}s, in the original layout of He, Zhang, Ren and Sun,
 * "Deep Residual Learning for Image Recognition" (CVPR 2016, arXiv 1512.03385) and the
 * pre-activation layout of He, Zhang, Ren and Sun, "Identity Mappings in Deep Residual Networks"
 * (ECCV 2016, arXiv 1603.05027); and densely connected networks (DenseNet-121/169/201 and custom
 * block layouts) in torchvision's layout of Huang, Liu, van der Maaten and Weinberger, "Densely
 * Connected Convolutional Networks" (CVPR 2017, arXiv 1608.06993).
 *
 * <p>Entry points: {@link dev.cxr.resnet.ResNets#builder()} and {@link
 * dev.cxr.resnet.DenseNets#builder()}. The depth tables live in {@link dev.cxr.resnet.ResNetDepth}
 * and {@link dev.cxr.resnet.DenseNetDepth}; {@link dev.cxr.resnet.ResNetSummary} reports shapes,
 * parameter counts and multiply-adds of either without allocating the network.
 */
package dev.cxr.resnet;
