package dev.cxr.core.evaluation;

import dev.cxr.augment.CxrAugmentation;

/**
 * Test-time augmentation: a score is the mean of the network's probabilities over {@link
 * #variants()} versions of the image, the image itself and {@code variants - 1} mild, medical-safe
 * variants (a few degrees of rotation, a few percent of zoom and shift, a little brightness and
 * contrast; never a flip).
 *
 * <p>Variant {@code v} is the same transform for every image (drawn once from a fixed seed, not per
 * image), so an image gets the same score whichever command, batch or list position scores it.
 *
 * @param variants 1 (off: the image only) to {@value #MAX_VARIANTS}
 */
public record TestTimeAugmentation(int variants) {

  /** Largest number of variants; each costs one more forward pass per image. */
  public static final int MAX_VARIANTS = 32;

  /** No test-time augmentation: every image is scored once, as it is. */
  public static final TestTimeAugmentation NONE = new TestTimeAugmentation(1);

  /**
   * Milder than training's medical-safe preset: the variants should look like the image, only
   * positioned and exposed slightly differently. Every transform fires in every variant.
   */
  private static final CxrAugmentation MILD =
      CxrAugmentation.builder()
          .rotation(5)
          .zoom(0.95, 1.05)
          .translation(0.03)
          .brightness(0.05)
          .contrast(0.05)
          .probability(1)
          .seed(20_240_611L)
          .build();

  /**
   * @throws IllegalArgumentException naming {@code --tta} when out of range
   */
  public TestTimeAugmentation {
    if (variants < 1 || variants > MAX_VARIANTS) {
      throw new IllegalArgumentException(
          "--tta must be between 1 (off) and " + MAX_VARIANTS + " but was " + variants);
    }
  }

  /**
   * @return true when more than one version of each image is scored
   */
  public boolean enabled() {
    return variants > 1;
  }

  /**
   * One version of an image.
   *
   * @param pixels row-major pixels, min-max normalised to [0, 1]; never changed
   * @param width width in pixels
   * @param height height in pixels
   * @param variant 0 (the image itself) to {@code variants - 1}
   * @return {@code pixels} itself for variant 0, else a new array
   */
  public float[] apply(float[] pixels, int width, int height, int variant) {
    if (variant < 0 || variant >= variants) {
      throw new IllegalArgumentException(
          "variant must be in [0, " + variants + ") but was " + variant);
    }
    return variant == 0 ? pixels : MILD.apply(pixels, width, height, variant, 0L);
  }
}
