package dev.cxr.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.core.CxrModel;
import dev.cxr.core.CxrPipeline;
import dev.cxr.phantoms.DemoData;
import dev.cxr.resnet.ResNets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The weight average: its arithmetic, and a training run that keeps it. */
class WeightAverageTest {
  @TempDir Path dir;

  @Test
  void averagesWithTheWarmUpDecay() {
    ComputationGraph net = ResNets.builder().depth(18).width(2).inputShape(1, 32, 32).build();
    INDArray start = net.params().dup();
    WeightAverage avg = new WeightAverage(net, 0.5);
    assertThat(avg.network().params()).isEqualTo(start);
    assertThat(avg.network()).isNotSameAs(net);

    // d = min(0.5, (t - 1) / t): t = 1 takes the weights, t = 2 the mean, then exponential
    double[] values = {1, 2, 4, 8};
    double[] expected = {1, 1.5, 2.75, 5.375};
    for (int t = 1; t <= 4; t++) {
      net.params().assign(values[t - 1]);
      avg.update(net);
      assertThat(avg.network().params().getDouble(0)).isCloseTo(expected[t - 1], within(1e-5));
      assertThat(avg.network().params().getDouble(7)).isCloseTo(expected[t - 1], within(1e-5));
    }
    assertThat(avg.updates()).isEqualTo(4);
    assertThat(net.params().getDouble(0)).as("the trained network is only read").isEqualTo(8.0);
    assertThatThrownBy(() -> new WeightAverage(net, 1.0)).hasMessageContaining("emaDecay");
  }

  @Test
  void aRunWithEmaKeepsTheAverageAndRecordsIt() throws IOException {
    Path data = dir.resolve("phantoms");
    DemoData.builder().images(32).seed(8).size(48).build().writeTo(data);
    java.util.function.Supplier<CxrPipeline.Builder> tiny =
        () ->
            CxrPipeline.builder()
                .resnet(18)
                .width(4)
                .imageSize(32)
                .batchSize(8)
                .epochs(2)
                .patience(0)
                .workers(2)
                .listener(new dev.cxr.core.training.TrainingListener() {});
    CxrModel plain = tiny.get().ema(0).fit(data);
    CxrModel averaged = tiny.get().ema(0.9).fit(data);
    assertThat(averaged.info().config().emaDecay()).isEqualTo(0.9);
    assertThat(plain.info().config().emaDecay()).isZero();
    // same seed, same batches: only the kept weights differ
    assertThat(averaged.network().params()).isNotEqualTo(plain.network().params());
    assertThat(averaged.info().config().describe()).containsKey("weight averaging");

    // a resumed run continues the saved average: bit-identical to an uninterrupted one
    Path cp = dir.resolve("cp");
    tiny.get().ema(0.9).epochs(1).checkpointDir(cp).fit(data);
    assertThat(cp.resolve(Checkpoints.LAST_AVERAGE)).isRegularFile();
    CxrModel resumed = tiny.get().ema(0.9).epochs(2).resume(cp).fit(data);
    assertThat(resumed.info().history())
        .extracting(h -> List.of(h.trainLoss(), h.validationLoss(), h.auc()))
        .isEqualTo(
            averaged.info().history().stream()
                .map(h -> List.of(h.trainLoss(), h.validationLoss(), h.auc()))
                .toList());
    assertThat(resumed.network().params()).isEqualTo(averaged.network().params());

    Path file = dir.resolve("m.zip");
    averaged.save(file);
    CxrModel back = CxrModel.load(file);
    assertThat(back.info().config().emaDecay()).isEqualTo(0.9);
    assertThat(back.network().params()).isEqualTo(averaged.network().params());
  }
}
