package dev.cxr.examples.cli;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.cache.DiskPixelCache;
import dev.cxr.core.cache.PixelCache;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.CxrDataSetIterator;
import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.PixelCaches;
import dev.cxr.core.data.Sample;
import dev.cxr.core.io.Progress;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cxr bench-epoch}: streams whole epochs through decoding, the pixel cache, augmentation and
 * batching as training does, without the network, and prints the rate, the decodes and the cache
 * hit rate of each epoch, then the peak resident memory, the peak heap and the cache's size.
 */
@Command(
    name = "bench-epoch",
    mixinStandardHelpOptions = true,
    description =
        "Stream epochs of training batches (decode, cache, augmentation, batching; no network)."
            + " Prints per epoch 'epoch E: X img/s, decoded: N, cache hit rate: P%%', then peak RSS,"
            + " peak heap and the cache's size on disk. With --cache, a second run decodes"
            + " nothing.")
public final class BenchEpochCommand implements Callable<Integer> {
  @Mixin DataOptions dataOptions;
  @Mixin CacheOption cache;
  @Mixin VerboseOption verboseOption;

  @Option(
      names = "--size",
      defaultValue = "256",
      description = "Image size (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--epochs",
      defaultValue = "2",
      description = "Epochs to stream (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--batch",
      defaultValue = "16",
      description = "Images per batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--workers",
      description = "Decoding threads (default: as training, cores up to 4).")
  Integer workers;

  @Option(
      names = "--augment",
      defaultValue = "medical-safe",
      description = "Augmentation preset (default: ${DEFAULT-VALUE}).")
  String augment;

  @Override
  public Integer call() throws IOException {
    if (epochs < 1) {
      throw new IllegalArgumentException("--epochs must be >= 1 but was " + epochs);
    }
    PipelineConfig config =
        PipelineConfig.builder()
            .imageSize(size)
            .batchSize(batch)
            .workers(workers != null ? workers : PipelineConfig.DEFAULTS.workers())
            .augmentation(TrainOptions.preset("--augment", augment))
            .build();
    CxrDataset ds = dataOptions.scan();
    List<Sample> samples = dataOptions.task().labelBothClasses(ds).samples();
    System.out.printf(
        Locale.ROOT,
        "images: %d, size: %d, batch: %d, workers: %d, cache: %s%n",
        samples.size(),
        size,
        batch,
        config.workers(),
        cache.dir == null ? "in memory" : cache.dir);
    Progress.Factory progress = Progress.Factory.standardOutput();
    long t0 = System.nanoTime();
    try (PixelCache pixels =
        PixelCaches.open(cache.dir, ds.root(), samples, size, config.workers(), progress)) {
      long buildDecodes = pixels.persistent().map(DiskPixelCache::decoded).orElse(0L);
      CxrAugmentation aug = config.augmentation();
      CxrDataSetIterator it =
          CxrDataSetIterator.builder()
              .samples(samples)
              .imageSize(size)
              .batchSize(batch)
              .shuffle(true)
              .seed(config.seed())
              .augmenter(aug.isIdentity() ? null : aug::apply)
              .cache(pixels)
              .workers(config.workers())
              .skipBad(dataOptions.skipBad)
              .build();
      try {
        for (int e = 0; e < epochs; e++) {
          long missesBefore = pixels.misses();
          long repairsBefore = pixels.persistent().map(DiskPixelCache::decoded).orElse(0L);
          it.setEpoch(e);
          long images = 0;
          try (Progress p = progress.start("epoch " + (e + 1), samples.size())) {
            while (it.hasNext()) {
              DataSet d = it.next();
              images += d.numExamples();
              p.stepBy(d.numExamples());
            }
          }
          double seconds = (System.nanoTime() - t0) / 1e9;
          long decoded =
              pixels.misses()
                  - missesBefore
                  + pixels.persistent().map(DiskPixelCache::decoded).orElse(0L)
                  - repairsBefore
                  + (e == 0 ? buildDecodes : 0);
          System.out.printf(
              Locale.ROOT,
              "epoch %d: %.1f img/s, decoded: %d, cache hit rate: %.1f%%%s%n",
              e + 1,
              images / seconds,
              decoded,
              images == 0 ? 0 : 100.0 * Math.max(0, images - decoded) / images,
              e == 0 && buildDecodes > 0 ? " (includes building the cache file)" : "");
          t0 = System.nanoTime();
        }
      } finally {
        it.shutdown();
      }
      System.out.printf(Locale.ROOT, "peak RSS: %d MiB%n", peakRssKib() / 1024);
      System.out.printf(Locale.ROOT, "peak heap: %d MiB%n", peakHeapBytes() >> 20);
      System.out.printf(
          Locale.ROOT,
          "cache: %.1f MiB on disk%s%n",
          pixels.persistent().map(DiskPixelCache::sizeOnDisk).orElse(0L) / 1048576.0,
          pixels.persistent().map(d -> " (" + d.file() + ")").orElse(" (in memory)"));
      System.out.println(PixelCaches.summary(pixels));
    }
    return 0;
  }

  /** VmHWM of /proc/self/status: the most resident memory this process has had, in KiB. */
  static long peakRssKib() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /** The sum of the heap pools' peak usage. */
  static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
