package dev.cxr.core.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.core.CxrModel;
import dev.cxr.core.evaluation.Scores;
import dev.cxr.core.explain.Explainer;
import dev.cxr.core.explain.Explanation;
import dev.cxr.core.explain.GradCam;
import dev.cxr.core.image.Normalisation;
import dev.cxr.core.provenance.ModelFile;
import dev.cxr.core.provenance.ModelInfo;
import dev.cxr.core.provenance.ModelInfoSamples;
import dev.cxr.phantoms.DemoData;
import dev.cxr.resnet.ResNets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Grad-CAM of a fold ensemble (issue 32): the mean of its members' maps, each computed on its own
 * branch for the ensemble's class. One member gives that member's map exactly; two give the mean of
 * theirs; a saved ensemble is explained through the Explainer as {@code explain} and {@code report}
 * do.
 */
class EnsembleGradCamTest {
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

  private static INDArray input(long seed) {
    Nd4j.getRandom().setSeed(seed);
    return Nd4j.rand(DataType.FLOAT, 3, 1, 64, 64);
  }

  @Test
  void anEnsembleOfOneMemberGivesThatMembersMapExactly() {
    ComputationGraph a = member(1);
    ComputationGraph one =
        FoldEnsemble.join(List.of(new ModelFile.Contents(a, info(Normalisation.MIN_MAX))));
    INDArray x = input(5);
    for (int column : new int[] {0, 1}) {
      GradCam ensemble = GradCam.of(one, column);
      assertThat(ensemble.targetLayers()).containsExactly("m1_s4_b2_relu");
      List<GradCam.Cam> got = ensemble.compute(x);
      List<GradCam.Cam> expected = GradCam.of(a, column).compute(x);
      for (int i = 0; i < 3; i++) {
        assertThat(got.get(i).map()).isEqualTo(expected.get(i).map()); // every float equal
        assertThat(got.get(i).map().max()).isPositive();
        assertThat(got.get(i).logits()).isEqualTo(expected.get(i).logits());
        assertThat(got.get(i).probabilities()).isEqualTo(expected.get(i).probabilities());
      }
    }
  }

  @Test
  void anEnsembleOfTwoGivesTheMeanOfTheirMaps() {
    ComputationGraph a = member(1);
    ComputationGraph b = member(2);
    ComputationGraph two =
        FoldEnsemble.join(
            List.of(
                new ModelFile.Contents(a, info(Normalisation.standardised(0.4, 0.2))),
                new ModelFile.Contents(b, info(Normalisation.MIN_MAX))));
    GradCam cam = GradCam.of(two, 1);
    assertThat(cam.targetLayers()).containsExactly("m1_s4_b2_relu", "m2_s4_b2_relu");
    INDArray x = input(6);
    List<GradCam.Cam> got = cam.compute(x);
    // member a standardises its input in the ensemble, as its Scorer would before it alone
    List<GradCam.Cam> ca = GradCam.of(a, 1).compute(x.sub(0.4).div(0.2));
    List<GradCam.Cam> cb = GradCam.of(b, 1).compute(x);
    INDArray out = two.outputSingle(false, x);
    for (int i = 0; i < 3; i++) {
      float[] m = got.get(i).map().values();
      float[] ma = ca.get(i).map().values();
      float[] mb = cb.get(i).map().values();
      assertThat(ma).isNotEqualTo(mb); // two different maps, so the mean is neither
      for (int j = 0; j < m.length; j++) {
        assertThat((double) m[j]).isCloseTo((ma[j] + mb[j]) / 2.0, within(1e-5));
      }
      assertThat(got.get(i).probabilities().get(1)).isCloseTo(out.getDouble(i, 1), within(1e-6));
    }
  }

  @Test
  void aSavedEnsembleIsExplainedAsTheMeanOfItsMembersExplanations() throws IOException {
    Path data = dir.resolve("data");
    DemoData.builder().images(4).size(64).seed(3).build().writeTo(data);
    List<Path> files;
    try (Stream<Path> s = Files.list(data.resolve("images"))) {
      files = s.sorted().toList();
    }
    ModelFile.Contents a =
        new ModelFile.Contents(member(1), info(Normalisation.standardised(0.4, 0.2)));
    ModelFile.Contents b = new ModelFile.Contents(member(2), info(Normalisation.MIN_MAX));
    Scores oof =
        new Scores(
            List.of(Path.of("a"), Path.of("b"), Path.of("c"), Path.of("d")),
            new double[] {0.1, 0.4, 0.35, 0.8},
            new boolean[] {false, false, true, true},
            Double.NaN);
    Path file = dir.resolve("ensemble.zip");
    FoldEnsemble.of(List.of(a, b), oof, "cd".repeat(32)).save(file);
    CxrModel ensemble = CxrModel.load(file);
    List<Explanation> got = ensemble.explain(files);
    List<Explanation> ea = new Explainer(a.network(), a.info()).explain(files);
    List<Explanation> eb = new Explainer(b.network(), b.info()).explain(files);
    List<Map<String, Double>> predicted = ensemble.predict(files);
    for (int i = 0; i < files.size(); i++) {
      Explanation e = got.get(i);
      assertThat(e.probability()).isEqualTo(predicted.get(i).get(e.label()));
      assertThat(e.heatMap().width()).isEqualTo(64);
      float[] m = e.coarse().values();
      float[] ma = ea.get(i).coarse().values();
      float[] mb = eb.get(i).coarse().values();
      for (int j = 0; j < m.length; j++) {
        assertThat((double) m[j]).isCloseTo((ma[j] + mb[j]) / 2.0, within(1e-4));
      }
    }
  }
}
