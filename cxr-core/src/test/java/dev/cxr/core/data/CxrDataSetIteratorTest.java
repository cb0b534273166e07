package dev.cxr.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.Fixtures;
import dev.cxr.core.image.HostilePng;
import dev.cxr.core.io.CxrDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

class CxrDataSetIteratorTest {
  @TempDir Path dir;

  private List<Sample> samples(int pos, int neg) throws Exception {
    Fixtures.nihDataset(dir, pos, neg, 40);
    return CxrTask.EFFUSION.label(CxrDataset.scan(dir)).samples();
  }

  @Test
  void nchwFloatBatchesWithOneHotLabels() throws Exception {
    List<Sample> s = samples(3, 7);
    CxrDataSetIterator it =
        CxrDataSetIterator.builder()
            .samples(s)
            .imageSize(32)
            .batchSize(4)
            .labelNames(List.of("No Finding", "Effusion"))
            .workers(2)
            .build();
    List<DataSet> batches = new ArrayList<>();
    while (it.hasNext()) {
      batches.add(it.next());
    }
    assertThat(batches).hasSize(3);
    DataSet b = batches.get(0);
    assertThat(b.getFeatures().shape()).containsExactly(4, 1, 32, 32);
    assertThat(b.getFeatures().dataType()).isEqualTo(DataType.FLOAT);
    assertThat(b.getLabels().shape()).containsExactly(4, 2);
    assertThat(b.getFeatures().minNumber().floatValue()).isGreaterThanOrEqualTo(0f);
    assertThat(b.getFeatures().maxNumber().floatValue()).isLessThanOrEqualTo(1f);
    assertThat(b.getLabels().sum(1).toFloatVector()).containsOnly(1f);
    assertThat(batches.get(2).getFeatures().shape()[0]).isEqualTo(2);
    double positives =
        batches.stream()
            .mapToDouble(d -> d.getLabels().getColumn(1).sumNumber().doubleValue())
            .sum();
    assertThat(positives).isEqualTo(3);
    assertThat(it.getLabels()).containsExactly("No Finding", "Effusion");
    assertThat(it.totalOutcomes()).isEqualTo(2);
  }

  @Test
  void reshuffledEveryEpochAndReproducible() throws Exception {
    List<Sample> s = samples(5, 11);
    List<float[]> a = firstColumnPerEpoch(s, 1, 3);
    List<float[]> b = firstColumnPerEpoch(s, 4, 3);
    for (int e = 0; e < 3; e++) {
      assertThat(b.get(e)).containsExactly(a.get(e));
    }
    assertThat(a.get(1)).isNotEqualTo(a.get(0));
  }

  @Test
  void laterEpochsReadFromTheCacheNotThePngs() throws Exception {
    List<Sample> s = samples(3, 5);
    CxrDataSetIterator it =
        CxrDataSetIterator.builder().samples(s).imageSize(16).batchSize(3).build();
    for (int e = 0; e < 3; e++) {
      while (it.hasNext()) {
        it.next();
      }
      it.reset();
    }
    assertThat(it.cache().misses()).isEqualTo(s.size());
    assertThat(it.cache().hits()).isEqualTo(2L * s.size());
  }

  private List<float[]> firstColumnPerEpoch(List<Sample> s, int workers, int epochs) {
    CxrDataSetIterator it =
        CxrDataSetIterator.builder()
            .samples(s)
            .imageSize(16)
            .batchSize(16)
            .seed(5)
            .workers(workers)
            .build();
    List<float[]> out = new ArrayList<>();
    for (int e = 0; e < epochs; e++) {
      DataSet d = it.next();
      assertThat(it.hasNext()).isFalse();
      out.add(d.getLabels().getColumn(1).toFloatVector());
      it.reset();
      assertThat(it.epoch()).isEqualTo(e + 1);
    }
    return out;
  }

  @Test
  void augmenterSeesEpochAndStableSampleIndex() throws Exception {
    List<Sample> s = samples(2, 2);
    AtomicInteger calls = new AtomicInteger();
    List<Long> epochs = java.util.Collections.synchronizedList(new ArrayList<>());
    CxrDataSetIterator it =
        CxrDataSetIterator.builder()
            .samples(s)
            .imageSize(8)
            .batchSize(4)
            .augmenter(
                (px, w, h, epoch, idx) -> {
                  calls.incrementAndGet();
                  epochs.add(epoch);
                  assertThat(idx).isBetween(0L, 3L);
                  float[] out = new float[px.length];
                  java.util.Arrays.fill(out, 0.25f);
                  return out;
                })
            .build();
    DataSet d = it.next();
    assertThat(d.getFeatures().ravel().toFloatVector()).containsOnly(0.25f);
    it.reset();
    it.next();
    assertThat(calls.get()).isEqualTo(8);
    assertThat(epochs).containsOnly(0L, 1L);
  }

  @Test
  void unreadableImageFailsOrIsSkipped() throws Exception {
    List<Sample> s = samples(2, 2);
    Files.write(s.get(1).path(), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    CxrDataSetIterator strict =
        CxrDataSetIterator.builder().samples(s).imageSize(8).batchSize(4).shuffle(false).build();
    assertThatThrownBy(strict::next)
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining(s.get(1).path().getFileName().toString());
    CxrDataSetIterator lenient =
        CxrDataSetIterator.builder().samples(s).imageSize(8).batchSize(4).skipBad(true).build();
    assertThat(lenient.next().numExamples()).isEqualTo(3);
    assertThat(lenient.report().countsByKind()).containsEntry("unreadable image", 1);
  }

  @Test
  void hostileImagesFailNamingTheFileOrAreSkippedOnce() throws Exception {
    List<Sample> s = samples(3, 3);
    Path huge = s.get(1).path();
    Path flipped = s.get(4).path();
    Files.write(huge, HostilePng.hugeDeclared(46000, 46000, 0));
    Files.write(flipped, HostilePng.flipInIdat(Files.readAllBytes(flipped)));
    CxrDataSetIterator strict =
        CxrDataSetIterator.builder().samples(s).imageSize(8).batchSize(3).shuffle(false).build();
    assertThat(strict.hasNext()).isTrue();
    assertThatThrownBy(strict::next)
        .isInstanceOf(CxrDataException.class)
        .hasMessageStartingWith(huge.toString())
        .hasMessageContaining("46000 x 46000");
    assertThatThrownBy(strict::next)
        .isInstanceOf(CxrDataException.class)
        .hasMessageStartingWith(flipped.toString())
        .hasMessageContaining("CRC mismatch in IDAT chunk");
    assertThat(strict.hasNext()).isFalse();
    strict.shutdown();

    CxrDataSetIterator lenient =
        CxrDataSetIterator.builder()
            .samples(s)
            .imageSize(8)
            .batchSize(3)
            .skipBad(true)
            .workers(2)
            .build();
    for (int epoch = 0; epoch < 2; epoch++) {
      int images = 0;
      while (lenient.hasNext()) {
        images += lenient.next().numExamples();
      }
      assertThat(images).isEqualTo(4);
      lenient.reset();
    }
    // reported once each, not once per epoch
    assertThat(lenient.report().countsByKind()).containsExactly(Map.entry("unreadable image", 2));
    assertThat(lenient.report().problems())
        .extracting(DataReport.Problem::message)
        .anySatisfy(m -> assertThat(m).startsWith(huge.toString()).contains("limit of"))
        .anySatisfy(m -> assertThat(m).startsWith(flipped.toString()).contains("CRC mismatch"));
    lenient.shutdown();
  }

  @Test
  void batchWithOnlyBadImagesIsDroppedWithSkipBad() throws Exception {
    List<Sample> s = samples(2, 3);
    for (int i = 0; i < 2; i++) { // the whole first batch
      Path p = s.get(i).path();
      Files.write(p, Arrays.copyOf(Files.readAllBytes(p), 60));
    }
    CxrDataSetIterator strict =
        CxrDataSetIterator.builder().samples(s).imageSize(8).batchSize(2).shuffle(false).build();
    assertThatThrownBy(strict::next)
        .isInstanceOf(CxrDataException.class)
        .hasMessageStartingWith(s.get(0).path().toString());
    strict.shutdown();
    CxrDataSetIterator it =
        CxrDataSetIterator.builder()
            .samples(s)
            .imageSize(8)
            .batchSize(2)
            .shuffle(false)
            .skipBad(true)
            .build();
    List<Integer> sizes = new ArrayList<>();
    while (it.hasNext()) {
      sizes.add(it.next().numExamples());
    }
    assertThat(sizes).containsExactly(2, 1);
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    assertThat(it.report().countsByKind())
        .containsEntry("unreadable image", 2)
        .containsEntry("dropped batch", 1);
    // reset after a consumed epoch goes on to the next one
    it.reset();
    assertThat(it.epoch()).isEqualTo(1);
    assertThat(it.next().numExamples()).isEqualTo(2);
    it.shutdown();
  }

  @Test
  void allImagesBadWithSkipBadYieldsAnEmptyEpochWithoutThrowing() throws Exception {
    List<Sample> s = samples(2, 2);
    for (Sample x : s) {
      Files.write(x.path(), HostilePng.flipInIdat(Files.readAllBytes(x.path())));
    }
    CxrDataSetIterator it =
        CxrDataSetIterator.builder().samples(s).imageSize(8).batchSize(3).skipBad(true).build();
    assertThat(it.hasNext()).isFalse();
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    assertThat(it.report().countsByKind())
        .containsEntry("unreadable image", 4)
        .containsEntry("dropped batch", 2);
    it.shutdown();
  }

  @Test
  void hasNextBeforeAnyNextDoesNotAdvanceTheEpoch() throws Exception {
    CxrDataSetIterator it =
        CxrDataSetIterator.builder().samples(samples(1, 1)).imageSize(8).batchSize(2).build();
    assertThat(it.hasNext()).isTrue();
    it.reset();
    assertThat(it.epoch()).isZero();
    it.next();
    it.reset();
    assertThat(it.epoch()).isEqualTo(1);
    it.shutdown();
  }

  @Test
  void builderChecksArguments() {
    assertThatThrownBy(() -> CxrDataSetIterator.builder().batchSize(0))
        .hasMessageContaining("batchSize must be >= 1 but was 0");
    assertThatThrownBy(() -> CxrDataSetIterator.builder().imageSize(2))
        .hasMessageContaining("imageSize");
    assertThatThrownBy(() -> CxrDataSetIterator.builder().build())
        .isInstanceOf(IllegalStateException.class);
    // no default image size: it must be the network's, which only the caller knows
    List<Sample> one =
        List.of(new Sample(0, java.nio.file.Path.of("x.png"), "P", new float[] {1, 0}, false));
    assertThatThrownBy(() -> CxrDataSetIterator.builder().samples(one).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("imageSize(...) must be set before build()");
  }

  @Test
  void theWorkersDefaultHasOneHome() {
    assertThat(dev.cxr.core.config.PipelineConfig.DEFAULTS.workers())
        .isEqualTo(CxrDataSetIterator.DEFAULT_WORKERS)
        .isBetween(1, 4);
  }
}
