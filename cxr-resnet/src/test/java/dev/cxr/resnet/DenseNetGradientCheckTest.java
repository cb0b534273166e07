package dev.cxr.resnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Numerical gradient check of a tiny DenseNet (two blocks of one dense layer, growth 2, so that the
 * concatenation and the transition are covered), as {@link ResNetGradientCheckTest} does for the
 * ResNets: double precision, cxr's fused batch norm (the default) in training mode on a minibatch
 * of 3, running statistics excluded by name. DL4J checks each parameter with two forward passes of
 * the whole graph, about 0.2 s here; to stay near 20 seconds it runs DL4J's subset mode: every
 * entry of parameter arrays of up to 10 entries, every {@code length / 10}-th entry of the larger
 * ones (conv0, the 3x3 convolutions).
 */
class DenseNetGradientCheckTest {

  private static DataType previousDefault;
  private static DataType previousFloatingDefault;

  @BeforeAll
  static void doublePrecision() {
    previousDefault = Nd4j.dataType();
    previousFloatingDefault = Nd4j.defaultFloatingPointType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  @AfterAll
  static void restorePrecision() {
    Nd4j.setDefaultDataTypes(previousDefault, previousFloatingDefault);
  }

  @Test
  void backpropagationMatchesNumericalGradients() {
    ComputationGraph built =
        DenseNets.builder()
            .blocks(1, 1)
            .growthRate(2)
            .initFeatures(4)
            .bnSize(1)
            .inputShape(1, 32, 32)
            .classes(2)
            .updater(new NoOp())
            .dataType(DataType.DOUBLE)
            .seed(7)
            .build();
    ComputationGraph graph = ResNetGradientCheckTest.withParameterTableInFlattenedOrder(built);
    INDArray probe = ResNetGradientCheckTest.input(2, 5);
    assertThat(graph.outputSingle(false, probe)).isEqualTo(built.outputSingle(false, probe));

    INDArray features = ResNetGradientCheckTest.input(3, 11);
    INDArray labels = Nd4j.create(new double[][] {{1, 0}, {0, 1}, {1, 0}});
    Set<String> runningStatistics =
        graph.paramTable().keySet().stream()
            .filter(k -> k.endsWith("_mean") || k.endsWith("_var") || k.endsWith("_log10stdev"))
            .collect(Collectors.toSet());
    assertThat(runningStatistics).hasSize(2 * 7); // norm0, 2 x (norm1, norm2), transition, norm5

    boolean ok =
        GradientCheckUtil.checkGradients(
            new GradientCheckUtil.GraphConfig()
                .net(graph)
                .inputs(new INDArray[] {features})
                .labels(new INDArray[] {labels})
                .excludeParams(runningStatistics)
                .subset(true)
                .maxPerParam(10)
                .epsilon(1e-6)
                .maxRelError(1e-3)
                .minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));

    assertThat(ok).as("gradient check").isTrue();
  }
}
