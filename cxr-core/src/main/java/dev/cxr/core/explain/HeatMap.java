package dev.cxr.core.explain;

import java.util.Arrays;

/**
 * An immutable grid of non-negative saliency values, row by row (a Grad-CAM map at some size). The
 * values are the map's own (not rescaled): compare shapes, not magnitudes, across images.
 */
public final class HeatMap {
  private final int width;
  private final int height;
  private final float[] values;

  /**
   * @param width columns
   * @param height rows
   * @param values {@code width * height} values, row-major (copied)
   * @throws IllegalArgumentException when the sizes disagree or a value is not finite
   */
  public HeatMap(int width, int height, float[] values) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("size must be positive but was " + width + "x" + height);
    }
    if (values.length != (long) width * height) {
      throw new IllegalArgumentException(
          "values has " + values.length + " entries, not " + width + "x" + height);
    }
    for (float v : values) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("heat map values must be finite but one was " + v);
      }
    }
    this.width = width;
    this.height = height;
    this.values = values.clone();
  }

  /**
   * @return columns
   */
  public int width() {
    return width;
  }

  /**
   * @return rows
   */
  public int height() {
    return height;
  }

  /**
   * @param x column
   * @param y row
   * @return the value there
   */
  public float at(int x, int y) {
    if (x < 0 || y < 0 || x >= width || y >= height) {
      throw new IndexOutOfBoundsException("(" + x + ", " + y + ") outside " + width + "x" + height);
    }
    return values[y * width + x];
  }

  /**
   * @return a copy of the values, row-major
   */
  public float[] values() {
    return values.clone();
  }

  /**
   * @return the largest value (0 for an all-zero map)
   */
  public float max() {
    float m = 0;
    for (float v : values) {
      m = Math.max(m, v);
    }
    return m;
  }

  /**
   * Where the map is highest: the centroid of the pixels within 0.1% of the maximum, rounded. An
   * upsampled map has a plateau where its maximal cell meets the border (bilinear sampling clamps
   * there); the centroid keeps the peak inside the cell rather than at the plateau's first pixel.
   *
   * @return {x, y}; the centre for an all-zero map
   */
  public int[] peak() {
    float max = max();
    if (max <= 0) {
      return new int[] {width / 2, height / 2};
    }
    double sx = 0;
    double sy = 0;
    int n = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (values[y * width + x] >= max * 0.999f) {
          sx += x;
          sy += y;
          n++;
        }
      }
    }
    return new int[] {(int) Math.round(sx / n), (int) Math.round(sy / n)};
  }

  /**
   * The map resampled bilinearly to another size, with pixel centres aligned (the sampling of
   * OpenCV's {@code resize} and of PyTorch's {@code align_corners=False}), clamped at the border.
   *
   * @param w new width
   * @param h new height
   * @return the resized map (this map when the size is the same)
   */
  public HeatMap resized(int w, int h) {
    if (w == width && h == height) {
      return this;
    }
    if (w < 1 || h < 1) {
      throw new IllegalArgumentException("size must be positive but was " + w + "x" + h);
    }
    float[] out = new float[w * h];
    double fx = (double) width / w;
    double fy = (double) height / h;
    for (int y = 0; y < h; y++) {
      double sy = Math.min(height - 1, Math.max(0, (y + 0.5) * fy - 0.5));
      int y0 = (int) sy;
      int y1 = Math.min(height - 1, y0 + 1);
      double ty = sy - y0;
      for (int x = 0; x < w; x++) {
        double sx = Math.min(width - 1, Math.max(0, (x + 0.5) * fx - 0.5));
        int x0 = (int) sx;
        int x1 = Math.min(width - 1, x0 + 1);
        double tx = sx - x0;
        double top = values[y0 * width + x0] * (1 - tx) + values[y0 * width + x1] * tx;
        double bottom = values[y1 * width + x0] * (1 - tx) + values[y1 * width + x1] * tx;
        out[y * w + x] = (float) (top * (1 - ty) + bottom * ty);
      }
    }
    return new HeatMap(w, h, out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeatMap m
        && m.width == width
        && m.height == height
        && Arrays.equals(m.values, values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "HeatMap[" + width + "x" + height + ", max=" + max() + "]";
  }
}
