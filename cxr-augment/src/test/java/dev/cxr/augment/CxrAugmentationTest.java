package dev.cxr.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CxrAugmentationTest {

  @Test
  void noPresetEverMirrorsAnAsymmetricImage() {
    GrayImage img = asymmetric(40, 32);
    for (String name : CxrAugmentation.presetNames()) {
      CxrAugmentation preset = CxrAugmentation.preset(name).toBuilder().probability(1).build();
      assertThat(preset.horizontalFlipProbability()).as(name).isZero();
      assertThat(preset.describe()).as(name).contains("horizontalFlipUnsafe=0");
      for (int i = 0; i < 300; i++) {
        assertThat(looksMirrored(img, preset.apply(img, i % 3, i)))
            .as("%s sample %d", name, i)
            .isFalse();
      }
    }
  }

  @Test
  void theMirrorDetectorSeesAnOptInFlip() {
    // the control that makes the test above able to fail
    GrayImage img = asymmetric(40, 32);
    CxrAugmentation flipped =
        CxrAugmentation.medicalSafe().toBuilder().horizontalFlipUnsafe(1).probability(1).build();
    for (int i = 0; i < 50; i++) {
      assertThat(looksMirrored(img, flipped.apply(img, 0, i))).as("sample %d", i).isTrue();
    }
  }

  /** A bright disc left of centre over a dark background that brightens to the right. */
  static GrayImage asymmetric(int w, int h) {
    float[] p = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double dx = x - 0.3 * w;
        double dy = y - 0.5 * h;
        p[y * w + x] = (float) (dx * dx + dy * dy < 0.04 * w * w ? 0.9 : 0.05 + 0.2 * x / w);
      }
    }
    return GrayImage.of(w, h, p);
  }

  /**
   * Whether {@code out} matches the mirror image of {@code in} better than {@code in} itself, by
   * the sum of squared differences after removing each image's mean (so brightness and contrast
   * changes do not decide).
   */
  static boolean looksMirrored(GrayImage in, GrayImage out) {
    double mIn = Patterns.mean(in);
    double mOut = Patterns.mean(out);
    double direct = 0;
    double mirrored = 0;
    int w = in.width();
    for (int y = 0; y < in.height(); y++) {
      for (int x = 0; x < w; x++) {
        double o = out.get(x, y) - mOut;
        double d = o - (in.get(x, y) - mIn);
        double m = o - (in.get(w - 1 - x, y) - mIn);
        direct += d * d;
        mirrored += m * m;
      }
    }
    return mirrored < direct;
  }

  @Test
  void seedArticleIsRotationTenDegreesWithProbabilityOneHalf() {
    CxrAugmentation a = CxrAugmentation.seedArticle();
    assertThat(a.transforms()).containsExactly(Rotation.upTo(10));
    assertThat(a.probability()).isEqualTo(0.5);
    assertThat(a.parameters())
        .containsEntry("rotation", 10.0)
        .containsEntry("translation", 0.0)
        .containsEntry("zoomMin", 1.0)
        .containsEntry("zoomMax", 1.0);
    GrayImage img = Patterns.random(24, 24, 1);
    int changed = 0;
    for (int i = 0; i < 1000; i++) {
      changed += a.apply(img, 3, i) == img ? 0 : 1;
    }
    assertThat(changed).isBetween(450, 550);
  }

  @Test
  void medicalSafeDescribesEveryParameter() {
    CxrAugmentation m = CxrAugmentation.medicalSafe();
    assertThat(m.describe())
        .isEqualTo(
            "CxrAugmentation{seed=42, probability=0.5, rotation=10, zoom=[0.9, 1.1],"
                + " translation=0.05, brightness=0.1, contrast=0.1, gamma=[0.8, 1.25],"
                + " noise=0.01, blur=0, randomErasing=0, horizontalFlipUnsafe=0}");
    assertThat(m.toString()).isEqualTo(m.describe());
    assertThat(m.transforms()).hasSize(7);
  }

  @Test
  void outputStaysInTheUnitRange() {
    CxrAugmentation all =
        CxrAugmentation.medicalSafe().toBuilder().blur(1).randomErasing(0.1).probability(1).build();
    GrayImage img = Patterns.random(40, 40, 7);
    for (int i = 0; i < 50; i++) {
      for (float v : all.apply(img, 0, i).toArray()) {
        assertThat(v).isBetween(0f, 1f);
      }
    }
  }

  @Test
  void noneReturnsTheInputAndTheArrayApiReturnsACopy() {
    GrayImage img = Patterns.random(10, 10, 2);
    assertThat(CxrAugmentation.none().apply(img, 0, 0)).isSameAs(img);
    assertThat(CxrAugmentation.none().transforms()).isEmpty();
    float[] px = img.toArray();
    float[] out = CxrAugmentation.none().apply(px, 10, 10, 0, 0);
    assertThat(out).isNotSameAs(px).containsExactly(px);
  }

  @Test
  void arrayApiMatchesImageApiAndLeavesTheInputAlone() {
    CxrAugmentation m = CxrAugmentation.medicalSafe().toBuilder().probability(0.9).build();
    GrayImage img = Patterns.random(32, 24, 3);
    float[] px = img.toArray();
    for (int i = 0; i < 20; i++) {
      float[] out = m.apply(px, 32, 24, 2, i);
      assertThat(out).containsExactly(m.apply(img, 2, i).toArray());
    }
    assertThat(px).containsExactly(img.toArray());
    assertThatThrownBy(() -> m.apply(px, 32, 23, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pixels length");
  }

  @Test
  void sameSeedGivesIdenticalImagesWithOneAndFourThreads() throws Exception {
    CxrAugmentation m =
        CxrAugmentation.medicalSafe().toBuilder().blur(0.8).randomErasing(0.1).seed(7).build();
    GrayImage img = Patterns.random(48, 48, 4);
    List<float[]> single = new ArrayList<>();
    for (int epoch = 0; epoch < 2; epoch++) {
      for (int i = 0; i < 64; i++) {
        single.add(m.apply(img, epoch, i).toArray());
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> futures = new ArrayList<>();
      // submit in reverse order so threads see samples in a different order
      for (int k = 127; k >= 0; k--) {
        int epoch = k / 64;
        int i = k % 64;
        futures.add(0, pool.submit(() -> m.apply(img, epoch, i).toArray()));
      }
      for (int k = 0; k < 128; k++) {
        assertThat(futures.get(k).get()).as("sample %d", k).containsExactly(single.get(k));
      }
    } finally {
      pool.shutdown();
    }
    // epochs and seeds change the draws
    assertThat(Arrays.equals(single.get(5), single.get(64 + 5))).isFalse();
    assertThat(m.withSeed(8).apply(img, 0, 5).toArray()).isNotEqualTo(single.get(5));
  }

  @Test
  void enablingOneTransformDoesNotChangeAnotherOnesDraws() {
    CxrAugmentation rot = CxrAugmentation.builder().rotation(10).probability(1).build();
    // adding gamma leaves the rotation drawn for each sample unchanged
    CxrAugmentation withGamma = rot.toBuilder().gamma(2, 2).build();
    GrayImage ramp = Patterns.ramp(16, 16, 1f / 16, 0f, 0f);
    for (int i = 0; i < 10; i++) {
      float[] a = rot.apply(ramp, 0, i).toArray();
      float[] b = withGamma.apply(ramp, 0, i).toArray();
      for (int k = 0; k < a.length; k++) {
        float expected = Math.min(1f, Math.max(0f, a[k]));
        assertThat(b[k]).isCloseTo(expected * expected, within(1e-4f));
      }
    }
  }

  @Test
  void optInHorizontalFlipMirrors() {
    CxrAugmentation flip = CxrAugmentation.builder().horizontalFlipUnsafe(1).build();
    GrayImage img = Patterns.random(9, 4, 8);
    GrayImage out = flip.apply(img, 0, 0);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 9; x++) {
        assertThat(out.get(x, y)).isCloseTo(img.get(8 - x, y), within(1e-6f));
      }
    }
    assertThat(flip.describe()).contains("horizontalFlipUnsafe=1");
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of((Consumer<AugmentationBuilder>) b -> b.rotation(31), "rotation", "31"),
        Arguments.of((Consumer<AugmentationBuilder>) b -> b.rotation(-1), "rotation", "-1"),
        Arguments.of((Consumer<AugmentationBuilder>) b -> b.rotation(90), "rotation", "90"),
        Arguments.of(
            (Consumer<AugmentationBuilder>) b -> b.rotation(Double.NaN), "rotation", "NaN"),
        Arguments.of((Consumer<AugmentationBuilder>) b -> b.zoom(0.4, 1), "zoom", "0.4"),
        Arguments.of((Consumer<AugmentationBuilder>) b -> b.zoom(1, 2.5), "zoom", "2.5"),
        Arguments.of((Consumer<AugmentationBuilder>) b -> b.zoom(1.1, 0.9), "zoom", "1.1"),
        Arguments.of(
            (Consumer<AugmentationBuilder>) b -> b.translation(0.25), "translation", "0.25"),
        Arguments.of(
            (Consumer<AugmentationBuilder>) b -> b.translation(-0.1), "translation", "-0.1"),
        Arguments.of((Consumer<AugmentationBuilder>) b -> b.brightness(0.6), "brightness", "0.6"),
        Arguments.of((Consumer<AugmentationBuilder>) b -> b.contrast(0.7), "contrast", "0.7"),
        Arguments.of((Consumer<AugmentationBuilder>) b -> b.gamma(0.3, 1), "gamma", "0.3"),
        Arguments.of((Consumer<AugmentationBuilder>) b -> b.gamma(1.5, 1.2), "gamma", "1.5"),
        Arguments.of((Consumer<AugmentationBuilder>) b -> b.noise(0.3), "noise", "0.3"),
        Arguments.of((Consumer<AugmentationBuilder>) b -> b.blur(4), "blur", "4"),
        Arguments.of(
            (Consumer<AugmentationBuilder>) b -> b.randomErasing(0.5), "randomErasing", "0.5"),
        Arguments.of((Consumer<AugmentationBuilder>) b -> b.probability(1.5), "probability", "1.5"),
        Arguments.of(
            (Consumer<AugmentationBuilder>) b -> b.horizontalFlipUnsafe(-0.1),
            "horizontalFlipUnsafe",
            "-0.1"));
  }

  @ParameterizedTest(name = "{1} {2}")
  @MethodSource("rejected")
  void rejectedParametersThrowNamingParameterAndValue(
      Consumer<AugmentationBuilder> setter, String name, String value) {
    assertThatThrownBy(() -> setter.accept(CxrAugmentation.builder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(name)
        .hasMessageContaining(value);
  }

  @Test
  void rotationMessageNamesTheRange() {
    assertThatThrownBy(() -> CxrAugmentation.builder().rotation(45))
        .hasMessage("rotation must be in [0, 30] degrees but was 45");
    assertThatThrownBy(() -> CxrAugmentation.builder().zoom(0.4, 1.1))
        .hasMessage("zoom min must be in [0.5, 2] but was 0.4");
    assertThatThrownBy(() -> CxrAugmentation.builder().translation(0.3))
        .hasMessage("translation must be in [0, 0.2] (fraction of the image size) but was 0.3");
  }

  @Test
  void buildNeverChangesTheBuilderAndEqualityIsByValue() {
    AugmentationBuilder b = CxrAugmentation.builder().rotation(10).seed(3);
    CxrAugmentation first = b.build();
    b.rotation(5);
    CxrAugmentation second = b.build();
    assertThat(first.parameters()).containsEntry("rotation", 10.0);
    assertThat(second.parameters()).containsEntry("rotation", 5.0);
    assertThat(first).isNotEqualTo(second);
    assertThat(first.toBuilder().build()).isEqualTo(first).hasSameHashCodeAs(first);
    assertThat(first.withSeed(4)).isNotEqualTo(first);
    assertThat(CxrAugmentation.medicalSafe()).isEqualTo(CxrAugmentation.medicalSafe());
  }

  @Test
  void serialisesAndReadsBackFromParameters() throws Exception {
    CxrAugmentation m =
        CxrAugmentation.medicalSafe().toBuilder()
            .blur(1)
            .horizontalFlipUnsafe(0.1)
            .seed(-5)
            .build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(m);
    }
    CxrAugmentation back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (CxrAugmentation) in.readObject();
    }
    assertThat(back).isEqualTo(m);
    GrayImage img = Patterns.random(20, 20, 9);
    assertThat(back.apply(img, 1, 2)).isEqualTo(m.apply(img, 1, 2));

    assertThat(CxrAugmentation.fromParameters(m.parameters())).isEqualTo(m);
    assertThatThrownBy(() -> CxrAugmentation.fromParameters(Map.of("shear", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shear");
    assertThatThrownBy(() -> CxrAugmentation.fromParameters(Map.of("rotation", 40)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rotation");
  }

  @Test
  void benchmarkMeasuresWholeBatchesForAtLeastTheRequestedTime() {
    AugmentationBenchmark.Result r =
        AugmentationBenchmark.run(CxrAugmentation.medicalSafe(), 32, 0, 0.05);
    // the measured loop runs whole batches of 16 until the time is up
    assertThat(r.images()).isPositive();
    assertThat(r.images() % 16).isZero();
    assertThat(r.seconds()).isGreaterThanOrEqualTo(0.05).isLessThan(30);
    assertThat(r.checksum()).isFinite();
    assertThat(r.cpuImagesPerSecond())
        .satisfiesAnyOf(v -> assertThat(v).isNaN(), v -> assertThat(v).isPositive());
    GrayImage phantom = AugmentationBenchmark.syntheticRadiograph(64);
    assertThat(phantom).isEqualTo(AugmentationBenchmark.syntheticRadiograph(64));
    assertThat(phantom.get(32, 32)).isGreaterThan(phantom.get(20, 30)); // mediastinum vs lung
    for (float v : phantom.toArray()) {
      assertThat(v).isBetween(0f, 1f);
    }
  }
}
