package dev.cxr.core.localize;

import dev.cxr.core.explain.Explanation;
import dev.cxr.core.explain.Outline;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One image's map for one finding against its boxes.
 *
 * @param explanation the Grad-CAM explanation (image, probability, map)
 * @param finding the finding
 * @param truth the radiologists' boxes, in the image's pixels
 * @param detected the map's boxes at the request's threshold, warmest first
 * @param peakX column of the map's maximum
 * @param peakY row of the map's maximum
 * @param pointingHit whether the maximum falls inside a true box
 * @param localized per {@link LocalizationRequest#IOBB_THRESHOLDS}: whether a detected box has IoBB
 *     above it with a true box
 * @param falsePositives per threshold: detected boxes that overlap no true box above it
 */
public record ImageLocalization(
    Explanation explanation,
    String finding,
    List<Box> truth,
    List<Box> detected,
    int peakX,
    int peakY,
    boolean pointingHit,
    List<Boolean> localized,
    List<Integer> falsePositives) {

  /** Copies the lists. */
  public ImageLocalization {
    Objects.requireNonNull(explanation, "explanation");
    truth = List.copyOf(truth);
    detected = List.copyOf(detected);
    localized = List.copyOf(localized);
    falsePositives = List.copyOf(falsePositives);
  }

  /**
   * The boxes as outlines for {@link Explanation#writeOverlay(java.nio.file.Path, int, List)}.
   *
   * @return the true boxes, then the detected ones
   */
  public List<Outline> outlines() {
    List<Outline> o = new ArrayList<>();
    truth.forEach(b -> o.add(outline(b, Outline.Kind.TRUTH)));
    detected.forEach(b -> o.add(outline(b, Outline.Kind.DETECTED)));
    return o;
  }

  static Outline outline(Box b, Outline.Kind kind) {
    return new Outline(b.x(), b.y(), b.width(), b.height(), kind);
  }
}
