package dev.cxr.core.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Renders one synthetic posteroanterior (PA) chest radiograph phantom as 8-bit gray pixels.
 *
 * <p>The phantom is built in normalised image coordinates ({@code x, y} in [0, 1], {@code y}
 * downwards, image left = the patient's right as on a PA film) as a map of projected attenuation: a
 * body of soft tissue (thickest in the middle, like a cylinder seen side-on), two lungs of air
 * (superellipse outlines with an acute costophrenic angle and a domed hemidiaphragm), mediastinum,
 * heart, aortic knob and trachea, bone (spine with vertebrae, clavicles, posterior and anterior
 * ribs with brighter cortex), a branching vascular tree and low-frequency texture in the lungs.
 * Findings change this map: an effusion replaces the air of a costophrenic angle by fluid under a
 * meniscus that rises along the lateral chest wall. The map is then blurred a little, passed
 * through an exponential film response with a random exposure gradient, contrast and gamma, and
 * near-Gaussian noise (a centred sum of four uniforms) is added. Radiograph convention: air dark,
 * tissue, bone and fluid bright.
 *
 * <p>All randomness comes from {@link SplittableRandom}s handed in by the caller and all
 * transcendental functions are {@link StrictMath}'s, so the same inputs give the same bytes on
 * every JVM.
 */
final class PhantomRenderer {

  /** Width of the soft edges of anatomical outlines, in normalised units. */
  private static final double EDGE = 0.006;

  private PhantomRenderer() {}

  /**
   * The anatomy and acquisition style of one patient: sampled once per patient, so that a patient's
   * follow-up images look like the same person. Sampled without looking at the labels, so positives
   * and negatives share one distribution.
   */
  static final class Anatomy {
    final double cx;
    final double scale;
    final double[] lungWidth = new double[2];
    final double[] apexY = new double[2];
    final double[] cpY = new double[2];
    final double[] dome = new double[2];
    final double lungP;
    final double apexQ;
    final double medial;
    final double heartDx;
    final double heartCy;
    final double heartRx;
    final double heartRy;
    final double heartTilt;
    final double mediastinum;
    final double knob;
    final int ribs;
    final double ribTop;
    final double ribGap;
    final double ribRise;
    final double ribCurve;
    final double ribThick;
    final double clavY;
    final double clavTilt;
    final double soft;
    final double air;
    final double bone;
    final double breast;
    final double bubble;
    final double arm;
    final double armGap;
    final double armRadius;
    final long vesselSeed;
    final long textureSeed;
    final double gain;
    final double gamma;
    final double gradAngle;
    final double gradStrength;
    final double blur;
    final double noise;

    Anatomy(SplittableRandom r, boolean female) {
      scale = uniform(r, 0.90, 1.04);
      cx = 0.5 + uniform(r, -0.025, 0.025);
      double top = uniform(r, -0.03, 0.03);
      double width = uniform(r, 0.33, 0.38) * scale;
      double apex = 0.13 + top + uniform(r, -0.015, 0.015);
      double cp = 0.73 + top + uniform(r, -0.04, 0.04);
      for (int k = 0; k < 2; k++) {
        lungWidth[k] = width * uniform(r, 0.96, 1.04);
        apexY[k] = apex + uniform(r, -0.01, 0.01);
        // The right hemidiaphragm (image left, k = 0) usually sits a little higher.
        cpY[k] = cp + (k == 0 ? -0.015 : 0.0) + uniform(r, -0.012, 0.012);
        dome[k] = uniform(r, 0.07, 0.12) * scale;
      }
      lungP = uniform(r, 1.8, 2.4);
      apexQ = uniform(r, 0.3, 0.42);
      medial = uniform(r, 0.03, 0.045);
      heartDx = uniform(r, 0.045, 0.075) * scale;
      heartCy = cp - uniform(r, 0.07, 0.1);
      double ctr = uniform(r, 0.40, 0.49);
      heartRx = ctr * width * 1.15;
      heartRy = uniform(r, 0.13, 0.15) * scale;
      heartTilt = uniform(r, 0.25, 0.6);
      mediastinum = uniform(r, 0.055, 0.075) * scale;
      knob = uniform(r, 0.015, 0.035) * scale;
      ribs = 9 + r.nextInt(3);
      ribTop = apex - uniform(r, 0.0, 0.02);
      ribGap = (cp - ribTop) / (ribs - uniform(r, 0.5, 1.5)) * uniform(r, 0.95, 1.02);
      ribRise = uniform(r, 0.0, 0.05);
      ribCurve = uniform(r, 0.12, 0.2);
      ribThick = uniform(r, 0.011, 0.016) * scale;
      clavY = apex + uniform(r, 0.03, 0.07);
      clavTilt = uniform(r, 0.0, 0.06);
      soft = uniform(r, 0.9, 1.15);
      air = uniform(r, 0.78, 0.92);
      bone = uniform(r, 0.16, 0.26);
      breast = female && r.nextDouble() < 0.7 ? uniform(r, 0.06, 0.16) : 0.0;
      bubble = r.nextDouble() < 0.6 ? uniform(r, 0.3, 0.7) : 0.0;
      arm = r.nextDouble() < 0.5 ? uniform(r, 0.5, 0.8) : 0.0;
      armGap = uniform(r, -0.01, 0.03);
      armRadius = uniform(r, 0.045, 0.065) * scale;
      vesselSeed = r.nextLong();
      textureSeed = r.nextLong();
      gain = uniform(r, 1.3, 1.8);
      gamma = uniform(r, 1.0, 1.5);
      gradAngle = uniform(r, 0, 2 * Math.PI);
      gradStrength = uniform(r, 0.0, 0.18);
      blur = uniform(r, 0.6, 1.1);
      noise = uniform(r, 0.008, 0.022);
    }
  }

  /** What differs between two images of one patient: positioning, exposure and noise. */
  record Shot(double shiftX, double shiftY, double rotation, double exposure, long noiseSeed) {
    static Shot sample(SplittableRandom r) {
      return new Shot(
          uniform(r, -0.02, 0.02),
          uniform(r, -0.02, 0.02),
          uniform(r, -0.035, 0.035),
          uniform(r, 0.92, 1.08),
          r.nextLong());
    }
  }

  /**
   * How the findings of one patient look; sampled from a random stream of its own so that the
   * anatomy does not depend on the label.
   */
  static final class Lesions {
    /** Fluid height per side as a fraction of lung height; 0 = no effusion on that side. */
    final double[] effusion = new double[2];

    final double[] meniscus = new double[2];
    final double[] meniscusWidth = new double[2];
    final double fluidDensity;
    final double fluidEdge;
    final boolean cardiomegaly;
    final int atelectasisSide;
    final double atelectasisPos;
    final double atelectasisAngle;
    final int noduleSide;
    final double noduleQ;
    final double noduleT;
    final double noduleRadius;

    Lesions(SplittableRandom r, Set<Finding> findings) {
      boolean eff = findings.contains(Finding.EFFUSION);
      double side = r.nextDouble();
      boolean left = side < 0.42 || side >= 0.80;
      boolean right = side >= 0.42;
      for (int k = 0; k < 2; k++) {
        boolean on = eff && (k == 0 ? left : right);
        double h = 0.07 + 0.36 * StrictMath.pow(r.nextDouble(), 1.1);
        effusion[k] = on ? h : 0.0;
        meniscus[k] = uniform(r, 0.6, 1.4);
        meniscusWidth[k] = uniform(r, 0.04, 0.09);
      }
      fluidDensity = uniform(r, 0.85, 1.0);
      fluidEdge = uniform(r, 0.01, 0.035);
      cardiomegaly = findings.contains(Finding.CARDIOMEGALY);
      // Every draw is made whatever the findings, so each parameter comes from the same
      // position of the stream for every label.
      int atelectasis = r.nextInt(2);
      atelectasisSide = findings.contains(Finding.ATELECTASIS) ? atelectasis : -1;
      atelectasisPos = uniform(r, 0.15, 0.35);
      atelectasisAngle = uniform(r, -0.15, 0.35);
      int nodule = r.nextInt(2);
      noduleSide = findings.contains(Finding.NODULE) ? nodule : -1;
      noduleQ = uniform(r, 0.3, 0.8);
      noduleT = uniform(r, 0.3, 0.8);
      noduleRadius = uniform(r, 0.015, 0.03);
    }

    /** The same lesions with effusions grown or shrunk by {@code factor} (a follow-up). */
    Lesions(Lesions base, double factor) {
      for (int k = 0; k < 2; k++) {
        effusion[k] = Math.min(0.5, base.effusion[k] * factor);
        meniscus[k] = base.meniscus[k];
        meniscusWidth[k] = base.meniscusWidth[k];
      }
      fluidDensity = base.fluidDensity;
      fluidEdge = base.fluidEdge;
      cardiomegaly = base.cardiomegaly;
      atelectasisSide = base.atelectasisSide;
      atelectasisPos = base.atelectasisPos;
      atelectasisAngle = base.atelectasisAngle;
      noduleSide = base.noduleSide;
      noduleQ = base.noduleQ;
      noduleT = base.noduleT;
      noduleRadius = base.noduleRadius;
    }
  }

  /**
   * Renders one image.
   *
   * @param a the patient's anatomy
   * @param lesions the patient's findings
   * @param shot positioning, exposure and noise of this image
   * @param size width and height in pixels
   * @return {@code size * size} gray levels, row by row
   */
  static byte[] render(Anatomy a, Lesions lesions, Shot shot, int size) {
    float[] att = attenuation(a, lesions, size);
    float[] placed = place(att, size, a, shot);
    float[] blurred = gaussianBlur(placed, size, a.blur * size / 256.0);
    return film(blurred, a, shot.noiseSeed());
  }

  /** Projected attenuation of the phantom in its own frame (before positioning). */
  static float[] attenuation(Anatomy a, Lesions les, int size) {
    int n = size;
    float[] vessels = vessels(a, n);
    float[] texture = texture(a.textureSeed, n);
    double heartRx = a.heartRx * (les.cardiomegaly ? 1.3 : 1.0);
    double heartRy = a.heartRy * (les.cardiomegaly ? 1.08 : 1.0);
    double heartCos = StrictMath.cos(a.heartTilt);
    double heartSin = StrictMath.sin(a.heartTilt);

    // Per column: everything that depends on x only.
    double[] xs = new double[n];
    double[][] q = new double[2][n];
    double[][] qPow = new double[2][n];
    double[][] dia = new double[2][n];
    double[] tl = new double[n];
    double[][] ribCenter = new double[a.ribs][n];
    double[][] antCenter = new double[a.ribs][n];
    double[] ribTh = new double[n];
    double[] ribFade = new double[n];
    double[] clavCenter = new double[n];
    double[] clavAlong = new double[n];
    for (int px = 0; px < n; px++) {
      double x = (px + 0.5) / n;
      double dxm = x - a.cx;
      xs[px] = dxm;
      for (int k = 0; k < 2; k++) {
        int s = k == 0 ? -1 : 1;
        double qq = (s * dxm - a.medial) / (a.lungWidth[k] - a.medial);
        q[k][px] = qq;
        double qa = qq >= a.apexQ ? (qq - a.apexQ) / (1 - a.apexQ) : (a.apexQ - qq) / a.apexQ;
        double pq = qq >= a.apexQ ? a.lungP : 2 * a.lungP;
        qPow[k][px] = qa >= 1.3 ? 2.0 : StrictMath.pow(qa, pq);
        dia[k][px] = a.cpY[k] - a.dome[k] * bump(qq);
      }
      int side = dxm < 0 ? 0 : 1;
      double t = (Math.abs(dxm) - 0.03) / a.lungWidth[side];
      tl[px] = t;
      double tc = Math.min(1.0, Math.max(0.0, t));
      ribTh[px] = a.ribThick * (0.8 + 0.45 * tc);
      ribFade[px] = 0.35 + 0.65 * sstep((1.04 - t) / 0.06);
      ribFade[px] *= sstep((1.12 - t) / 0.05) * sstep((t + 0.02) / 0.06);
      for (int i = 0; i < a.ribs; i++) {
        double y0 = a.ribTop + i * a.ribGap * (1 + 0.03 * i);
        double curve = a.ribCurve * (0.8 + 0.4 * i / a.ribs);
        ribCenter[i][px] = y0 - a.ribRise * t + curve * t * t;
        double m = 1 - t;
        antCenter[i][px] = y0 - a.ribRise + curve + 0.17 * m - 0.05 * m * m;
      }
      double u = (Math.abs(dxm) - 0.03) / (0.27 * a.scale);
      clavAlong[px] = u;
      clavCenter[px] = a.clavY + 0.02 - a.clavTilt * u + 0.012 * StrictMath.sin(2 * Math.PI * u);
    }

    // Per row: everything that depends on y only.
    double[][] t = new double[2][n];
    double[][] tPow = new double[2][n];
    double[][] lateral = new double[2][n];
    double[] bodyHalf = new double[n];
    double[] knob = new double[n];
    double[] disc = new double[n];
    double[] medTop = new double[n];
    double[] trachea = new double[n];
    for (int py = 0; py < n; py++) {
      double y = (py + 0.5) / n;
      for (int k = 0; k < 2; k++) {
        double tt = (a.cpY[k] - y) / (a.cpY[k] - a.apexY[k]);
        t[k][py] = tt;
        tPow[k][py] = tt <= 0 ? 0.0 : (tt >= 1.3 ? 2.0 : StrictMath.pow(tt, a.lungP));
        double tc = clamp01(tt);
        lateral[k][py] =
            a.apexQ + (1 - a.apexQ) * StrictMath.pow(1 - StrictMath.pow(tc, a.lungP), 1 / a.lungP);
      }
      bodyHalf[py] = bodyHalfWidth(a, y);
      knob[py] = a.knob * gauss((y - (a.apexY[1] + 0.16)) / 0.035);
      double period = 0.045 * a.scale * (0.85 + 0.3 * y);
      disc[py] = 0.5 + 0.5 * StrictMath.cos(2 * Math.PI * (y - a.ribTop) / period);
      medTop[py] = sstep((y - 0.02) / 0.05);
      trachea[py] = sstep((y - 0.02) / 0.03) * sstep((a.apexY[0] + 0.22 - y) / 0.03);
    }

    float[] att = new float[n * n];
    for (int py = 0; py < n; py++) {
      double y = (py + 0.5) / n;
      for (int px = 0; px < n; px++) {
        double dxm = xs[px];
        double adx = Math.abs(dxm);

        // Body: soft tissue, thickest in the middle (a cylinder seen side-on).
        double half = bodyHalf[py];
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
        double medHalf = a.mediastinum + (dxm > 0 ? knob[py] : 0.0);
        double med = sstep((medHalf - adx) / (1.5 * EDGE)) * medTop[py];

        double airSum = 0;
        double lungSum = 0;
        double fluid = 0;
        for (int k = 0; k < 2; k++) {
          double qq = q[k][px];
          double tt = t[k][py];
          if (tt < -0.05 || tt > 1.05 || qq < -0.2 || qq > 1.2) {
            continue;
          }
          double w = a.lungWidth[k] - a.medial;
          double h = a.cpY[k] - a.apexY[k];
          double r = qPow[k][px] + tPow[k][py];
          double rw = w * (qq >= a.apexQ ? 1 - a.apexQ : a.apexQ);
          double l =
              sstep((1 - r) / a.lungP * Math.min(rw, h) / EDGE)
                  * sstep(qq * w / EDGE)
                  * sstep((dia[k][px] - y) / EDGE);
          if (l <= 0) {
            continue;
          }
          double profile =
              (0.72 + 0.28 * clamp01(1 - tt))
                  * (0.55 + 0.45 * Math.sqrt(Math.max(0.0, 1 - qq * qq * qq * qq)));
          double f =
              les.effusion[k] > 0 ? fluidFraction(les, k, (lateral[k][py] - qq) * w, tt, h) : 0.0;
          double col = k == les.atelectasisSide ? atelectasis(les, qq, tt) : 0.0;
          double nod = 0;
          if (k == les.noduleSide) {
            double nx = (qq - les.noduleQ) * w;
            double ny = (tt - les.noduleT) * h;
            double d2 = (nx * nx + ny * ny) / (les.noduleRadius * les.noduleRadius);
            nod = d2 < 1 ? Math.sqrt(1 - d2) : 0.0;
          }
          double open = l * (1 - f) * (1 - 0.7 * col);
          airSum += open * profile;
          lungSum += open;
          fluid += l * f * FLUID_EXTRA + l * 0.25 * nod;
        }
        double cover = (1 - 0.92 * heart) * (1 - 0.95 * med);
        double air = a.air * airSum * cover;
        air += 0.28 * trachea[py] * sstep((0.016 * a.scale - Math.abs(dxm + 0.004)) / EDGE);
        if (a.bubble > 0) {
          air += bubble(a, dxm, y) * (1 - lungSum);
        }
        double breast = a.breast > 0 ? breast(a, dxm, y) * body : 0.0;

        // Bone: spine, clavicles, ribs.
        double bone = 0;
        double wSpine = 0.034 * a.scale;
        if (adx < wSpine + 2 * EDGE) {
          double across = sstep((wSpine - adx) / (1.5 * EDGE));
          double pedicle = 0.4 * gauss((adx - 0.7 * wSpine) / (0.15 * wSpine));
          bone += across * (0.4 + 0.2 * disc[py] + pedicle);
        }
        double cu = clavAlong[px];
        if (cu > -0.05 && cu < 1.05) {
          double dist = Math.abs(y - clavCenter[px]) / (0.016 * a.scale);
          if (dist < 1) {
            bone +=
                1.1
                    * (0.65 + 0.35 * dist * dist)
                    * sstep((1 - dist) / 0.3)
                    * sstep(cu / 0.05)
                    * sstep((1 - cu) / 0.05);
          }
        }
        double fade = ribFade[px];
        if (fade > 0) {
          double th = ribTh[px];
          double ribs = 0;
          for (int i = 0; i < a.ribs; i++) {
            double dist = Math.abs(y - ribCenter[i][px]) / th;
            if (dist < 1) {
              ribs += (0.6 + 0.4 * dist * dist) * sstep((1 - dist) / 0.25);
            }
            if (tl[px] > 0.25 && i < a.ribs - 2) {
              double da = Math.abs(y - antCenter[i][px]) / (0.8 * th);
              if (da < 1) {
                ribs +=
                    0.35
                        * (0.6 + 0.4 * da * da)
                        * sstep((1 - da) / 0.3)
                        * sstep((tl[px] - 0.25) / 0.1);
              }
            }
          }
          int side = dxm < 0 ? 0 : 1;
          double below = 0.12 + 0.88 * sstep((a.cpY[side] + 0.02 - y) / 0.04);
          bone += Math.min(1.6, ribs) * fade * below;
        }
        bone *= body;

        double lungAll = Math.min(1.0, lungSum);
        int i = py * n + px;
        double markings = (vessels[i] + 0.05 * texture[i]) * lungAll * cover;
        att[i] = (float) (tissue + breast + a.bone * bone - air + fluid + markings);
      }
    }
    return att;
  }

  /** Extra soft-tissue density of pleural fluid over the air it replaces. */
  private static final double FLUID_EXTRA = 0.12;

  /**
   * Moves the phantom to where this shot sees it (rotation and shift, bilinear resampling) and
   * applies the shot's exposure with a linear gradient across the field.
   */
  private static float[] place(float[] att, int n, Anatomy a, Shot shot) {
    double cos = StrictMath.cos(shot.rotation());
    double sin = StrictMath.sin(shot.rotation());
    double gx = StrictMath.cos(a.gradAngle) * a.gradStrength;
    double gy = StrictMath.sin(a.gradAngle) * a.gradStrength;
    float[] out = new float[n * n];
    for (int py = 0; py < n; py++) {
      double v = (py + 0.5) / n - 0.5;
      for (int px = 0; px < n; px++) {
        double u = (px + 0.5) / n - 0.5;
        double x = (cos * u + sin * v + 0.5 - shot.shiftX()) * n - 0.5;
        double y = (-sin * u + cos * v + 0.5 - shot.shiftY()) * n - 0.5;
        double value = bilinear(att, n, x, y);
        out[py * n + px] = (float) (value * shot.exposure() * (1 + gx * u + gy * v));
      }
    }
    return out;
  }

  private static double bilinear(float[] img, int n, double x, double y) {
    double cx = Math.min(n - 1.0, Math.max(0.0, x));
    double cy = Math.min(n - 1.0, Math.max(0.0, y));
    int x0 = Math.min(n - 2, (int) cx);
    int y0 = Math.min(n - 2, (int) cy);
    double fx = cx - x0;
    double fy = cy - y0;
    double top = img[y0 * n + x0] * (1 - fx) + img[y0 * n + x0 + 1] * fx;
    double bottom = img[(y0 + 1) * n + x0] * (1 - fx) + img[(y0 + 1) * n + x0 + 1] * fx;
    return top * (1 - fy) + bottom * fy;
  }

  /** Film response (exponential, then gamma) through a lookup table, plus Gaussian-ish noise. */
  private static byte[] film(float[] att, Anatomy a, long noiseSeed) {
    int steps = 4096;
    double max = 4.0;
    double[] lut = new double[steps + 1];
    for (int i = 0; i <= steps; i++) {
      double film = 1 - StrictMath.exp(-a.gain * max * i / steps);
      lut[i] = StrictMath.pow(film, a.gamma);
    }
    SplittableRandom noise = new SplittableRandom(noiseSeed);
    byte[] out = new byte[att.length];
    for (int i = 0; i < out.length; i++) {
      double pos = Math.min(max, Math.max(0.0, att[i])) / max * steps;
      int j = Math.min(steps - 1, (int) pos);
      double g = lut[j] + (lut[j + 1] - lut[j]) * (pos - j);
      // Irwin-Hall: the sum of four uniforms, centred and scaled to unit variance.
      double z =
          (noise.nextDouble() + noise.nextDouble() + noise.nextDouble() + noise.nextDouble() - 2.0)
              * 1.7320508075688772;
      g += a.noise * z;
      out[i] = (byte) (int) Math.round(clamp01(g) * 255);
    }
    return out;
  }

  /** Half-width of the body outline at height {@code y}: neck, sloping shoulders, chest. */
  private static double bodyHalfWidth(Anatomy a, double y) {
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
  private static double arm(Anatomy a, double adx, double half, double y) {
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
  private static double bubble(Anatomy a, double dxm, double y) {
    double roof = a.cpY[1] - a.dome[1] + 0.06;
    double gx = (dxm - 0.5 * a.lungWidth[1]) / 0.055;
    double gy = (y - roof - 0.02) / 0.028;
    double g = gx * gx + gy * gy;
    return g < 1 ? a.bubble * 0.3 * sstep((1 - g) * 3) * sstep((y - roof) / EDGE) : 0.0;
  }

  /** Breast shadows over the lower lateral lung zones. */
  private static double breast(Anatomy a, double dxm, double y) {
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
  private static double bump(double q) {
    if (q <= 0 || q >= 1) {
      return 0.0;
    }
    return StrictMath.pow(StrictMath.sin(Math.PI * StrictMath.pow(q, 0.75)), 0.7);
  }

  /**
   * Fraction of a lung point's air replaced by pleural fluid. The fluid surface is flat and low
   * medially and rises in an upward-concave curve (the meniscus) as the point nears the lateral
   * chest wall; the fluid fades in over a short depth below the surface.
   *
   * @param wall distance from the lateral lung border at this height (normalised units)
   * @param t height above the costophrenic angle as a fraction of lung height
   * @param lungHeight lung height (normalised units)
   */
  private static double fluidFraction(
      Lesions les, int k, double wall, double t, double lungHeight) {
    double h = les.effusion[k];
    double medialH = 0.5 * h;
    double lateralH = Math.min(0.7, h * (1 + les.meniscus[k]) + 0.06);
    double z = Math.max(0.0, wall) / les.meniscusWidth[k];
    double rise = 1 / ((1 + z) * (1 + z));
    double height = medialH + (lateralH - medialH) * rise;
    double edge = les.fluidEdge + 0.12 * h * lungHeight;
    return les.fluidDensity * sstep((height - t) * lungHeight / edge);
  }

  /** Plate-like band of collapse in the lower lung zone. */
  private static double atelectasis(Lesions les, double q, double t) {
    double tc = les.atelectasisPos + les.atelectasisAngle * (q - 0.5);
    double d = Math.abs(t - tc) / 0.025;
    double along = sstep((q - 0.15) / 0.1) * sstep((0.85 - q) / 0.1);
    return d < 1 ? (1 - d * d) * along : 0.0;
  }

  /** Branching pulmonary vessels from each hilum, rasterised as soft capsules in pixels. */
  private static float[] vessels(Anatomy a, int size) {
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

  /** Smooth random field in [-1, 1] (bicubic-ish interpolation of a coarse random grid). */
  private static float[] texture(long seed, int size) {
    SplittableRandom r = new SplittableRandom(seed);
    int grid = 14;
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

  /** Separable Gaussian blur with clamped borders. */
  static float[] gaussianBlur(float[] in, int size, double sigma) {
    if (sigma < 0.3) {
      return in.clone();
    }
    int radius = (int) Math.ceil(3 * sigma);
    double[] kernel = new double[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      kernel[i + radius] = StrictMath.exp(-0.5 * i * i / (sigma * sigma));
      sum += kernel[i + radius];
    }
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] /= sum;
    }
    float[] tmp = new float[in.length];
    float[] out = new float[in.length];
    for (int y = 0; y < size; y++) {
      int row = y * size;
      for (int x = 0; x < size; x++) {
        double acc = 0;
        for (int i = -radius; i <= radius; i++) {
          int xx = Math.min(size - 1, Math.max(0, x + i));
          acc += kernel[i + radius] * in[row + xx];
        }
        tmp[row + x] = (float) acc;
      }
    }
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double acc = 0;
        for (int i = -radius; i <= radius; i++) {
          int yy = Math.min(size - 1, Math.max(0, y + i));
          acc += kernel[i + radius] * tmp[yy * size + x];
        }
        out[y * size + x] = (float) acc;
      }
    }
    return out;
  }

  static double uniform(SplittableRandom r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  private static double gauss(double z) {
    return StrictMath.exp(-0.5 * z * z);
  }

  private static double smooth(double f) {
    return f * f * (3 - 2 * f);
  }

  /** Smoothstep of {@code z} clamped to [0, 1]: 0 below 0, 1 above 1. */
  private static double sstep(double z) {
    if (z <= 0) {
      return 0.0;
    }
    if (z >= 1) {
      return 1.0;
    }
    return z * z * (3 - 2 * z);
  }

  private static double clamp01(double z) {
    return z < 0 ? 0 : (z > 1 ? 1 : z);
  }
}
