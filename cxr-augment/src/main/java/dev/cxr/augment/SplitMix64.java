package dev.cxr.augment;

/**
 * The SplitMix64 mixing function (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014), the one implementation every cxr module uses to turn structured seeds
 * (a base seed plus an epoch, a sample index, a stream number) into well-spread 64-bit seeds.
 * Keeping a single copy matters: a saved seed reproduces a run only while every module mixes it the
 * same way.
 *
 * <p>Typical use derives the seed of stream {@code k} from a base seed as {@code mix64(base + (k +
 * 1) * GOLDEN_GAMMA)}, which is how the JDK's {@code SplittableRandom} seeds itself.
 */
public final class SplitMix64 {
  /**
   * The SplitMix64 increment, {@code 2^64} divided by the golden ratio, rounded to odd. Adding
   * multiples of it to a seed before {@link #mix64(long)} gives distinct, well-separated inputs.
   */
  public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private SplitMix64() {}

  /**
   * The SplitMix64 finaliser: a bijective 64-bit avalanche mix in which every input bit affects
   * every output bit with probability close to one half. It is a pure function, stable forever:
   * changing it would change every augmentation and every demo data set derived from a seed.
   *
   * @param z any 64-bit value
   * @return the mixed value; distinct inputs give distinct outputs
   */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
