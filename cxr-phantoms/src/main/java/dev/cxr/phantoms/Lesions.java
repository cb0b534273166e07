package dev.cxr.phantoms;

import static dev.cxr.phantoms.PhantomMath.sstep;
import static dev.cxr.phantoms.PhantomMath.uniform;

import java.util.Set;
import java.util.SplittableRandom;

/**
 * How the findings of one patient look; sampled from a random stream of its own so that the anatomy
 * does not depend on the label. The effusion's shape and the positions of atelectasis and nodule
 * come from that stream in every mode; how conspicuous cardiomegaly, nodule, atelectasis and
 * pneumothorax are comes from a {@link LesionStyle} (the legacy constants, or a multi-finding style
 * drawn from a stream of its own).
 */
final class Lesions {
  /** Extra soft-tissue density of pleural fluid over the air it replaces. */
  static final double FLUID_EXTRA = 0.12;

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

  /** How conspicuous the findings are, and the pneumothorax if there is one. */
  final LesionStyle style;

  /**
   * Draws one patient's lesions in the legacy style of the Effusion cohorts.
   *
   * @param r the patient's lesion stream
   * @param findings the patient's labels; only the lesions of these findings are drawn
   */
  Lesions(SplittableRandom r, Set<Finding> findings) {
    this(r, findings, null);
  }

  /**
   * Draws one patient's lesions. The draws from {@code r} are the same whatever the style, so the
   * effusions and positions of a patient do not depend on it.
   *
   * @param r the patient's lesion stream
   * @param findings the patient's labels; only the lesions of these findings are drawn
   * @param style how conspicuous the findings are; null for the legacy style
   */
  Lesions(SplittableRandom r, Set<Finding> findings, LesionStyle style) {
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
    double radius = uniform(r, 0.015, 0.03);
    this.style = style != null ? style : LesionStyle.legacy(cardiomegaly);
    noduleRadius = Double.isNaN(this.style.noduleRadius()) ? radius : this.style.noduleRadius();
  }

  /**
   * The same lesions with effusions grown or shrunk by {@code factor} (a follow-up).
   *
   * @param base the lesions of the first image
   * @param factor growth of the effusions; heights are capped at half the lung
   */
  Lesions(Lesions base, double factor) {
    this(base, factor, 1.0);
  }

  /**
   * The same lesions with effusions scaled in height and in density.
   *
   * @param base the lesions to scale
   * @param factor growth of the effusions; heights are capped at half the lung
   * @param densityFactor multiplier of the fluid's density (1 keeps it)
   */
  Lesions(Lesions base, double factor, double densityFactor) {
    for (int k = 0; k < 2; k++) {
      effusion[k] = Math.min(0.5, base.effusion[k] * factor);
      meniscus[k] = base.meniscus[k];
      meniscusWidth[k] = base.meniscusWidth[k];
    }
    fluidDensity = base.fluidDensity * densityFactor;
    fluidEdge = base.fluidEdge;
    cardiomegaly = base.cardiomegaly;
    atelectasisSide = base.atelectasisSide;
    atelectasisPos = base.atelectasisPos;
    atelectasisAngle = base.atelectasisAngle;
    noduleSide = base.noduleSide;
    noduleQ = base.noduleQ;
    noduleT = base.noduleT;
    noduleRadius = base.noduleRadius;
    style = base.style;
  }

  /**
   * The same lesions less one finding: what the image would show without it (for the masks).
   *
   * @param base the lesions
   * @param dropped the finding to take away
   */
  private Lesions(Lesions base, Finding dropped) {
    for (int k = 0; k < 2; k++) {
      effusion[k] = dropped == Finding.EFFUSION ? 0.0 : base.effusion[k];
      meniscus[k] = base.meniscus[k];
      meniscusWidth[k] = base.meniscusWidth[k];
    }
    fluidDensity = base.fluidDensity;
    fluidEdge = base.fluidEdge;
    cardiomegaly = base.cardiomegaly && dropped != Finding.CARDIOMEGALY;
    atelectasisSide = dropped == Finding.ATELECTASIS ? -1 : base.atelectasisSide;
    atelectasisPos = base.atelectasisPos;
    atelectasisAngle = base.atelectasisAngle;
    noduleSide = dropped == Finding.NODULE ? -1 : base.noduleSide;
    noduleQ = base.noduleQ;
    noduleT = base.noduleT;
    noduleRadius = base.noduleRadius;
    style = base.style.without(dropped);
  }

  /**
   * These lesions without one finding, all else equal.
   *
   * @param f the finding to take away
   * @return the lesions an image without {@code f} would show
   */
  Lesions without(Finding f) {
    return new Lesions(this, f);
  }

  /**
   * @return the pneumothorax, or null without one
   */
  Pneumothorax pneumothorax() {
    return style.pneumothorax();
  }

  /**
   * The lesions made harder to see: at difficulty 1 the effusions keep a quarter of their height
   * and a fifth of their density (faint blunting of the costophrenic angle rather than a
   * white-out).
   *
   * @param difficulty in [0, 1]; 0 returns these lesions unchanged
   * @return the subtler lesions
   */
  Lesions subtler(double difficulty) {
    return difficulty == 0 ? this : new Lesions(this, 1 - 0.75 * difficulty, 1 - 0.8 * difficulty);
  }

  /**
   * Fraction of a lung point's air replaced by pleural fluid. The fluid surface is flat and low
   * medially and rises in an upward-concave curve (the meniscus) as the point nears the lateral
   * chest wall; the fluid fades in over a short depth below the surface.
   *
   * @param k the lung: 0 image left, 1 image right
   * @param wall distance from the lateral lung border at this height (normalised units)
   * @param t height above the costophrenic angle as a fraction of lung height
   * @param lungHeight lung height (normalised units)
   */
  double fluidFraction(int k, double wall, double t, double lungHeight) {
    double h = effusion[k];
    double medialH = 0.5 * h;
    double lateralH = Math.min(0.7, h * (1 + meniscus[k]) + 0.06);
    double z = Math.max(0.0, wall) / meniscusWidth[k];
    double rise = 1 / ((1 + z) * (1 + z));
    double height = medialH + (lateralH - medialH) * rise;
    double edge = fluidEdge + 0.12 * h * lungHeight;
    return fluidDensity * sstep((height - t) * lungHeight / edge);
  }

  /**
   * Plate-like band of collapse in the lower lung zone.
   *
   * @param q lateral position across the lung (0 medial, 1 lateral)
   * @param t height above the costophrenic angle as a fraction of lung height
   * @return how much of the air is collapsed, in [0, 1]
   */
  double atelectasis(double q, double t) {
    double tc = atelectasisPos + atelectasisAngle * (q - 0.5);
    double d = Math.abs(t - tc) / style.atelectasisHalf();
    double along = sstep((q - 0.15) / 0.1) * sstep((0.85 - q) / 0.1);
    return d < 1 ? (1 - d * d) * along : 0.0;
  }

  /**
   * Thickness profile of the nodules at a point of one lung: the nodule of {@link #nodule} and the
   * style's extra nodules (none in the legacy style), where they overlap the thicker.
   *
   * @param k the lung: 0 image left, 1 image right
   * @param q lateral position across the lung (0 medial, 1 lateral)
   * @param t height above the costophrenic angle as a fraction of lung height
   * @param w lung width (normalised units)
   * @param h lung height (normalised units)
   * @return 1 at a nodule's centre, 0 outside every nodule
   */
  double nodules(int k, double q, double t, double w, double h) {
    double nod = k == noduleSide ? nodule(q, t, w, h) : 0.0;
    if (noduleSide >= 0) {
      for (LesionStyle.Spot s : style.extraNodules()) {
        if (s.side() == k) {
          nod = Math.max(nod, s.profile(q, t, w, h));
        }
      }
    }
    return nod;
  }

  /**
   * Thickness profile of the nodule (a sphere seen in projection) at a lung point.
   *
   * @param q lateral position across the lung (0 medial, 1 lateral)
   * @param t height above the costophrenic angle as a fraction of lung height
   * @param w lung width (normalised units)
   * @param h lung height (normalised units)
   * @return 1 at the nodule's centre, 0 outside it
   */
  double nodule(double q, double t, double w, double h) {
    double nx = (q - noduleQ) * w;
    double ny = (t - noduleT) * h;
    double d2 = (nx * nx + ny * ny) / (noduleRadius * noduleRadius);
    return d2 < 1 ? Math.sqrt(1 - d2) : 0.0;
  }
}
