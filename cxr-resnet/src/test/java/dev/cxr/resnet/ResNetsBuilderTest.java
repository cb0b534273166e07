package dev.cxr.resnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** Builder defaults, argument checks, cross-field checks and the depth table. */
class ResNetsBuilderTest {

  @Test
  void defaultsAreResNet18ForOneChannelTwoClasses() {
    ResNetConfig c = ResNets.builder().config();

    assertThat(c.blockType()).isEqualTo(BlockType.BASIC);
    assertThat(c.stages()).containsExactly(2, 2, 2, 2);
    assertThat(c.depth()).isEqualTo(18);
    assertThat(c.preActivation()).isFalse();
    assertThat(List.of(c.inputChannels(), c.inputHeight(), c.inputWidth()))
        .containsExactly(1, 224, 224);
    assertThat(c.classes()).isEqualTo(2);
    assertThat(c.headActivation()).isEqualTo(HeadActivation.SOFTMAX);
    assertThat(c.loss()).isInstanceOf(LossMCXENT.class);
    assertThat(c.width()).isEqualTo(64);
    assertThat(c.dropout()).isZero();
    assertThat(c.l2()).isZero();
    assertThat(c.seed()).isEqualTo(ResNets.Builder.DEFAULT_SEED);
    assertThat(c.updater()).isEqualTo(new Adam(1e-3));
    assertThat(c.dataType()).isEqualTo(DataType.FLOAT);
  }

  @Test
  void depthTableGivesBlockTypeAndStages() {
    assertThat(ResNetDepth.supported()).containsExactly(18, 34, 50, 101, 152);
    for (ResNetDepth d : ResNetDepth.values()) {
      ResNetConfig c = ResNets.builder().depth(d.depth()).config();
      assertThat(c.blockType()).as("depth %d", d.depth()).isEqualTo(d.blockType());
      assertThat(c.stages()).isEqualTo(d.stages());
      // the table is consistent with the conventional layer count
      assertThat(c.depth()).isEqualTo(d.depth());
    }
    assertThat(ResNetDepth.of(18).blockType()).isEqualTo(BlockType.BASIC);
    assertThat(ResNetDepth.of(34).stages()).containsExactly(3, 4, 6, 3);
    assertThat(ResNetDepth.of(50).blockType()).isEqualTo(BlockType.BOTTLENECK);
    assertThat(ResNetDepth.of(101).stages()).containsExactly(3, 4, 23, 3);
    assertThat(ResNetDepth.of(152).stages()).containsExactly(3, 8, 36, 3);
  }

  @Test
  void unsupportedDepthListsTheSupportedOnes() {
    assertThatThrownBy(() -> ResNets.builder().depth(20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("depth must be one of [18, 34, 50, 101, 152] but was 20");
  }

  @Test
  void customStagesAndBlockType() {
    ResNetConfig basic = ResNets.builder().stages(1, 1).config();
    ResNetConfig bottleneck = ResNets.builder().stages(3, 4, 6, 3).bottleneck(true).config();

    assertThat(basic.blockType()).isEqualTo(BlockType.BASIC);
    assertThat(basic.stages()).containsExactly(1, 1);
    assertThat(basic.depth()).isEqualTo(6);
    assertThat(basic.featureChannels()).isEqualTo(128);
    assertThat(bottleneck.blockType()).isEqualTo(BlockType.BOTTLENECK);
    assertThat(bottleneck.depth()).isEqualTo(50);
    assertThat(bottleneck.featureChannels()).isEqualTo(2048);
  }

  @Test
  void stagesAreCopied() {
    int[] stages = {1, 2};
    ResNets.Builder b = ResNets.builder().stages(stages);
    stages[0] = 9;

    assertThat(b.config().stages()).containsExactly(1, 2);
  }

  @Test
  void depthAndStagesAreMutuallyExclusive() {
    assertThatThrownBy(() -> ResNets.builder().depth(18).stages(2, 2).config())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("depth(18)")
        .hasMessageContaining("stages([2, 2])");
  }

  @Test
  void bottleneckMayNotContradictTheDepthTable() {
    assertThatThrownBy(() -> ResNets.builder().depth(18).bottleneck(true).config())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bottleneck(true) contradicts depth 18");
    assertThatThrownBy(() -> ResNets.builder().bottleneck(false).depth(50).config())
        .isInstanceOf(IllegalStateException.class);
    assertThat(ResNets.builder().depth(50).bottleneck(true).config().blockType())
        .isEqualTo(BlockType.BOTTLENECK);
  }

  @Test
  void setterArgumentsAreCheckedAtOnce() {
    assertThatThrownBy(() -> ResNets.builder().width(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("width must be in [1, 1024] but was 0");
    assertThatThrownBy(() -> ResNets.builder().inputSize(31))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inputHeight must be in [32, 4096] pixels but was 31");
    assertThatThrownBy(() -> ResNets.builder().inputShape(1, 64, 16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inputWidth must be in [32, 4096] pixels but was 16");
    assertThatThrownBy(() -> ResNets.builder().channels(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inputChannels must be in [1, 256] but was 0");
    assertThatThrownBy(() -> ResNets.builder().classes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("classes must be in [1, 100000] but was 0");
    assertThatThrownBy(() -> ResNets.builder().dropout(1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dropout must be in [0, 1) but was 1.0");
    assertThatThrownBy(() -> ResNets.builder().l2(-1e-4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("l2 must be finite and >= 0 but was -1.0E-4");
    assertThatThrownBy(() -> ResNets.builder().l2(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResNets.builder().stages())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stages must have between 1 and 6 entries but had 0");
    assertThatThrownBy(() -> ResNets.builder().stages(2, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stages[1] must be in [1, 128] blocks but was 0");
    assertThatThrownBy(() -> ResNets.builder().dataType(DataType.INT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dataType must be a floating-point type but was INT");
  }

  @Test
  void nullsAreRejectedByName() {
    assertThatThrownBy(() -> ResNets.builder().loss(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("loss");
    assertThatThrownBy(() -> ResNets.builder().updater(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("updater");
    assertThatThrownBy(() -> ResNets.builder().headActivation(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("headActivation");
  }

  @Test
  void softmaxNeedsTwoClassesSigmoidOne() {
    assertThatThrownBy(() -> ResNets.builder().classes(1).config())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("classes must be >= 2 for a SOFTMAX head but was 1");
    ResNetConfig sigmoid =
        ResNets.builder().classes(1).headActivation(HeadActivation.SIGMOID).config();
    assertThat(sigmoid.loss()).isInstanceOf(LossBinaryXENT.class);
  }

  @Test
  void callerSuppliedLossWinsOverTheHeadDefault() {
    LossMCXENT weighted = new LossMCXENT(Nd4j.create(new float[] {1f, 5f}));

    ResNetConfig c = ResNets.builder().loss(weighted).config();

    assertThat(c.loss()).isSameAs(weighted);
  }

  @Test
  void configNeverChangesTheBuilder() {
    ResNets.Builder b = ResNets.builder().depth(34).width(8).updater(new Sgd(0.1));

    ResNetConfig first = b.config();
    ResNetConfig second = b.config();

    assertThat(second).isEqualTo(first);
    assertThat(second.updater()).isNotSameAs(first.updater()); // each config owns its updater copy
    assertThat(b.width(16).config().width()).isEqualTo(16);
    assertThat(first.width()).isEqualTo(8);
  }

  @Test
  void builderFromConfigReproducesIt() {
    ResNetConfig standard =
        ResNets.builder()
            .depth(101)
            .preActivation(true)
            .inputShape(3, 96, 128)
            .classes(4)
            .headActivation(HeadActivation.SIGMOID)
            .width(16)
            .dropout(0.25)
            .l2(1e-4)
            .seed(9)
            .updater(new Sgd(0.05))
            .dataType(DataType.DOUBLE)
            .config();
    ResNetConfig custom = ResNets.builder().stages(2, 3).bottleneck(true).width(8).config();

    assertThat(ResNets.builder(standard).config()).isEqualTo(standard);
    assertThat(ResNets.builder(custom).config()).isEqualTo(custom);
    assertThat(ResNets.builder(standard).depth(50).config().depth()).isEqualTo(50);
  }

  @Test
  void recordChecksItsFieldsToo() {
    ResNetConfig ok = ResNets.builder().config();

    assertThatThrownBy(
            () ->
                new ResNetConfig(
                    ok.blockType(),
                    List.of(),
                    ok.preActivation(),
                    ok.inputChannels(),
                    ok.inputHeight(),
                    ok.inputWidth(),
                    ok.classes(),
                    ok.headActivation(),
                    ok.loss(),
                    ok.width(),
                    ok.dropout(),
                    ok.l2(),
                    ok.seed(),
                    ok.updater(),
                    ok.dataType(),
                    ok.batchNorm(),
                    ok.fusedAddRelu(),
                    ok.inputScaling()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stages");
    assertThatThrownBy(
            () ->
                new ResNetConfig(
                    ok.blockType(),
                    ok.stages(),
                    ok.preActivation(),
                    ok.inputChannels(),
                    20,
                    ok.inputWidth(),
                    ok.classes(),
                    ok.headActivation(),
                    ok.loss(),
                    ok.width(),
                    ok.dropout(),
                    ok.l2(),
                    ok.seed(),
                    ok.updater(),
                    ok.dataType(),
                    ok.batchNorm(),
                    ok.fusedAddRelu(),
                    ok.inputScaling()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inputHeight");
  }
}
