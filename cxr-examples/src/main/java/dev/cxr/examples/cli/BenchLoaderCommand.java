package dev.cxr.examples.cli;

import dev.cxr.core.cache.PixelCache;
import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.SkipReport;
import dev.cxr.core.image.ImageLoader;
import dev.cxr.core.image.ResizedImage;
import dev.cxr.core.io.CxrDataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cxr bench-loader}: decoding speed of a data directory, cold (PNG decode + resize) and from
 * the pixel cache (cached samples to normalised floats, as a batch needs them).
 */
@Command(
    name = "bench-loader",
    mixinStandardHelpOptions = true,
    description =
        "Read every image once cold, then from the cache; print 'cold: X img/s' and "
            + "'cached: Y img/s'.")
public final class BenchLoaderCommand implements Callable<Integer> {
  @Mixin DataOptions dataOptions;
  @Mixin VerboseOption verboseOption;

  @Option(
      names = "--size",
      defaultValue = "256",
      description = "Image size (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--threads", description = "Decoding threads (default: number of cores).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    if (size < 8) {
      throw new IllegalArgumentException("--size must be >= 8 but was " + size);
    }
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (n < 1) {
      throw new IllegalArgumentException("--threads must be >= 1 but was " + n);
    }
    CxrDataset ds = dataOptions.scan();
    List<Path> files = ds.images().stream().map(CxrDataset.Image::path).toList();
    System.out.printf("images: %d, size: %d, threads: %d%n", files.size(), size, n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    warmUp(pool, n, files);
    try (PixelCache cache = PixelCache.create()) {
      long t0 = System.nanoTime();
      Set<Path> bad = ConcurrentHashMap.newKeySet();
      runAll(pool, files, cache, n, bad, ds.report());
      double cold = files.size() / ((System.nanoTime() - t0) / 1e9);
      System.out.printf("cold: %.1f img/s%n", cold);
      if (!bad.isEmpty()) {
        files = files.stream().filter(f -> !bad.contains(f)).toList();
        if (files.isEmpty()) {
          throw new CxrDataException(
              dataOptions.data.get(0), "no readable image to read from the cache");
        }
      }
      // cached: repeat passes for at least a second so the figure is not noise
      long reads = 0;
      t0 = System.nanoTime();
      do {
        runAll(pool, files, cache, n, bad, ds.report());
        reads += files.size();
      } while (System.nanoTime() - t0 < 1_000_000_000L);
      double cached = reads / ((System.nanoTime() - t0) / 1e9);
      System.out.printf("cached: %.1f img/s%n", cached);
      System.out.printf(
          "cache: %d images, %.1f MiB in memory, %d on disk%n",
          files.size(), cache.memoryBytes() / 1048576.0, cache.spilledImages());
    } finally {
      pool.shutdownNow();
    }
    SkipReport.line(ds.report()).ifPresent(System.out::println);
    return 0;
  }

  /**
   * Lets the JIT compile the decoder before timing: decodes the first few images of the data (not
   * into the pixel cache) on every thread, 400 decodes in all (at most eight seconds). Otherwise
   * the "cold" figure of a small data set measures mostly interpreted code, which says little about
   * reading a large one. The timed cold pass still decodes every image from its file.
   */
  private void warmUp(ExecutorService pool, int n, List<Path> files) throws Exception {
    List<Path> some = files.subList(0, Math.min(16, files.size()));
    long t0 = System.nanoTime();
    int decoded = 0;
    while (decoded < 400 && System.nanoTime() - t0 < 8_000_000_000L) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        Path p = some.get((decoded + t) % some.size());
        fs.add(
            pool.submit(
                () -> {
                  try {
                    return ImageLoader.read(p, size, size);
                  } catch (CxrDataException e) {
                    if (!dataOptions.skipBad) {
                      throw e;
                    }
                    return null; // reported by the timed pass
                  }
                }));
      }
      for (Future<?> f : fs) {
        unwrap(f);
      }
      decoded += n;
    }
    System.out.printf(
        "warm-up: %d decodes of the first %d images (JIT compilation; not timed, not cached)%n",
        decoded, some.size());
  }

  /**
   * Reads every file through the cache on {@code n} threads. With --skip-bad an unreadable file is
   * recorded once in the report and in {@code bad}; without it, the first one stops the command.
   */
  private void runAll(
      ExecutorService pool,
      List<Path> files,
      PixelCache cache,
      int n,
      Set<Path> bad,
      DataReport report)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      fs.add(
          pool.submit(
              () -> {
                float[] buf = new float[size * size];
                for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
                  ResizedImage img;
                  try {
                    img = cache.get(files.get(i), size, size);
                  } catch (CxrDataException e) {
                    if (!dataOptions.skipBad) {
                      throw e;
                    }
                    if (bad.add(files.get(i))) {
                      report.add(DataReport.UNREADABLE_IMAGE, e);
                    }
                    continue;
                  }
                  img.minMaxNormalised(buf, 0);
                }
                return null;
              }));
    }
    for (Future<?> f : fs) {
      unwrap(f);
    }
  }

  /** Waits for a task, throwing its own exception (which names the file) rather than a wrapper. */
  private static void unwrap(Future<?> f) throws Exception {
    try {
      f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }
}
