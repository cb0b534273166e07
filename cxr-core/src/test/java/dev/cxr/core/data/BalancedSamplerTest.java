package dev.cxr.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.Fixtures;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** The balanced sampler: half of each epoch and of each batch from each class, reproducibly. */
class BalancedSamplerTest {
  @TempDir Path dir;

  /** 1:10, the article's imbalance: 11 positives among 121. */
  private static boolean[] imbalanced() {
    boolean[] positive = new boolean[121];
    for (int i = 0; i < positive.length; i += 11) {
      positive[i] = true;
    }
    return positive;
  }

  private static long positives(boolean[] positive, int[] order, int from, int to) {
    return Arrays.stream(order, from, to).filter(i -> positive[i]).count();
  }

  @Test
  void everyEpochKeepsItsLengthAndHoldsBothClassesEquallyInEveryBatch() {
    boolean[] positive = imbalanced();
    for (int epoch = 0; epoch < 5; epoch++) {
      int[] order = EpochOrder.of(positive, Sampler.BALANCED, true, 42, epoch);
      assertThat(order).hasSize(positive.length);
      long pos = positives(positive, order, 0, order.length);
      assertThat(pos).as("positives in epoch " + epoch).isBetween(60L, 61L);
      for (int from = 0; from < order.length; from += 16) {
        int to = Math.min(order.length, from + 16);
        long p = positives(positive, order, from, to);
        assertThat(Math.abs(2 * p - (to - from))).as("batch at " + from).isLessThanOrEqualTo(2);
      }
      // the minority class is oversampled: every positive is used, several times
      Set<Integer> used = new HashSet<>();
      Arrays.stream(order).filter(i -> positive[i]).forEach(used::add);
      assertThat(used).hasSize(11);
    }
  }

  @Test
  void anEpochDependsOnTheSeedAndEpochAlone() {
    boolean[] positive = imbalanced();
    int[] a = EpochOrder.of(positive, Sampler.BALANCED, true, 42, 3);
    assertThat(EpochOrder.of(positive, Sampler.BALANCED, true, 42, 3)).isEqualTo(a);
    assertThat(EpochOrder.of(positive, Sampler.BALANCED, true, 42, 4)).isNotEqualTo(a);
    assertThat(EpochOrder.of(positive, Sampler.BALANCED, true, 43, 3)).isNotEqualTo(a);
    // the natural sampler is untouched: a permutation, as before
    int[] natural = EpochOrder.of(positive, Sampler.NATURAL, true, 42, 3);
    assertThat(natural).isEqualTo(EpochOrder.of(positive.length, true, 42, 3));
  }

  @Test
  void oneClassAloneCannotBeBalanced() {
    assertThatThrownBy(() -> EpochOrder.of(new boolean[4], Sampler.BALANCED, true, 1, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("0 positive and 4 negative");
  }

  @Test
  void theIteratorDeliversBalancedBatches() throws Exception {
    Fixtures.nihDataset(dir, 3, 13, 40);
    List<Sample> s = CxrTask.EFFUSION.label(CxrDataset.scan(dir)).samples();
    CxrDataSetIterator it =
        CxrDataSetIterator.builder()
            .samples(s)
            .imageSize(32)
            .batchSize(4)
            .sampler(Sampler.BALANCED)
            .labelNames(List.of("No Finding", "Effusion"))
            .workers(2)
            .build();
    try {
      for (int epoch = 0; epoch < 2; epoch++) {
        it.setEpoch(epoch);
        int images = 0;
        while (it.hasNext()) {
          DataSet d = it.next();
          images += d.numExamples();
          assertThat(d.getLabels().getColumn(1).sumNumber().doubleValue()).isEqualTo(2.0);
        }
        assertThat(images).isEqualTo(16);
      }
    } finally {
      it.shutdown();
    }
  }
}
