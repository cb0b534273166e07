package dev.cxr.augment;

import java.util.SplittableRandom;

/**
 * One augmentation: a pure function of an image and a random source that returns a new image (or
 * the input itself when the drawn parameters are the identity).
 *
 * <p>Implementations are immutable and thread-safe; all randomness comes from the {@code random}
 * argument, never from a global generator. Applying a transform always applies it: the probability
 * that a transform fires belongs to {@link CxrAugmentation}. Every built-in transform is also an
 * {@link AugmentationStep}, the form in which {@link CxrAugmentation} holds it.
 */
public interface ImageTransform {

  /**
   * Draws this transform's parameters from {@code random} and applies them to {@code image}.
   *
   * @param image the input image; never changed
   * @param random the random source; its state advances
   * @return the transformed image, the input itself when the parameters are the identity
   */
  GrayImage apply(GrayImage image, SplittableRandom random);

  /**
   * Describes the transform and its parameters in one line, e.g. {@code rotation(maxDegrees=10.0)}.
   *
   * @return the description
   */
  String describe();
}
