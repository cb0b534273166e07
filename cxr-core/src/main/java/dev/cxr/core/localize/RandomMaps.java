package dev.cxr.core.localize;

import dev.cxr.core.explain.HeatMap;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Random saliency maps, the chance level of a localisation measure: scored by the same {@link
 * MapBoxes} and {@link LocalizationMetrics} steps on the same true boxes, they say how often a map
 * that knows nothing of the image hits the boxes (the random baseline of the pointing game, Zhang
 * et al. 2016, Top-down Neural Attention by Excitation Backprop, ECCV 2016, who compare with a
 * centre baseline; and of Wang et al. 2017's T(IoBB) accuracy).
 *
 * <p>Two kinds, each a pure function of its arguments and seed ({@link SplittableRandom}, no global
 * random source):
 *
 * <ul>
 *   <li>{@link #map(int, int, long)}, the default: a sum of 1 to 3 Gaussian blobs with centres
 *       uniform over the map, widths (standard deviations) uniform in 5% to 20% of the shorter side
 *       and heights uniform in [0.5, 1]. Like a Grad-CAM map it has one or a few warm regions and a
 *       cold rest; its maximum falls anywhere with about equal chance, so its pointing-game hit
 *       rate estimates the share of the image the true boxes cover, and its regions at half the
 *       maximum are about 12% to 47% of the side across, of the order of a Grad-CAM region.
 *   <li>{@link #coarse(int, int, int, long)}: uniform noise on a {@code cells x cells} grid
 *       upsampled bilinearly to the map's size exactly as cxr upsamples a Grad-CAM map ({@link
 *       HeatMap#resized}). Its maximum can only fall where a Grad-CAM map of that grid's resolution
 *       can (a 4x4 last stage: 16 places), so it is the chance level of a map as coarse as the
 *       model's; its warm regions are larger than the blobs' (about half the cells reach half the
 *       maximum).
 * </ul>
 *
 * <p>{@link #seed(long, String)} gives each image its own seed from one base seed, so that a
 * baseline does not depend on the order in which images are scored.
 */
public final class RandomMaps {
  /** Fewest blobs of {@link #map(int, int, long)}. */
  public static final int MIN_BLOBS = 1;

  /** Most blobs of {@link #map(int, int, long)}. */
  public static final int MAX_BLOBS = 3;

  /** Smallest blob standard deviation, as a fraction of the shorter side. */
  public static final double MIN_SIGMA = 0.05;

  /** Largest blob standard deviation, as a fraction of the shorter side. */
  public static final double MAX_SIGMA = 0.20;

  private RandomMaps() {}

  /**
   * A random map of Gaussian blobs (see the class comment).
   *
   * @param width map width, {@code > 0}
   * @param height map height, {@code > 0}
   * @param seed the seed; the same seed gives the same map
   * @return {@code width * height} finite values {@code >= 0}, row-major
   */
  public static float[] map(int width, int height, long seed) {
    checkSize(width, height);
    SplittableRandom rng = new SplittableRandom(seed);
    int blobs = MIN_BLOBS + rng.nextInt(MAX_BLOBS - MIN_BLOBS + 1);
    double side = Math.min(width, height);
    double[] cx = new double[blobs];
    double[] cy = new double[blobs];
    double[] inv2s2 = new double[blobs];
    double[] amp = new double[blobs];
    for (int b = 0; b < blobs; b++) {
      cx[b] = rng.nextDouble() * width;
      cy[b] = rng.nextDouble() * height;
      double sigma = side * (MIN_SIGMA + rng.nextDouble() * (MAX_SIGMA - MIN_SIGMA));
      inv2s2[b] = 1 / (2 * sigma * sigma);
      amp[b] = 0.5 + 0.5 * rng.nextDouble();
    }
    float[] out = new float[width * height];
    for (int y = 0; y < height; y++) {
      double py = y + 0.5;
      for (int x = 0; x < width; x++) {
        double px = x + 0.5;
        double v = 0;
        for (int b = 0; b < blobs; b++) {
          double dx = px - cx[b];
          double dy = py - cy[b];
          v += amp[b] * Math.exp(-(dx * dx + dy * dy) * inv2s2[b]);
        }
        out[y * width + x] = (float) v;
      }
    }
    return out;
  }

  /**
   * A random map at a Grad-CAM's resolution: uniform noise in [0, 1) on a {@code cells x cells}
   * grid, upsampled bilinearly ({@link HeatMap#resized}) to {@code width x height}.
   *
   * @param width map width, {@code > 0}
   * @param height map height, {@code > 0}
   * @param cells grid side, {@code > 0} (the last stage of a cxr ResNet at 128 px: 4)
   * @param seed the seed; the same seed gives the same map
   * @return {@code width * height} finite values {@code >= 0}, row-major
   */
  public static float[] coarse(int width, int height, int cells, long seed) {
    checkSize(width, height);
    if (cells < 1) {
      throw new IllegalArgumentException("cells must be > 0 but was " + cells);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    float[] grid = new float[cells * cells];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = (float) rng.nextDouble();
    }
    return new HeatMap(cells, cells, grid).resized(width, height).values();
  }

  /**
   * An image's own seed, derived from a base seed and the image's name by SplitMix64's finaliser
   * (Steele, Lea and Flood 2014), so that each image gets the same random map whatever the order of
   * scoring.
   *
   * @param base the base seed
   * @param image the image's name
   * @return the seed for that image
   */
  public static long seed(long base, String image) {
    Objects.requireNonNull(image, "image");
    return mix(base + 0x9E3779B97F4A7C15L * (1 + mix(image.hashCode())));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void checkSize(int width, int height) {
    if (width < 1) {
      throw new IllegalArgumentException("width must be > 0 but was " + width);
    }
    if (height < 1) {
      throw new IllegalArgumentException("height must be > 0 but was " + height);
    }
    if ((long) width * height > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "width x height = " + width + "x" + height + " is too large for one array");
    }
  }
}
