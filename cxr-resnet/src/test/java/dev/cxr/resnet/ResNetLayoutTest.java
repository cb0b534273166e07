package dev.cxr.resnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.resnet.bn.FusedBatchNormalization;
import dev.cxr.resnet.residual.AddRelu;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

/** Structure of the generated graphs, read from the configuration (nothing allocated). */
class ResNetLayoutTest {

  private static ComputationGraphConfiguration conf(ResNets.Builder b) {
    return b.inputSize(64).buildConfiguration();
  }

  private static Layer layer(ComputationGraphConfiguration conf, String name) {
    return ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
  }

  private static List<String> inputs(ComputationGraphConfiguration conf, String name) {
    return conf.getVertexInputs().get(name);
  }

  private static long count(ComputationGraphConfiguration conf, String suffix) {
    return conf.getVertices().keySet().stream().filter(n -> n.endsWith(suffix)).count();
  }

  @Test
  void inputAndOutputNames() {
    ComputationGraphConfiguration conf = conf(ResNets.builder());

    assertThat(conf.getNetworkInputs()).containsExactly("input");
    assertThat(conf.getNetworkOutputs()).containsExactly("output");
    assertThat(layer(conf, "output")).isInstanceOf(OutputLayer.class);
    assertThat(inputs(conf, "output")).containsExactly("pool");
  }

  @Test
  void everyConvolutionIsBiasFreeWithHeInitialisationAndTorchvisionPadding() {
    for (boolean pre : new boolean[] {false, true}) {
      ComputationGraphConfiguration conf = conf(ResNets.builder().depth(50).preActivation(pre));
      List<ConvolutionLayer> convs =
          conf.getVertices().values().stream()
              .filter(v -> v instanceof LayerVertex)
              .map(v -> ((LayerVertex) v).getLayerConf().getLayer())
              .filter(l -> l instanceof ConvolutionLayer)
              .map(l -> (ConvolutionLayer) l)
              .toList();

      assertThat(convs).hasSize(53); // 1 stem + 16 blocks x 3 + 4 projections
      for (ConvolutionLayer c : convs) {
        assertThat(c.hasBias()).as(c.getLayerName()).isFalse();
        assertThat(c.getWeightInitFn()).isInstanceOf(WeightInitRelu.class);
        assertThat(c.getConvolutionMode()).isEqualTo(ConvolutionMode.Truncate);
        assertThat(c.getPadding())
            .containsExactly(c.getKernelSize()[0] / 2, c.getKernelSize()[1] / 2);
      }
    }
  }

  @Test
  void originalBasicBlocks() {
    ComputationGraphConfiguration conf =
        conf(
            ResNets.builder()
                .depth(18)
                .batchNorm(BatchNormImplementation.DL4J)
                .fusedAddRelu(false));

    assertThat(inputs(conf, "stem_bn")).containsExactly("stem_conv");
    assertThat(((ConvolutionLayer) layer(conf, "stem_conv")).getStride()).containsExactly(2, 2);
    assertThat(((ConvolutionLayer) layer(conf, "stem_conv")).getKernelSize()).containsExactly(7, 7);
    // conv-BN-ReLU, conv-BN, add, ReLU
    assertThat(inputs(conf, "s1_b1_conv1")).containsExactly("stem_pool");
    assertThat(inputs(conf, "s1_b1_add")).containsExactly("s1_b1_bn2", "stem_pool");
    assertThat(inputs(conf, "s1_b1_relu")).containsExactly("s1_b1_add");
    assertThat(inputs(conf, "s1_b2_conv1")).containsExactly("s1_b1_relu");
    // projection = 1x1 conv (stride 2) + BN where the shape changes: first block of stages 2-4
    assertThat(count(conf, "_proj_conv")).isEqualTo(3);
    assertThat(count(conf, "_proj_bn")).isEqualTo(3);
    assertThat(inputs(conf, "s2_b1_proj_conv")).containsExactly("s1_b2_relu");
    assertThat(inputs(conf, "s2_b1_add")).containsExactly("s2_b1_bn2", "s2_b1_proj_bn");
    assertThat(((ConvolutionLayer) layer(conf, "s2_b1_conv1")).getStride()).containsExactly(2, 2);
    assertThat(((ConvolutionLayer) layer(conf, "s2_b1_proj_conv")).getStride())
        .containsExactly(2, 2);
    assertThat(conf.getVertices()).doesNotContainKeys("s1_b1_conv3", "final_bn");
    assertThat(inputs(conf, "pool")).containsExactly("s4_b2_relu");
  }

  @Test
  void fusedAddReluIsOneVertexUnderTheReluName() {
    for (int depth : new int[] {18, 50}) {
      ComputationGraphConfiguration fused = conf(ResNets.builder().depth(depth));
      ComputationGraphConfiguration split =
          conf(ResNets.builder().depth(depth).fusedAddRelu(false));
      int blocks = depth == 18 ? 8 : 16;
      String last = depth == 18 ? "s1_b1_bn2" : "s1_b1_bn3";

      assertThat(fused.getVertices().get("s1_b1_relu")).isInstanceOf(AddRelu.class);
      // ResNet-50's first block already projects (64 -> 256 channels)
      assertThat(inputs(fused, "s1_b1_relu"))
          .containsExactly(last, depth == 18 ? "stem_pool" : "s1_b1_proj_bn");
      assertThat(inputs(fused, "s2_b1_relu"))
          .containsExactly(depth == 18 ? "s2_b1_bn2" : "s2_b1_bn3", "s2_b1_proj_bn");
      assertThat(inputs(fused, "s1_b2_conv1")).containsExactly("s1_b1_relu");
      assertThat(inputs(fused, "pool")).containsExactly("s4_b" + (depth == 18 ? 2 : 3) + "_relu");
      assertThat(fused.getVertices().keySet()).noneMatch(n -> n.endsWith("_add"));
      assertThat(fused.getVertices().values().stream().filter(v -> v instanceof AddRelu))
          .hasSize(blocks);
      // one vertex less per block; nothing else changes
      assertThat(fused.getVertices()).hasSize(split.getVertices().size() - blocks);
      assertThat(split.getVertices().get("s1_b1_add")).isInstanceOf(ElementWiseVertex.class);
    }
    // the pre-activation layout has no ReLU after its additions: the option changes nothing
    assertThat(conf(ResNets.builder().depth(18).preActivation(true)).toJson())
        .isEqualTo(
            conf(ResNets.builder().depth(18).preActivation(true).fusedAddRelu(false)).toJson());
    assertThat(ResNets.builder().config().fusedAddRelu()).isTrue();
  }

  @Test
  void originalBottleneckStridesOnTheThreeByThree() {
    ComputationGraphConfiguration conf = conf(ResNets.builder().depth(50));

    assertThat(((ConvolutionLayer) layer(conf, "s2_b1_conv1")).getStride()).containsExactly(1, 1);
    assertThat(((ConvolutionLayer) layer(conf, "s2_b1_conv2")).getStride()).containsExactly(2, 2);
    assertThat(((ConvolutionLayer) layer(conf, "s2_b1_conv2")).getKernelSize())
        .containsExactly(3, 3);
    assertThat(((ConvolutionLayer) layer(conf, "s2_b1_conv3")).getNOut()).isEqualTo(512);
    // 64 -> 256 channels: the very first block already needs a (stride 1) projection
    assertThat(((ConvolutionLayer) layer(conf, "s1_b1_proj_conv")).getStride())
        .containsExactly(1, 1);
    assertThat(count(conf, "_proj_conv")).isEqualTo(4);
    assertThat(conf.getVertices()).doesNotContainKey("s1_b2_proj_conv");
  }

  @Test
  void preActivationBasicBlocks() {
    ComputationGraphConfiguration conf =
        conf(
            ResNets.builder()
                .depth(18)
                .preActivation(true)
                .batchNorm(BatchNormImplementation.DL4J));

    // stem unchanged: conv-BN-ReLU-maxpool
    assertThat(inputs(conf, "stem_relu")).containsExactly("stem_bn");
    // the first block of the first stage starts with its convolution
    assertThat(conf.getVertices()).doesNotContainKeys("s1_b1_bn1", "s1_b1_relu1");
    assertThat(inputs(conf, "s1_b1_conv1")).containsExactly("stem_pool");
    assertThat(inputs(conf, "s1_b1_bn2")).containsExactly("s1_b1_conv1");
    assertThat(inputs(conf, "s1_b1_add")).containsExactly("s1_b1_conv2", "stem_pool");
    // later blocks: BN-ReLU-conv; no ReLU after the addition
    assertThat(inputs(conf, "s1_b2_bn1")).containsExactly("s1_b1_add");
    assertThat(inputs(conf, "s1_b2_conv1")).containsExactly("s1_b2_relu1");
    assertThat(conf.getVertices()).doesNotContainKey("s1_b1_relu");
    // projection: plain 1x1 conv of the block input, no BN
    assertThat(count(conf, "_proj_conv")).isEqualTo(3);
    assertThat(count(conf, "_proj_bn")).isZero();
    assertThat(inputs(conf, "s2_b1_proj_conv")).containsExactly("s1_b2_add");
    assertThat(inputs(conf, "s2_b1_add")).containsExactly("s2_b1_conv2", "s2_b1_proj_conv");
    // final BN-ReLU before pooling
    assertThat(inputs(conf, "final_bn")).containsExactly("s4_b2_add");
    assertThat(inputs(conf, "pool")).containsExactly("final_relu");
  }

  @Test
  void fusedBatchNormTakesTheReluNameAndKeepsTheOtherBatchNorms() {
    for (boolean pre : new boolean[] {false, true}) {
      ComputationGraphConfiguration dl4j =
          conf(
              ResNets.builder()
                  .depth(18)
                  .preActivation(pre)
                  .batchNorm(BatchNormImplementation.DL4J));
      ComputationGraphConfiguration fused = conf(ResNets.builder().depth(18).preActivation(pre));
      long reluLayers =
          fused.getVertices().keySet().stream()
              .filter(n -> n.matches(".*_relu\\d?") && !n.matches("s\\d_b\\d_relu"))
              .count();
      // every BN + ReLU pair became one layer: the ReLU's name, a FusedBatchNormalization with ReLU
      assertThat(fused.getVertices()).hasSize(dl4j.getVertices().size() - (int) reluLayers);
      for (String name : fused.getVertices().keySet()) {
        if (name.matches(".*_relu\\d?") && !name.matches("s\\d_b\\d_relu")) {
          assertThat(layer(fused, name)).as(name).isInstanceOf(FusedBatchNormalization.class);
          assertThat(((FusedBatchNormalization) layer(fused, name)).isRelu()).as(name).isTrue();
          assertThat(fused.getVertexInputs().get(name))
              .as(name)
              .isEqualTo(dl4j.getVertexInputs().get(name.replaceFirst("relu", "bn")));
        }
      }
      // the batch norms before an addition (original layout only) keep name, without ReLU
      if (pre) {
        assertThat(count(fused, "_bn1") + count(fused, "_bn2")).isZero();
      } else {
        assertThat(((FusedBatchNormalization) layer(fused, "s1_b1_bn2")).isRelu()).isFalse();
        assertThat(((FusedBatchNormalization) layer(fused, "s2_b1_proj_bn")).isRelu()).isFalse();
      }
      assertThat(fused.getVertices()).doesNotContainKeys("stem_bn");
      // consumers see the same input names in both graphs
      assertThat(inputs(fused, "stem_pool")).isEqualTo(inputs(dl4j, "stem_pool"));
      assertThat(inputs(fused, "pool")).isEqualTo(inputs(dl4j, "pool"));
    }
  }

  @Test
  void preActivationBottleneck() {
    ComputationGraphConfiguration conf = conf(ResNets.builder().depth(50).preActivation(true));

    assertThat(inputs(conf, "s1_b1_conv1")).containsExactly("stem_pool");
    assertThat(inputs(conf, "s1_b1_conv3")).containsExactly("s1_b1_relu3");
    assertThat(inputs(conf, "s1_b1_proj_conv")).containsExactly("stem_pool");
    assertThat(((ConvolutionLayer) layer(conf, "s3_b1_conv2")).getStride()).containsExactly(2, 2);
    assertThat(count(conf, "_proj_conv")).isEqualTo(4);
    assertThat(inputs(conf, "pool")).containsExactly("final_relu");
  }

  @Test
  void headActivationLossDropoutAndWeightDecay() {
    ComputationGraphConfiguration plain = conf(ResNets.builder());
    ComputationGraphConfiguration custom =
        conf(
            ResNets.builder()
                .headActivation(HeadActivation.SIGMOID)
                .classes(3)
                .dropout(0.3)
                .l2(1e-4));

    OutputLayer plainOut = (OutputLayer) layer(plain, "output");
    assertThat(plainOut.getActivationFn()).isInstanceOf(ActivationSoftmax.class);
    assertThat(plainOut.getIDropout()).isNull();
    assertThat(((BaseLayer) layer(plain, "stem_conv")).getRegularization()).isEmpty();

    OutputLayer out = (OutputLayer) layer(custom, "output");
    assertThat(out.getActivationFn()).isInstanceOf(ActivationSigmoid.class);
    assertThat(out.getLossFn()).isInstanceOf(LossBinaryXENT.class);
    assertThat(out.getNOut()).isEqualTo(3);
    assertThat(out.getIDropout()).isEqualTo(new Dropout(0.7)); // DL4J wants the retain probability
    assertThat(((BaseLayer) layer(custom, "stem_conv")).getRegularization())
        .containsExactly(new L2Regularization(1e-4));
  }

  @Test
  void everyNInIsInferred() {
    ComputationGraphConfiguration conf = conf(ResNets.builder().depth(34).width(8).channels(3));

    assertThat(((ConvolutionLayer) layer(conf, "stem_conv")).getNIn()).isEqualTo(3);
    assertThat(((ConvolutionLayer) layer(conf, "s4_b1_conv1")).getNIn()).isEqualTo(32);
    assertThat(((OutputLayer) layer(conf, "output")).getNIn()).isEqualTo(64);
  }
}
