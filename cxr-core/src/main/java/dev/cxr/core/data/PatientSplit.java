package dev.cxr.core.data;

import dev.cxr.core.io.CxrDataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Patient-level, stratified, seeded splits. A patient's images always land in the same part (so
 * that a model is never validated on a patient it trained on), and the same seed gives the same
 * split whatever the order in which the samples were listed: patients are sorted by id before the
 * seeded shuffle, and no time seed or global random source is used. How patients are stratified
 * depends on how many finding flags the samples carry ({@link Sample#findings()}):
 *
 * <ul>
 *   <li><b>One flag</b> (the binary task): patients are stratified by whether any of their images
 *       has the positive finding; each stratum is shuffled and cut (or dealt round-robin into
 *       folds). This algorithm is frozen: the same inputs give the same split as before multi-label
 *       tasks existed, which the library's reported results depend on.
 *   <li><b>Several flags</b> (a multi-label task): <em>iterative stratification</em> (Sechidis,
 *       Tsoumakas and Vlahavas, "On the stratification of multi-label data", ECML PKDD 2011,
 *       Algorithm 1; the algorithm behind scikit-multilearn's {@code IterativeStratification}) over
 *       patients, a patient's label set being the OR of its images' flags. The finding with the
 *       fewest unassigned patients is taken first (ties drawn from the seeded source); each of its
 *       unassigned patients goes to the part that still wants the most patients with that finding,
 *       then the part that wants the most patients, then a seeded draw; every part's wants go down
 *       for each finding of the patient. Patients with no finding at all come last and fill the
 *       parts by their remaining wanted size. Desired sizes are counted in patients, not images.
 *       Iterative stratification alone can leave a finding on one side (two patients and a 0.2
 *       fraction: both go to training), so a deterministic repair follows ({@link #kFold}).
 * </ul>
 *
 * @param train training samples
 * @param validation validation (or held-out fold) samples
 */
public record PatientSplit(List<Sample> train, List<Sample> validation) {

  /**
   * Splits into training and validation parts.
   *
   * <p>For samples with several finding flags the guarantee is: every finding with at least two
   * patients has a patient in both parts, provided at least one of its patients carries no rarer
   * finding (fewer patients; equal counts go by task order), which always holds for the rarest
   * finding and for a finding some patient has alone. Without that proviso no split may exist:
   * three findings held by three patients two each ({A, B}, {B, C}, {A, C}) cannot all be on both
   * sides. A finding with one patient is on one side only, and that is not an error.
   *
   * @param samples all samples, each with the same number of finding flags
   * @param validationFraction fraction of the patients held out, in (0, 1): of each stratum's for
   *     one flag; for several, the share of all patients and of each finding's that the
   *     stratification aims at
   * @param seed shuffling seed
   * @return the split
   * @throws IllegalArgumentException for a fraction outside (0, 1), or samples whose numbers of
   *     finding flags differ
   * @throws CxrDataException one flag: when a part would lack a class; several flags: when a part
   *     would be empty or no finding would have a patient in both parts
   */
  public static PatientSplit trainValidation(
      List<Sample> samples, double validationFraction, long seed) {
    Objects.requireNonNull(samples, "samples");
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validationFraction must be in (0, 1) but was " + validationFraction);
    }
    int flags = flagCount(samples);
    if (flags > 1) {
      IterativeStratification st = IterativeStratification.of(samples, flags, seed);
      int[] part = st.assign(new double[] {1 - validationFraction, validationFraction});
      PatientSplit split = partition(samples, st.patientsIn(part, 1));
      split.checkMultiLabel("validationFraction " + validationFraction, flags);
      return split;
    }
    Set<String> val = new HashSet<>();
    for (List<String> stratum : strata(samples, seed)) {
      int n = stratum.size();
      int k = (int) Math.round(validationFraction * n);
      if (n >= 2) {
        k = Math.max(1, Math.min(n - 1, k));
      }
      val.addAll(stratum.subList(0, k));
    }
    PatientSplit split = partition(samples, val);
    split.checkBothClasses("validationFraction " + validationFraction);
    return split;
  }

  /**
   * Patient-level stratified k-fold cross-validation: fold {@code i} validates on the i-th group of
   * patients and trains on the rest.
   *
   * <p>For samples with several finding flags, after iterative stratification a repair pass takes
   * the findings with at least {@code k} patients from the rarest up (ties by task order) and, for
   * each part that lacks one, moves in one of its patients from the part that has the most of them
   * (at least two), choosing a patient whose move takes from that part no finding already repaired
   * (fewest findings first, then fewest images, then the seeded order). Guarantee: every finding
   * with at least {@code k} patients has a patient in every fold's held-out part (so also in every
   * training part), provided at least {@code k - 1} of its patients carry no rarer finding (fewer
   * patients; equal counts go by task order): then such a patient always exists. The same repair
   * with two parts gives {@link #trainValidation}'s guarantee. Without the proviso no split may
   * exist (see {@link #trainValidation}); a finding with fewer than {@code k} patients cannot be in
   * every fold and is not an error.
   *
   * @param samples all samples, each with the same number of finding flags
   * @param k number of folds, at least 2
   * @param seed shuffling seed
   * @return k splits
   * @throws IllegalArgumentException for {@code k < 2}, or samples whose numbers of finding flags
   *     differ
   * @throws CxrDataException one flag: when a fold's part would lack a class; several flags: when a
   *     fold's part would be empty or no finding would have a patient in both of its parts
   */
  public static List<PatientSplit> kFold(List<Sample> samples, int k, long seed) {
    Objects.requireNonNull(samples, "samples");
    if (k < 2) {
      throw new IllegalArgumentException("folds must be >= 2 but was " + k);
    }
    int flags = flagCount(samples);
    if (flags > 1) {
      IterativeStratification st = IterativeStratification.of(samples, flags, seed);
      double[] ratios = new double[k];
      Arrays.fill(ratios, 1.0 / k);
      int[] part = st.assign(ratios);
      List<PatientSplit> out = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        PatientSplit s = partition(samples, st.patientsIn(part, i));
        s.checkMultiLabel("fold " + (i + 1) + " of " + k, flags);
        out.add(s);
      }
      return out;
    }
    List<Set<String>> folds = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      folds.add(new HashSet<>());
    }
    int next = 0;
    for (List<String> stratum : strata(samples, seed)) {
      for (String patient : stratum) { // deal round-robin, continuing across strata
        folds.get(next).add(patient);
        next = (next + 1) % k;
      }
    }
    List<PatientSplit> out = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      PatientSplit s = partition(samples, folds.get(i));
      s.checkBothClasses("fold " + (i + 1) + " of " + k);
      out.add(s);
    }
    return out;
  }

  /** The number of finding flags the samples carry; 1 (the binary algorithm) for no samples. */
  private static int flagCount(List<Sample> samples) {
    if (samples.isEmpty()) {
      return 1;
    }
    int flags = samples.get(0).findings().length;
    for (Sample s : samples) {
      if (s.findings().length != flags) {
        throw new IllegalArgumentException(
            "samples must all carry the same number of finding flags but sample "
                + s.id()
                + " has "
                + s.findings().length
                + " and sample "
                + samples.get(0).id()
                + " has "
                + flags);
      }
    }
    return flags;
  }

  /** Positive patients first, then negative ones; each list sorted by id, then shuffled. */
  private static List<List<String>> strata(List<Sample> samples, long seed) {
    Map<String, Boolean> positive = new TreeMap<>();
    for (Sample s : samples) {
      positive.merge(s.patientId(), s.positive(), Boolean::logicalOr);
    }
    List<String> pos = new ArrayList<>();
    List<String> neg = new ArrayList<>();
    positive.forEach((p, isPos) -> (isPos ? pos : neg).add(p));
    Random rnd = new Random(seed);
    Collections.shuffle(pos, rnd);
    Collections.shuffle(neg, rnd);
    return List.of(pos, neg);
  }

  private static PatientSplit partition(List<Sample> samples, Set<String> heldOut) {
    List<Sample> train = new ArrayList<>();
    List<Sample> val = new ArrayList<>();
    for (Sample s : samples) {
      (heldOut.contains(s.patientId()) ? val : train).add(s);
    }
    return new PatientSplit(List.copyOf(train), List.copyOf(val));
  }

  private void checkBothClasses(String what) {
    long valPos = validation.stream().filter(Sample::positive).count();
    long trainPos = train.stream().filter(Sample::positive).count();
    if (valPos == 0 || valPos == validation.size()) {
      throw new CxrDataException(
          null,
          "the split ("
              + what
              + ") leaves the validation part without "
              + (valPos == 0 ? "positive" : "negative")
              + " images ("
              + validation.size()
              + " validation images, "
              + (valPos + trainPos)
              + " positives in all): use more data or another fraction");
    }
    if (trainPos == 0 || trainPos == train.size()) {
      throw new CxrDataException(
          null,
          "the split ("
              + what
              + ") leaves the training part without "
              + (trainPos == 0 ? "positive" : "negative")
              + " images");
    }
  }

  /**
   * Multi-label: a rare finding cannot be on both sides, so only an empty part, or no finding with
   * a patient on both sides (nothing to validate), is refused.
   */
  private void checkMultiLabel(String what, int flags) {
    if (validation.isEmpty() || train.isEmpty()) {
      throw new CxrDataException(
          null,
          "the split ("
              + what
              + ") leaves the "
              + (validation.isEmpty() ? "validation" : "training")
              + " part empty ("
              + (train.size() + validation.size())
              + " images in all): use more data or another fraction");
    }
    for (int i = 0; i < flags; i++) {
      final int f = i;
      if (train.stream().anyMatch(s -> s.has(f)) && validation.stream().anyMatch(s -> s.has(f))) {
        return;
      }
    }
    throw new CxrDataException(
        null,
        "the split ("
            + what
            + ") leaves none of the "
            + flags
            + " findings with a patient in both the training and the validation part: use more"
            + " data or another fraction");
  }

  /**
   * Patients and images with one finding in each part of a split, as {@code cxr dataset-info}
   * prints them.
   *
   * @param finding the finding's name, as the caller gave it
   * @param trainPatients training patients with at least one image with the finding
   * @param trainImages training images with the finding
   * @param validationPatients validation patients with at least one image with the finding
   * @param validationImages validation images with the finding
   */
  public record FindingCount(
      String finding,
      long trainPatients,
      long trainImages,
      long validationPatients,
      long validationImages) {}

  /**
   * Per finding, the patients and images that have it in each part.
   *
   * @param findings the names of the findings, one per finding flag of the samples, in flag order
   *     (for a task: {@link CxrTask#findings()})
   * @return one count per finding, in the given order
   * @throws IllegalArgumentException when a sample carries another number of flags than names
   */
  public List<FindingCount> findingCounts(List<String> findings) {
    Objects.requireNonNull(findings, "findings");
    for (List<Sample> part : List.of(train, validation)) {
      for (Sample s : part) {
        if (s.findings().length != findings.size()) {
          throw new IllegalArgumentException(
              "findings has "
                  + findings.size()
                  + " names but sample "
                  + s.id()
                  + " carries "
                  + s.findings().length
                  + " finding flags");
        }
      }
    }
    List<FindingCount> out = new ArrayList<>();
    for (int i = 0; i < findings.size(); i++) {
      final int f = i;
      List<Sample> t = train.stream().filter(s -> s.has(f)).toList();
      List<Sample> v = validation.stream().filter(s -> s.has(f)).toList();
      out.add(
          new FindingCount(
              findings.get(i),
              t.stream().map(Sample::patientId).distinct().count(),
              t.size(),
              v.stream().map(Sample::patientId).distinct().count(),
              v.size()));
    }
    return List.copyOf(out);
  }

  /**
   * Counts per class name in a part.
   *
   * @param part samples
   * @param labelNames class names (binary task: index 1 positive)
   * @return class name to count, in label order
   */
  public static Map<String, Long> countsByClass(List<Sample> part, List<String> labelNames) {
    Map<String, Long> m = new LinkedHashMap<>();
    // the binary task's samples carry one finding flag; a multi-label task's one per finding, even
    // when it has two findings
    boolean binary = part.isEmpty() ? labelNames.size() == 2 : part.get(0).findings().length == 1;
    if (binary) {
      m.put(labelNames.get(1), part.stream().filter(Sample::positive).count());
      m.put(labelNames.get(0), part.stream().filter(s -> !s.positive()).count());
      return m;
    }
    for (int i = 0; i < labelNames.size(); i++) {
      final int idx = i;
      m.put(labelNames.get(i), part.stream().filter(s -> s.target()[idx] > 0.5f).count());
    }
    return m;
  }

  /**
   * @return the patients of the validation part that also appear in training (always empty)
   */
  public Set<String> sharedPatients() {
    Set<String> t = train.stream().map(Sample::patientId).collect(Collectors.toSet());
    return validation.stream()
        .map(Sample::patientId)
        .filter(t::contains)
        .collect(Collectors.toSet());
  }
}
