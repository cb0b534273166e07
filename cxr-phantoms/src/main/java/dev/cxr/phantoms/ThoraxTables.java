package dev.cxr.phantoms;

import static dev.cxr.phantoms.BodyParts.bodyHalfWidth;
import static dev.cxr.phantoms.BodyParts.bump;
import static dev.cxr.phantoms.PhantomMath.clamp01;
import static dev.cxr.phantoms.PhantomMath.gauss;
import static dev.cxr.phantoms.PhantomMath.sstep;

/**
 * The phantom's geometry separated by axis: everything that depends on the column only (lung
 * widths, diaphragm heights, rib and clavicle centre lines) and everything that depends on the row
 * only (lung heights, body width, aortic knob, vertebral discs, trachea). Computing these once per
 * image instead of once per pixel is what keeps rendering fast, since the expensive {@code pow}
 * calls then run O(n) rather than O(n^2) times.
 *
 * <p>Coordinates are normalised: pixel {@code p} of {@code n} sits at {@code (p + 0.5) / n}. Index
 * {@code k} is the lung, 0 for image left (patient's right) and 1 for image right.
 */
final class ThoraxTables {

  // Per column: everything that depends on x only.

  /** Horizontal offset of each column from the body's midline. */
  final double[] xs;

  /** Position across lung {@code k} (0 medial edge, 1 lateral edge). */
  final double[][] q;

  /** The horizontal term of lung {@code k}'s superellipse outline. */
  final double[][] qPow;

  /** Height of lung {@code k}'s hemidiaphragm in each column. */
  final double[][] dia;

  /** Position along the ribs from the spine (0) to the lateral chest wall (about 1). */
  final double[] tl;

  /** Centre line of each posterior rib. */
  final double[][] ribCenter;

  /** Centre line of each anterior rib. */
  final double[][] antCenter;

  /** Rib thickness, growing laterally. */
  final double[] ribTh;

  /** Rib visibility: fainter over the lung edge, none beyond the chest wall. */
  final double[] ribFade;

  /** Centre line of the clavicles. */
  final double[] clavCenter;

  /** Position along the clavicle (0 medial end, 1 lateral end). */
  final double[] clavAlong;

  // Per row: everything that depends on y only.

  /** Height above lung {@code k}'s costophrenic angle as a fraction of lung height. */
  final double[][] t;

  /** The vertical term of lung {@code k}'s superellipse outline. */
  final double[][] tPow;

  /** Lateral lung border of lung {@code k} at this height, in units of {@link #q}. */
  final double[][] lateral;

  /** Half-width of the body outline. */
  final double[] bodyHalf;

  /** Extra mediastinal width of the aortic knob. */
  final double[] knob;

  /** Brightness modulation of the spine by vertebral bodies and discs. */
  final double[] disc;

  /** Fade-in of the mediastinum below the top of the image. */
  final double[] medTop;

  /** Extent of the tracheal air column. */
  final double[] trachea;

  /**
   * Computes the tables of one patient at one image size.
   *
   * @param a the anatomy
   * @param n width and height in pixels
   */
  ThoraxTables(Anatomy a, int n) {
    xs = new double[n];
    q = new double[2][n];
    qPow = new double[2][n];
    dia = new double[2][n];
    tl = new double[n];
    ribCenter = new double[a.ribs][n];
    antCenter = new double[a.ribs][n];
    ribTh = new double[n];
    ribFade = new double[n];
    clavCenter = new double[n];
    clavAlong = new double[n];
    t = new double[2][n];
    tPow = new double[2][n];
    lateral = new double[2][n];
    bodyHalf = new double[n];
    knob = new double[n];
    disc = new double[n];
    medTop = new double[n];
    trachea = new double[n];
    columns(a, n);
    rows(a, n);
  }

  private void columns(Anatomy a, int n) {
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
      double lat = (Math.abs(dxm) - 0.03) / a.lungWidth[side];
      tl[px] = lat;
      double tc = Math.min(1.0, Math.max(0.0, lat));
      ribTh[px] = a.ribThick * (0.8 + 0.45 * tc);
      ribFade[px] = 0.35 + 0.65 * sstep((1.04 - lat) / 0.06);
      ribFade[px] *= sstep((1.12 - lat) / 0.05) * sstep((lat + 0.02) / 0.06);
      for (int i = 0; i < a.ribs; i++) {
        double y0 = a.ribTop + i * a.ribGap * (1 + 0.03 * i);
        double curve = a.ribCurve * (0.8 + 0.4 * i / a.ribs);
        ribCenter[i][px] = y0 - a.ribRise * lat + curve * lat * lat;
        double m = 1 - lat;
        antCenter[i][px] = y0 - a.ribRise + curve + 0.17 * m - 0.05 * m * m;
      }
      double u = (Math.abs(dxm) - 0.03) / (0.27 * a.scale);
      clavAlong[px] = u;
      clavCenter[px] = a.clavY + 0.02 - a.clavTilt * u + 0.012 * StrictMath.sin(2 * Math.PI * u);
    }
  }

  private void rows(Anatomy a, int n) {
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
  }
}
