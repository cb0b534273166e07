package dev.cxr.core.image;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A decoded, resized gray image as it is kept in the pixel cache: 8-bit samples for 8-bit sources,
 * 16-bit samples (full range kept) for 16-bit sources. This is deliberately compact (1 or 2 bytes a
 * pixel) so that a data set's pixels can stay in memory between epochs; it is turned into floats
 * only when a batch is assembled.
 */
public final class ResizedImage {
  private final int width;
  private final int height;
  private final byte[] bytes; // 8-bit samples, or null
  private final short[] shorts; // 16-bit samples (unsigned), or null

  private ResizedImage(int width, int height, byte[] bytes, short[] shorts) {
    this.width = width;
    this.height = height;
    this.bytes = bytes;
    this.shorts = shorts;
  }

  /**
   * Wraps 8-bit samples (not copied: the caller gives up the array).
   *
   * @param width width in pixels
   * @param height height in pixels
   * @param samples row-major unsigned 8-bit samples, {@code width * height} of them
   * @return the image
   */
  public static ResizedImage ofBytes(int width, int height, byte[] samples) {
    checkLength(width, height, Objects.requireNonNull(samples, "samples").length);
    return new ResizedImage(width, height, samples, null);
  }

  /**
   * Wraps 16-bit samples (not copied: the caller gives up the array).
   *
   * @param width width in pixels
   * @param height height in pixels
   * @param samples row-major unsigned 16-bit samples, {@code width * height} of them
   * @return the image
   */
  public static ResizedImage ofShorts(int width, int height, short[] samples) {
    checkLength(width, height, Objects.requireNonNull(samples, "samples").length);
    return new ResizedImage(width, height, null, samples);
  }

  private static void checkLength(int width, int height, int length) {
    if (width <= 0 || height <= 0 || (long) width * height != length) {
      throw new IllegalArgumentException(
          "samples length " + length + " does not match " + width + "x" + height);
    }
  }

  /**
   * @return width in pixels
   */
  public int width() {
    return width;
  }

  /**
   * @return height in pixels
   */
  public int height() {
    return height;
  }

  /**
   * @return 8 or 16
   */
  public int bitDepth() {
    return bytes != null ? 8 : 16;
  }

  /**
   * @return the memory the samples take, in bytes
   */
  public long sizeInBytes() {
    return bytes != null ? bytes.length : 2L * shorts.length;
  }

  /**
   * The sample at (x, y) as an unsigned integer.
   *
   * @param x column
   * @param y row
   * @return the sample value, 0-255 or 0-65535
   */
  public int sample(int x, int y) {
    int i = y * width + x;
    return bytes != null ? bytes[i] & 0xFF : shorts[i] & 0xFFFF;
  }

  /**
   * Per-image min-max normalisation to [0, 1], as the article does: {@code (v - min) / (max -
   * min)}. A constant image gives all zeros rather than NaN.
   *
   * @return a new array of {@code width * height} floats in [0, 1]
   */
  public float[] minMaxNormalised() {
    float[] out = new float[width * height];
    minMaxNormalised(out, 0);
    return out;
  }

  /**
   * Writes the min-max normalised pixels into {@code out} starting at {@code offset}.
   *
   * @param out destination
   * @param offset first index written
   */
  public void minMaxNormalised(float[] out, int offset) {
    int n = width * height;
    int min = Integer.MAX_VALUE;
    int max = Integer.MIN_VALUE;
    if (bytes != null) {
      for (byte b : bytes) {
        int v = b & 0xFF;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      float scale = max > min ? 1f / (max - min) : 0f;
      for (int i = 0; i < n; i++) {
        out[offset + i] = ((bytes[i] & 0xFF) - min) * scale;
      }
    } else {
      for (short s : shorts) {
        int v = s & 0xFFFF;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      float scale = max > min ? 1f / (max - min) : 0f;
      for (int i = 0; i < n; i++) {
        out[offset + i] = ((shorts[i] & 0xFFFF) - min) * scale;
      }
    }
  }

  /**
   * The samples alone, as the persistent pixel cache stores them.
   *
   * @return a copy: 8-bit samples, or 16-bit ones big-endian
   */
  public byte[] samplesAsBytes() {
    if (bytes != null) {
      return bytes.clone();
    }
    ByteBuffer buf = ByteBuffer.allocate(2 * shorts.length);
    buf.asShortBuffer().put(shorts);
    return buf.array();
  }

  /**
   * The inverse of {@link #samplesAsBytes()} (not copied: the caller gives up {@code data}).
   *
   * @param width width in pixels
   * @param height height in pixels
   * @param depth bits a sample, 8 or 16
   * @param data the samples, {@code width * height * depth / 8} bytes
   * @return the image
   * @throws IllegalArgumentException for another depth or a length that does not match
   */
  public static ResizedImage ofSampleBytes(int width, int height, int depth, byte[] data) {
    if (depth != 8 && depth != 16) {
      throw new IllegalArgumentException("depth must be 8 or 16 but was " + depth);
    }
    if (depth == 8) {
      return ofBytes(width, height, data);
    }
    short[] s = new short[data.length / 2];
    ByteBuffer.wrap(data).asShortBuffer().get(s);
    return ofShorts(width, height, s);
  }

  /**
   * Serialises to a compact byte form (for the on-disk cache).
   *
   * @return header (width, height, depth) followed by the samples
   */
  public byte[] toBytes() {
    ByteBuffer buf = ByteBuffer.allocate(12 + (int) sizeInBytes());
    buf.putInt(width).putInt(height).putInt(bitDepth());
    if (bytes != null) {
      buf.put(bytes);
    } else {
      buf.asShortBuffer().put(shorts);
    }
    return buf.array();
  }

  /**
   * Reads the form written by {@link #toBytes()}.
   *
   * @param data serialised image
   * @return the image
   * @throws IllegalArgumentException when the data is not such an image
   */
  public static ResizedImage fromBytes(byte[] data) {
    ByteBuffer buf = ByteBuffer.wrap(data);
    if (data.length < 12) {
      throw new IllegalArgumentException("cached image too short: " + data.length + " bytes");
    }
    int w = buf.getInt();
    int h = buf.getInt();
    int depth = buf.getInt();
    long expected = 12L + (long) w * h * (depth == 8 ? 1 : 2);
    if (w <= 0 || h <= 0 || (depth != 8 && depth != 16) || expected != data.length) {
      throw new IllegalArgumentException("corrupt cached image (" + data.length + " bytes)");
    }
    if (depth == 8) {
      byte[] b = new byte[w * h];
      buf.get(b);
      return ofBytes(w, h, b);
    }
    short[] s = new short[w * h];
    buf.asShortBuffer().get(s);
    return ofShorts(w, h, s);
  }
}
