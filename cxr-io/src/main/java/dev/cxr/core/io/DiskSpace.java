package dev.cxr.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** A rough check, before a long run, that its outputs will fit on the disk. */
public final class DiskSpace {
  private DiskSpace() {}

  /**
   * Refuses to start when the free space of a folder's disk is below what the run will write.
   *
   * @param dir the folder (it exists, or its nearest existing parent is asked)
   * @param needed bytes the run will write there, roughly
   * @param what what will be written, e.g. "checkpoints"
   * @throws IllegalStateException naming the folder, the needed and the free bytes, when the free
   *     space is below {@code needed}
   */
  public static void require(Path dir, long needed, String what) {
    long free;
    try {
      free = Files.getFileStore(existing(dir)).getUsableSpace();
    } catch (IOException e) {
      return; // no figure to compare with: the writes themselves will say what is wrong
    }
    check(dir, needed, free, what);
  }

  /**
   * The comparison of {@link #require}, with the free space given.
   *
   * @param dir the folder, for the message
   * @param needed bytes needed
   * @param free bytes free
   * @param what what will be written
   * @throws IllegalStateException when {@code free < needed}
   */
  static void check(Path dir, long needed, long free, String what) {
    if (free < needed) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "not enough disk space for the %s in %s: about %d bytes (%s) needed, %d (%s) free",
              what,
              dir.toAbsolutePath(),
              needed,
              human(needed),
              free,
              human(free)));
    }
  }

  private static Path existing(Path dir) {
    Path p = dir.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p == null ? dir.toAbsolutePath().getRoot() : p;
  }

  /** Bytes in the largest binary unit that keeps the figure at or above 1. */
  static String human(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  }
}
