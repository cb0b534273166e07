package dev.cxr.core.data;

import dev.cxr.core.cache.PixelCache;
import dev.cxr.core.image.ResizedImage;
import dev.cxr.core.io.CxrDataException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Decodes every image of a run into the pixel cache before the run starts, so that a bad image is
 * known before the first epoch rather than in the middle of one: without skipBad the first bad
 * image (in sample order) stops the run, named; with skipBad every bad image is reported and left
 * out, so that the statistics, the training batches and validation all see the same readable
 * images. The decoding is work the first epoch would do anyway: the cache keeps the pixels.
 */
public final class PreDecoder {
  private PreDecoder() {}

  /**
   * Decodes the samples' images at one size into a cache.
   *
   * @param samples the samples
   * @param cache the run's pixel cache
   * @param size square image size
   * @param workers decoding threads
   * @param skipBad report and leave out bad images instead of failing on the first
   * @param report where skipped images are recorded (kind {@link DataReport#UNREADABLE_IMAGE})
   * @return the samples whose image is readable, in the given order
   * @throws CxrDataException naming the first bad image, when skipBad is off
   */
  public static List<Sample> readable(
      List<Sample> samples,
      PixelCache cache,
      int size,
      int workers,
      boolean skipBad,
      DataReport report) {
    int n = samples.size();
    AtomicReferenceArray<CxrDataException> failed = new AtomicReferenceArray<>(n);
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    int threads = Math.max(1, Math.min(workers, n));
    ExecutorService pool = Executors.newFixedThreadPool(threads, PreDecoder::daemon);
    try {
      List<Future<?>> running = new ArrayList<>(threads);
      for (int t = 0; t < threads; t++) {
        running.add(
            pool.submit(
                () -> {
                  // an index once taken is always decoded, so when a strict run stops, every
                  // image before the failed one was tried: the error is the first in sample order
                  while (!stop.get()) {
                    int i = next.getAndIncrement();
                    if (i >= n) {
                      break;
                    }
                    CxrDataException e = load(samples.get(i).path(), cache, size).error();
                    if (e != null) {
                      failed.set(i, e);
                      if (!skipBad) {
                        stop.set(true); // strict: one bad image is enough
                      }
                    }
                  }
                }));
      }
      for (Future<?> f : running) {
        join(f);
      }
    } finally {
      pool.shutdownNow();
    }
    List<Sample> ok = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      CxrDataException e = failed.get(i);
      if (e == null) {
        if (!stop.get()) {
          ok.add(samples.get(i));
        }
      } else if (!skipBad) {
        throw e; // the lowest index that failed among those tried
      } else {
        report.add(DataReport.UNREADABLE_IMAGE, e);
      }
    }
    return ok;
  }

  /**
   * One image read through the cache.
   *
   * @param image the pixels, or null when the image is unreadable
   * @param error the error naming the image, or null when it is readable
   */
  record Loaded(ResizedImage image, CxrDataException error) {}

  /**
   * Reads one image through the cache; every way an image can fail (running out of memory while
   * decoding it included) becomes one error naming it.
   *
   * @throws UncheckedIOException when the cache's own storage fails (not the image's fault)
   */
  static Loaded load(Path file, PixelCache cache, int size) {
    try {
      return new Loaded(cache.get(file, size, size), null);
    } catch (CxrDataException x) {
      return new Loaded(null, x);
    } catch (OutOfMemoryError x) {
      return new Loaded(
          null,
          new CxrDataException(
              file,
              -1,
              "out of memory while loading the image (maximum heap "
                  + (Runtime.getRuntime().maxMemory() >> 20)
                  + " MiB)",
              x));
    } catch (UncheckedIOException x) {
      throw x;
    } catch (RuntimeException x) {
      return new Loaded(null, new CxrDataException(file, -1, "cannot load the image: " + x, x));
    }
  }

  private static void join(Future<?> f) {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while decoding the images", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "cxr-predecode");
    t.setDaemon(true);
    return t;
  }
}
