package dev.cxr.core.cache;

import dev.cxr.core.image.ImageLoader;
import dev.cxr.core.image.ResizedImage;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.ExitCleanup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cache of decoded, resized 8/16-bit pixels, so that epochs after the first do not decode the
 * 1024x1024 PNGs again. Entries live in memory up to a byte budget (by default a quarter of the
 * JVM's maximum heap); past it they are written to a spill directory on disk and read back from
 * there. Floats are never cached: a batch turns the compact samples into floats when it is built.
 *
 * <p>Thread-safe. {@link #close()} deletes the spill directory; should the JVM end first (an error,
 * Ctrl-C), a shutdown hook does ({@link ExitCleanup}).
 */
public final class PixelCache implements AutoCloseable {
  private final long memoryBudget;
  private final Path spillParent;
  private final Map<String, ResizedImage> memory = new ConcurrentHashMap<>();
  private final Map<String, Path> disk = new ConcurrentHashMap<>();
  private final AtomicLong memoryBytes = new AtomicLong();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong spillCounter = new AtomicLong();
  private volatile Path spillDir;
  private ExitCleanup.Handle spillTracked;
  private final DiskPixelCache persistent; // read first when set; null otherwise

  private PixelCache(long memoryBudget, Path spillParent, DiskPixelCache persistent) {
    this.memoryBudget = memoryBudget;
    this.spillParent = spillParent;
    this.persistent = persistent;
  }

  /**
   * A cache that reads through a persistent file first: images the file holds at the size asked for
   * are read from it and kept nowhere else; any other image goes through a cache as {@link
   * #create()}'s. {@link #close()} closes the file too.
   *
   * @param persistent the open persistent cache
   * @return a new cache
   */
  public static PixelCache over(DiskPixelCache persistent) {
    Objects.requireNonNull(persistent, "persistent");
    return new PixelCache(Runtime.getRuntime().maxMemory() / 4, null, persistent);
  }

  /**
   * @return the persistent file this cache reads through, if any
   */
  public Optional<DiskPixelCache> persistent() {
    return Optional.ofNullable(persistent);
  }

  /**
   * A cache holding up to a quarter of the maximum heap in memory, spilling the rest to the
   * system's temporary directory.
   *
   * @return a new cache
   */
  public static PixelCache create() {
    return create(Runtime.getRuntime().maxMemory() / 4, null);
  }

  /**
   * A cache with an explicit memory budget and spill location.
   *
   * @param memoryBudgetBytes bytes of pixels kept in memory (0 sends everything to disk)
   * @param spillParent directory under which the spill directory is created; null for the system
   *     temporary directory
   * @return a new cache
   */
  public static PixelCache create(long memoryBudgetBytes, Path spillParent) {
    if (memoryBudgetBytes < 0) {
      throw new IllegalArgumentException(
          "memoryBudgetBytes must be >= 0 but was " + memoryBudgetBytes);
    }
    return new PixelCache(memoryBudgetBytes, spillParent, null);
  }

  /**
   * Returns the image resized to {@code width x height}, decoding it on the first request.
   *
   * @param file image file
   * @param width target width
   * @param height target height
   * @return the cached pixels
   * @throws CxrDataException when the image cannot be read
   */
  public ResizedImage get(Path file, int width, int height) {
    Objects.requireNonNull(file, "file");
    if (persistent != null) {
      ResizedImage stored = persistent.get(file, width, height);
      if (stored != null) {
        hits.incrementAndGet();
        return stored;
      }
    }
    String key = file.toAbsolutePath().normalize() + "@" + width + "x" + height;
    ResizedImage img = memory.get(key);
    if (img != null) {
      hits.incrementAndGet();
      return img;
    }
    Path spilled = disk.get(key);
    if (spilled != null) {
      hits.incrementAndGet();
      try {
        return ResizedImage.fromBytes(Files.readAllBytes(spilled));
      } catch (IOException | IllegalArgumentException e) {
        disk.remove(key); // unreadable spill file: decode again below
      }
    }
    misses.incrementAndGet();
    img = ImageLoader.read(file, width, height);
    store(key, img);
    return img;
  }

  private void store(String key, ResizedImage img) {
    long size = img.sizeInBytes();
    if (memoryBytes.addAndGet(size) <= memoryBudget) {
      if (memory.putIfAbsent(key, img) != null) {
        memoryBytes.addAndGet(-size);
      }
      return;
    }
    memoryBytes.addAndGet(-size);
    try {
      Path dir = spillDir();
      Path target = dir.resolve(spillCounter.incrementAndGet() + ".px");
      Path tmp = Files.createTempFile(dir, "px", ".tmp");
      Files.write(tmp, img.toBytes());
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      disk.put(key, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pixel cache under " + spillParent, e);
    }
  }

  private Path spillDir() throws IOException {
    Path dir = spillDir;
    if (dir == null) {
      synchronized (this) {
        dir = spillDir;
        if (dir == null) {
          dir =
              spillParent == null
                  ? Files.createTempDirectory("cxr-pixel-cache-")
                  : Files.createTempDirectory(
                      Files.createDirectories(spillParent), "cxr-pixel-cache-");
          // deleted by close(), or by the shutdown hook if the JVM ends first (e.g. Ctrl-C)
          spillTracked = ExitCleanup.track(dir);
          spillDir = dir;
        }
      }
    }
    return dir;
  }

  /**
   * @return requests answered from the cache
   */
  public long hits() {
    return hits.get();
  }

  /**
   * @return requests that had to decode the file
   */
  public long misses() {
    return misses.get();
  }

  /**
   * @return bytes of pixels held in memory
   */
  public long memoryBytes() {
    return memoryBytes.get();
  }

  /**
   * @return number of images spilled to disk
   */
  public int spilledImages() {
    return disk.size();
  }

  /** Empties the cache and deletes its spill directory. */
  @Override
  public void close() {
    if (persistent != null) {
      persistent.close();
    }
    memory.clear();
    memoryBytes.set(0);
    disk.clear();
    Path dir;
    ExitCleanup.Handle tracked;
    synchronized (this) {
      dir = spillDir;
      tracked = spillTracked;
      spillDir = null;
      spillTracked = null;
    }
    if (dir != null) {
      ExitCleanup.deleteRecursively(dir);
      tracked.close();
    }
  }

  /**
   * @return the spill directory, or null before anything was spilled (and after {@link #close()})
   */
  public Path spillDirectory() {
    return spillDir;
  }
}
