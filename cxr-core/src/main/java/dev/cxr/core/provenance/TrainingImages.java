package dev.cxr.core.provenance;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonValue;

/**
 * The images a model was trained on, compactly: a sorted set of 64-bit hashes (the first 8 bytes of
 * SHA-256) of the images' file names, Unicode-normalised (NFC). A name identifies an image within a
 * data set (NIH names are unique, and {@code CxrDataset} refuses one name in two class folders), so
 * evaluation images can be checked against it wherever the data lies; 8 bytes per image, 0.9 MB for
 * the 112,120 NIH images.
 *
 * <p>Stored in the model's metadata as base64 strings of at most {@value #CHUNK} hashes each (a
 * JSON string of the metadata is capped at 64K characters, see {@code JsonLimits}); read back
 * checked: whole hashes, strictly ascending.
 */
public final class TrainingImages {
  /** Hashes per base64 string in the JSON form (43,692 characters). */
  static final int CHUNK = 4096;

  private final long[] hashes;

  private TrainingImages(long[] sortedDistinct) {
    this.hashes = sortedDistinct;
  }

  /**
   * The set of some image files.
   *
   * @param files image files (only their names count)
   * @return the set
   */
  public static TrainingImages of(Collection<Path> files) {
    return new TrainingImages(
        files.stream().mapToLong(TrainingImages::hash).sorted().distinct().toArray());
  }

  /**
   * The 64-bit hash of an image's name.
   *
   * @param file the image file
   * @return the first 8 bytes of SHA-256 of its NFC-normalised file name, big-endian
   */
  public static long hash(Path file) {
    String name = Normalizer.normalize(file.getFileName().toString(), Normalizer.Form.NFC);
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(d, 0, Long.BYTES).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * @param file an image file
   * @return whether an image of its name was used for training
   */
  public boolean contains(Path file) {
    return Arrays.binarySearch(hashes, hash(file)) >= 0;
  }

  /**
   * @param files image files
   * @return how many of them were used for training
   */
  public int overlap(Collection<Path> files) {
    return (int) files.stream().filter(this::contains).count();
  }

  /**
   * The warning a command prints when some of its images were training images.
   *
   * @param files the images a command scores
   * @param what what they are, e.g. "evaluation"
   * @return e.g. {@code warning: 37 of 182 evaluation images were used to train this model}, or
   *     empty when none was
   */
  public Optional<String> overlapWarning(Collection<Path> files, String what) {
    int k = overlap(files);
    return k == 0
        ? Optional.empty()
        : Optional.of(
            "warning: "
                + k
                + " of "
                + files.size()
                + " "
                + what
                + " image"
                + (files.size() == 1 ? "" : "s")
                + (k == 1 ? " was" : " were")
                + " used to train this model");
  }

  /**
   * @return number of training images
   */
  public int size() {
    return hashes.length;
  }

  /**
   * The JSON form.
   *
   * @return base64 strings of big-endian hashes, {@value #CHUNK} per string
   */
  @JsonValue
  public List<String> toJson() {
    List<String> out = new ArrayList<>();
    for (int from = 0; from < hashes.length; from += CHUNK) {
      int to = Math.min(hashes.length, from + CHUNK);
      ByteBuffer b = ByteBuffer.allocate((to - from) * Long.BYTES);
      for (int i = from; i < to; i++) {
        b.putLong(hashes[i]);
      }
      out.add(Base64.getEncoder().encodeToString(b.array()));
    }
    return out;
  }

  /**
   * Reads the JSON form back, checked.
   *
   * @param chunks base64 strings of big-endian hashes
   * @return the set
   * @throws IllegalArgumentException when a string is not base64 of whole hashes, or the hashes are
   *     not strictly ascending
   */
  @JsonCreator
  public static TrainingImages fromJson(List<String> chunks) {
    List<byte[]> decoded = new ArrayList<>(chunks.size());
    long total = 0;
    for (String c : chunks) {
      byte[] b = Base64.getDecoder().decode(c == null ? "" : c);
      if (b.length % Long.BYTES != 0) {
        throw new IllegalArgumentException(
            "trainingImages: " + b.length + " bytes is not a whole number of 8-byte hashes");
      }
      decoded.add(b);
      total += b.length / Long.BYTES;
    }
    long[] h = new long[Math.toIntExact(total)];
    int k = 0;
    for (byte[] b : decoded) {
      ByteBuffer buf = ByteBuffer.wrap(b);
      while (buf.hasRemaining()) {
        h[k] = buf.getLong();
        if (k > 0 && h[k] <= h[k - 1]) {
          throw new IllegalArgumentException("trainingImages: hashes not strictly ascending");
        }
        k++;
      }
    }
    return new TrainingImages(h);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingImages t && Arrays.equals(hashes, t.hashes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hashes);
  }

  @Override
  public String toString() {
    return hashes.length + " training images";
  }
}
