package dev.cxr.core.data;

import dev.cxr.augment.SplitMix64;
import java.util.SplittableRandom;

/**
 * The order in which an epoch visits the samples: the identity, or a Fisher-Yates shuffle seeded
 * from (seed, epoch) alone, so that any epoch can be reproduced (for example when a run resumes)
 * without replaying the epochs before it. With {@link Sampler#BALANCED} the epoch is drawn half
 * from each class, from the same (seed, epoch) alone.
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
    return natural(n, shuffle, seed, epoch);
  }

  /**
   * The visiting order of one epoch under a sampler.
   *
   * @param positive whether each sample is positive (its length is the number of samples)
   * @param sampler the sampler; {@link Sampler#BALANCED} needs both classes
   * @param shuffle whether to shuffle (ignored by the balanced sampler, which always draws)
   * @param seed the iterator's seed
   * @param epoch the epoch, 0-based
   * @return sample indices, as many as there are samples; repeated ones when balanced
   */
  static int[] of(boolean[] positive, Sampler sampler, boolean shuffle, long seed, int epoch) {
    return sampler == Sampler.BALANCED
        ? balanced(positive, seed, epoch)
        : natural(positive.length, shuffle, seed, epoch);
  }

  private static int[] natural(int n, boolean shuffle, long seed, int epoch) {
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

  /**
   * A balanced epoch: positions alternate between the two classes (which class starts is drawn), so
   * every batch holds them equally to within one image; each class is read from its own seeded
   * shuffle, reshuffled each time it is used up, so the minority class is repeated and the majority
   * class is visited in part (a different part every epoch). A shuffle of each pair of positions
   * keeps the order free of a fixed pattern.
   */
  private static int[] balanced(boolean[] positive, long seed, int epoch) {
    int n = positive.length;
    int[] pos = indices(positive, true);
    int[] neg = indices(positive, false);
    if (pos.length == 0 || neg.length == 0) {
      throw new IllegalStateException(
          "the balanced sampler needs both classes, but the samples have "
              + pos.length
              + " positive and "
              + neg.length
              + " negative images");
    }
    SplittableRandom rnd = new SplittableRandom(mix(seed, epoch) ^ 0x5A17B0C3D2E1F405L);
    int[] order = new int[n];
    Stream p = new Stream(pos, rnd);
    Stream q = new Stream(neg, rnd);
    boolean positiveFirst = rnd.nextBoolean();
    for (int i = 0; i < n; i++) {
      boolean takePositive = (i % 2 == 0) == positiveFirst;
      order[i] = takePositive ? p.next() : q.next();
    }
    for (int i = 0; i + 1 < n; i += 2) {
      if (rnd.nextBoolean()) {
        int t = order[i];
        order[i] = order[i + 1];
        order[i + 1] = t;
      }
    }
    return order;
  }

  private static int[] indices(boolean[] positive, boolean wanted) {
    int count = 0;
    for (boolean b : positive) {
      count += b == wanted ? 1 : 0;
    }
    int[] out = new int[count];
    int k = 0;
    for (int i = 0; i < positive.length; i++) {
      if (positive[i] == wanted) {
        out[k++] = i;
      }
    }
    return out;
  }

  /** One class's samples, drawn in shuffled rounds: each round visits every sample once. */
  private static final class Stream {
    private final int[] items;
    private final SplittableRandom rnd;
    private int next;

    Stream(int[] items, SplittableRandom rnd) {
      this.items = items.clone();
      this.rnd = rnd;
      this.next = items.length; // shuffle before the first draw
    }

    int next() {
      if (next == items.length) {
        for (int i = items.length - 1; i > 0; i--) {
          int j = rnd.nextInt(i + 1);
          int t = items[i];
          items[i] = items[j];
          items[j] = t;
        }
        next = 0;
      }
      return items[next++];
    }
  }

  /** The shuffle seed of one epoch: its own stream, whatever the other epochs draw. */
  private static long mix(long seed, long epoch) {
    return SplitMix64.mix64(seed * SplitMix64.GOLDEN_GAMMA + epoch + 0x632BE59BD9B4E019L);
  }
}
