package dev.cxr.core.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.core.cache.PixelCache;
import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.Sample;
import dev.cxr.core.image.ImageLoader;
import dev.cxr.core.image.ImageSource;
import dev.cxr.core.image.Normalisation;
import dev.cxr.phantoms.DemoData;
import dev.cxr.resnet.ResNets;
import dev.cxr.resnet.compat.OneDnnHelpers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test-time augmentation: the variants are the same transform for every image, a score is the mean
 * over the variants, and {@code predict} and {@code evaluate}'s scoring agree image by image.
 */
class TestTimeAugmentationTest {
  private static final int SIZE = 32;
  @TempDir static Path shared;
  static List<Sample> samples;
  static ComputationGraph network;

  @BeforeAll
  static void data() throws IOException {
    Path data = shared.resolve("phantoms");
    DemoData.builder().images(12).seed(5).size(48).build().writeTo(data);
    samples = CxrTask.EFFUSION.labelBothClasses(CxrDataset.scan(data)).samples();
    OneDnnHelpers.ensureEnabled();
    network = ResNets.builder().depth(18).width(4).inputShape(1, SIZE, SIZE).seed(9).build();
  }

  @Test
  void oneVariantIsTheImageItselfAndOthersAreFixedMildChanges() {
    float[] img = ImageLoader.load(samples.get(0).path(), SIZE);
    TestTimeAugmentation tta = new TestTimeAugmentation(4);
    assertThat(tta.apply(img, SIZE, SIZE, 0)).isSameAs(img);
    float[] v1 = tta.apply(img, SIZE, SIZE, 1);
    assertThat(v1).isNotEqualTo(img).isEqualTo(tta.apply(img.clone(), SIZE, SIZE, 1));
    assertThat(v1).isNotEqualTo(tta.apply(img, SIZE, SIZE, 2));
    double meanAbsChange = 0;
    for (int i = 0; i < img.length; i++) {
      meanAbsChange += Math.abs(v1[i] - img[i]) / img.length;
    }
    assertThat(meanAbsChange).as("mild: the variant still looks like the image").isLessThan(0.15);
    assertThat(TestTimeAugmentation.NONE.enabled()).isFalse();
    assertThatThrownBy(() -> new TestTimeAugmentation(0)).hasMessageContaining("--tta");
    assertThatThrownBy(() -> new TestTimeAugmentation(33)).hasMessageContaining("--tta");
    assertThatThrownBy(() -> tta.apply(img, SIZE, SIZE, 4)).hasMessageContaining("variant");
  }

  @Test
  void scoreIsTheMeanOverTheVariants() {
    TestTimeAugmentation tta = new TestTimeAugmentation(3);
    Scorer plain = new Scorer(network, SIZE, Normalisation.MIN_MAX, CxrTask.EFFUSION);
    Scorer augmented = plain.withTta(tta);
    List<Path> files = samples.stream().map(Sample::path).toList();
    List<Map<String, Double>> got = augmented.predict(files);

    double[] expected = new double[files.size()];
    for (int v = 0; v < 3; v++) {
      List<ModelInput> inputs = new ArrayList<>();
      for (Path f : files) {
        float[] px = tta.apply(ImageLoader.load(f, SIZE), SIZE, SIZE, v);
        inputs.add(new ModelInput(f.toString(), ImageSource.file(f), SIZE, px));
      }
      List<Map<String, Double>> one = plain.predictInputs(inputs);
      for (int i = 0; i < files.size(); i++) {
        expected[i] += one.get(i).get("Effusion") / 3;
      }
    }
    for (int i = 0; i < files.size(); i++) {
      assertThat(got.get(i).get("Effusion")).isCloseTo(expected[i], within(1e-5));
      assertThat(got.get(i).get("Effusion") + got.get(i).get("No Finding"))
          .isCloseTo(1.0, within(1e-5));
    }
    assertThat(augmented.passes()).isEqualTo(3);
    assertThat(plain.withTta(TestTimeAugmentation.NONE).predict(files))
        .isEqualTo(plain.predict(files));
  }

  @Test
  void evaluateAndPredictGiveAnImageTheSameScore() {
    Scorer augmented =
        new Scorer(network, SIZE, Normalisation.MIN_MAX, CxrTask.EFFUSION)
            .withTta(new TestTimeAugmentation(4));
    Scores scores;
    try (PixelCache cache = PixelCache.create()) {
      scores = augmented.score(samples, cache, 2, null);
    }
    List<Map<String, Double>> predicted =
        augmented.predict(samples.stream().map(Sample::path).toList());
    for (int i = 0; i < samples.size(); i++) {
      assertThat(scores.scores()[i])
          .as(samples.get(i).path().toString())
          .isCloseTo(predicted.get(i).get("Effusion"), within(1e-5));
    }
  }
}
