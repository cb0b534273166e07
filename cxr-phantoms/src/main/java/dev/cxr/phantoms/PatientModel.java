package dev.cxr.phantoms;

import dev.cxr.augment.SplitMix64;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The anatomy and lesions of one patient, drawn from the patient's own random streams, so that
 * every image of the patient shows the same person whichever thread renders it.
 *
 * <p>Each (patient, purpose) pair has a stream of its own, seeded by {@link #mix(long, long,
 * long)}: stream 0 of patient 0 plans the cohort, stream 1 draws the anatomy, stream 2 the lesions
 * and stream {@code 3 + followUp} the shot of each image. The multi-finding mode adds streams below
 * zero, which no follow-up number can reach: {@value #FINDINGS_STREAM} draws which findings the
 * patient has, {@value #STYLE_STREAM} how conspicuous they are. Because no stream is shared,
 * neither the label nor the rendering order can shift another draw, and the Effusion cohorts, which
 * never open the new streams, draw exactly what they drew before.
 */
final class PatientModel {
  /** The multi-finding mode's stream of which findings a patient has. */
  static final long FINDINGS_STREAM = -1;

  /** The multi-finding mode's stream of the {@link LesionStyle}. */
  static final long STYLE_STREAM = -2;

  private final Anatomy anatomy;
  private final Lesions lesions;
  private final long seed;
  private final int patientId;

  /**
   * Draws the anatomy and lesions of the patient of a cohort entry.
   *
   * @param seed the seed of the whole data set
   * @param e any entry of the patient (follow-ups share patient id, sex and findings)
   * @param difficulty how subtle the lesions are, in [0, 1] (0: as drawn)
   * @param multiFinding whether the findings take the multi-finding look ({@link
   *     LesionStyle#sample}) rather than the legacy one
   */
  PatientModel(long seed, CohortPlan.Entry e, double difficulty, boolean multiFinding) {
    this.seed = seed;
    this.patientId = e.patientId();
    this.anatomy = new Anatomy(new SplittableRandom(mix(seed, patientId, 1)), e.female());
    LesionStyle style =
        multiFinding
            ? LesionStyle.sample(
                new SplittableRandom(mix(seed, patientId, STYLE_STREAM)),
                e.findings(),
                anatomy,
                difficulty)
            : null;
    this.lesions =
        new Lesions(new SplittableRandom(mix(seed, patientId, 2)), e.findings(), style)
            .subtler(difficulty);
  }

  /**
   * @return the patient's anatomy
   */
  Anatomy anatomy() {
    return anatomy;
  }

  /**
   * @return the lesions of the patient's first image
   */
  Lesions lesions() {
    return lesions;
  }

  /**
   * Renders one image of the patient.
   *
   * @param followUp the follow-up number, 0 for the first image
   * @param size width and height in pixels
   * @return {@code size * size} gray levels, row by row
   */
  byte[] render(int followUp, int size) {
    SplittableRandom shotRng = new SplittableRandom(mix(seed, patientId, 3 + followUp));
    Shot shot = Shot.sample(shotRng);
    return PhantomRenderer.render(anatomy, lesionsOf(followUp, shotRng), shot, size);
  }

  /**
   * Where some findings of one image lie.
   *
   * @param followUp the follow-up number, 0 for the first image
   * @param size width and height in pixels
   * @param findings the findings to locate (a finding the image lacks gets an empty mask)
   * @return a mask per finding, aligned with {@link #render(int, int)}'s pixels
   */
  Map<Finding, LesionMask> masks(int followUp, int size, Set<Finding> findings) {
    SplittableRandom shotRng = new SplittableRandom(mix(seed, patientId, 3 + followUp));
    Shot shot = Shot.sample(shotRng);
    return PhantomRenderer.masks(anatomy, lesionsOf(followUp, shotRng), shot, size, findings);
  }

  /** A follow-up shows the same lesions, with the effusion grown or shrunk a little. */
  private Lesions lesionsOf(int followUp, SplittableRandom shotRng) {
    return followUp == 0 ? lesions : new Lesions(lesions, PhantomMath.uniform(shotRng, 0.75, 1.3));
  }

  /**
   * Seed of one random stream: a SplitMix64 finaliser over (seed, patient, stream).
   *
   * @param seed the seed of the whole data set
   * @param patient the patient id (0 for streams not tied to a patient)
   * @param stream which stream of the patient
   * @return the stream's seed
   */
  static long mix(long seed, long patient, long stream) {
    return SplitMix64.mix64(
        seed * SplitMix64.GOLDEN_GAMMA
            + patient * 0xC2B2AE3D27D4EB4FL
            + stream * 0x165667B19E3779F9L);
  }
}
