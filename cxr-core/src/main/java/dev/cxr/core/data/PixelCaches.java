package dev.cxr.core.data;

import dev.cxr.core.cache.DiskPixelCache;
import dev.cxr.core.cache.PixelCache;
import dev.cxr.core.io.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The pixel cache of one command: persistent in a cache directory when one is given (see {@link
 * DiskPixelCache}), in memory otherwise. Every command that reads a data set opens it over the same
 * images (all labelled samples of the data directory, whatever part of them it then reads), so
 * training, its folds, the learning-rate finder and evaluation of the same data share one file.
 */
public final class PixelCaches {
  private PixelCaches() {}

  /**
   * Opens the pixel cache of a command.
   *
   * @param cacheDir the persistent cache directory, or null for an in-memory cache
   * @param root the data directory
   * @param samples every labelled sample of the data directory
   * @param size image width and height
   * @param workers decoding threads for a build
   * @param progress reports the build of a persistent file
   * @return the cache; close it when done
   * @throws UncheckedIOException when the cache directory cannot be written or read
   */
  public static PixelCache open(
      Path cacheDir,
      Path root,
      List<Sample> samples,
      int size,
      int workers,
      Progress.Factory progress) {
    if (cacheDir == null) {
      return PixelCache.create();
    }
    Set<Path> files = new LinkedHashSet<>();
    for (Sample s : samples) {
      files.add(s.path());
    }
    try {
      return PixelCache.over(DiskPixelCache.open(cacheDir, root, files, size, workers, progress));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use the pixel cache in " + cacheDir + ": " + e, e);
    }
  }

  /**
   * One line on a cache after its use: where it is, its size on disk, whether it was built, and its
   * hit rate (the share of image reads that needed no decoding, the build's decodes counted).
   *
   * @param cache the cache
   * @return e.g. {@code pixel cache: /c/pixels-...cxrpx, 64.1 MiB on disk, 1000 images (reused);
   *     hit rate 100.0% (3000 reads, 0 decoded)}
   */
  public static String summary(PixelCache cache) {
    long reads = cache.hits() + cache.misses();
    if (cache.persistent().isEmpty()) {
      return String.format(
          Locale.ROOT,
          "pixel cache: in memory; hit rate %.1f%% (%d reads, %d decoded)",
          rate(reads, cache.misses()),
          reads,
          cache.misses());
    }
    DiskPixelCache d = cache.persistent().get();
    long decoded = d.decoded() + cache.misses();
    String how =
        d.built()
            ? String.format(
                Locale.ROOT,
                "built in %.1f s%s",
                d.buildSeconds(),
                d.rebuiltBecause() == null
                    ? ""
                    : ", replacing an invalid one: " + d.rebuiltBecause())
            : "reused";
    return String.format(
        Locale.ROOT,
        "pixel cache: %s, %.1f MiB on disk, %d images (%s); hit rate %.1f%% (%d reads, %d decoded)%s",
        d.file(),
        d.sizeOnDisk() / 1048576.0,
        d.images(),
        how,
        rate(reads, decoded),
        reads,
        decoded,
        d.corruptRecordFound() ? "; a corrupt record was found: the file was deleted" : "");
  }

  private static double rate(long reads, long decoded) {
    return reads == 0 ? 0 : 100.0 * Math.max(0, reads - decoded) / reads;
  }
}
