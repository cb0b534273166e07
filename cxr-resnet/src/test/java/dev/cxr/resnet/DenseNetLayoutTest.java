package dev.cxr.resnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.resnet.bn.FusedBatchNormalization;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.learning.regularization.L2Regularization;

/** Structure and vertex names of the DenseNet graphs, read from the configuration. */
class DenseNetLayoutTest {

  private static Layer layer(ComputationGraphConfiguration conf, String name) {
    return ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
  }

  private static List<String> inputs(ComputationGraphConfiguration conf, String name) {
    return conf.getVertexInputs().get(name);
  }

  private static ConvolutionLayer conv(ComputationGraphConfiguration conf, String name) {
    return (ConvolutionLayer) layer(conf, name);
  }

  /** Torchvision's module names (without features.), dots as underscores, for blocks {2, 2}. */
  private static List<String> torchvisionNames(int[] blocks) {
    List<String> names = new ArrayList<>(List.of("conv0", "norm0", "pool0"));
    for (int b = 1; b <= blocks.length; b++) {
      for (int l = 1; l <= blocks[b - 1]; l++) {
        String p = "denseblock" + b + "_denselayer" + l + "_";
        names.addAll(List.of(p + "norm1", p + "conv1", p + "norm2", p + "conv2", p + "concat"));
      }
      if (b < blocks.length) {
        names.addAll(List.of("transition" + b + "_norm", "transition" + b + "_conv"));
        names.add("transition" + b + "_pool");
      }
    }
    names.addAll(List.of("norm5", "pool", "output"));
    return names;
  }

  @Test
  void fusedVertexNamesAreTorchvisionModulePaths() {
    ComputationGraphConfiguration conf =
        DenseNets.builder().blocks(2, 3, 2).growthRate(4).initFeatures(8).buildConfiguration();

    assertThat(conf.getNetworkInputs()).containsExactly("input");
    assertThat(conf.getNetworkOutputs()).containsExactly("output");
    // exactly these vertices, in this order: every BN is fused with its ReLU under the BN's name
    assertThat(conf.getVertices().keySet())
        .containsExactlyElementsOf(torchvisionNames(new int[] {2, 3, 2}));
    for (String name : conf.getVertices().keySet()) {
      if (name.contains("norm")) {
        assertThat(layer(conf, name)).as(name).isInstanceOf(FusedBatchNormalization.class);
        assertThat(((FusedBatchNormalization) layer(conf, name)).isRelu()).as(name).isTrue();
      }
    }
  }

  @Test
  void dl4jBatchNormIsFollowedByReluLayersNamedAfterIt() {
    ComputationGraphConfiguration conf =
        DenseNets.builder()
            .blocks(2, 2)
            .growthRate(4)
            .initFeatures(8)
            .batchNorm(BatchNormImplementation.DL4J)
            .buildConfiguration();
    List<String> expected = new ArrayList<>();
    for (String name : torchvisionNames(new int[] {2, 2})) {
      expected.add(name);
      if (name.contains("norm")) {
        expected.add(name.replace("norm", "relu"));
      }
    }

    assertThat(conf.getVertices().keySet()).containsExactlyElementsOf(expected);
    assertThat(inputs(conf, "relu0")).containsExactly("norm0");
    assertThat(inputs(conf, "pool0")).containsExactly("relu0");
    assertThat(inputs(conf, "denseblock1_denselayer1_conv1"))
        .containsExactly("denseblock1_denselayer1_relu1");
    assertThat(inputs(conf, "transition1_conv")).containsExactly("transition1_relu");
    assertThat(inputs(conf, "relu5")).containsExactly("norm5");
    assertThat(inputs(conf, "pool")).containsExactly("relu5");
    assertThat(layer(conf, "norm0").getClass()).isEqualTo(BatchNormalization.class);
    assertThat(((ActivationLayer) layer(conf, "relu5")).getActivationFn())
        .isInstanceOf(ActivationReLU.class);
  }

  @Test
  void stemDenseLayersTransitionsAndHeadFollowTorchvision() {
    ComputationGraphConfiguration conf = DenseNets.builder().depth(121).buildConfiguration();

    assertThat(conv(conf, "conv0").getKernelSize()).containsExactly(7, 7);
    assertThat(conv(conf, "conv0").getStride()).containsExactly(2, 2);
    assertThat(conv(conf, "conv0").getPadding()).containsExactly(3, 3);
    assertThat(conv(conf, "conv0").getNOut()).isEqualTo(64);
    SubsamplingLayer pool0 = (SubsamplingLayer) layer(conf, "pool0");
    assertThat(pool0.getPoolingType()).isEqualTo(PoolingType.MAX);
    assertThat(pool0.getKernelSize()).containsExactly(3, 3);
    assertThat(pool0.getStride()).containsExactly(2, 2);
    assertThat(pool0.getPadding()).containsExactly(1, 1);

    // a dense layer: norm1 - conv1 1x1 (4 x 32) - norm2 - conv2 3x3 pad 1 (32), concat [in, new]
    String p = "denseblock2_denselayer3_";
    assertThat(inputs(conf, p + "norm1")).containsExactly("denseblock2_denselayer2_concat");
    assertThat(inputs(conf, p + "conv1")).containsExactly(p + "norm1");
    assertThat(conv(conf, p + "conv1").getKernelSize()).containsExactly(1, 1);
    assertThat(conv(conf, p + "conv1").getPadding()).containsExactly(0, 0);
    assertThat(conv(conf, p + "conv1").getNOut()).isEqualTo(128);
    assertThat(inputs(conf, p + "norm2")).containsExactly(p + "conv1");
    assertThat(inputs(conf, p + "conv2")).containsExactly(p + "norm2");
    assertThat(conv(conf, p + "conv2").getKernelSize()).containsExactly(3, 3);
    assertThat(conv(conf, p + "conv2").getPadding()).containsExactly(1, 1);
    assertThat(conv(conf, p + "conv2").getNOut()).isEqualTo(32);
    assertThat(conf.getVertices().get(p + "concat")).isInstanceOf(MergeVertex.class);
    // input channels first, then the new features: torch.cat([input, new], 1)
    assertThat(inputs(conf, p + "concat"))
        .containsExactly("denseblock2_denselayer2_concat", p + "conv2");
    assertThat(inputs(conf, "denseblock2_denselayer1_norm1")).containsExactly("transition1_pool");
    assertThat(inputs(conf, "denseblock1_denselayer1_norm1")).containsExactly("pool0");
    assertThat(inputs(conf, "denseblock1_denselayer1_concat"))
        .containsExactly("pool0", "denseblock1_denselayer1_conv2");

    // transitions after blocks 1-3: norm - conv 1x1 (half) - avg-pool 2x2/2
    assertThat(inputs(conf, "transition3_norm")).containsExactly("denseblock3_denselayer24_concat");
    assertThat(conv(conf, "transition1_conv").getNOut()).isEqualTo(128);
    assertThat(conv(conf, "transition2_conv").getNOut()).isEqualTo(256);
    assertThat(conv(conf, "transition3_conv").getNOut()).isEqualTo(512);
    SubsamplingLayer transitionPool = (SubsamplingLayer) layer(conf, "transition1_pool");
    assertThat(transitionPool.getPoolingType()).isEqualTo(PoolingType.AVG);
    assertThat(transitionPool.getKernelSize()).containsExactly(2, 2);
    assertThat(transitionPool.getStride()).containsExactly(2, 2);
    assertThat(transitionPool.getPadding()).containsExactly(0, 0);
    assertThat(conf.getVertices())
        .doesNotContainKeys("transition4_norm", "denseblock4_denselayer17_concat");

    // norm5 (with its ReLU) - global average pool - dense head
    assertThat(inputs(conf, "norm5")).containsExactly("denseblock4_denselayer16_concat");
    assertThat(inputs(conf, "pool")).containsExactly("norm5");
    assertThat(((GlobalPoolingLayer) layer(conf, "pool")).getPoolingType())
        .isEqualTo(PoolingType.AVG);
    assertThat(inputs(conf, "output")).containsExactly("pool");
    OutputLayer out = (OutputLayer) layer(conf, "output");
    assertThat(out.getNIn()).isEqualTo(1024);
    assertThat(out.hasBias()).isTrue();
    assertThat(out.getActivationFn()).isInstanceOf(ActivationSoftmax.class);

    // 1 stem + 2 x 58 dense-layer + 3 transition convolutions, all bias-free with He init
    List<ConvolutionLayer> convs =
        conf.getVertices().values().stream()
            .filter(v -> v instanceof LayerVertex)
            .map(v -> ((LayerVertex) v).getLayerConf().getLayer())
            .filter(l -> l instanceof ConvolutionLayer)
            .map(l -> (ConvolutionLayer) l)
            .toList();
    assertThat(convs).hasSize(120);
    for (ConvolutionLayer c : convs) {
      assertThat(c.hasBias()).as(c.getLayerName()).isFalse();
      assertThat(c.getWeightInitFn()).isInstanceOf(WeightInitRelu.class);
      assertThat(c.getConvolutionMode()).isEqualTo(ConvolutionMode.Truncate);
      assertThat(c.getStride())
          .containsExactly(c.getKernelSize()[0] == 7 ? 2 : 1, c.getKernelSize()[0] == 7 ? 2 : 1);
    }
  }

  @Test
  void everyNInIsInferredFromTheConcatenations() {
    ComputationGraphConfiguration conf = DenseNets.builder().depth(121).buildConfiguration();

    assertThat(conv(conf, "conv0").getNIn()).isEqualTo(1);
    assertThat(conv(conf, "denseblock1_denselayer1_conv1").getNIn()).isEqualTo(64);
    assertThat(conv(conf, "denseblock1_denselayer6_conv1").getNIn()).isEqualTo(64 + 5 * 32);
    assertThat(conv(conf, "transition1_conv").getNIn()).isEqualTo(256);
    assertThat(conv(conf, "denseblock2_denselayer1_conv1").getNIn()).isEqualTo(128);
    assertThat(conv(conf, "transition3_conv").getNIn()).isEqualTo(1024);
    assertThat(((FusedBatchNormalization) layer(conf, "norm5")).getNOut()).isEqualTo(1024);
  }

  @Test
  void inputScalingSitsBetweenInputAndConv0() {
    ComputationGraphConfiguration gray =
        DenseNets.builder().blocks(1).inputScaling(InputScaling.affine(2, -1)).buildConfiguration();
    ComputationGraphConfiguration rgb =
        DenseNets.builder().blocks(1).inputScaling(InputScaling.imageNet()).buildConfiguration();

    assertThat(inputs(gray, "input_scale")).containsExactly("input");
    assertThat(inputs(gray, "conv0")).containsExactly("input_shift");
    assertThat(conv(gray, "conv0").getNIn()).isEqualTo(1);
    assertThat(inputs(rgb, "conv0")).containsExactly("input_channels");
    assertThat(conv(rgb, "conv0").getNIn()).isEqualTo(3);
    assertThat(rgb.getNetworkInputs()).containsExactly("input");
  }

  @Test
  void headActivationLossDropoutAndWeightDecay() {
    ComputationGraphConfiguration plain = DenseNets.builder().blocks(1).buildConfiguration();
    ComputationGraphConfiguration custom =
        DenseNets.builder()
            .blocks(1)
            .headActivation(HeadActivation.SIGMOID)
            .classes(3)
            .dropout(0.3)
            .l2(1e-4)
            .buildConfiguration();

    assertThat(((OutputLayer) layer(plain, "output")).getIDropout()).isNull();
    assertThat(((BaseLayer) layer(plain, "conv0")).getRegularization()).isEmpty();
    OutputLayer out = (OutputLayer) layer(custom, "output");
    assertThat(out.getActivationFn()).isInstanceOf(ActivationSigmoid.class);
    assertThat(out.getNOut()).isEqualTo(3);
    assertThat(out.getIDropout()).isEqualTo(new Dropout(0.7)); // DL4J wants the retain probability
    assertThat(((BaseLayer) layer(custom, "denseblock1_denselayer1_conv2")).getRegularization())
        .containsExactly(new L2Regularization(1e-4));
  }
}
