package dev.cxr.resnet;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Trainable parameter counts for 1 input channel, 2 classes, width 64. The original column equals
 * torchvision's resnetNN(num_classes=2) with conv1 changed to 1 input channel.
 */
class ResNetParameterCountTest {

  @ParameterizedTest(name = "ResNet-{0}: original {1}, pre-activation {2}")
  @CsvSource({
    "18, 11171266, 11169474",
    "34, 21279426, 21277634",
    "50, 23505858, 23498178",
    "101, 42497986, 42490306",
    "152, 58141634, 58133954"
  })
  void trainableParametersMatchTheReferenceTable(int depth, long original, long preActivation) {
    ResNetSummary orig = ResNetSummary.of(ResNets.builder().depth(depth).inputSize(64).config());
    ResNetSummary pre =
        ResNetSummary.of(ResNets.builder().depth(depth).preActivation(true).inputSize(64).config());

    assertThat(orig.trainableParameters()).isEqualTo(original);
    assertThat(pre.trainableParameters()).isEqualTo(preActivation);
  }

  @ParameterizedTest(name = "pre-activation {0}")
  @CsvSource({"false", "true"})
  void configurationCountsEqualTheAllocatedNetwork(boolean preActivation) {
    ResNetConfig config =
        ResNets.builder().depth(18).preActivation(preActivation).inputSize(64).config();
    ComputationGraph graph = ResNets.graph(config);
    InputType input = InputType.convolutional(64, 64, 1);

    ResNetSummary fromConfig = ResNetSummary.of(config);
    ResNetSummary fromGraph = ResNetSummary.of(graph, input);

    assertThat(fromGraph.totalParameters()).isEqualTo(graph.numParams());
    assertThat(fromConfig.totalParameters()).isEqualTo(graph.numParams());
    assertThat(fromConfig.trainableParameters()).isEqualTo(fromGraph.trainableParameters());
    assertThat(fromConfig.rows()).isEqualTo(fromGraph.rows());
  }

  @Test
  void totalCountsBatchNormRunningStatisticsButTrainableDoesNot() {
    ResNetSummary s = ResNetSummary.of(ResNets.builder().depth(18).inputSize(64).config());
    long bnChannels =
        s.rows().stream()
            .filter(r -> r.type().endsWith("BatchNormalization"))
            .mapToLong(r -> r.outputShape().get(0))
            .sum();

    // original ResNet-18: stem 64, 2x2x64, 2x2x128 + 128, 2x2x256 + 256, 2x2x512 + 512 = 4800 BN
    // channels
    assertThat(bnChannels).isEqualTo(4800);
    assertThat(s.totalParameters() - s.trainableParameters()).isEqualTo(2 * bnChannels);
  }
}
