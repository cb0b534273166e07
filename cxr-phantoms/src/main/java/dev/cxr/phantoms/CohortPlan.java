package dev.cxr.phantoms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Who is in the demo cohort: patients, their labels, ages and sexes, and how many images each has.
 * Labels are fixed per patient, so a patient's follow-up image carries the same label, and patient
 * ids are shuffled so that neither id order nor follow-up status says anything about the label.
 */
final class CohortPlan {

  /**
   * One pair of images per this many images of a class: a third of the images belong to patients
   * with two images, so one patient in five has a follow-up.
   */
  static final int PAIR_DIVISOR = 6;

  /** Fraction of Effusion patients that carry a second finding. */
  private static final double CO_LABEL_FRACTION = 0.12;

  /** Second findings given to some Effusion patients, in turn. */
  private static final Finding[] CO_FINDINGS = {Finding.CARDIOMEGALY, Finding.ATELECTASIS};

  /** Findings of the "other finding only" images, in turn. */
  private static final Finding[] OTHER_FINDINGS = {
    Finding.ATELECTASIS, Finding.CARDIOMEGALY, Finding.NODULE
  };

  /** One image of the plan. */
  record Entry(
      int patientId,
      int followUp,
      Set<Finding> findings,
      int age,
      boolean female,
      String realLabel) {
    /** An entry whose label is written from its findings. */
    Entry(int patientId, int followUp, Set<Finding> findings, int age, boolean female) {
      this(patientId, followUp, findings, age, female, null);
    }

    /** The NIH image file name, e.g. {@code 00000017_001.png} (or {@code .dcm}). */
    String fileName(ImageFormat format) {
      return String.format(Locale.ROOT, "%08d_%03d.%s", patientId, followUp, format.extension());
    }

    /**
     * The NIH "Finding Labels" cell: a real file's cell as it was (see {@link LabelsLike}), else
     * written from the findings.
     */
    String label() {
      return realLabel != null ? realLabel : Finding.labelOf(findings);
    }
  }

  private record Patient(Set<Finding> findings, int images) {}

  private CohortPlan() {}

  /**
   * Plans a cohort.
   *
   * @param images total number of images
   * @param positiveFraction fraction of the Effusion / No Finding images that are Effusion
   * @param otherFindings number of images with another finding only
   * @param rng random source of the plan
   * @return the images, ordered by patient id then follow-up number
   */
  static List<Entry> plan(
      int images, double positiveFraction, int otherFindings, SplittableRandom rng) {
    int main = images - otherFindings;
    int positives = (int) Math.max(1, Math.min(main - 1, Math.round(positiveFraction * main)));
    int negatives = main - positives;

    List<Patient> effusion = shuffled(patients(EnumSet.of(Finding.EFFUSION), positives), rng);
    int coLabelled = (int) Math.round(effusion.size() * CO_LABEL_FRACTION);
    for (int i = 0; i < coLabelled; i++) {
      Set<Finding> findings = EnumSet.of(Finding.EFFUSION, CO_FINDINGS[i % CO_FINDINGS.length]);
      effusion.set(i, new Patient(findings, effusion.get(i).images()));
    }
    List<Patient> all = new ArrayList<>(effusion);
    all.addAll(patients(EnumSet.noneOf(Finding.class), negatives));
    List<Patient> other = patients(EnumSet.noneOf(Finding.class), otherFindings);
    for (int i = 0; i < other.size(); i++) {
      all.add(
          new Patient(
              EnumSet.of(OTHER_FINDINGS[i % OTHER_FINDINGS.length]), other.get(i).images()));
    }
    all = shuffled(all, rng);

    List<Entry> entries = new ArrayList<>(images);
    for (int i = 0; i < all.size(); i++) {
      Patient p = all.get(i);
      int age = 18 + rng.nextInt(70);
      boolean female = rng.nextBoolean();
      for (int f = 0; f < p.images(); f++) {
        entries.add(
            new Entry(
                i + 1,
                f,
                Collections.unmodifiableSet(EnumSet.copyOf(p.findings())),
                age + f * rng.nextInt(3),
                female));
      }
    }
    entries.sort(Comparator.comparingInt(Entry::patientId).thenComparingInt(Entry::followUp));
    return entries;
  }

  /** Patients for {@code count} images of one class: about a third of the images come in pairs. */
  private static List<Patient> patients(Set<Finding> findings, int count) {
    int pairs = count / PAIR_DIVISOR;
    List<Patient> out = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      out.add(new Patient(findings, 2));
    }
    for (int i = 0; i < count - 2 * pairs; i++) {
      out.add(new Patient(findings, 1));
    }
    return out;
  }

  /** A Fisher-Yates shuffle of a copy, driven by {@code rng}. */
  static <T> List<T> shuffled(List<T> in, SplittableRandom rng) {
    List<T> out = new ArrayList<>(in);
    for (int i = out.size() - 1; i > 0; i--) {
      Collections.swap(out, i, rng.nextInt(i + 1));
    }
    return out;
  }
}
