package dev.cxr.augment;

import static com.google.common.collect.ImmutableList.toImmutableList;

import com.google.common.collect.ImmutableList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The named augmentation presets, in the order the CLI lists them: the one place their names,
 * definitions and reasons live. Each gives a configuration with seed {@value
 * CxrAugmentation#DEFAULT_SEED}; {@link CxrAugmentation#preset(String)} finds one by name.
 */
public enum AugmentationPreset {
  /**
   * A richer default that keeps every anatomical fact a reader relies on. Each transform fires with
   * probability 0.5:
   *
   * <ul>
   *   <li>rotation within +-10 degrees (the article's range): patient tilt on the detector;
   *   <li>zoom in [0.9, 1.1]: body habitus and source-to-detector distance vary by about this much,
   *       and the lung bases (where effusions collect) stay in the picture;
   *   <li>translation up to 5% of the image on each axis: positioning, again keeping the
   *       costophrenic angles in view;
   *   <li>brightness +-0.1, contrast factor in [0.9, 1.1], gamma in [0.8, 1.25]: exposure, tube
   *       voltage and the look-up tables of different vendors, while 0 and 1 stay fixed under gamma
   *       and a fluid meniscus stays visible;
   *   <li>Gaussian noise with sigma 0.01 (1% of the range): quantum noise at lower dose, small
   *       enough not to mask fine pleural lines.
   * </ul>
   *
   * <p>Not included: any flip (the heart and the side of findings would move), blur (it erases the
   * fine lines a model should learn) and random erasing (it can hide the labelled finding and so
   * turn positives into mislabelled negatives).
   */
  MEDICAL_SAFE(
      "medical-safe",
      () ->
          CxrAugmentation.builder()
              .rotation(10)
              .zoom(0.9, 1.1)
              .translation(0.05)
              .brightness(0.1)
              .contrast(0.1)
              .gamma(0.8, 1.25)
              .noise(0.01)
              .probability(0.5)
              .build()),

  /**
   * Exactly the article's notebook: a rotation within +-10 degrees applied with probability 0.5; no
   * shifts, no zoom, no flips, no intensity changes.
   */
  SEED_ARTICLE(
      "seed-article", () -> CxrAugmentation.builder().rotation(10).probability(0.5).build()),

  /**
   * No augmentation: {@link CxrAugmentation#apply(GrayImage, long, long)} returns its input. For
   * validation and test splits.
   */
  NONE("none", () -> CxrAugmentation.builder().build());

  private static final ImmutableList<String> NAMES =
      Arrays.stream(values()).map(AugmentationPreset::presetName).collect(toImmutableList());

  private final String presetName;
  private final Supplier<CxrAugmentation> definition;

  AugmentationPreset(String presetName, Supplier<CxrAugmentation> definition) {
    this.presetName = presetName;
    this.definition = definition;
  }

  /**
   * The name the CLI and {@link CxrAugmentation#preset(String)} use, e.g. {@code medical-safe}.
   *
   * @return the name
   */
  public String presetName() {
    return presetName;
  }

  /**
   * The configuration of this preset, seed {@value CxrAugmentation#DEFAULT_SEED}.
   *
   * @return the configuration
   */
  public CxrAugmentation configuration() {
    return definition.get();
  }

  /**
   * The preset called {@code name}.
   *
   * @param name one of {@link #names()}
   * @return the preset
   * @throws IllegalArgumentException listing the valid names when {@code name} is not one
   */
  public static AugmentationPreset named(String name) {
    Objects.requireNonNull(name, "name");
    for (AugmentationPreset p : values()) {
      if (p.presetName.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown augmentation preset '"
            + name
            + "'; valid presets are "
            + String.join(", ", NAMES));
  }

  /**
   * Every preset's name, in declaration order.
   *
   * @return an immutable list: {@code medical-safe, seed-article, none}
   */
  public static List<String> names() {
    return NAMES;
  }
}
