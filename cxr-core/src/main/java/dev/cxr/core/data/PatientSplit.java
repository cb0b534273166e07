package dev.cxr.core.data;

import dev.cxr.core.io.CxrDataException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Patient-level, stratified, seeded splits. A patient's images always land in the same part (so
 * that a model is never validated on a patient it trained on), patients are stratified by whether
 * any of their images has the positive finding, and the same seed gives the same split whatever the
 * order in which the samples were listed.
 *
 * @param train training samples
 * @param validation validation (or held-out fold) samples
 */
public record PatientSplit(List<Sample> train, List<Sample> validation) {

  /**
   * Splits into training and validation parts.
   *
   * @param samples all samples
   * @param validationFraction fraction of each stratum's patients held out, in (0, 1)
   * @param seed shuffling seed
   * @return the split
   * @throws IllegalArgumentException for a fraction outside (0, 1)
   * @throws CxrDataException when the validation part would lack a class
   */
  public static PatientSplit trainValidation(
      List<Sample> samples, double validationFraction, long seed) {
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validationFraction must be in (0, 1) but was " + validationFraction);
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
   * @param samples all samples
   * @param k number of folds, at least 2
   * @param seed shuffling seed
   * @return k splits
   */
  public static List<PatientSplit> kFold(List<Sample> samples, int k, long seed) {
    if (k < 2) {
      throw new IllegalArgumentException("folds must be >= 2 but was " + k);
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
   * Counts per class name in a part.
   *
   * @param part samples
   * @param labelNames class names (binary task: index 1 positive)
   * @return class name to count, in label order
   */
  public static Map<String, Long> countsByClass(List<Sample> part, List<String> labelNames) {
    Map<String, Long> m = new LinkedHashMap<>();
    if (labelNames.size() == 2) {
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
