package dev.cxr.phantoms;

import static dev.cxr.phantoms.PhantomMath.gauss;
import static dev.cxr.phantoms.PhantomMath.sstep;
import static dev.cxr.phantoms.PhantomMath.uniform;

import java.util.SplittableRandom;

/**
 * A pneumothorax of one lung: air between the lung and the chest wall over the apex and down the
 * lateral wall. The lung's edge (the visceral pleura) is a thin white line that runs parallel to
 * the chest wall at a distance, the gap; beyond it there are no lung markings (no vessels, no
 * texture) and the film is darker, because pleural air replaces lung parenchyma.
 *
 * <p>Geometry in the lung's own superellipse coordinates: {@code s}, the outline's level ({@code
 * (qPow + tPow)^(1 / lungP)}, 1 on the chest wall), and {@code phi}, the angle around the lung's
 * base centre (0 at the lateral costophrenic angle, pi/2 at the apex, pi at the medial base). The
 * gap is widest over the apex and the upper lateral wall and tapers to nothing at {@link #low} (how
 * far down the lateral wall the air reaches: a large pneumothorax reaches the base) and at {@link
 * #high} (a little past the apex, medially).
 */
final class Pneumothorax {
  /** Width of the transition from lung to pleural air, in normalised image units. */
  private static final double EDGE = 0.003;

  /** Standard deviation of the visceral pleural line: half a pixel at 256 px. */
  private static final double LINE_SIGMA = 0.002;

  /** Angle over which the gap tapers to nothing at its lower and medial ends (radians). */
  private static final double TAPER = 0.35;

  /** The lung: 0 image left, 1 image right. */
  final int side;

  /** Largest distance of the lung edge from the chest wall, in normalised image units. */
  final double gap;

  /** Angle where the gap has tapered off down the lateral wall: about 1.1 small, 0.2 large. */
  final double low;

  /** Angle where the gap has tapered off medially past the apex. */
  final double high;

  /** Extra air beyond the edge, as a fraction of the lung's own air there. */
  final double lucency;

  /** Extra density of the visceral pleural line at its centre. */
  final double line;

  /**
   * Draws a pneumothorax. Every draw is made whatever the difficulty, so the stream's positions do
   * not depend on it. At difficulty 0 the gap is 0.035 to 0.12 of the image (4.5 to 15 pixels at
   * 128 px; small ones over the apex only, large ones down the whole lateral wall), the air beyond
   * the edge is 25 to 35 % more than the lung's (a step of 31 to 56 gray levels at 128 px in the
   * tests' patients; more would black out the ribs over it) and the pleural line has a density of
   * 0.15 to 0.25 (two to four times a vessel's). At difficulty 1 the gap and the line are halved
   * and the extra air cut to 40 %.
   *
   * @param r the stream to draw from
   * @param difficulty in [0, 1]
   */
  Pneumothorax(SplittableRandom r, double difficulty) {
    side = r.nextInt(2);
    double size = StrictMath.pow(r.nextDouble(), 1.2);
    gap = (0.035 + 0.085 * size) * (1 - 0.5 * difficulty);
    low = 1.1 - 0.9 * size + uniform(r, -0.1, 0.1);
    high = uniform(r, 2.0, 2.4);
    lucency = uniform(r, 0.25, 0.35) * (1 - 0.6 * difficulty);
    line = uniform(r, 0.15, 0.25) * (1 - 0.5 * difficulty);
  }

  /**
   * How far a lung point lies beyond the visceral pleural line, towards the chest wall.
   *
   * @param qq position across the lung (0 medial, 1 lateral)
   * @param tt height above the costophrenic angle as a fraction of lung height
   * @param r the lung outline's superellipse sum at the point (1 on the outline)
   * @param a the anatomy
   * @param w lung width (normalised units)
   * @param h lung height (normalised units)
   * @return signed distance in normalised image units: positive in the pleural air, negative in the
   *     lung; {@code -1} where the pneumothorax does not reach
   */
  double beyondEdge(double qq, double tt, double r, Anatomy a, double w, double h) {
    if (tt <= 0) {
      return -1;
    }
    boolean lateral = qq >= a.apexQ;
    double qa = lateral ? (qq - a.apexQ) / (1 - a.apexQ) : -(a.apexQ - qq) / a.apexQ;
    double phi = StrictMath.atan2(tt, qa);
    double taper = sstep((phi - low) / TAPER) * sstep((high - phi) / TAPER);
    if (taper <= 0) {
      return -1;
    }
    double radial = w * (lateral ? 1 - a.apexQ : a.apexQ);
    double length = Math.hypot(radial * StrictMath.cos(phi), h * StrictMath.sin(phi));
    double s = StrictMath.pow(r, 1 / a.lungP);
    return (s - 1) * length + gap * taper;
  }

  /**
   * How much of the lung is gone at a point: 1 in the pleural air, 0 in the lung.
   *
   * @param beyond the point's {@link #beyondEdge} distance
   * @return the fraction, in [0, 1]
   */
  static double region(double beyond) {
    return sstep(beyond / EDGE + 0.5);
  }

  /**
   * Density of the visceral pleural line at a point.
   *
   * @param beyond the point's {@link #beyondEdge} distance
   * @return the extra density
   */
  double lineDensity(double beyond) {
    return beyond < -0.5 ? 0.0 : line * gauss(beyond / LINE_SIGMA);
  }
}
