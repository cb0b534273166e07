package dev.cxr.core.cache;

import dev.cxr.core.image.ImageLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one persistent pixel-cache file holds: a set of image files under a data root, at one size,
 * in one sample format, and the SHA-256 fingerprint of all of it (every file's path relative to the
 * root, its size and its modification time, plus the size and format version). Any change to an
 * image, a file added or removed, another size or another format gives another fingerprint, hence
 * another file: a stale file is never read for changed data.
 */
final class PixelFileKey {
  /**
   * Version of what the samples are: area-averaged resize of the source's gray values, kept as 8 or
   * 16-bit, before any normalisation. Raise it whenever {@link ImageLoader#read} changes the pixels
   * it gives.
   */
  static final int SAMPLE_FORMAT = 1;

  private final Path root;
  private final String[] names; // relative paths with '/', sorted
  private final Path[] files; // absolute, in the order of names
  private final int width;
  private final int height;
  private final byte[] fingerprint;

  private PixelFileKey(
      Path root, String[] names, Path[] files, int width, int height, byte[] fingerprint) {
    this.root = root;
    this.names = names;
    this.files = files;
    this.width = width;
    this.height = height;
    this.fingerprint = fingerprint;
  }

  /**
   * Fingerprints a set of images (reads each file's size and modification time, not its bytes).
   *
   * @param root the data directory; every file must lie under it
   * @param images the image files (duplicates are ignored)
   * @param width target width
   * @param height target height
   * @return the key
   * @throws IllegalArgumentException if a file is not under the root, or there are no files
   * @throws UncheckedIOException if a file cannot be read
   */
  static PixelFileKey of(Path root, Collection<Path> images, int width, int height) {
    Path r = root.toAbsolutePath().normalize();
    TreeMap<String, Path> sorted = new TreeMap<>();
    for (Path p : images) {
      Path abs = p.toAbsolutePath().normalize();
      if (!abs.startsWith(r)) {
        throw new IllegalArgumentException("image " + p + " is not under the data root " + r);
      }
      sorted.put(name(r, abs), abs);
    }
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("a pixel cache needs at least one image");
    }
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(
          String.format(Locale.ROOT, "cxr-pixels %d %dx%d%n", SAMPLE_FORMAT, width, height)
              .getBytes(StandardCharsets.UTF_8));
      for (var e : sorted.entrySet()) {
        BasicFileAttributes a = Files.readAttributes(e.getValue(), BasicFileAttributes.class);
        md.update(
            (e.getKey() + "|" + a.size() + "|" + a.lastModifiedTime().toMillis() + "\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      return new PixelFileKey(
          r,
          sorted.keySet().toArray(String[]::new),
          sorted.values().toArray(Path[]::new),
          width,
          height,
          md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read an image's size for the pixel cache: " + e, e);
    }
  }

  /** The name under which {@code abs} (absolute, normalised, under root) is indexed. */
  static String name(Path root, Path abs) {
    return root.relativize(abs).toString().replace('\\', '/');
  }

  /** The data root, absolute and normalised. */
  Path root() {
    return root;
  }

  /** Number of images. */
  int size() {
    return names.length;
  }

  /** Relative path of image {@code i}, in sorted order. */
  String name(int i) {
    return names[i];
  }

  /** Absolute file of image {@code i}. */
  Path file(int i) {
    return files[i];
  }

  /** Index of a relative path, or a negative number when the key does not hold it. */
  int indexOf(String name) {
    return Arrays.binarySearch(names, name);
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  /** A copy of the 32-byte fingerprint. */
  byte[] fingerprint() {
    return fingerprint.clone();
  }

  /** Whether {@code other} equals the fingerprint. */
  boolean matches(byte[] other) {
    return MessageDigest.isEqual(fingerprint, other);
  }

  /** The cache file's name: fingerprint prefix, size and sample format, e.g. {@code ...-256px}. */
  String fileName() {
    return "pixels-"
        + HexFormat.of().formatHex(fingerprint, 0, 8)
        + "-"
        + width
        + "x"
        + height
        + "-f"
        + SAMPLE_FORMAT
        + ".cxrpx";
  }

  @Override
  public String toString() {
    return Objects.toString(root) + " (" + names.length + " images, " + width + "x" + height + ")";
  }
}
