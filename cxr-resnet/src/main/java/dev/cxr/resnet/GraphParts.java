package dev.cxr.resnet;

import dev.cxr.resnet.bn.FusedBatchNormalization;
import dev.cxr.resnet.conv.DirectConvolution;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The pieces {@link ResNetGraphAssembler} and {@link DenseNetGraphAssembler} both build their
 * graphs from: the network defaults, the input (with its optional {@link InputScaling}), bias-free
 * convolutions with torchvision padding, batch norms (DL4J's or cxr's fused one), ReLUs, pooling,
 * and the head (global average pooling {@value #POOL} then the dense output layer {@value
 * #OUTPUT}). Each method adds vertices and returns the name of the vertex that holds its output.
 */
final class GraphParts {

  static final String INPUT = "input";
  static final String POOL = "pool";
  static final String OUTPUT = "output";

  private final GraphBuilder graph;
  private final BatchNormImplementation batchNorm;

  /**
   * Starts a graph with one convolutional input named {@value #INPUT}. Every layer defaults to He
   * (ReLU) initialisation, identity activation, DL4J's {@code Truncate} convolution mode (explicit
   * padding, floor division: torchvision's output sizes) and, when {@code l2 > 0}, L2 decay.
   */
  GraphParts(
      long seed,
      IUpdater updater,
      DataType dataType,
      double l2,
      BatchNormImplementation batchNorm,
      int inputChannels,
      int inputHeight,
      int inputWidth) {
    NeuralNetConfiguration.Builder base =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .updater(updater.clone())
            .weightInit(WeightInit.RELU)
            .activation(Activation.IDENTITY)
            .convolutionMode(ConvolutionMode.Truncate)
            .dataType(dataType);
    if (l2 > 0) {
      base.l2(l2);
    }
    this.graph =
        base.graphBuilder()
            .addInputs(INPUT)
            .setInputTypes(InputType.convolutional(inputHeight, inputWidth, inputChannels));
    this.batchNorm = batchNorm;
  }

  /** The graph being built, for vertices that only one assembler uses. */
  GraphBuilder graph() {
    return graph;
  }

  /** The input, or the last vertex of {@code inputScaling} after it when there is one. */
  String stemInput(InputScaling inputScaling) {
    return inputScaling != null ? inputScaling.addTo(graph, INPUT) : INPUT;
  }

  /** Bias-free k x k convolution with padding k/2 (torchvision output sizes). */
  String conv(String name, String in, int kernel, int stride, int filters) {
    graph.addLayer(
        name,
        new DirectConvolution.Builder(kernel, kernel)
            .stride(stride, stride)
            .padding(kernel / 2, kernel / 2)
            .nOut(filters)
            .hasBias(false)
            .build(),
        in);
    return name;
  }

  /** Batch norm without ReLU (eps 1e-5, decay 0.9: torchvision's eps and momentum 0.1). */
  String bn(String name, String in) {
    graph.addLayer(
        name,
        batchNorm == BatchNormImplementation.FUSED
            ? FusedBatchNormalization.builder().build()
            : new BatchNormalization.Builder().build(),
        in);
    return name;
  }

  /**
   * Batch norm then ReLU: with DL4J's batch norm two layers, {@code bnName} then {@code reluName};
   * with cxr's one fused layer named {@code fusedName} (one of the two, as the network's naming
   * scheme says).
   */
  String bnRelu(String bnName, String reluName, String fusedName, String in) {
    if (batchNorm == BatchNormImplementation.FUSED) {
      graph.addLayer(fusedName, FusedBatchNormalization.builder().relu(true).build(), in);
      return fusedName;
    }
    return relu(reluName, bn(bnName, in));
  }

  String relu(String name, String in) {
    graph.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), in);
    return name;
  }

  /** Max or average pooling, k x k, with symmetric padding. */
  String pool(String name, String in, PoolingType type, int kernel, int stride, int padding) {
    graph.addLayer(
        name,
        new SubsamplingLayer.Builder(type)
            .kernelSize(kernel, kernel)
            .stride(stride, stride)
            .padding(padding, padding)
            .build(),
        in);
    return name;
  }

  /**
   * Global average pooling {@value #POOL} of {@code in}, optional dropout, the dense output layer
   * {@value #OUTPUT} (Xavier initialisation, with bias), and the finished configuration.
   */
  ComputationGraphConfiguration head(
      String in, int classes, HeadActivation headActivation, ILossFunction loss, double dropout) {
    graph.addLayer(POOL, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), in);
    OutputLayer.Builder head =
        new OutputLayer.Builder(loss)
            .nOut(classes)
            .activation(headActivation.activation())
            .weightInit(WeightInit.XAVIER)
            .hasBias(true);
    if (dropout > 0) {
      head.dropOut(new Dropout(1.0 - dropout)); // DL4J takes the retain probability
    }
    graph.addLayer(OUTPUT, head.build(), POOL).setOutputs(OUTPUT);
    return graph.build();
  }
}
