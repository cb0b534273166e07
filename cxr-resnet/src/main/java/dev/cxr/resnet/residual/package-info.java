/**
 * The residual addition and the ReLU after it as one graph vertex: {@link
 * dev.cxr.resnet.residual.AddRelu} (the configuration, JSON-serialisable, no parameters) and {@link
 * dev.cxr.resnet.residual.AddReluVertex} (its implementation). It replaces DL4J's {@code
 * ElementWiseVertex(Add)} followed by a ReLU {@code ActivationLayer} at the end of every block of
 * the original ResNet (He et al. 2015); the pre-activation layout (He et al. 2016) has no ReLU
 * after its addition and keeps DL4J's vertex.
 */
package dev.cxr.resnet.residual;
