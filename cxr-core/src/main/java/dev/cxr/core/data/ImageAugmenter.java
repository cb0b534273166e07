package dev.cxr.core.data;

/**
 * The data generator's augmentation hook: a pure function from one training image to a new one. It
 * is called on training batches only, never on validation or test images. Implementations must be
 * thread-safe and deterministic in (pixels, epoch, sampleIndex), so that the same seed gives the
 * same images whatever the number of worker threads. {@code dev.cxr.augment.CxrAugmentation::apply}
 * fits this interface.
 */
@FunctionalInterface
public interface ImageAugmenter {
  /**
   * Augments one image.
   *
   * @param pixels row-major gray pixels, min-max normalised to [0, 1]; must not be modified
   * @param width width in pixels
   * @param height height in pixels
   * @param epoch the epoch (0-based)
   * @param sampleIndex the sample's stable index in its data set
   * @return a new array of {@code width * height} pixels
   */
  float[] apply(float[] pixels, int width, int height, long epoch, long sampleIndex);
}
