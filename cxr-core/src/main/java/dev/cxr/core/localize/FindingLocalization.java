package dev.cxr.core.localize;

import dev.cxr.core.localize.LocalizationMetrics.Proportion;
import java.util.List;
import java.util.Objects;

/**
 * How well one finding's maps point at its boxes, beside random maps on the same boxes.
 *
 * @param finding the finding
 * @param boxes true boxes of the images measured
 * @param pointing pointing-game hits over images, with the Wilson interval
 * @param randomPointing the same for the random maps
 * @param accuracy per {@link LocalizationRequest#IOBB_THRESHOLDS}: images correctly localised
 * @param randomAccuracy the same for the random maps
 * @param falsePositives per threshold: the mean number of the map's boxes per image that overlap no
 *     true box above it
 * @param randomFalsePositives the same for the random maps
 * @param images every image measured, in the data's order
 */
public record FindingLocalization(
    String finding,
    int boxes,
    Proportion pointing,
    Proportion randomPointing,
    List<Proportion> accuracy,
    List<Proportion> randomAccuracy,
    List<Double> falsePositives,
    List<Double> randomFalsePositives,
    List<ImageLocalization> images) {

  /** Copies the lists. */
  public FindingLocalization {
    Objects.requireNonNull(finding, "finding");
    accuracy = List.copyOf(accuracy);
    randomAccuracy = List.copyOf(randomAccuracy);
    falsePositives = List.copyOf(falsePositives);
    randomFalsePositives = List.copyOf(randomFalsePositives);
    images = List.copyOf(images);
  }

  /**
   * Accuracy at one of {@link LocalizationRequest#IOBB_THRESHOLDS}.
   *
   * @param t the threshold
   * @return the proportion of images localised
   */
  public Proportion accuracyAt(double t) {
    return accuracy.get(index(t));
  }

  /**
   * Random-map accuracy at one of the thresholds.
   *
   * @param t the threshold
   * @return the proportion
   */
  public Proportion randomAccuracyAt(double t) {
    return randomAccuracy.get(index(t));
  }

  /**
   * Images to show: up to {@code n}, pointing hits and misses in equal parts where there are enough
   * of each (the report's gallery and {@code cxr localize --out}'s overlays).
   *
   * @param n at most this many
   * @return hits first, then misses, each in the data's order
   */
  public List<ImageLocalization> examples(int n) {
    List<ImageLocalization> hits = images.stream().filter(ImageLocalization::pointingHit).toList();
    List<ImageLocalization> misses = images.stream().filter(m -> !m.pointingHit()).toList();
    int h = Math.min(hits.size(), Math.max(n - misses.size(), (n + 1) / 2));
    List<ImageLocalization> out = new java.util.ArrayList<>(hits.subList(0, h));
    out.addAll(misses.subList(0, Math.min(misses.size(), n - h)));
    return out;
  }

  private static int index(double t) {
    int i = LocalizationRequest.IOBB_THRESHOLDS.indexOf(t);
    if (i < 0) {
      throw new IllegalArgumentException(
          "T(IoBB) must be one of " + LocalizationRequest.IOBB_THRESHOLDS + " but was " + t);
    }
    return i;
  }
}
