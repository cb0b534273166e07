package dev.cxr.resnet;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Trainable parameter counts, from the configuration alone (nothing allocated), against torchvision
 * 0.14: {@code sum(p.numel() for p in torchvision.models.densenetNNN().parameters())} for 3 input
 * channels and 1000 classes, and DenseNet-121 with {@code conv0} made 1-channel and 2 classes.
 */
class DenseNetParameterCountTest {

  @ParameterizedTest(name = "DenseNet-{0}, {1} channels, {2} classes: {3}")
  @CsvSource({
    "121, 3, 1000, 7978856",
    "169, 3, 1000, 14149480",
    "201, 3, 1000, 20013928",
    "121, 1, 2, 6949634"
  })
  void trainableParametersMatchTorchvision(int depth, int channels, int classes, long expected) {
    DenseNetConfig config =
        DenseNets.builder().depth(depth).channels(channels).classes(classes).config();

    ResNetSummary summary = ResNetSummary.of(config);

    assertThat(summary.trainableParameters()).isEqualTo(expected);
    assertThat(config.depth()).isEqualTo(depth);
  }

  @Test
  void totalCountsBatchNormRunningStatisticsButTrainableDoesNot() {
    ResNetSummary s = ResNetSummary.of(DenseNets.builder().depth(121).config());
    long bnChannels =
        s.rows().stream()
            .filter(r -> r.type().endsWith("BatchNormalization"))
            .mapToLong(r -> r.outputShape().get(0))
            .sum();

    // torchvision densenet121: 121 BatchNorm2d (norm0, 2 per dense layer x 58, 3 transitions,
    // norm5) with 41,824 channels in all (the sum of their num_features)
    assertThat(s.rows().stream().filter(r -> r.type().endsWith("BatchNormalization")).count())
        .isEqualTo(121);
    assertThat(bnChannels).isEqualTo(41_824);
    assertThat(s.totalParameters() - s.trainableParameters()).isEqualTo(2 * bnChannels);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"FUSED", "DL4J"})
  void configurationCountsEqualTheAllocatedNetwork(BatchNormImplementation batchNorm) {
    DenseNetConfig config =
        DenseNets.builder()
            .blocks(2, 2)
            .growthRate(4)
            .initFeatures(8)
            .bnSize(2)
            .inputSize(32)
            .classes(3)
            .batchNorm(batchNorm)
            .config();
    ComputationGraph graph = DenseNets.graph(config);
    InputType input = InputType.convolutional(32, 32, 1);

    ResNetSummary fromConfig = ResNetSummary.of(config);
    ResNetSummary fromGraph = ResNetSummary.of(graph, input);

    assertThat(fromGraph.totalParameters()).isEqualTo(graph.numParams());
    assertThat(fromConfig.totalParameters()).isEqualTo(graph.numParams());
    assertThat(fromConfig.trainableParameters()).isEqualTo(fromGraph.trainableParameters());
    assertThat(fromConfig.rows()).isEqualTo(fromGraph.rows());
    // torchvision DenseNet(growth_rate=4, block_config=(2, 2), num_init_features=8, bn_size=2,
    // num_classes=3) with a 1-channel conv0: 2267 parameters (bench/densenet_reference.py's net)
    assertThat(fromConfig.trainableParameters()).isEqualTo(2267);
  }
}
