package dev.cxr.resnet;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.PoolingType;

/**
 * Turns a {@link DenseNetConfig} into a DL4J graph configuration in torchvision's layout; the
 * vertex names (torchvision's module paths) are listed in {@link DenseNets}.
 */
final class DenseNetGraphAssembler {

  private final DenseNetConfig config;
  private GraphParts parts;

  DenseNetGraphAssembler(DenseNetConfig config) {
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

    // features.conv0 - norm0 - relu0 - pool0
    String x =
        parts.conv("conv0", parts.stemInput(config.inputScaling()), 7, 2, config.initFeatures());
    x = bnRelu("norm0", x);
    x = parts.pool("pool0", x, PoolingType.MAX, 3, 2, 1);
    int channels = config.initFeatures();
    for (int b = 0; b < config.blocks().size(); b++) {
      String block = "denseblock" + (b + 1) + "_";
      for (int l = 0; l < config.blocks().get(b); l++) {
        x = denseLayer(block + "denselayer" + (l + 1) + "_", x);
        channels += config.growthRate();
      }
      if (b < config.blocks().size() - 1) {
        channels /= 2;
        x = transition("transition" + (b + 1) + "_", x, channels);
      }
    }
    // features.norm5, then the forward pass's F.relu; pool and classifier in GraphParts.head
    x = bnRelu("norm5", x);
    return parts.head(
        x, config.classes(), config.headActivation(), config.loss(), config.dropout());
  }

  /**
   * norm1 - relu1 - conv1 (1x1, bnSize * growth) - norm2 - relu2 - conv2 (3x3 pad 1, growth), then
   * the layer's input and its new features concatenated, input channels first (torch.cat order).
   */
  private String denseLayer(String p, String in) {
    String x = parts.conv(p + "conv1", bnRelu(p + "norm1", in), 1, 1, config.bottleneckWidth());
    x = parts.conv(p + "conv2", bnRelu(p + "norm2", x), 3, 1, config.growthRate());
    parts.graph().addVertex(p + "concat", new MergeVertex(), in, x);
    return p + "concat";
  }

  /** norm - relu - conv (1x1, half the channels) - avg-pool 2x2/2. */
  private String transition(String p, String in, int filters) {
    String x = parts.conv(p + "conv", bnRelu(p + "norm", in), 1, 1, filters);
    return parts.pool(p + "pool", x, PoolingType.AVG, 2, 2, 0);
  }

  /**
   * Batch norm and ReLU: one fused layer under the batch norm's (torchvision's) name, or DL4J's
   * batch norm under that name followed by a ReLU layer named with {@code norm} replaced by {@code
   * relu} ({@code norm0} → {@code relu0}, {@code ..._norm1} → {@code ..._relu1}).
   */
  private String bnRelu(String bnName, String in) {
    int at = bnName.lastIndexOf("norm");
    String reluName = bnName.substring(0, at) + "relu" + bnName.substring(at + "norm".length());
    return parts.bnRelu(bnName, reluName, bnName, in);
  }
}
