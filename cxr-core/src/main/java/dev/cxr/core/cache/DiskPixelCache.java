package dev.cxr.core.cache;

import dev.cxr.core.image.ImageLoader;
import dev.cxr.core.image.ResizedImage;
import dev.cxr.core.io.AtomicFiles;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A persistent pixel cache: the decoded, resized 8/16-bit samples of a set of images in one file on
 * disk, so that a second run, cross-validation folds, the learning-rate finder and evaluation read
 * them back instead of decoding the images again.
 *
 * <p>One file per (data fingerprint, image size, sample format), named after them (see {@link
 * PixelFileKey}); its layout is {@link PixelFileFormat}'s. {@link #open} uses a valid file, or
 * decodes every image and writes a new one atomically (temporary file, then rename) while holding a
 * lock file, so that of two processes building the same file the second waits and then reads the
 * first one's. Readers take no lock: a finished file's bytes never change (reuse sets its
 * modification time, its "last use": see {@link PixelCacheFiles}); it is only replaced by rename. A
 * truncated, corrupt, stale or foreign file is detected (header and index checksums, fingerprint,
 * length) and rebuilt; each record's checksum is checked when it is read, and a bad record is
 * decoded from its image instead (the file is then deleted, so the next run rebuilds it).
 *
 * <p>Records are read with positional reads, one image at a time: the process holds only the index
 * (a few dozen bytes per image) on its heap, and the operating system's page cache keeps the file's
 * pages between epochs without counting them in the process's resident memory. Thread-safe.
 */
public final class DiskPixelCache implements AutoCloseable {
  /** In-process locks per cache file, since a JVM cannot hold two file locks on one file. */
  private static final ConcurrentHashMap<Path, Object> BUILDING = new ConcurrentHashMap<>();

  private final Path file;
  private final PixelFileKey key;
  private final PixelFileFormat.Index index;
  private final FileChannel channel;
  private final Object fileKey;
  private final boolean built;
  private final long buildNanos;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong decoded;
  private final AtomicBoolean condemned = new AtomicBoolean();
  private String rebuiltBecause;

  private DiskPixelCache(
      Path file,
      PixelFileKey key,
      PixelFileFormat.Index index,
      FileChannel channel,
      boolean built,
      long buildNanos,
      long decoded)
      throws IOException {
    this.file = file;
    this.key = key;
    this.index = index;
    this.channel = channel;
    this.fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    this.built = built;
    this.buildNanos = buildNanos;
    this.decoded = new AtomicLong(decoded);
  }

  /**
   * Opens the cache file of a set of images, building it first when there is none or the one there
   * is not valid.
   *
   * @param dir the cache directory (created if missing)
   * @param root the data directory the images lie under
   * @param images the images the file holds
   * @param size width and height of the resized images
   * @param workers decoding threads for a build, at least 1
   * @param progress reports the build
   * @return the open cache; close it when done
   * @throws IOException when the directory or file cannot be written or read
   */
  public static DiskPixelCache open(
      Path dir,
      Path root,
      Collection<Path> images,
      int size,
      int workers,
      Progress.Factory progress)
      throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(progress, "progress");
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1 but was " + workers);
    }
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1 but was " + size);
    }
    PixelFileKey key = PixelFileKey.of(root, images, size, size);
    Files.createDirectories(dir);
    Path file = dir.resolve(key.fileName()).toAbsolutePath().normalize();
    DiskPixelCache ready = tryOpen(file, key, null);
    if (ready != null) {
      return ready;
    }
    synchronized (BUILDING.computeIfAbsent(file, f -> new Object())) {
      Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
      try (FileChannel lc =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = lc.lock()) {
        // another process may have built it while this one waited for the lock
        String[] why = new String[1];
        ready = tryOpen(file, key, why);
        if (ready != null) {
          return ready;
        }
        deleteLeftovers(file);
        long t0 = System.nanoTime();
        AtomicLong decoded = new AtomicLong();
        try (Progress p = progress.start("pixel cache", key.size())) {
          AtomicFiles.write(file, tmp -> PixelFileFormat.write(tmp, key, workers, p, decoded));
        }
        long nanos = System.nanoTime() - t0;
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
          DiskPixelCache c =
              new DiskPixelCache(
                  file, key, PixelFileFormat.read(ch, key), ch, true, nanos, decoded.get());
          c.rebuiltBecause = why[0];
          return c;
        } catch (PixelFileFormat.Invalid e) {
          ch.close();
          throw new IOException("the pixel cache just written is invalid: " + file, e);
        } catch (IOException | RuntimeException e) {
          ch.close();
          throw e;
        }
      }
    }
  }

  /** The valid file, open; or null (with the reason in {@code why[0]}) when it must be built. */
  private static DiskPixelCache tryOpen(Path file, PixelFileKey key, String[] why)
      throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return null;
    }
    try {
      DiskPixelCache c =
          new DiskPixelCache(file, key, PixelFileFormat.read(ch, key), ch, false, 0, 0);
      markUsed(file);
      return c;
    } catch (PixelFileFormat.Invalid e) {
      ch.close();
      if (why != null) {
        why[0] = e.getMessage();
      }
      return null;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Sets a reused file's modification time to now: its "last use", which {@link PixelCacheFiles}
   * lists and prunes by (access times are not kept on most mounts). The bytes never change.
   */
  private static void markUsed(Path file) {
    try {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    } catch (IOException e) {
      // a read-only cache directory: the file is still good to read, only its age is not kept
    }
  }

  /** Temporary files of builds that died (the caller holds the lock, so none is in progress). */
  private static void deleteLeftovers(Path file) throws IOException {
    String prefix = "." + file.getFileName() + ".";
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(file.getParent(), prefix + "*.tmp")) {
      for (Path p : ds) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * The cached samples of an image, or null when this file does not hold it at this size.
   *
   * @param image the image file
   * @param width width asked for
   * @param height height asked for
   * @return the samples, or null
   * @throws CxrDataException when the image was found unreadable when the file was built
   */
  public ResizedImage get(Path image, int width, int height) {
    if (width != key.width() || height != key.height()) {
      return null;
    }
    Path abs = image.toAbsolutePath().normalize();
    if (!abs.startsWith(key.root())) {
      return null;
    }
    int i = key.indexOf(PixelFileKey.name(key.root(), abs));
    if (i < 0) {
      return null;
    }
    byte[] data = new byte[index.length[i]];
    try {
      PixelFileFormat.readFully(channel, ByteBuffer.wrap(data), index.offset[i]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the pixel cache " + file, e);
    }
    if (PixelFileFormat.crc(data, 0, data.length) != index.crc[i]) {
      condemn();
      decoded.incrementAndGet();
      return ImageLoader.read(image, width, height);
    }
    hits.incrementAndGet();
    byte kind = index.kind[i];
    if (kind == PixelFileFormat.KIND_UNREADABLE) {
      throw new CxrDataException(image, new String(data, StandardCharsets.UTF_8));
    }
    return ResizedImage.ofSampleBytes(width, height, kind, data);
  }

  /**
   * A record failed its checksum: the file is not to be trusted by the next run. Deletes it, unless
   * another process has already replaced it by a new one (then that one is left alone).
   */
  private void condemn() {
    if (!condemned.compareAndSet(false, true)) {
      return;
    }
    try {
      Object now = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
      if (fileKey != null && fileKey.equals(now)) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // gone already, or not deletable: the next run checks it again either way
    }
  }

  /**
   * @return the cache file
   */
  public Path file() {
    return file;
  }

  /**
   * @return the file's size in bytes
   */
  public long sizeOnDisk() {
    try {
      return channel.size();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * @return number of images in the file
   */
  public int images() {
    return key.size();
  }

  /**
   * @return whether this process built the file (rather than finding a valid one)
   */
  public boolean built() {
    return built;
  }

  /**
   * @return seconds the build took, 0 when the file was reused
   */
  public double buildSeconds() {
    return buildNanos / 1e9;
  }

  /**
   * @return why an existing file was not used and was built again (e.g. {@code "header checksum
   *     mismatch"}), or null when it was used or there was none
   */
  public String rebuiltBecause() {
    return rebuiltBecause;
  }

  /**
   * @return reads answered from the file
   */
  public long hits() {
    return hits.get();
  }

  /**
   * @return images this process decoded: the whole set when it built the file, plus records that
   *     failed their checksum
   */
  public long decoded() {
    return decoded.get();
  }

  /**
   * @return whether a record failed its checksum (the file was then deleted)
   */
  public boolean corruptRecordFound() {
    return condemned.get();
  }

  /** Closes the file (it stays on disk). */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // read-only channel: nothing was pending
    }
  }
}
