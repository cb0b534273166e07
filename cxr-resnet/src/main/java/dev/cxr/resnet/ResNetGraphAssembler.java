package dev.cxr.resnet;

import dev.cxr.resnet.bn.FusedBatchNormalization;
import dev.cxr.resnet.conv.DirectConvolution;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * Turns a {@link ResNetConfig} into a DL4J graph configuration. Vertex names: {@code input}, {@code
 * stem_conv}, {@code stem_bn}, {@code stem_relu}, {@code stem_pool}, then {@code
 * s<stage>_b<block>_<part>} (1-based), {@code final_bn}/{@code final_relu} (pre-activation only),
 * {@code pool}, {@code output}. With {@link BatchNormImplementation#FUSED} each batch norm that a
 * ReLU follows is one layer under the ReLU's name ({@code stem_relu}, {@code s1_b1_relu1}, ...) and
 * its {@code _bn} name does not exist; other batch norms keep their names.
 */
final class ResNetGraphAssembler {

  static final String INPUT = "input";
  static final String OUTPUT = "output";

  private final ResNetConfig config;
  private GraphBuilder graph;

  ResNetGraphAssembler(ResNetConfig config) {
    this.config = config;
  }

  ComputationGraphConfiguration assemble() {
    NeuralNetConfiguration.Builder base =
        new NeuralNetConfiguration.Builder()
            .seed(config.seed())
            .updater(config.updater().clone())
            .weightInit(WeightInit.RELU)
            .activation(Activation.IDENTITY)
            .convolutionMode(ConvolutionMode.Truncate)
            .dataType(config.dataType());
    if (config.l2() > 0) {
      base.l2(config.l2());
    }
    graph =
        base.graphBuilder()
            .addInputs(INPUT)
            .setInputTypes(
                InputType.convolutional(
                    config.inputHeight(), config.inputWidth(), config.inputChannels()));

    String x = stem();
    int channels = config.width();
    for (int s = 0; s < config.stages().size(); s++) {
      int planes = config.stageWidth(s);
      for (int b = 0; b < config.stages().get(s); b++) {
        int stride = (s > 0 && b == 0) ? 2 : 1;
        String prefix = "s" + (s + 1) + "_b" + (b + 1) + "_";
        x =
            config.preActivation()
                ? preActivationBlock(prefix, x, channels, planes, stride, s == 0 && b == 0)
                : originalBlock(prefix, x, channels, planes, stride);
        channels = planes * config.blockType().expansion();
      }
    }
    if (config.preActivation()) {
      x = bnRelu("final_relu", "final_bn", x);
    }
    graph.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
    OutputLayer.Builder head =
        new OutputLayer.Builder(config.loss())
            .nOut(config.classes())
            .activation(config.headActivation().activation())
            .weightInit(WeightInit.XAVIER)
            .hasBias(true);
    if (config.dropout() > 0) {
      head.dropOut(new Dropout(1.0 - config.dropout())); // DL4J takes the retain probability
    }
    graph.addLayer(OUTPUT, head.build(), "pool").setOutputs(OUTPUT);
    return graph.build();
  }

  /** conv 7x7/2 pad 3 - BN - ReLU - max-pool 3x3/2 pad 1 (both layouts). */
  private String stem() {
    String in = config.inputScaling() != null ? config.inputScaling().addTo(graph, INPUT) : INPUT;
    String x = conv("stem_conv", in, 7, 2, config.width());
    x = bnRelu("stem_relu", "stem_bn", x);
    graph.addLayer(
        "stem_pool",
        new SubsamplingLayer.Builder(PoolingType.MAX)
            .kernelSize(3, 3)
            .stride(2, 2)
            .padding(1, 1)
            .build(),
        x);
    return "stem_pool";
  }

  /** He et al. 2015: conv-BN-ReLU ... conv-BN, + shortcut, ReLU; stride on the 3x3 convolution. */
  private String originalBlock(String p, String in, int inChannels, int planes, int stride) {
    int out = planes * config.blockType().expansion();
    String x;
    if (config.blockType() == BlockType.BASIC) {
      x = bnRelu(p + "relu1", p + "bn1", conv(p + "conv1", in, 3, stride, planes));
      x = bn(p + "bn2", conv(p + "conv2", x, 3, 1, planes));
    } else {
      x = bnRelu(p + "relu1", p + "bn1", conv(p + "conv1", in, 1, 1, planes));
      x = bnRelu(p + "relu2", p + "bn2", conv(p + "conv2", x, 3, stride, planes));
      x = bn(p + "bn3", conv(p + "conv3", x, 1, 1, out));
    }
    String shortcut =
        needsProjection(inChannels, out, stride)
            ? bn(p + "proj_bn", conv(p + "proj_conv", in, 1, stride, out))
            : in;
    return relu(p + "relu", add(p + "add", x, shortcut));
  }

  /**
   * He et al. 2016 (keras-resnet layout): [BN-ReLU] conv, BN-ReLU conv (...), + shortcut; no ReLU
   * after the addition; projection = 1x1 convolution of the block input, without BN.
   */
  private String preActivationBlock(
      String p, String in, int inChannels, int planes, int stride, boolean skipLeadingActivation) {
    int out = planes * config.blockType().expansion();
    String x = skipLeadingActivation ? in : bnRelu(p + "relu1", p + "bn1", in);
    if (config.blockType() == BlockType.BASIC) {
      x = conv(p + "conv1", x, 3, stride, planes);
      x = conv(p + "conv2", bnRelu(p + "relu2", p + "bn2", x), 3, 1, planes);
    } else {
      x = conv(p + "conv1", x, 1, 1, planes);
      x = conv(p + "conv2", bnRelu(p + "relu2", p + "bn2", x), 3, stride, planes);
      x = conv(p + "conv3", bnRelu(p + "relu3", p + "bn3", x), 1, 1, out);
    }
    String shortcut =
        needsProjection(inChannels, out, stride) ? conv(p + "proj_conv", in, 1, stride, out) : in;
    return add(p + "add", x, shortcut);
  }

  private static boolean needsProjection(int inChannels, int outChannels, int stride) {
    return stride != 1 || inChannels != outChannels;
  }

  /** Bias-free k x k convolution with padding k/2 (torchvision output sizes). */
  private String conv(String name, String in, int kernel, int stride, int filters) {
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

  private String bn(String name, String in) {
    graph.addLayer(
        name,
        config.batchNorm() == BatchNormImplementation.FUSED
            ? FusedBatchNormalization.builder().build()
            : new BatchNormalization.Builder().build(),
        in);
    return name;
  }

  /**
   * Batch norm then ReLU: two layers ({@code bnName}, {@code reluName}) with DL4J's batch norm, one
   * fused layer named {@code reluName} (the name consumers refer to) with cxr's.
   */
  private String bnRelu(String reluName, String bnName, String in) {
    if (config.batchNorm() == BatchNormImplementation.FUSED) {
      graph.addLayer(reluName, FusedBatchNormalization.builder().relu(true).build(), in);
      return reluName;
    }
    return relu(reluName, bn(bnName, in));
  }

  private String relu(String name, String in) {
    graph.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), in);
    return name;
  }

  private String add(String name, String a, String b) {
    graph.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), a, b);
    return name;
  }
}
