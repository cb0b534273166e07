package dev.cxr.augment;

import static com.google.common.base.Preconditions.checkArgument;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A small immutable single-channel image: {@code width * height} {@code float} pixels stored
 * row-major (pixel {@code (x, y)} at index {@code y * width + x}), normally in [0, 1].
 *
 * <p>This is the layout cxr-core uses for min-max normalised radiographs, so conversion is one
 * array copy: {@link #of(int, int, float[])} in, {@link #toArray()} or {@link #copyTo(float[],
 * int)} out; {@link #pixels()} is a read-only view without a copy.
 */
public final class GrayImage {
  private final int width;
  private final int height;
  private final float[] pixels;

  private GrayImage(int width, int height, float[] pixels) {
    this.width = width;
    this.height = height;
    this.pixels = pixels;
  }

  /**
   * Creates an image from a copy of {@code pixels}.
   *
   * @param width width in pixels, at least 1
   * @param height height in pixels, at least 1
   * @param pixels {@code width * height} row-major pixels; copied, so later changes to the array do
   *     not affect the image
   * @return the image
   * @throws IllegalArgumentException when a dimension is not positive or the length is not {@code
   *     width * height}
   */
  public static GrayImage of(int width, int height, float[] pixels) {
    Objects.requireNonNull(pixels, "pixels");
    checkShape(width, height, pixels.length);
    return new GrayImage(width, height, pixels.clone());
  }

  /**
   * Creates an image whose every pixel has the same value.
   *
   * @param width width in pixels, at least 1
   * @param height height in pixels, at least 1
   * @param value the pixel value
   * @return the image
   */
  public static GrayImage filled(int width, int height, float value) {
    checkShape(width, height, (long) width * height);
    float[] p = new float[width * height];
    Arrays.fill(p, value);
    return new GrayImage(width, height, p);
  }

  /** Wraps an array without copying; the caller must never change it afterwards. */
  static GrayImage wrap(int width, int height, float[] pixels) {
    return new GrayImage(width, height, pixels);
  }

  static void checkShape(int width, int height, long length) {
    checkArgument(width >= 1, "width must be at least 1 but was %s", width);
    checkArgument(height >= 1, "height must be at least 1 but was %s", height);
    long expected = (long) width * height;
    checkArgument(
        expected <= Integer.MAX_VALUE, "width*height must fit an array but was %s", expected);
    checkArgument(
        length == expected, "pixels length must be width*height = %s but was %s", expected, length);
  }

  /**
   * Returns the width.
   *
   * @return width in pixels
   */
  public int width() {
    return width;
  }

  /**
   * Returns the height.
   *
   * @return height in pixels
   */
  public int height() {
    return height;
  }

  /**
   * Returns one pixel.
   *
   * @param x column, 0 to {@code width - 1}
   * @param y row, 0 to {@code height - 1}
   * @return the pixel value
   * @throws IndexOutOfBoundsException when {@code (x, y)} lies outside the image
   */
  public float get(int x, int y) {
    Objects.checkIndex(x, width);
    Objects.checkIndex(y, height);
    return pixels[y * width + x];
  }

  /**
   * Returns a read-only view of the pixels, row-major, without copying them.
   *
   * @return a read-only buffer of {@code width * height} floats positioned at 0
   */
  public FloatBuffer pixels() {
    return FloatBuffer.wrap(pixels).asReadOnlyBuffer();
  }

  /**
   * Returns a copy of the pixels, row-major.
   *
   * @return a new array of {@code width * height} floats
   */
  public float[] toArray() {
    return pixels.clone();
  }

  /**
   * Copies the pixels into {@code dest} starting at {@code offset}, e.g. into one slot of a
   * mini-batch buffer.
   *
   * @param dest the destination array
   * @param offset first index written
   * @throws IndexOutOfBoundsException when {@code dest} is too short
   */
  public void copyTo(float[] dest, int offset) {
    Objects.requireNonNull(dest, "dest");
    Objects.checkFromIndexSize(offset, pixels.length, dest.length);
    System.arraycopy(pixels, 0, dest, offset, pixels.length);
  }

  /** The backing array; package code must not change it. */
  float[] data() {
    return pixels;
  }

  /**
   * Two images are equal when they have the same size and bit-identical pixels.
   *
   * @param o the other object
   * @return whether {@code o} is an equal image
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof GrayImage g
        && g.width == width
        && g.height == height
        && Arrays.equals(g.pixels, pixels);
  }

  /**
   * Hash of size and pixels, consistent with {@link #equals(Object)}.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(pixels);
  }

  /**
   * Describes the size, e.g. {@code GrayImage[256x256]}.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return "GrayImage[" + width + "x" + height + "]";
  }
}
