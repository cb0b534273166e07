/**
 * Medical-safe image augmentation for chest radiographs.
 *
 * <p>A radiograph is not a natural image: it has a fixed orientation, the heart is on the patient's
 * left and findings have a side. This package therefore offers only transforms that keep those
 * facts: small rotations, zoom, small translations, brightness, contrast, gamma, Gaussian noise,
 * Gaussian blur and random erasing. Vertical flips and right-angle rotations are not offered at
 * all; a horizontal flip exists only behind the explicitly named opt-in {@link
 * dev.cxr.augment.AugmentationBuilder#horizontalFlipUnsafe(double)}.
 *
 * <p>Entry points:
 *
 * <ul>
 *   <li>{@link dev.cxr.augment.GrayImage}: the small immutable gray-image type every transform
 *       works on (row-major {@code float} pixels, usually in [0, 1]);
 *   <li>{@link dev.cxr.augment.ImageTransform}: one class per transform, each a pure function of
 *       (image, random source);
 *   <li>{@link dev.cxr.augment.AugmentationStep}: the same transforms as the steps of a
 *       configuration, each owning its parameters, validation, sampling, description and JSON form
 *       (plain maps, lists and numbers);
 *   <li>{@link dev.cxr.augment.CxrAugmentation}: the immutable, thread-safe configuration (a seed,
 *       a probability and a list of steps, built by an {@link dev.cxr.augment.AugmentationBuilder}
 *       or taken from an {@link dev.cxr.augment.AugmentationPreset}) that fuses the steps (one
 *       affine resampling, one intensity pass) and derives every sample's random stream from (seed,
 *       epoch, sample index), so results do not depend on the number of worker threads;
 *   <li>{@link dev.cxr.augment.SplitMix64}: the seed mixer shared by every cxr module.
 * </ul>
 *
 * <p>The module depends on no other cxr module; Guava is its only dependency.
 */
package dev.cxr.augment;
