package dev.cxr.core.localize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * From a saliency map (a Grad-CAM map) to detected boxes, after the box generation of Wang et al.
 * 2017 (ChestX-ray8, CVPR 2017): normalise the map, threshold it, and take a box around each
 * isolated region of the resulting binary map.
 *
 * <p>Exactly what is done here:
 *
 * <ol>
 *   <li><b>Normalise by the maximum</b>: {@code v / max}. A map whose maximum is {@code <= 0} (all
 *       zero) gives no boxes. Negative values (a map before Grad-CAM's ReLU) stay below any
 *       threshold. For a non-negative map whose minimum is 0, as Grad-CAM maps are, this is the
 *       min-max normalisation to [0, 255] of Wang et al. up to the factor 255.
 *   <li><b>Threshold</b>: keep the pixels with {@code v >= threshold * max}. Wang et al. threshold
 *       their [0, 255] map at 60 and at 180 ({@link #WANG_LOW} and {@link #WANG_HIGH} of the
 *       maximum); Zhou et al. 2016 (CAM) keep 20% of the maximum and Selvaraju et al. 2017
 *       (Grad-CAM) 15%. The default, {@link #DEFAULT_THRESHOLD} = 0.5, lies between Wang et al.'s
 *       two thresholds; a report should name the threshold it used and can give Wang et al.'s two
 *       beside it.
 *   <li><b>Regions</b>: 8-connected components of the kept pixels (a pixel touches the 8 around it,
 *       so two pixels meeting only at a corner are one region), found by an iterative breadth-first
 *       search (no recursion: a 1024x1024 region cannot overflow the stack).
 *   <li><b>Boxes</b>: each region's bounding box in pixel edges (a region over columns 3 to 5 gives
 *       {@code x = 3, width = 3}), in the map's pixel frame, ordered by the region's peak value,
 *       highest first (ties: the region met first in row-major order).
 * </ol>
 *
 * <p>The boxes are in the map's pixels; scale them ({@link Box#scaled(double, double)}) when the
 * map is smaller than the image the true boxes are scaled to.
 */
public final class MapBoxes {
  /** Wang et al. 2017's lower threshold, 60 of their [0, 255] map: 60/255 of the maximum. */
  public static final double WANG_LOW = 60.0 / 255.0;

  /** Wang et al. 2017's higher threshold, 180 of their [0, 255] map: 180/255 of the maximum. */
  public static final double WANG_HIGH = 180.0 / 255.0;

  /** The default threshold: pixels at 50% of the map's maximum or above are kept. */
  public static final double DEFAULT_THRESHOLD = 0.5;

  private MapBoxes() {}

  /**
   * One region of a thresholded map.
   *
   * @param box its bounding box, in pixel edges of the map
   * @param peak its highest value, as a fraction of the map's maximum (1 for the region holding the
   *     maximum)
   * @param pixels how many pixels it has
   */
  public record Region(Box box, double peak, int pixels) {}

  /**
   * The detected boxes of a map at {@link #DEFAULT_THRESHOLD}.
   *
   * @param map values, row-major, {@code width * height} of them, finite
   * @param width map width, {@code > 0}
   * @param height map height, {@code > 0}
   * @return the boxes, highest peak first; empty for a map whose maximum is {@code <= 0}
   */
  public static List<Box> detect(float[] map, int width, int height) {
    return detect(map, width, height, DEFAULT_THRESHOLD);
  }

  /**
   * The detected boxes of a map: the bounding boxes of the 8-connected regions at or above {@code
   * threshold} of the map's maximum (see the class comment).
   *
   * @param map values, row-major, {@code width * height} of them, finite
   * @param width map width, {@code > 0}
   * @param height map height, {@code > 0}
   * @param threshold fraction of the maximum, in {@code (0, 1]}
   * @return the boxes, highest peak first; empty for a map whose maximum is {@code <= 0}
   */
  public static List<Box> detect(float[] map, int width, int height, double threshold) {
    List<Box> out = new ArrayList<>();
    for (Region r : regions(map, width, height, threshold)) {
      out.add(r.box());
    }
    return List.copyOf(out);
  }

  /**
   * The regions behind {@link #detect(float[], int, int, double)}, with their peaks and sizes.
   *
   * @param map values, row-major, {@code width * height} of them, finite
   * @param width map width, {@code > 0}
   * @param height map height, {@code > 0}
   * @param threshold fraction of the maximum, in {@code (0, 1]}
   * @return the regions, highest peak first; empty for a map whose maximum is {@code <= 0}
   */
  public static List<Region> regions(float[] map, int width, int height, double threshold) {
    check(map, width, height);
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1] but was " + threshold);
    }
    double max = Double.NEGATIVE_INFINITY;
    for (float v : map) {
      max = Math.max(max, v);
    }
    if (!(max > 0)) {
      return List.of();
    }
    int n = map.length;
    boolean[] kept = new boolean[n];
    for (int i = 0; i < n; i++) {
      kept[i] = map[i] / max >= threshold;
    }
    boolean[] seen = new boolean[n];
    int[] queue = new int[n];
    List<Region> out = new ArrayList<>();
    for (int start = 0; start < n; start++) {
      if (!kept[start] || seen[start]) {
        continue;
      }
      int head = 0;
      int tail = 0;
      queue[tail++] = start;
      seen[start] = true;
      int minX = Integer.MAX_VALUE;
      int minY = Integer.MAX_VALUE;
      int maxX = -1;
      int maxY = -1;
      float peak = Float.NEGATIVE_INFINITY;
      while (head < tail) {
        int p = queue[head++];
        int px = p % width;
        int py = p / width;
        minX = Math.min(minX, px);
        maxX = Math.max(maxX, px);
        minY = Math.min(minY, py);
        maxY = Math.max(maxY, py);
        peak = Math.max(peak, map[p]);
        for (int dy = -1; dy <= 1; dy++) {
          int qy = py + dy;
          if (qy < 0 || qy >= height) {
            continue;
          }
          for (int dx = -1; dx <= 1; dx++) {
            int qx = px + dx;
            if (qx < 0 || qx >= width) {
              continue;
            }
            int q = qy * width + qx;
            if (kept[q] && !seen[q]) {
              seen[q] = true;
              queue[tail++] = q;
            }
          }
        }
      }
      out.add(new Region(new Box(minX, minY, maxX - minX + 1, maxY - minY + 1), peak / max, tail));
    }
    // stable: regions with equal peaks keep the row-major order of their first pixel
    out.sort(Comparator.comparingDouble(Region::peak).reversed());
    return List.copyOf(out);
  }

  /**
   * Where a map is highest, for the pointing game (Zhang et al. 2016): the first pixel in row-major
   * order holding the maximum. A map upsampled bilinearly from a coarse grid can have a plateau of
   * equal maxima where its maximal cell meets the border; this returns the plateau's first pixel
   * (top row, leftmost).
   *
   * @param map values, row-major, {@code width * height} of them, finite
   * @param width map width, {@code > 0}
   * @param height map height, {@code > 0}
   * @return {@code {x, y}} of the maximum; {@code {0, 0}} for a constant map
   */
  public static int[] peak(float[] map, int width, int height) {
    check(map, width, height);
    int best = 0;
    for (int i = 1; i < map.length; i++) {
      if (map[i] > map[best]) {
        best = i;
      }
    }
    return new int[] {best % width, best / width};
  }

  private static void check(float[] map, int width, int height) {
    Objects.requireNonNull(map, "map");
    if (width < 1) {
      throw new IllegalArgumentException("width must be > 0 but was " + width);
    }
    if (height < 1) {
      throw new IllegalArgumentException("height must be > 0 but was " + height);
    }
    if (map.length != (long) width * height) {
      throw new IllegalArgumentException(
          "map has " + map.length + " values, not width x height = " + width + "x" + height);
    }
    for (int i = 0; i < map.length; i++) {
      if (!Float.isFinite(map[i])) {
        throw new IllegalArgumentException(
            "map values must be finite but the one at ("
                + i % width
                + ", "
                + i / width
                + ") was "
                + map[i]);
      }
    }
  }
}
