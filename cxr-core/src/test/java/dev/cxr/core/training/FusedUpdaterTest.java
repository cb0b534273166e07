package dev.cxr.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.resnet.ResNets;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * {@link FusedUpdater} against DL4J's updater on the same network and batches: parameters and
 * updater state after 10 steps (Adam and Nesterovs, with L2, batch-norm running statistics, and
 * per-layer learning rates set in place as fine-tuning sets them), the weight average folded into
 * the pass, a save/reload in the middle, and the networks it leaves to DL4J.
 */
class FusedUpdaterTest {

  private static final int STEPS = 10;

  /**
   * Both updaters applied to the same gradients (computed on the DL4J network, copied into the
   * other) for 10 steps: the parameters agree to 1e-6 and the updater states, in DL4J's layout, to
   * 1e-5 of their largest value.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"adam", "nesterovs", "adam, head rate x10"})
  void tenUpdatesOfTheSameGradientsEqualDl4jsUpdater(String variant) {
    IUpdater updater = variant.startsWith("adam") ? new Adam(3e-3) : new Nesterovs(1e-2, 0.9);
    ComputationGraph dl4j = network(updater);
    ComputationGraph fused = network(updater);
    if (variant.endsWith("x10")) {
      headRate(dl4j, 3e-2);
      headRate(fused, 3e-2);
    }
    assertThat(FusedUpdater.install(fused)).isNotNull();
    assertThat(fused.getUpdater()).isInstanceOf(FusedUpdater.class);
    assertThat(dl4j.getUpdater()).isNotInstanceOf(FusedUpdater.class);
    INDArray start = dl4j.params().dup();

    for (int step = 0; step < STEPS; step++) {
      DataSet d = batch(step);
      dl4j.setInputs(d.getFeatures());
      dl4j.setLabels(d.getLabels());
      dl4j.computeGradientAndScore();
      fused.getGradientsViewArray().assign(dl4j.getGradientsViewArray());
      for (ComputationGraph net : List.of(dl4j, fused)) {
        // what fit does after backprop: the updater, then the step function's subtraction
        net.getUpdater()
            .update(
                new DefaultGradient(net.getGradientsViewArray()),
                step,
                0,
                d.numExamples(),
                LayerWorkspaceMgr.noWorkspaces());
        net.params().subi(net.getGradientsViewArray().reshape(net.params().shape()));
      }
    }

    assertThat(maxDifference(fused.params(), dl4j.params())).isLessThanOrEqualTo(1e-6);
    // the state keeps DL4J's layout: updaterState.bin means the same to both
    INDArray dl4jState = dl4j.getUpdater().getStateViewArray();
    assertThat(fused.getUpdater().getStateViewArray().length()).isEqualTo(dl4jState.length());
    assertThat(
            maxDifference(fused.getUpdater().getStateViewArray(), dl4jState)
                / dl4jState.amaxNumber().doubleValue())
        .isLessThanOrEqualTo(1e-5);
    // the steps really moved the parameters (far more than the tolerance above)
    assertThat(maxDifference(fused.params(), start)).isGreaterThan(1e-3);
    if (variant.endsWith("x10")) {
      // the head moved with its own rate: ten times the backbone's
      INDArray head = fused.getParam("output_W");
      INDArray headStart = network(updater).getParam("output_W");
      assertThat(maxDifference(head, headStart)).isGreaterThan(5e-2);
    }
  }

  /**
   * Whole training steps ({@code fit}) with each updater: float rounding differences feed back
   * through the network (Adam divides by the root of tiny second moments, so a rounding-level
   * difference in a near-zero gradient can change an update by a good part of the learning rate);
   * after 10 steps the parameters still agree to 1e-5 of the largest one (measured: 1.7e-6
   * absolute, largest parameter ~0.5).
   */
  @Test
  void tenTrainingStepsStayWithinFloatRoundingOfDl4j() {
    ComputationGraph dl4j = network(new Adam(3e-3));
    ComputationGraph fused = network(new Adam(3e-3));
    FusedUpdater.install(fused);
    for (int step = 0; step < STEPS; step++) {
      dl4j.fit(batch(step));
      fused.fit(batch(step));
    }
    assertThat(fused.getUpdater()).isInstanceOf(FusedUpdater.class);
    assertThat(
            maxDifference(fused.params(), dl4j.params()) / dl4j.params().amaxNumber().doubleValue())
        .isLessThanOrEqualTo(1e-5);
  }

  @Test
  void weightAverageInThePassEqualsItsOwnPass() {
    ComputationGraph plain = network(new Adam(3e-3));
    ComputationGraph fused = network(new Adam(3e-3));
    WeightAverage plainAverage = new WeightAverage(plain, 0.9);
    WeightAverage fusedAverage = new WeightAverage(fused, 0.9);
    FusedUpdater updater = FusedUpdater.install(fused);
    updater.averageInto(fusedAverage);
    for (int step = 0; step < STEPS; step++) {
      plain.fit(batch(step));
      plainAverage.update(plain);
      fused.fit(batch(step));
    }

    assertThat(fusedAverage.updates()).isEqualTo(STEPS);
    assertThat(maxDifference(fusedAverage.values(), plainAverage.values()))
        .isLessThanOrEqualTo(1e-6);
    assertThat(maxDifference(fusedAverage.values(), fused.params())).isGreaterThan(1e-4);
  }

  @Test
  void aSavedNetworkResumesBitIdentically(@TempDir Path dir) throws Exception {
    ComputationGraph straight = network(new Adam(3e-3));
    FusedUpdater.install(straight);
    for (int step = 0; step < 4; step++) {
      straight.fit(batch(step));
    }
    File file = dir.resolve("net.zip").toFile();
    ModelSerializer.writeModel(straight, file, true);
    ComputationGraph resumed = ModelSerializer.restoreComputationGraph(file, true);
    assertThat(resumed.getUpdater().getStateViewArray())
        .isEqualTo(straight.getUpdater().getStateViewArray());
    assertThat(FusedUpdater.install(resumed)).isNotNull();
    ComputationGraph resumedByDl4j = ModelSerializer.restoreComputationGraph(file, true);

    for (int step = 4; step < 8; step++) {
      straight.fit(batch(step));
      resumed.fit(batch(step));
      resumedByDl4j.fit(batch(step));
    }

    assertThat(resumed.params()).isEqualTo(straight.params());
    assertThat(resumed.getUpdater().getStateViewArray())
        .isEqualTo(straight.getUpdater().getStateViewArray());
    // a file written with the fused updater continues under DL4J's as well
    assertThat(maxDifference(resumedByDl4j.params(), straight.params())).isLessThanOrEqualTo(1e-6);
  }

  @Test
  void doublePrecisionNetworksKeepDl4jsUpdater() {
    ComputationGraph net =
        ResNets.builder()
            .stages(1)
            .width(4)
            .inputShape(1, 32, 32)
            .dataType(DataType.DOUBLE)
            .build();

    assertThat(FusedUpdater.install(net)).isNull();
    assertThat(net.getUpdater()).isNotInstanceOf(FusedUpdater.class);
  }

  @Test
  void theSwitchPropertyKeepsDl4jsUpdater() {
    ComputationGraph net = network(new Adam(1e-3));
    System.setProperty(FusedUpdater.SWITCH_PROPERTY, "false");
    try {
      assertThat(FusedUpdater.install(net)).isNull();
    } finally {
      System.clearProperty(FusedUpdater.SWITCH_PROPERTY);
    }
    assertThat(net.getUpdater()).isNotInstanceOf(FusedUpdater.class);
  }

  /** Two stages (identity and projection shortcuts), L2 on weights, batch norms, float. */
  private static ComputationGraph network(IUpdater updater) {
    return ResNets.builder()
        .stages(1, 1)
        .width(8)
        .inputShape(1, 32, 32)
        .classes(2)
        .l2(1e-3)
        .updater(updater)
        .seed(17)
        .build();
  }

  /** The head's rate set in place and the updater dropped, as NetworkFactory.setLearningRate. */
  private static void headRate(ComputationGraph net, double lr) {
    for (Layer l : net.getLayers()) {
      if (l.conf().getLayer() instanceof BaseLayer bl
          && "output".equals(bl.getLayerName())
          && bl.getIUpdater() != null) {
        bl.getIUpdater().setLrAndSchedule(lr, null);
      }
    }
    net.setUpdater(null);
  }

  private static DataSet batch(int seed) {
    Random random = new Random(seed);
    int n = 6;
    INDArray x =
        Nd4j.create(random.doubles(n * 32 * 32L).toArray(), new long[] {n, 1, 32, 32})
            .castTo(DataType.FLOAT);
    INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2);
    for (int i = 0; i < n; i++) {
      y.putScalar(i, random.nextInt(2), 1);
    }
    return new DataSet(x, y);
  }

  private static double maxDifference(INDArray a, INDArray b) {
    return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
  }
}
