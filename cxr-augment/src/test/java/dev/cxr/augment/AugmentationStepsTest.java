package dev.cxr.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Presets, the step list, {@link CxrAugmentation#isIdentity()} and {@link SplitMix64}. */
class AugmentationStepsTest {

  @Test
  void presetsByName() {
    assertThat(CxrAugmentation.presetNames())
        .containsExactly("medical-safe", "seed-article", "none");
    assertThat(CxrAugmentation.preset("medical-safe")).isEqualTo(CxrAugmentation.medicalSafe());
    assertThat(CxrAugmentation.preset("seed-article")).isEqualTo(CxrAugmentation.seedArticle());
    assertThat(CxrAugmentation.preset("none")).isEqualTo(CxrAugmentation.none());
    assertThatThrownBy(() -> CxrAugmentation.preset("medicalSafe"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown augmentation preset 'medicalSafe'; valid presets are medical-safe,"
                + " seed-article, none");
    assertThatThrownBy(() -> CxrAugmentation.presetNames().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void stepsAreInPipelineOrderAndImmutable() {
    assertThat(AugmentationStep.types())
        .containsExactly(
            "horizontalFlipUnsafe",
            "rotation",
            "zoom",
            "translation",
            "blur",
            "brightness",
            "contrast",
            "gamma",
            "noise",
            "randomErasing");
    CxrAugmentation all = AugmentationGoldenTest.allOn();
    assertThat(all.steps())
        .containsExactly(
            HorizontalFlip.withProbability(0.5),
            Rotation.upTo(15),
            Zoom.between(0.8, 1.2),
            Translation.upTo(0.1),
            GaussianBlur.upTo(1.5),
            Brightness.upTo(0.2),
            Contrast.upTo(0.2),
            Gamma.between(0.7, 1.4),
            GaussianNoise.withSigma(0.05),
            RandomErasing.upTo(0.2));
    // the slots are fixed forever and follow the pipeline order
    assertThat(all.steps())
        .extracting(AugmentationStep::slot)
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(all.transforms()).hasSize(9).doesNotContain(HorizontalFlip.withProbability(0.5));
    assertThatThrownBy(() -> all.steps().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThat(CxrAugmentation.medicalSafe().steps())
        .extracting(AugmentationStep::describe)
        .containsExactly(
            "rotation(maxDegrees=10)",
            "zoom(min=0.9, max=1.1)",
            "translation(maxFraction=0.05)",
            "brightness(maxDelta=0.1)",
            "contrast(maxDelta=0.1)",
            "gamma(min=0.8, max=1.25)",
            "noise(sigma=0.01)");
  }

  @Test
  void ofDropsIdentityStepsAndMatchesTheBuilder() {
    CxrAugmentation viaSteps =
        CxrAugmentation.of(
            3, 0.7, List.of(Rotation.upTo(10), Zoom.between(1, 1), GaussianNoise.withSigma(0.02)));
    assertThat(viaSteps.steps()).containsExactly(Rotation.upTo(10), GaussianNoise.withSigma(0.02));
    CxrAugmentation viaBuilder =
        CxrAugmentation.builder().seed(3).probability(0.7).noise(0.02).rotation(10).build();
    assertThat(viaSteps).isEqualTo(viaBuilder);
    assertThat(CxrAugmentation.builder().step(Rotation.upTo(10)).build())
        .isEqualTo(CxrAugmentation.seedArticle());
    // the builder turns a transform off again
    assertThat(viaBuilder.toBuilder().rotation(0).noise(0).build())
        .isEqualTo(CxrAugmentation.builder().seed(3).probability(0.7).build());
    assertThatThrownBy(() -> CxrAugmentation.of(0, 2, List.of()))
        .hasMessage("probability must be in [0, 1] but was 2");
    // the record's canonical constructor checks and drops exactly as of() does
    assertThat(
            new CxrAugmentation(
                3,
                0.7,
                List.of(Rotation.upTo(10), Zoom.between(1, 1), GaussianNoise.withSigma(0.02))))
        .isEqualTo(viaSteps);
    assertThatThrownBy(
            () -> new CxrAugmentation(0, 0.5, List.of(Zoom.between(0.9, 1), Rotation.upTo(10))))
        .hasMessageStartingWith("steps[1]: rotation is out of order");
    // a negative zero switches a step off like zero
    assertThat(Rotation.upTo(-0.0).isIdentity()).isTrue();
  }

  @Test
  void aStepAppliedAloneEqualsThePipelineWithOnlyThatStep() {
    // one code path: ImageTransform.apply renders the same fused sample as the pipeline, given the
    // step's stream after the draw that decides whether it fires
    GrayImage img = Patterns.random(48, 40, 12);
    for (AugmentationStep step : AugmentationGoldenTest.allAlways().steps()) {
      CxrAugmentation alone = CxrAugmentation.of(7, 1, List.of(step));
      for (long i = 0; i < 5; i++) {
        SplittableRandom r = SeedMixer.stream(SeedMixer.sampleSeed(7, 2, i), step.slot());
        assertThat(r.nextDouble()).isLessThan(1);
        assertThat(step.apply(img, r).toArray())
            .as("%s sample %d", step, i)
            .isNotEqualTo(img.toArray())
            .containsExactly(alone.apply(img, 2, i).toArray());
      }
    }
  }

  @Test
  void isIdentityOnlyWhenNothingCanFire() {
    assertThat(CxrAugmentation.none().isIdentity()).isTrue();
    assertThat(CxrAugmentation.medicalSafe().isIdentity()).isFalse();
    CxrAugmentation never = CxrAugmentation.medicalSafe().toBuilder().probability(0).build();
    assertThat(never.isIdentity()).isTrue();
    GrayImage img = Patterns.random(12, 10, 5);
    for (int i = 0; i < 20; i++) {
      assertThat(never.apply(img, 0, i)).isSameAs(img);
    }
    // the flip has its own probability, so probability 0 does not silence it
    CxrAugmentation flip = never.toBuilder().horizontalFlipUnsafe(0.5).build();
    assertThat(flip.isIdentity()).isFalse();
    assertThat(CxrAugmentation.builder().horizontalFlipUnsafe(1).build().isIdentity()).isFalse();
  }

  @Test
  void splitMix64IsTheReferenceFinaliser() {
    // the first outputs of the reference splitmix64.c seeded with 0
    assertThat(SplitMix64.mix64(SplitMix64.GOLDEN_GAMMA)).isEqualTo(0xE220A8397B1DCDAFL);
    assertThat(SplitMix64.mix64(2 * SplitMix64.GOLDEN_GAMMA)).isEqualTo(0x6E789E6AA1B965F4L);
    // and the JDK's SplittableRandom, which uses the same finaliser and increment
    for (long seed : new long[] {0, 1, -1, 42, Long.MIN_VALUE}) {
      assertThat(new SplittableRandom(seed).nextLong())
          .isEqualTo(SplitMix64.mix64(seed + SplitMix64.GOLDEN_GAMMA));
    }
  }
}
