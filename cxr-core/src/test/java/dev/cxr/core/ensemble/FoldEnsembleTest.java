package dev.cxr.core.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.core.CxrModel;
import dev.cxr.core.evaluation.Scores;
import dev.cxr.core.image.Normalisation;
import dev.cxr.core.provenance.EnsembleInfo;
import dev.cxr.core.provenance.ModelFile;
import dev.cxr.core.provenance.ModelInfo;
import dev.cxr.core.provenance.ModelInfoSamples;
import dev.cxr.resnet.ResNets;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The ensemble is one network whose output is the mean of its members' probabilities. */
class FoldEnsembleTest {
  @TempDir Path dir;

  private static ComputationGraph member(long seed) {
    Nd4j.getRandom().setSeed(seed);
    return ResNets.builder().depth(18).width(4).inputShape(1, 64, 64).classes(2).seed(seed).build();
  }

  private static ModelInfo info(Normalisation norm) {
    ModelInfo s = ModelInfoSamples.sample();
    return new ModelInfo(
        s.format(),
        s.libraryVersion(),
        s.dl4jVersion(),
        s.config(),
        s.labelNames(),
        norm,
        s.dataFingerprint(),
        s.trainImages(),
        s.validationImages(),
        s.bestEpoch(),
        s.epochsCompleted(),
        s.validation(),
        s.history());
  }

  private static Scores oof() {
    return new Scores(
        List.of(Path.of("a"), Path.of("b"), Path.of("c"), Path.of("d")),
        new double[] {0.1, 0.4, 0.35, 0.8},
        new boolean[] {false, false, true, true},
        Double.NaN);
  }

  @Test
  void averagesTheMembersProbabilitiesAndLoadsLikeAnyModel() throws Exception {
    ComputationGraph a = member(1);
    ComputationGraph b = member(2);
    Normalisation std = Normalisation.standardised(0.4, 0.2);
    FoldEnsemble e =
        FoldEnsemble.of(
            List.of(
                new ModelFile.Contents(a, info(std)),
                new ModelFile.Contents(b, info(Normalisation.MIN_MAX))),
            oof(),
            "cd".repeat(32));
    Nd4j.getRandom().setSeed(5);
    INDArray x = Nd4j.rand(DataType.FLOAT, 3, 1, 64, 64);
    // member a was trained on standardised pixels: the ensemble standardises for it
    INDArray xa = x.sub(0.4).div(0.2);
    INDArray expected = a.outputSingle(false, xa).add(b.outputSingle(false, x)).div(2);
    INDArray got = e.network().outputSingle(false, x);
    assertThat(got.shape()).isEqualTo(new long[] {3, 2});
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 2; c++) {
        assertThat(got.getDouble(r, c)).isCloseTo(expected.getDouble(r, c), within(1e-5));
      }
    }
    assertThat(e.info().normalisation()).isEqualTo(Normalisation.MIN_MAX);
    assertThat(e.info().validation().auc()).isCloseTo(0.75, within(1e-12));

    Path file = dir.resolve("ensemble.zip");
    e.save(file);
    CxrModel loaded = CxrModel.load(file);
    INDArray again = loaded.network().outputSingle(false, x);
    assertThat(again).isEqualTo(got);
    EnsembleInfo section = ModelFile.readEnsemble(file).orElseThrow();
    assertThat(section.members()).isEqualTo(2);
    assertThat(section.outOfFoldAuc()).isCloseTo(0.75, within(1e-12));
    assertThat(section.outOfFoldImages()).isEqualTo(4);

    // a single model has no ensemble section and loads as before
    Path single = dir.resolve("single.zip");
    ModelFile.write(single, a, info(std), false);
    assertThat(ModelFile.readEnsemble(single)).isEmpty();
  }

  @Test
  void oneMemberIsNoEnsemble() {
    assertThatThrownBy(
            () ->
                FoldEnsemble.of(
                    List.of(new ModelFile.Contents(member(1), info(Normalisation.MIN_MAX))),
                    oof(),
                    "cd".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 to 64 members");
  }
}
