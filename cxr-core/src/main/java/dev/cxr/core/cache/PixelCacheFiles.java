package dev.cxr.core.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The files of a persistent pixel-cache directory ({@link DiskPixelCache}), told apart without the
 * runs that made them: which data each belongs to, whether that data is still as it was, when each
 * was last used; and removing the ones no longer wanted.
 *
 * <p>A cache file is named after the fingerprint of its images, so changed data gets a new file and
 * the old one is never read again: without pruning, a folder whose labels or images change now and
 * then grows by one file per change. "Last use" is the file's modification time, which {@link
 * DiskPixelCache#open} sets each time it reuses a file (a finished file's bytes never change, only
 * its time). Pruning is lock-aware: a file is deleted only while holding the lock a build holds, so
 * a file being built, and a build's temporary file, are never deleted under it.
 */
public final class PixelCacheFiles {
  private static final String PREFIX = "pixels-";
  private static final String SUFFIX = ".cxrpx";

  private PixelCacheFiles() {}

  /** What a cache file is worth keeping for. */
  public enum State {
    /** Its images are on disk as they were when it was built: a run on them reads it. */
    CURRENT,
    /** Its images changed or are gone: no run will read it again. */
    STALE,
    /** Not a cache file this version reads (an older format, or damaged): the next run rebuilds. */
    INVALID,
    /** A build's temporary file, its build still running (another process holds the lock). */
    BUILDING,
    /** A temporary file that a build left behind when it died. */
    LEFTOVER
  }

  /**
   * One file of the cache directory.
   *
   * @param file the file
   * @param state what it is worth
   * @param data the data root it was made from, or "?" when it cannot be read
   * @param width image width, 0 when unknown
   * @param height image height, 0 when unknown
   * @param images number of images, 0 when unknown
   * @param bytes size on disk
   * @param lastUse when a run last built or reused it
   * @param detail why it is stale or invalid, empty otherwise
   */
  public record Entry(
      Path file,
      State state,
      String data,
      int width,
      int height,
      int images,
      long bytes,
      Instant lastUse,
      String detail) {}

  /**
   * What to prune. Both conditions must hold for a file to be deleted.
   *
   * @param olderThan delete only files not used for at least this long ({@link Duration#ZERO}: any)
   * @param allButCurrent delete only files that no run on today's data would read (stale, invalid
   *     and leftover files), keeping every current one whatever its age
   */
  public record PruneRequest(Duration olderThan, boolean allButCurrent) {
    /** Checks the request. */
    public PruneRequest {
      Objects.requireNonNull(olderThan, "olderThan");
      if (olderThan.isNegative()) {
        throw new IllegalArgumentException("olderThan must not be negative but was " + olderThan);
      }
      if (olderThan.isZero() && !allButCurrent) {
        throw new IllegalArgumentException(
            "say what to prune: an age (older than), all but the current files, or both");
      }
    }
  }

  /**
   * The outcome of a prune.
   *
   * @param deleted the files deleted
   * @param kept the files left, with the reason in {@link Entry#detail} for those that matched but
   *     were in use
   */
  public record Pruned(List<Entry> deleted, List<Entry> kept) {
    /**
     * @return bytes freed
     */
    public long bytesFreed() {
      return deleted.stream().mapToLong(Entry::bytes).sum();
    }
  }

  /**
   * Lists a cache directory's files, oldest use first.
   *
   * @param dir the cache directory
   * @return its cache files and temporary files (other files are not the cache's and are left out)
   * @throws NoSuchFileException when the directory does not exist
   * @throws IOException when it cannot be read
   */
  public static List<Entry> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "not a pixel-cache directory");
    }
    List<Entry> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          continue; // a link or a folder here is not one of the cache's files: never followed
        }
        if (name.startsWith(PREFIX) && name.endsWith(SUFFIX)) {
          out.add(describe(p));
        } else if (name.startsWith("." + PREFIX) && name.endsWith(".tmp")) {
          out.add(describeTemporary(p));
        }
      }
    }
    out.sort(Comparator.comparing(Entry::lastUse).thenComparing(e -> e.file().toString()));
    return out;
  }

  /**
   * Deletes the files a request names, each under its build lock.
   *
   * @param dir the cache directory
   * @param request what to delete
   * @return what was deleted and what was kept
   * @throws IOException when the directory cannot be read or a file cannot be deleted
   */
  public static Pruned prune(Path dir, PruneRequest request) throws IOException {
    Instant cutoff = Instant.now().minus(request.olderThan());
    List<Entry> deleted = new ArrayList<>();
    List<Entry> kept = new ArrayList<>();
    for (Entry e : list(dir)) {
      boolean wanted =
          !e.lastUse().isAfter(cutoff) && !(request.allButCurrent() && e.state() == State.CURRENT);
      if (!wanted || e.state() == State.BUILDING) {
        kept.add(e);
      } else if (deleteUnderLock(e.file())) {
        deleted.add(e);
      } else {
        kept.add(
            new Entry(
                e.file(),
                e.state(),
                e.data(),
                e.width(),
                e.height(),
                e.images(),
                e.bytes(),
                e.lastUse(),
                "in use: another process holds its build lock"));
      }
    }
    return new Pruned(List.copyOf(deleted), List.copyOf(kept));
  }

  private static Entry describe(Path file) throws IOException {
    long bytes = Files.size(file);
    Instant lastUse = Files.getLastModifiedTime(file).toInstant();
    PixelFileFormat.Contents c;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      c = PixelFileFormat.read(ch);
    } catch (PixelFileFormat.Invalid e) {
      return new Entry(file, State.INVALID, "?", 0, 0, 0, bytes, lastUse, e.getMessage());
    }
    String stale = staleness(c);
    return new Entry(
        file,
        stale.isEmpty() ? State.CURRENT : State.STALE,
        c.root(),
        c.width(),
        c.height(),
        c.names().length,
        bytes,
        lastUse,
        stale);
  }

  /** Why the file's images are not as they were, or "" when they are. */
  private static String staleness(PixelFileFormat.Contents c) {
    Path root = Path.of(c.root());
    if (!Files.isDirectory(root)) {
      return "its data folder is gone";
    }
    List<Path> images = new ArrayList<>(c.names().length);
    int gone = 0;
    String firstGone = null;
    for (String name : c.names()) {
      Path image = root.resolve(name);
      if (!Files.isRegularFile(image)) {
        gone++;
        firstGone = firstGone == null ? name : firstGone;
      }
      images.add(image);
    }
    if (gone > 0) {
      return gone + " of its " + c.names().length + " images are gone (" + firstGone + ", ...)";
    }
    try {
      PixelFileKey now = PixelFileKey.of(root, images, c.width(), c.height());
      return now.matches(c.fingerprint()) ? "" : "its images changed since it was built";
    } catch (RuntimeException e) {
      return "its images cannot be read: " + e.getMessage();
    }
  }

  private static Entry describeTemporary(Path tmp) throws IOException {
    long bytes = Files.size(tmp);
    Instant lastUse = Files.getLastModifiedTime(tmp).toInstant();
    Path target = targetOf(tmp);
    boolean building = target != null && lockHeld(lockOf(target));
    return new Entry(
        tmp,
        building ? State.BUILDING : State.LEFTOVER,
        "?",
        0,
        0,
        0,
        bytes,
        lastUse,
        building ? "being built" : "left by a build that did not finish");
  }

  /** The cache file a temporary file {@code .pixels-....cxrpx.NNN.tmp} was to become. */
  private static Path targetOf(Path tmp) {
    String name = tmp.getFileName().toString();
    int end = name.indexOf(SUFFIX + ".");
    return end < 0 ? null : tmp.resolveSibling(name.substring(1, end + SUFFIX.length()));
  }

  private static Path lockOf(Path cacheFile) {
    return cacheFile.resolveSibling(cacheFile.getFileName() + ".lock");
  }

  /** Whether another process (or this one) holds a lock file's lock; false when there is none. */
  private static boolean lockHeld(Path lockFile) throws IOException {
    if (!Files.exists(lockFile)) {
      return false;
    }
    try (FileChannel lc = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        FileLock lock = lc.tryLock()) {
      return lock == null;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /**
   * Deletes a cache or temporary file while holding its build's lock, and the lock file with it.
   *
   * @return false when the lock is held elsewhere (nothing was deleted)
   */
  private static boolean deleteUnderLock(Path file) throws IOException {
    Path cacheFile = file.getFileName().toString().endsWith(".tmp") ? targetOf(file) : file;
    if (cacheFile == null) {
      Files.deleteIfExists(file);
      return true;
    }
    Path lockFile = lockOf(cacheFile);
    try (FileChannel lc =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lc.tryLock()) {
      if (lock == null) {
        return false;
      }
      Files.deleteIfExists(file);
      // a build that opened this lock file before now builds under its own new one: two builds
      // of one file at worst, each renamed into place whole
      Files.deleteIfExists(lockFile);
      return true;
    } catch (OverlappingFileLockException e) {
      return false; // this process is building it
    }
  }
}
