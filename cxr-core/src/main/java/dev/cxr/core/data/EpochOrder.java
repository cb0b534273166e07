package dev.cxr.core.data;

import dev.cxr.augment.SplitMix64;
import java.util.SplittableRandom;

/**
 * The order in which an epoch visits the samples: the identity, or a Fisher-Yates shuffle seeded
 * from (seed, epoch) alone, so that any epoch can be reproduced (for example when a run resumes)
 * without replaying the epochs before it.
 */
final class EpochOrder {

  private EpochOrder() {}

  /**
   * The visiting order of one epoch.
   *
   * @param n number of samples
   * @param shuffle whether to shuffle; otherwise the samples are visited in data set order
   * @param seed the iterator's seed
   * @param epoch the epoch, 0-based
   * @return a permutation of {@code 0 .. n-1}
   */
  static int[] of(int n, boolean shuffle, long seed, int epoch) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      SplittableRandom rnd = new SplittableRandom(mix(seed, epoch));
      for (int i = n - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  /** The shuffle seed of one epoch: its own stream, whatever the other epochs draw. */
  private static long mix(long seed, long epoch) {
    return SplitMix64.mix64(seed * SplitMix64.GOLDEN_GAMMA + epoch + 0x632BE59BD9B4E019L);
  }
}
