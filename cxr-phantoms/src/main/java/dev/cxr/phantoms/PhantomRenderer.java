package dev.cxr.phantoms;

import static dev.cxr.phantoms.PhantomMath.bilinear;
import static dev.cxr.phantoms.PhantomMath.clamp01;
import static dev.cxr.phantoms.PhantomMath.gaussianBlur;

import java.util.BitSet;
import java.util.EnumMap;
import java.util.Map;
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
 * meniscus that rises along the lateral chest wall; cardiomegaly enlarges the heart; a nodule adds
 * a round opacity; atelectasis takes the air out of a plate-like band; a pneumothorax adds air and
 * takes the markings away between the lung's edge and the chest wall. The map is then blurred a
 * little, passed through an exponential film response with a random exposure gradient, contrast and
 * gamma, and near-Gaussian noise (a centred sum of four uniforms) is added. Radiograph convention:
 * air dark, tissue, bone and fluid bright.
 *
 * <p>All randomness comes from {@link SplittableRandom}s handed in by the caller and all
 * transcendental functions are {@link StrictMath}'s, so the same inputs give the same bytes on
 * every JVM.
 *
 * <p>The work is split by concern: {@link Anatomy}, {@link Lesions} and {@link Shot} hold what is
 * sampled per patient and per image; {@link AttenuationMap} composes the attenuation map from
 * {@link ThoraxTables} (geometry), {@link BodyParts} (soft-tissue shapes), {@link LungMarkings}
 * (vessels and texture) and the lesions; this class positions, blurs and exposes it.
 */
final class PhantomRenderer {

  private PhantomRenderer() {}

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
    float[] att = AttenuationMap.attenuation(a, lesions, size);
    float[] placed = place(att, size, a, shot);
    float[] blurred = gaussianBlur(placed, size, a.blur * size / 256.0);
    return film(blurred, a, shot.noiseSeed());
  }

  /**
   * Where the findings of an image lie: for each, the placed attenuation with and without that
   * finding (all else equal), compared (see {@link LesionMask}).
   *
   * @param a the patient's anatomy
   * @param lesions the image's findings
   * @param shot positioning and exposure of the image
   * @param size width and height in pixels
   * @param findings the findings to locate
   * @return a mask per finding, in finding order (empty for a finding the image does not show)
   */
  static Map<Finding, LesionMask> masks(
      Anatomy a, Lesions lesions, Shot shot, int size, Set<Finding> findings) {
    Map<Finding, LesionMask> out = new EnumMap<>(Finding.class);
    if (findings.isEmpty()) {
      return out;
    }
    float[] with = place(AttenuationMap.attenuation(a, lesions, size), size, a, shot);
    for (Finding f : findings) {
      Lesions less = lesions.without(f);
      float[] without = place(AttenuationMap.attenuation(a, less, size), size, a, shot);
      out.put(f, compare(with, without, size));
    }
    return out;
  }

  /** The pixels where two placed attenuation maps differ by at least a fraction of their peak. */
  private static LesionMask compare(float[] with, float[] without, int size) {
    double peak = 0;
    for (int i = 0; i < with.length; i++) {
      peak = Math.max(peak, Math.abs(with[i] - without[i]));
    }
    BitSet bits = new BitSet(with.length);
    for (int i = 0; i < with.length && peak > 0; i++) {
      if (Math.abs(with[i] - without[i]) >= LesionMask.FRACTION_OF_PEAK * peak) {
        bits.set(i);
      }
    }
    return new LesionMask(size, bits);
  }

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
}
