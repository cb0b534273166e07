package dev.cxr.resnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Multiply-add and parameter arithmetic of {@link ResNetSummary}, and its text table. */
class ResNetSummaryTest {

  @Test
  void tinyNetworkCountedByHand() {
    // width 4, one basic block, 1x32x32 input, 2 classes
    ResNetSummary s = ResNetSummary.of(ResNets.builder().stages(1).width(4).inputSize(32).config());

    // stem conv: 16x16 output, 4 filters of 1x7x7 = 50,176; block: two 8x8x4 outputs of 4x3x3 = 2 x
    // 9,216;
    // head: 4 -> 2 = 8
    assertThat(s.forwardMultiplyAdds()).isEqualTo(50_176 + 2 * 9_216 + 8);
    // weights 196 + 144 + 144 + head 4*2+2 = 494, plus gamma/beta of 3 BN layers of 4 channels
    assertThat(s.trainableParameters()).isEqualTo(494 + 3 * 2 * 4);
    // DL4J also stores their running mean and variance
    assertThat(s.totalParameters()).isEqualTo(494 + 3 * 4 * 4);
    assertThat(row(s, "stem_conv").multiplyAdds()).isEqualTo(50_176);
    // the stem's BN + ReLU is one fused layer under the ReLU's name (the default batch norm)
    assertThat(row(s, "stem_relu").type()).isEqualTo("FusedBatchNormalization");
    assertThat(row(s, "stem_relu").parameters()).isEqualTo(16);
    assertThat(row(s, "stem_relu").trainableParameters()).isEqualTo(8);
    assertThat(row(s, "stem_relu").multiplyAdds()).isZero();
    // the block's addition and ReLU are one AddRelu vertex under the ReLU's name
    assertThat(row(s, "s1_b1_relu").type()).isEqualTo("AddRelu");
    assertThat(row(s, "s1_b1_relu").outputShape()).containsExactly(4L, 8L, 8L);
    assertThat(row(s, "output").outputShape()).containsExactly(2L);
    assertThat(s.rows().get(0))
        .isEqualTo(new ResNetSummary.Row("input", "Input", List.of(1L, 32L, 32L), 0, 0, 0));
  }

  @ParameterizedTest(name = "ResNet-{0}: {1} G")
  @CsvSource({"18, 1.81", "34, 3.66", "50, 4.09", "101, 7.80", "152, 11.51"})
  void multiplyAddsMatchPublishedTorchvisionFigures(int depth, double giga) {
    // torchvision's model table: 3-channel 224 px input, 1000 classes
    ResNetSummary s =
        ResNetSummary.of(
            ResNets.builder().depth(depth).inputShape(3, 224, 224).classes(1000).config());

    assertThat(Math.round(s.forwardMultiplyAdds() / 1e7) / 100.0).isEqualTo(giga);
  }

  @Test
  void multiplyAddsGrowWithTheImageArea() {
    // 128 and 256 px stay even down to the last stage (4x4 and 8x8), so every conv scales by
    // exactly 4
    long small =
        ResNetSummary.of(ResNets.builder().depth(18).inputSize(128).config()).forwardMultiplyAdds();
    long large =
        ResNetSummary.of(ResNets.builder().depth(18).inputSize(256).config()).forwardMultiplyAdds();
    long head = 512 * 2;

    assertThat(large - head).isEqualTo(4 * (small - head));
  }

  @Test
  void configurationIsNotModified() {
    ComputationGraphConfiguration conf =
        ResNets.builder().depth(18).inputSize(64).buildConfiguration();
    String before = conf.toJson();

    ResNetSummary.of(conf, InputType.convolutional(96, 96, 1));

    assertThat(conf.toJson()).isEqualTo(before);
  }

  @Test
  void graphMustBeInitialised() {
    ComputationGraph graph =
        new ComputationGraph(ResNets.builder().stages(1).width(4).buildConfiguration());

    assertThatThrownBy(() -> ResNetSummary.of(graph, InputType.convolutional(224, 224, 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("init()");
  }

  @Test
  void tableEndsWithThreeParseableTotals() {
    ResNetSummary s = ResNetSummary.of(ResNets.builder().depth(34).inputSize(64).config());

    List<String> lines = s.toTable().lines().toList();

    assertThat(lines.get(0)).matches("name +type +output shape +parameters");
    assertThat(lines).hasSize(1 + s.rows().size() + 3);
    assertThat(lines.get(2)).matches("stem_conv +DirectConvolution +64x32x32 +3136");
    assertThat(lines.subList(lines.size() - 3, lines.size()))
        .containsExactly(
            "trainable parameters: " + s.trainableParameters(),
            "total parameters: " + s.totalParameters(),
            "forward multiply-adds: " + s.forwardMultiplyAdds());
    assertThat(s.trainableParameters()).isEqualTo(21_279_426L);
  }

  private static ResNetSummary.Row row(ResNetSummary s, String name) {
    return s.rows().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }
}
