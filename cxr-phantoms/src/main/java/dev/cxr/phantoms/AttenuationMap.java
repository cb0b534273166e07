package dev.cxr.phantoms;

import static dev.cxr.phantoms.BodyParts.arm;
import static dev.cxr.phantoms.BodyParts.breast;
import static dev.cxr.phantoms.BodyParts.bubble;
import static dev.cxr.phantoms.PhantomMath.EDGE;
import static dev.cxr.phantoms.PhantomMath.clamp01;
import static dev.cxr.phantoms.PhantomMath.gauss;
import static dev.cxr.phantoms.PhantomMath.sstep;

/**
 * Composes the projected attenuation of one phantom in its own frame (before positioning): soft
 * tissue, heart and mediastinum, the air of the lungs less what findings replace, bone, and the
 * lung markings. Each structure adds to (or, for air, subtracts from) one sum per pixel.
 *
 * <p>An instance renders one image on one thread; the per-lung sums of the current pixel are kept
 * in fields only to return three values from {@link #lungs(int, int, double)} without allocating.
 */
final class AttenuationMap {

  /** Cells across the image of the multi-finding look's fine lung markings (5 px at 128 px). */
  private static final int FINE_GRID = 26;

  private final Anatomy a;
  private final Lesions les;
  private final int n;
  private final ThoraxTables tab;
  private final double heartRx;
  private final double heartRy;
  private final double heartCos;
  private final double heartSin;
  private final Pneumothorax pneumothorax;

  // Results of lungs(...) for the current pixel.
  private double airSum;
  private double lungSum;
  private double fluid;
  private double clear;

  private AttenuationMap(Anatomy a, Lesions les, int n) {
    this.a = a;
    this.les = les;
    this.n = n;
    this.tab = new ThoraxTables(a, n);
    this.heartRx = a.heartRx * les.style.heartScaleX();
    this.heartRy = a.heartRy * les.style.heartScaleY();
    this.heartCos = StrictMath.cos(a.heartTilt);
    this.heartSin = StrictMath.sin(a.heartTilt);
    this.pneumothorax = les.pneumothorax();
  }

  /**
   * Projected attenuation of the phantom in its own frame (before positioning).
   *
   * @param a the patient's anatomy
   * @param les the patient's lesions
   * @param size width and height in pixels
   * @return {@code size * size} attenuation values, row by row
   */
  static float[] attenuation(Anatomy a, Lesions les, int size) {
    float[] vessels = LungMarkings.vessels(a, size);
    float[] texture = LungMarkings.texture(a.textureSeed, size);
    LesionStyle style = les.style;
    if (style.fineMarkings() > 0) {
      // The multi-finding look: fine markings out to the lung's periphery, which a pneumothorax
      // takes away (the lung markings of the legacy look fade before the periphery).
      float[] fine = LungMarkings.texture(style.fineMarkingsSeed(), size, FINE_GRID);
      for (int i = 0; i < texture.length; i++) {
        vessels[i] += (float) (style.fineMarkings() * fine[i]);
      }
    }
    return new AttenuationMap(a, les, size).compose(vessels, texture);
  }

  private float[] compose(float[] vessels, float[] texture) {
    float[] att = new float[n * n];
    for (int py = 0; py < n; py++) {
      double y = (py + 0.5) / n;
      for (int px = 0; px < n; px++) {
        double dxm = tab.xs[px];
        double adx = Math.abs(dxm);

        // Body: soft tissue, thickest in the middle (a cylinder seen side-on).
        double half = tab.bodyHalf[py];
        double rb = adx / half;
        double body = sstep((1 - rb) * half / (2 * EDGE));
        double thick = body * Math.sqrt(Math.sqrt(Math.max(0.0, 1 - rb * rb)));
        double tissue = a.soft * thick + arm(a, adx, half, y);

        // Heart: a tilted ellipse shifted to the patient's left (image right).
        double hx = dxm - a.heartDx;
        double hy = y - a.heartCy;
        double hu = (heartCos * hx + heartSin * hy) / heartRx;
        double hv = (-heartSin * hx + heartCos * hy) / heartRy;
        double hr = Math.sqrt(hu * hu + hv * hv);
        double heart = sstep((1 - hr) * Math.min(heartRx, heartRy) / (1.5 * EDGE));

        // Mediastinum, with the aortic knob on the image right.
        double medHalf = a.mediastinum + (dxm > 0 ? tab.knob[py] : 0.0);
        double med = sstep((medHalf - adx) / (1.5 * EDGE)) * tab.medTop[py];

        lungs(px, py, y);
        double cover = (1 - 0.92 * heart) * (1 - 0.95 * med);
        double air = a.air * airSum * cover;
        air += 0.28 * tab.trachea[py] * sstep((0.016 * a.scale - Math.abs(dxm + 0.004)) / EDGE);
        if (a.bubble > 0) {
          air += bubble(a, dxm, y) * (1 - lungSum);
        }
        double breast = a.breast > 0 ? breast(a, dxm, y) * body : 0.0;
        double bone = bone(px, py, y, dxm, adx) * body;

        double lungAll = Math.min(1.0, lungSum);
        int i = py * n + px;
        double markings = (vessels[i] + 0.05 * texture[i]) * lungAll * cover;
        if (clear > 0) {
          markings *= 1 - clear; // no lung markings beyond a pneumothorax's edge
        }
        att[i] = (float) (tissue + breast + a.bone * bone - air + fluid + markings);
      }
    }
    return att;
  }

  /**
   * Both lungs at one pixel: sets {@link #airSum} (air, weighted by a thickness profile that thins
   * towards the apex and the lateral wall), {@link #lungSum} (open lung, for the markings), {@link
   * #fluid} (extra density of effusion, nodule and a pneumothorax's pleural line) and {@link
   * #clear} (the fraction of the markings a pneumothorax takes away).
   */
  private void lungs(int px, int py, double y) {
    airSum = 0;
    lungSum = 0;
    fluid = 0;
    clear = 0;
    for (int k = 0; k < 2; k++) {
      double qq = tab.q[k][px];
      double tt = tab.t[k][py];
      if (tt < -0.05 || tt > 1.05 || qq < -0.2 || qq > 1.2) {
        continue;
      }
      double w = a.lungWidth[k] - a.medial;
      double h = a.cpY[k] - a.apexY[k];
      double r = tab.qPow[k][px] + tab.tPow[k][py];
      double rw = w * (qq >= a.apexQ ? 1 - a.apexQ : a.apexQ);
      double l =
          sstep((1 - r) / a.lungP * Math.min(rw, h) / EDGE)
              * sstep(qq * w / EDGE)
              * sstep((tab.dia[k][px] - y) / EDGE);
      if (l <= 0) {
        continue;
      }
      double profile =
          (0.72 + 0.28 * clamp01(1 - tt))
              * (0.55 + 0.45 * Math.sqrt(Math.max(0.0, 1 - qq * qq * qq * qq)));
      double f =
          les.effusion[k] > 0 ? les.fluidFraction(k, (tab.lateral[k][py] - qq) * w, tt, h) : 0.0;
      double col = k == les.atelectasisSide ? les.atelectasis(qq, tt) : 0.0;
      double nod = les.nodules(k, qq, tt, w, h);
      double open = l * (1 - f) * (1 - les.style.atelectasisCollapse() * col);
      if (pneumothorax != null && k == pneumothorax.side) {
        // Pleural air beyond the lung's edge: more air, no markings, a thin line at the edge.
        double beyond = pneumothorax.beyondEdge(qq, tt, r, a, w, h);
        double gone = Pneumothorax.region(beyond);
        airSum += open * profile * (1 + pneumothorax.lucency * gone);
        clear = Math.max(clear, l * gone);
        fluid += l * pneumothorax.lineDensity(beyond);
      } else {
        airSum += open * profile;
      }
      lungSum += open;
      fluid += l * f * Lesions.FLUID_EXTRA + l * les.style.noduleDensity() * nod;
    }
  }

  /**
   * Bone at one pixel, before it is limited to the body outline: spine with pedicles and discs,
   * clavicles, posterior ribs and (fainter, laterally) anterior ribs. Ribs fade below the
   * diaphragm, where the abdomen covers them.
   */
  private double bone(int px, int py, double y, double dxm, double adx) {
    double bone = 0;
    double wSpine = 0.034 * a.scale;
    if (adx < wSpine + 2 * EDGE) {
      double across = sstep((wSpine - adx) / (1.5 * EDGE));
      double pedicle = 0.4 * gauss((adx - 0.7 * wSpine) / (0.15 * wSpine));
      bone += across * (0.4 + 0.2 * tab.disc[py] + pedicle);
    }
    double cu = tab.clavAlong[px];
    if (cu > -0.05 && cu < 1.05) {
      double dist = Math.abs(y - tab.clavCenter[px]) / (0.016 * a.scale);
      if (dist < 1) {
        bone +=
            1.1
                * (0.65 + 0.35 * dist * dist)
                * sstep((1 - dist) / 0.3)
                * sstep(cu / 0.05)
                * sstep((1 - cu) / 0.05);
      }
    }
    double fade = tab.ribFade[px];
    if (fade > 0) {
      double th = tab.ribTh[px];
      double tl = tab.tl[px];
      double ribs = 0;
      for (int i = 0; i < a.ribs; i++) {
        double dist = Math.abs(y - tab.ribCenter[i][px]) / th;
        if (dist < 1) {
          ribs += (0.6 + 0.4 * dist * dist) * sstep((1 - dist) / 0.25);
        }
        if (tl > 0.25 && i < a.ribs - 2) {
          double da = Math.abs(y - tab.antCenter[i][px]) / (0.8 * th);
          if (da < 1) {
            ribs += 0.35 * (0.6 + 0.4 * da * da) * sstep((1 - da) / 0.3) * sstep((tl - 0.25) / 0.1);
          }
        }
      }
      int side = dxm < 0 ? 0 : 1;
      double below = 0.12 + 0.88 * sstep((a.cpY[side] + 0.02 - y) / 0.04);
      bone += Math.min(1.6, ribs) * fade * below;
    }
    return bone;
  }
}
