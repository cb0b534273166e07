package dev.cxr.resnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** DenseNet builder defaults, argument checks, cross-field checks and the depth table. */
class DenseNetsBuilderTest {

  @Test
  void defaultsAreDenseNet121ForOneChannelTwoClasses() {
    DenseNetConfig c = DenseNets.builder().config();

    assertThat(c.blocks()).containsExactly(6, 12, 24, 16);
    assertThat(c.growthRate()).isEqualTo(32);
    assertThat(c.initFeatures()).isEqualTo(64);
    assertThat(c.bnSize()).isEqualTo(4);
    assertThat(c.depth()).isEqualTo(121);
    assertThat(c.displayName()).isEqualTo("DenseNet-121");
    assertThat(List.of(c.inputChannels(), c.inputHeight(), c.inputWidth()))
        .containsExactly(1, 224, 224);
    assertThat(c.classes()).isEqualTo(2);
    assertThat(c.headActivation()).isEqualTo(HeadActivation.SOFTMAX);
    assertThat(c.loss()).isInstanceOf(LossMCXENT.class);
    assertThat(c.dropout()).isZero();
    assertThat(c.l2()).isZero();
    assertThat(c.seed()).isEqualTo(DenseNets.Builder.DEFAULT_SEED);
    assertThat(c.updater()).isEqualTo(new Adam(1e-3));
    assertThat(c.dataType()).isEqualTo(DataType.FLOAT);
    assertThat(c.batchNorm()).isEqualTo(BatchNormImplementation.FUSED);
    assertThat(c.inputScaling()).isNull();
  }

  @Test
  void depthTableGivesTheTorchvisionLayouts() {
    assertThat(DenseNetDepth.supported()).containsExactly(121, 169, 201);
    assertThat(DenseNetDepth.of(121).blocks()).containsExactly(6, 12, 24, 16);
    assertThat(DenseNetDepth.of(169).blocks()).containsExactly(6, 12, 32, 32);
    assertThat(DenseNetDepth.of(201).blocks()).containsExactly(6, 12, 48, 32);
    for (DenseNetDepth d : DenseNetDepth.values()) {
      DenseNetConfig c = DenseNets.builder().depth(d.depth()).config();
      assertThat(c.blocks()).isEqualTo(d.blocks());
      assertThat(List.of(c.growthRate(), c.initFeatures(), c.bnSize()))
          .as("depth %d", d.depth())
          .containsExactly(32, 64, 4);
      // the table is consistent with the conventional layer count
      assertThat(c.depth()).isEqualTo(d.depth());
      assertThat(c.displayName()).isEqualTo("DenseNet-" + d.depth());
    }
  }

  @Test
  void channelArithmeticFollowsTorchvision() {
    DenseNetConfig c = DenseNets.builder().depth(121).config();

    // 64 -> +6x32 = 256 -> /2 = 128 -> +12x32 = 512 -> 256 -> +24x32 = 1024 -> 512 -> +16x32
    assertThat(List.of(0, 1, 2, 3).stream().map(c::blockInputChannels).toList())
        .containsExactly(64, 128, 256, 512);
    assertThat(List.of(0, 1, 2, 3).stream().map(c::blockOutputChannels).toList())
        .containsExactly(256, 512, 1024, 1024);
    assertThat(c.featureChannels()).isEqualTo(1024);
    assertThat(c.bottleneckWidth()).isEqualTo(128);
    assertThat(DenseNets.builder().depth(169).config().featureChannels()).isEqualTo(1664);
    assertThat(DenseNets.builder().depth(201).config().featureChannels()).isEqualTo(1920);
    // odd channel counts are halved rounding down, as torchvision's num_features // 2
    DenseNetConfig odd =
        DenseNets.builder().blocks(1, 1).growthRate(3).initFeatures(4).inputSize(32).config();
    assertThat(odd.blockInputChannels(1)).isEqualTo(3);
  }

  @Test
  void unsupportedDepthListsTheSupportedOnes() {
    assertThatThrownBy(() -> DenseNets.builder().depth(161))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("depth must be one of [121, 169, 201] but was 161");
  }

  @Test
  void customBlocksGrowthAndWidths() {
    DenseNetConfig c =
        DenseNets.builder().blocks(2, 2).growthRate(4).initFeatures(8).bnSize(2).config();

    assertThat(c.blocks()).containsExactly(2, 2);
    assertThat(c.depth()).isEqualTo(2 + 2 * 4 + 1);
    assertThat(c.featureChannels()).isEqualTo((8 + 2 * 4) / 2 + 2 * 4);
    assertThat(c.displayName())
        .isEqualTo("DenseNet-11 (blocks [2, 2], growth 4, 8 initial features, bn size 2)");
    // table values apply where the caller set nothing, for custom blocks DenseNet-121's
    assertThat(DenseNets.builder().blocks(3).config().growthRate()).isEqualTo(32);
    assertThat(DenseNets.builder().depth(169).growthRate(12).config().blocks())
        .containsExactly(6, 12, 32, 32);
    assertThat(DenseNets.builder().depth(169).growthRate(12).config().displayName())
        .startsWith("DenseNet-169 (");
  }

  @Test
  void blocksAreCopied() {
    int[] blocks = {1, 2};
    DenseNets.Builder b = DenseNets.builder().blocks(blocks);
    blocks[0] = 9;

    assertThat(b.config().blocks()).containsExactly(1, 2);
  }

  @Test
  void depthAndBlocksAreMutuallyExclusive() {
    assertThatThrownBy(() -> DenseNets.builder().depth(121).blocks(2, 2).config())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("depth(121) and blocks([2, 2]) are mutually exclusive: set one of them");
  }

  @Test
  void setterArgumentsAreCheckedAtOnce() {
    assertThatThrownBy(() -> DenseNets.builder().growthRate(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("growthRate must be in [1, 1024] but was 0");
    assertThatThrownBy(() -> DenseNets.builder().initFeatures(2000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initFeatures must be in [1, 1024] but was 2000");
    assertThatThrownBy(() -> DenseNets.builder().bnSize(17))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bnSize must be in [1, 16] but was 17");
    assertThatThrownBy(() -> DenseNets.builder().blocks())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("blocks must have between 1 and 6 entries but had 0");
    assertThatThrownBy(() -> DenseNets.builder().blocks(6, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("blocks[1] must be in [1, 128] layers but was 0");
    assertThatThrownBy(() -> DenseNets.builder().inputSize(31))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inputHeight must be in [32, 4096] pixels but was 31");
    assertThatThrownBy(() -> DenseNets.builder().inputShape(1, 64, 16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inputWidth must be in [32, 4096] pixels but was 16");
    assertThatThrownBy(() -> DenseNets.builder().channels(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inputChannels must be in [1, 256] but was 0");
    assertThatThrownBy(() -> DenseNets.builder().classes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("classes must be in [1, 100000] but was 0");
    assertThatThrownBy(() -> DenseNets.builder().dropout(-0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dropout must be in [0, 1) but was -0.1");
    assertThatThrownBy(() -> DenseNets.builder().l2(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("l2 must be finite and >= 0 but was Infinity");
    assertThatThrownBy(() -> DenseNets.builder().dataType(DataType.INT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dataType must be a floating-point type but was INT");
  }

  @Test
  void nullsAreRejectedByName() {
    assertThatThrownBy(() -> DenseNets.builder().blocks((int[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("blocks");
    assertThatThrownBy(() -> DenseNets.builder().loss(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("loss");
    assertThatThrownBy(() -> DenseNets.builder().updater(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("updater");
    assertThatThrownBy(() -> DenseNets.builder().headActivation(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("headActivation");
    assertThatThrownBy(() -> DenseNets.builder().batchNorm(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("batchNorm");
    assertThatThrownBy(() -> DenseNets.builder().dataType(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("dataType");
  }

  @Test
  void crossFieldChecksRunInConfig() {
    assertThatThrownBy(() -> DenseNets.builder().classes(1).config())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("classes must be >= 2 for a SOFTMAX head but was 1");
    assertThat(
            DenseNets.builder().classes(1).headActivation(HeadActivation.SIGMOID).config().loss())
        .isInstanceOf(LossBinaryXENT.class);
    assertThatThrownBy(
            () -> DenseNets.builder().channels(3).inputScaling(InputScaling.imageNet()).config())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inputScaling maps a one-channel input but inputChannels was 3");
    // 32 px: 8 after the stem, then 4, 2, 1: four blocks fit, a fifth needs a larger input
    assertThat(DenseNets.builder().inputSize(32).config().blocks()).hasSize(4);
    assertThatThrownBy(() -> DenseNets.builder().blocks(1, 1, 1, 1, 1).inputSize(64, 32).config())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "inputWidth 32 is too small for 5 dense blocks: 1 pixel is left before transition 4,"
                + " whose 2x2 pooling needs 2");
    assertThat(DenseNets.builder().blocks(1, 1, 1, 1, 1).inputSize(64).config().blocks())
        .hasSize(5);
  }

  @Test
  void callerSuppliedLossWinsOverTheHeadDefault() {
    LossMCXENT weighted = new LossMCXENT(org.nd4j.linalg.factory.Nd4j.create(new float[] {1f, 5f}));

    assertThat(DenseNets.builder().loss(weighted).config().loss()).isSameAs(weighted);
  }

  @Test
  void configNeverChangesTheBuilder() {
    DenseNets.Builder b = DenseNets.builder().depth(169).growthRate(8).updater(new Sgd(0.1));

    DenseNetConfig first = b.config();
    DenseNetConfig second = b.config();

    assertThat(second).isEqualTo(first);
    assertThat(second.updater()).isNotSameAs(first.updater()); // each config owns its copy
    assertThat(b.growthRate(16).config().growthRate()).isEqualTo(16);
    assertThat(first.growthRate()).isEqualTo(8);
  }

  @Test
  void builderFromConfigReproducesIt() {
    DenseNetConfig standard =
        DenseNets.builder()
            .depth(201)
            .inputShape(3, 96, 128)
            .classes(4)
            .headActivation(HeadActivation.SIGMOID)
            .dropout(0.25)
            .l2(1e-4)
            .seed(9)
            .updater(new Sgd(0.05))
            .dataType(DataType.DOUBLE)
            .batchNorm(BatchNormImplementation.DL4J)
            .config();
    DenseNetConfig custom =
        DenseNets.builder()
            .blocks(2, 3)
            .growthRate(4)
            .initFeatures(8)
            .bnSize(2)
            .inputScaling(InputScaling.affine(2, -1))
            .config();

    assertThat(DenseNets.builder(standard).config()).isEqualTo(standard);
    assertThat(DenseNets.builder(custom).config()).isEqualTo(custom);
    assertThat(DenseNets.builder(standard).depth(121).config().depth()).isEqualTo(121);
  }

  @Test
  void recordChecksItsFieldsToo() {
    DenseNetConfig ok = DenseNets.builder().config();

    assertThatThrownBy(() -> withBlocksAndGrowth(ok, List.of(), ok.growthRate()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blocks");
    assertThatThrownBy(() -> withBlocksAndGrowth(ok, ok.blocks(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("growthRate");
    assertThatThrownBy(() -> withBlocksAndGrowth(ok, null, 32))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("blocks");
  }

  private static DenseNetConfig withBlocksAndGrowth(
      DenseNetConfig c, List<Integer> blocks, int growthRate) {
    return new DenseNetConfig(
        blocks,
        growthRate,
        c.initFeatures(),
        c.bnSize(),
        c.inputChannels(),
        c.inputHeight(),
        c.inputWidth(),
        c.classes(),
        c.headActivation(),
        c.loss(),
        c.dropout(),
        c.l2(),
        c.seed(),
        c.updater(),
        c.dataType(),
        c.batchNorm(),
        c.inputScaling());
  }
}
