package dev.cxr.augment;

import java.util.SplittableRandom;

/**
 * Derives independent, reproducible random streams from (seed, epoch, sample index, transform
 * slot) with the SplitMix64 finaliser (Steele, Lea and Flood, "Fast splittable pseudorandom
 * number generators", OOPSLA 2014), so a sample's augmentation never depends on which thread
 * draws it or in which order.
 */
final class SeedMixer {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private SeedMixer() {}

  /** The SplitMix64 output function: a bijective 64-bit avalanche mix. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

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
