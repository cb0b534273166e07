package dev.cxr.resnet;

import dev.cxr.resnet.residual.AddRelu;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.PoolingType;

/**
 * Turns a {@link ResNetConfig} into a DL4J graph configuration. Vertex names: {@code input}, {@code
 * stem_conv}, {@code stem_bn}, {@code stem_relu}, {@code stem_pool}, then {@code
 * s<stage>_b<block>_<part>} (1-based), {@code final_bn}/{@code final_relu} (pre-activation only),
 * {@code pool}, {@code output}. With {@link BatchNormImplementation#FUSED} each batch norm that a
 * ReLU follows is one layer under the ReLU's name ({@code stem_relu}, {@code s1_b1_relu1}, ...) and
 * its {@code _bn} name does not exist; other batch norms keep their names. With {@link
 * ResNetConfig#fusedAddRelu()} the addition and ReLU that end an original block are one {@link
 * AddRelu} vertex {@code s<stage>_b<block>_relu} (no {@code _add} vertex).
 */
final class ResNetGraphAssembler {

  private final ResNetConfig config;
  private GraphParts parts;

  ResNetGraphAssembler(ResNetConfig config) {
    this.config = config;
  }

  ComputationGraphConfiguration assemble() {
    parts =
        new GraphParts(
            config.seed(),
            config.updater(),
            config.dataType(),
            config.l2(),
            config.batchNorm(),
            config.inputChannels(),
            config.inputHeight(),
            config.inputWidth());

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
    return parts.head(
        x, config.classes(), config.headActivation(), config.loss(), config.dropout());
  }

  /** conv 7x7/2 pad 3 - BN - ReLU - max-pool 3x3/2 pad 1 (both layouts). */
  private String stem() {
    String x = conv("stem_conv", parts.stemInput(config.inputScaling()), 7, 2, config.width());
    x = bnRelu("stem_relu", "stem_bn", x);
    return parts.pool("stem_pool", x, PoolingType.MAX, 3, 2, 1);
  }

  /** He et al. 2015: conv-BN-ReLU ... conv-BN, + shortcut, ReLU; stride on the 3x3 convolution. */
  private String originalBlock(String p, String in, int inChannels, int planes, int stride) {
    int out = planes * config.blockType().expansion();
    String x;
    if (config.blockType() == BlockType.BASIC) {
      x = bnRelu(p + "relu1", p + "bn1", conv(p + "conv1", in, 3, stride, planes));
      x = parts.bn(p + "bn2", conv(p + "conv2", x, 3, 1, planes));
    } else {
      x = bnRelu(p + "relu1", p + "bn1", conv(p + "conv1", in, 1, 1, planes));
      x = bnRelu(p + "relu2", p + "bn2", conv(p + "conv2", x, 3, stride, planes));
      x = parts.bn(p + "bn3", conv(p + "conv3", x, 1, 1, out));
    }
    String shortcut =
        needsProjection(inChannels, out, stride)
            ? parts.bn(p + "proj_bn", conv(p + "proj_conv", in, 1, stride, out))
            : in;
    if (config.fusedAddRelu()) {
      parts.graph().addVertex(p + "relu", new AddRelu(), x, shortcut);
      return p + "relu";
    }
    return parts.relu(p + "relu", add(p + "add", x, shortcut));
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

  private String conv(String name, String in, int kernel, int stride, int filters) {
    return parts.conv(name, in, kernel, stride, filters);
  }

  /**
   * Batch norm then ReLU: two layers ({@code bnName}, {@code reluName}) with DL4J's batch norm, one
   * fused layer named {@code reluName} (the name consumers refer to) with cxr's.
   */
  private String bnRelu(String reluName, String bnName, String in) {
    return parts.bnRelu(bnName, reluName, reluName, in);
  }

  private String add(String name, String a, String b) {
    parts.graph().addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), a, b);
    return name;
  }
}
