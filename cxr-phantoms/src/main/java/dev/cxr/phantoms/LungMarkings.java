package dev.cxr.phantoms;

import static dev.cxr.phantoms.PhantomMath.clamp01;
import static dev.cxr.phantoms.PhantomMath.smooth;
import static dev.cxr.phantoms.PhantomMath.uniform;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fine structure seen through the lungs: a branching pulmonary vascular tree and a
 * low-frequency texture. Both are rasterised into pixel layers of their own, drawn from the
 * patient's own seeds, so that they stay the same across a patient's images.
 */
final class LungMarkings {

  private LungMarkings() {}

  /** Branching pulmonary vessels from each hilum, rasterised as soft capsules in pixels. */
  static float[] vessels(Anatomy a, int size) {
    SplittableRandom r = new SplittableRandom(a.vesselSeed);
    List<double[]> segs = new ArrayList<>();
    for (int k = 0; k < 2; k++) {
      int s = k == 0 ? -1 : 1;
      double hx = a.cx + s * (a.medial + 0.045 * a.scale);
      double hy = a.apexY[k] + 0.47 * (a.cpY[k] - a.apexY[k]);
      double[] trunks = {-1.1, -0.45, 0.15, 0.7, 1.15};
      for (double th : trunks) {
        branch(
            r,
            segs,
            s,
            hx,
            hy,
            th + uniform(r, -0.15, 0.15),
            0.06 * a.scale,
            0.006 * a.scale,
            0,
            6);
      }
    }
    float[] layer = new float[size * size];
    for (double[] sg : segs) {
      capsule(
          layer,
          size,
          sg[0] * size - 0.5,
          sg[1] * size - 0.5,
          sg[2] * size - 0.5,
          sg[3] * size - 0.5,
          sg[4] * size,
          sg[5]);
    }
    return layer;
  }

  /**
   * Adds one vessel segment and, until {@code maxDepth}, its two child branches. The draws are made
   * depth first, so the whole tree is a fixed function of the vessel seed.
   */
  private static void branch(
      SplittableRandom r,
      List<double[]> segs,
      int s,
      double x,
      double y,
      double angle,
      double len,
      double width,
      int depth,
      int maxDepth) {
    double x1 = x + s * len * StrictMath.cos(angle);
    double y1 = y + len * StrictMath.sin(angle);
    segs.add(new double[] {x, y, x1, y1, width, 0.07 * (1.0 - 0.13 * depth)});
    if (depth + 1 >= maxDepth) {
      return;
    }
    for (int c = 0; c < 2; c++) {
      double turn = (c == 0 ? -1 : 1) * uniform(r, 0.15, 0.5);
      branch(
          r,
          segs,
          s,
          x1,
          y1,
          angle + turn,
          len * uniform(r, 0.65, 0.85),
          width * 0.75,
          depth + 1,
          maxDepth);
    }
  }

  /** Max-blends a cylinder seen from the side (a capsule with a round profile) into a layer. */
  private static void capsule(
      float[] layer,
      int size,
      double x0,
      double y0,
      double x1,
      double y1,
      double radius,
      double value) {
    double r = Math.max(radius, 0.35);
    double amp = value * Math.min(1.0, radius / 0.35);
    int minX = Math.max(0, (int) Math.floor(Math.min(x0, x1) - r - 1));
    int maxX = Math.min(size - 1, (int) Math.ceil(Math.max(x0, x1) + r + 1));
    int minY = Math.max(0, (int) Math.floor(Math.min(y0, y1) - r - 1));
    int maxY = Math.min(size - 1, (int) Math.ceil(Math.max(y0, y1) + r + 1));
    double dx = x1 - x0;
    double dy = y1 - y0;
    double len2 = dx * dx + dy * dy;
    for (int py = minY; py <= maxY; py++) {
      for (int px = minX; px <= maxX; px++) {
        double s = len2 > 0 ? ((px - x0) * dx + (py - y0) * dy) / len2 : 0;
        s = clamp01(s);
        double ex = px - (x0 + s * dx);
        double ey = py - (y0 + s * dy);
        double d2 = (ex * ex + ey * ey) / (r * r);
        if (d2 < 1) {
          float val = (float) (amp * Math.sqrt(1 - d2));
          int i = py * size + px;
          if (val > layer[i]) {
            layer[i] = val;
          }
        }
      }
    }
  }

  /** Smooth random field in [-1, 1] over a 14-cell grid: the low-frequency lung texture. */
  static float[] texture(long seed, int size) {
    return texture(seed, size, 14);
  }

  /**
   * Smooth random field in [-1, 1] (bicubic-ish interpolation of a coarse random grid).
   *
   * @param seed the field's seed
   * @param size width and height in pixels
   * @param grid cells across the image: 14 for the low-frequency texture, more for finer markings
   * @return {@code size * size} values, row by row
   */
  static float[] texture(long seed, int size, int grid) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] g = new double[(grid + 1) * (grid + 1)];
    for (int i = 0; i < g.length; i++) {
      g[i] = r.nextDouble() * 2 - 1;
    }
    float[] out = new float[size * size];
    for (int py = 0; py < size; py++) {
      double gy = (py + 0.5) / size * grid;
      int iy = Math.min(grid - 1, (int) gy);
      double fy = smooth(gy - iy);
      for (int px = 0; px < size; px++) {
        double gx = (px + 0.5) / size * grid;
        int ix = Math.min(grid - 1, (int) gx);
        double fx = smooth(gx - ix);
        double a0 = g[iy * (grid + 1) + ix];
        double a1 = g[iy * (grid + 1) + ix + 1];
        double b0 = g[(iy + 1) * (grid + 1) + ix];
        double b1 = g[(iy + 1) * (grid + 1) + ix + 1];
        double top = a0 + (a1 - a0) * fx;
        double bottom = b0 + (b1 - b0) * fx;
        out[py * size + px] = (float) (top + (bottom - top) * fy);
      }
    }
    return out;
  }
}
