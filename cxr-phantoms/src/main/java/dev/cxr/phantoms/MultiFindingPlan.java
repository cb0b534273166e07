package dev.cxr.phantoms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Who is in a multi-finding cohort: patients, their ages and sexes, how many images each has, and
 * which findings each carries. Every patient draws each requested finding independently with the
 * same prevalence, so an image may show none, one or several; a follow-up image shows the same
 * findings as the patient's first.
 *
 * <p>The findings come from each patient's own stream ({@link PatientModel#FINDINGS_STREAM}), which
 * sees neither the anatomy nor the other patients: one uniform per drawable finding, in {@link
 * Finding} order, drawn whether or not the finding was requested. So a patient's Effusion is the
 * same whichever other findings are asked for, and the findings are independent by construction.
 */
final class MultiFindingPlan {

  private MultiFindingPlan() {}

  /**
   * Plans a multi-finding cohort.
   *
   * @param images total number of images
   * @param findings the findings to draw
   * @param prevalence probability of each finding per patient, in (0, 1)
   * @param seed the seed of the data set
   * @return the images, ordered by patient id then follow-up number
   */
  static List<CohortPlan.Entry> plan(
      int images, Set<Finding> findings, double prevalence, long seed) {
    // The same patient structure as the Effusion cohorts: a third of the images in pairs.
    int pairs = images / CohortPlan.PAIR_DIVISOR;
    List<Integer> counts = new ArrayList<>();
    for (int i = 0; i < images - pairs; i++) {
      counts.add(i < pairs ? 2 : 1);
    }
    SplittableRandom rng = new SplittableRandom(PatientModel.mix(seed, 0, 0));
    counts = CohortPlan.shuffled(counts, rng);

    List<CohortPlan.Entry> entries = new ArrayList<>(images);
    for (int i = 0; i < counts.size(); i++) {
      int patient = i + 1;
      Set<Finding> has = draw(seed, patient, findings, prevalence);
      int age = 18 + rng.nextInt(70);
      boolean female = rng.nextBoolean();
      for (int f = 0; f < counts.get(i); f++) {
        entries.add(new CohortPlan.Entry(patient, f, has, age + f * rng.nextInt(3), female));
      }
    }
    return entries;
  }

  /** The findings of one patient: each requested one independently with the prevalence. */
  private static Set<Finding> draw(
      long seed, int patient, Set<Finding> findings, double prevalence) {
    SplittableRandom r =
        new SplittableRandom(PatientModel.mix(seed, patient, PatientModel.FINDINGS_STREAM));
    Set<Finding> has = EnumSet.noneOf(Finding.class);
    for (Finding f : Finding.values()) {
      if (r.nextDouble() < prevalence && findings.contains(f)) {
        has.add(f);
      }
    }
    return Collections.unmodifiableSet(has);
  }
}
