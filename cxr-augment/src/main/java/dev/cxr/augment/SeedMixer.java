package dev.cxr.augment;

import static dev.cxr.augment.SplitMix64.GOLDEN_GAMMA;
import static dev.cxr.augment.SplitMix64.mix64;

import java.util.SplittableRandom;

/**
 * Derives independent, reproducible random streams from (seed, epoch, sample index, transform slot)
 * with {@link SplitMix64}, so a sample's augmentation never depends on which thread draws it or in
 * which order. The derivation is fixed forever: a saved seed must replay the same images.
 */
final class SeedMixer {
  private SeedMixer() {}

  /** One 64-bit seed for the sample {@code sampleIndex} of epoch {@code epoch}. */
  static long sampleSeed(long seed, long epoch, long sampleIndex) {
    long h = mix64(seed + GOLDEN_GAMMA);
    h = mix64(h ^ mix64(epoch * GOLDEN_GAMMA + 0x632BE59BD9B4E019L));
    return mix64(h ^ mix64(sampleIndex * GOLDEN_GAMMA + 0x2545F4914F6CDD1DL));
  }

  /** The random stream of transform slot {@code slot} for a sample seed. */
  static SplittableRandom stream(long sampleSeed, int slot) {
    return new SplittableRandom(mix64(sampleSeed + (slot + 1L) * GOLDEN_GAMMA));
  }
}
