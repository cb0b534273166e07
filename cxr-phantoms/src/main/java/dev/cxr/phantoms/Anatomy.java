package dev.cxr.phantoms;

import static dev.cxr.phantoms.PhantomMath.uniform;

import java.util.SplittableRandom;

/**
 * The anatomy and acquisition style of one patient: sampled once per patient, so that a patient's
 * follow-up images look like the same person. Sampled without looking at the labels, so positives
 * and negatives share one distribution.
 */
final class Anatomy {
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

  /**
   * Draws one patient's anatomy. The order of the draws is part of the output: changing it would
   * change every generated image.
   *
   * @param r the patient's anatomy stream
   * @param female whether breast shadows may be drawn
   */
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
