package dev.cxr.phantoms;

import static dev.cxr.phantoms.PhantomMath.uniform;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * How conspicuous the findings other than effusion are drawn: the legacy look of the Effusion
 * cohorts (constants, so their images stay byte-identical) or the multi-finding look, drawn per
 * patient so that every finding is learnable at 128 px yet varies in size.
 *
 * @param heartScaleX multiplier of the heart's horizontal semi-axis (1 without cardiomegaly)
 * @param heartScaleY multiplier of the heart's vertical semi-axis
 * @param noduleRadius nodule radius in normalised image units, or NaN to keep the one {@link
 *     Lesions} drew
 * @param noduleDensity extra density at the nodule's centre
 * @param atelectasisHalf half-thickness of the atelectatic band, in fractions of lung height
 * @param atelectasisCollapse fraction of the air the band loses at its centre line
 * @param pneumothorax the pneumothorax, or null without one
 * @param fineMarkings amplitude of fine lung markings that reach the lung's periphery (0: none)
 * @param fineMarkingsSeed seed of the fine markings
 * @param extraNodules nodules beside the one {@link Lesions} places, drawn when it is
 */
record LesionStyle(
    double heartScaleX,
    double heartScaleY,
    double noduleRadius,
    double noduleDensity,
    double atelectasisHalf,
    double atelectasisCollapse,
    Pneumothorax pneumothorax,
    double fineMarkings,
    long fineMarkingsSeed,
    List<Spot> extraNodules) {

  /**
   * A round opacity in a lung.
   *
   * @param side the lung: 0 image left, 1 image right
   * @param q lateral position across the lung (0 medial, 1 lateral)
   * @param t height above the costophrenic angle as a fraction of lung height
   * @param radius radius in normalised image units
   */
  record Spot(int side, double q, double t, double radius) {
    /** Thickness profile (a sphere seen in projection): 1 at the centre, 0 outside. */
    double profile(double qq, double tt, double w, double h) {
      double nx = (qq - q) * w;
      double ny = (tt - t) * h;
      double d2 = (nx * nx + ny * ny) / (radius * radius);
      return d2 < 1 ? Math.sqrt(1 - d2) : 0.0;
    }
  }

  /** Amplitude of the multi-finding look's fine lung markings: 0.03, half a vessel's 0.07. */
  private static final double FINE_MARKINGS = 0.03;

  /** Heart enlargement of the legacy cardiomegaly: 1.3 wide, 1.08 high. */
  private static final LesionStyle LEGACY_CARDIOMEGALY =
      new LesionStyle(1.3, 1.08, Double.NaN, 0.25, 0.025, 0.7, null, 0, 0, List.of());

  private static final LesionStyle LEGACY_NORMAL_HEART =
      new LesionStyle(1.0, 1.0, Double.NaN, 0.25, 0.025, 0.7, null, 0, 0, List.of());

  /**
   * The look of the Effusion cohorts (default builder, other findings, labelsLike), exactly as
   * drawn before the multi-finding mode: a nodule of 1.5 to 3 % of the image, of density 0.25; a
   * band of half-thickness 2.5 % of lung height losing 70 % of its air; a heart 1.3 times as wide;
   * no fine lung markings.
   *
   * @param cardiomegaly whether the heart is enlarged
   * @return the style
   */
  static LesionStyle legacy(boolean cardiomegaly) {
    return cardiomegaly ? LEGACY_CARDIOMEGALY : LEGACY_NORMAL_HEART;
  }

  /**
   * Draws the multi-finding look of one patient from a stream of its own. Every draw is made
   * whatever the findings, so each parameter sits at the same position of the stream for every
   * label. At difficulty 0: a cardiothoracic ratio of 0.58 to 0.70 (the normal hearts of these
   * phantoms measure 0.42 to 0.56, 90 % of them 0.45 to 0.54, over 2000 patients); one to three
   * nodules (each count a third of the time), each of radius 3.8 to 5.5 % of the image (4.9 to 7
   * pixels at 128 px, 2.8 to 4 cm on a 36.6 cm film) and density 0.4 to 0.55 (six to eight times a
   * vessel's; smaller, fainter single nodules were not learnt in 12 epochs: test AUC 0.6 to 0.78);
   * an atelectatic band of half-thickness 4.5 to 7 % of lung height (3.5 to 5.4 pixels at 128 px)
   * losing 90 % of its air; and, in every image, fine lung markings out to the periphery (amplitude
   * 0.03, half a vessel's), so that a pneumothorax's missing markings can be seen. Difficulty d
   * shrinks the excess ratio by {@code 0.75 d}, the nodule radius by {@code 0.4 d} and its density
   * by {@code 0.6 d}, the band by {@code 0.4 d} and its collapse by {@code 0.6 d}, like the
   * effusions.
   *
   * @param r the patient's style stream
   * @param findings the patient's findings
   * @param a the patient's anatomy (the heart is enlarged relative to its own thorax)
   * @param difficulty in [0, 1]
   * @return the style
   */
  static LesionStyle sample(
      SplittableRandom r, Set<Finding> findings, Anatomy a, double difficulty) {
    double ratio = 0.5 + uniform(r, 0.08, 0.2) * (1 - 0.75 * difficulty);
    double noduleRadius = uniform(r, 0.038, 0.055) * (1 - 0.4 * difficulty);
    double noduleDensity = uniform(r, 0.4, 0.55) * (1 - 0.6 * difficulty);
    double half = uniform(r, 0.045, 0.07) * (1 - 0.4 * difficulty);
    double collapse = 0.9 * (1 - 0.6 * difficulty);
    Pneumothorax p = new Pneumothorax(r, difficulty);
    long fineSeed = r.nextLong();
    int extra = r.nextInt(3);
    List<Spot> spots = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Spot s =
          new Spot(
              r.nextInt(2),
              uniform(r, 0.3, 0.8),
              uniform(r, 0.3, 0.8),
              uniform(r, 0.038, 0.055) * (1 - 0.4 * difficulty));
      if (i < extra) {
        spots.add(s);
      }
    }
    double sx = findings.contains(Finding.CARDIOMEGALY) ? heartScaleFor(a, ratio) : 1.0;
    return new LesionStyle(
        sx,
        1 + 0.3 * (sx - 1),
        noduleRadius,
        noduleDensity,
        half,
        collapse,
        findings.contains(Finding.PNEUMOTHORAX) ? p : null,
        FINE_MARKINGS,
        fineSeed,
        List.copyOf(spots));
  }

  /**
   * The same style without one finding's change (for {@link Lesions#without(Finding)}).
   *
   * @param f the finding to take away
   * @return the style
   */
  LesionStyle without(Finding f) {
    boolean heart = f == Finding.CARDIOMEGALY;
    boolean air = f == Finding.PNEUMOTHORAX;
    return heart || air
        ? new LesionStyle(
            heart ? 1.0 : heartScaleX,
            heart ? 1.0 : heartScaleY,
            noduleRadius,
            noduleDensity,
            atelectasisHalf,
            atelectasisCollapse,
            air ? null : pneumothorax,
            fineMarkings,
            fineMarkingsSeed,
            extraNodules)
        : this;
  }

  /**
   * The cardiothoracic ratio of a phantom: the widest horizontal extent of the cardiac silhouette
   * (heart, or mediastinum where wider, on each side of the midline) over the widest internal
   * thoracic diameter (the two lungs' lateral borders), as measured on a PA film.
   *
   * @param a the anatomy
   * @param sx multiplier of the heart's horizontal semi-axis
   * @param sy multiplier of its vertical semi-axis
   * @return the ratio
   */
  static double cardiothoracicRatio(Anatomy a, double sx, double sy) {
    double rx = a.heartRx * sx;
    double ry = a.heartRy * sy;
    double c = StrictMath.cos(a.heartTilt);
    double s = StrictMath.sin(a.heartTilt);
    double half = Math.sqrt(rx * c * rx * c + ry * s * ry * s);
    double right = a.heartDx + half;
    double left = Math.max(a.mediastinum, half - a.heartDx);
    return (left + right) / (a.lungWidth[0] + a.lungWidth[1]);
  }

  /**
   * The heart enlargement that gives a cardiothoracic ratio, found by bisection (the ratio grows
   * with the scale); at least 1.05, so an enlarged heart is always larger than the patient's own.
   */
  private static double heartScaleFor(Anatomy a, double ratio) {
    double lo = 1.0;
    double hi = 3.0;
    for (int i = 0; i < 50; i++) {
      double mid = 0.5 * (lo + hi);
      if (cardiothoracicRatio(a, mid, 1 + 0.3 * (mid - 1)) < ratio) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return Math.max(1.05, 0.5 * (lo + hi));
  }
}
