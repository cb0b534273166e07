package dev.cxr.phantoms;

import static dev.cxr.phantoms.PhantomMath.EDGE;
import static dev.cxr.phantoms.PhantomMath.sstep;

/**
 * Soft-tissue and gas shapes of the phantom outside the lungs' own outline: the body silhouette,
 * arms, breast shadows, the gastric bubble and the hemidiaphragm domes. Each is a pure function of
 * the anatomy and a position, so the renderer can evaluate it per pixel in any order.
 */
final class BodyParts {

  private BodyParts() {}

  /** Half-width of the body outline at height {@code y}: neck, sloping shoulders, chest. */
  static double bodyHalfWidth(Anatomy a, double y) {
    double neck = 0.075 * a.scale;
    double chest = 0.47 * a.scale;
    double shoulders = sstep((y - (a.apexY[0] - 0.13)) / 0.17);
    double z = (y - 0.5) / 0.6;
    double taper = 1 - 0.12 * z * z;
    return (neck + (chest - neck) * shoulders) * taper;
  }

  /**
   * Arms hanging beside the chest (soft tissue with a humerus), when the patient has them in view.
   */
  static double arm(Anatomy a, double adx, double half, double y) {
    if (a.arm <= 0) {
      return 0.0;
    }
    double start = a.apexY[0] - 0.08;
    if (y < start - 0.05) {
      return 0.0;
    }
    double center = half + a.armGap + a.armRadius;
    double d = (adx - center) / a.armRadius;
    if (Math.abs(d) >= 1) {
      return 0.0;
    }
    double top = sstep((y - start) / 0.08);
    double soft = Math.sqrt(1 - d * d) * top * a.arm;
    double hb = (adx - center) / (0.35 * a.armRadius);
    double humerus =
        Math.abs(hb) < 1 ? 0.25 * Math.sqrt(1 - hb * hb) * top * sstep((0.55 - y) / 0.1) : 0.0;
    return soft + humerus;
  }

  /** Gas in the stomach, under the image-right hemidiaphragm. */
  static double bubble(Anatomy a, double dxm, double y) {
    double roof = a.cpY[1] - a.dome[1] + 0.06;
    double gx = (dxm - 0.5 * a.lungWidth[1]) / 0.055;
    double gy = (y - roof - 0.02) / 0.028;
    double g = gx * gx + gy * gy;
    return g < 1 ? a.bubble * 0.3 * sstep((1 - g) * 3) * sstep((y - roof) / EDGE) : 0.0;
  }

  /** Breast shadows over the lower lateral lung zones. */
  static double breast(Anatomy a, double dxm, double y) {
    double sum = 0;
    for (int k = 0; k < 2; k++) {
      int s = k == 0 ? -1 : 1;
      double bx = (s * dxm - 0.6 * a.lungWidth[k]) / (0.2 * a.scale);
      double by = (y - (a.cpY[k] - 0.03)) / (0.13 * a.scale);
      double br = bx * bx + by * by;
      sum += br < 1 ? Math.sqrt(1 - br) : 0;
    }
    return a.breast * sum;
  }

  /** Height profile of a hemidiaphragm dome: 0 at both ends, 1 at about 40 % from medial. */
  static double bump(double q) {
    if (q <= 0 || q >= 1) {
      return 0.0;
    }
    return StrictMath.pow(StrictMath.sin(Math.PI * StrictMath.pow(q, 0.75)), 0.7);
  }
}
