package dev.cxr.core.localize;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How well detected boxes and map peaks match radiologists' boxes, per image, and proportions over
 * images with their 95% confidence intervals.
 *
 * <ul>
 *   <li><b>Pointing game</b> (Zhang J, Lin Z, Brandt J, Shen X, Sclaroff S. Top-down Neural
 *       Attention by Excitation Backprop. ECCV 2016): a hit when the map's maximum falls inside a
 *       true box of the finding. Zhang et al. allow a 15 px tolerance on their natural images
 *       ({@link #ZHANG_TOLERANCE}); here the tolerance is a parameter, 0 by default, in pixels of
 *       the frame the point and boxes are given in. The maximum is a pixel {@code (px, py)}, the
 *       unit square {@code [px, px + 1) x [py, py + 1)}; it is tested at its centre {@code (px +
 *       0.5, py + 0.5)}, so that the point and boxes scaled to fractional pixels agree
 *       geometrically, and a pixel-edge box (as {@link MapBoxes} makes) contains exactly its
 *       pixels.
 *   <li><b>Localisation at T(IoBB)</b> (Wang X, Peng Y, Lu L, Lu Z, Bagheri M, Summers RM.
 *       ChestX-ray8. IEEE CVPR 2017): an image is correctly localised when some detected box has an
 *       IoBB (intersection over the detected box's area, {@link Box#iobb}) greater than T with some
 *       true box of the finding (strictly greater: {@code IoBB > T}); the accuracy is the share of
 *       the images with boxes so localised, reported over a range of T (0.1 to 0.9). The paper also
 *       scores IoU the same way ({@link #localizedByIou}). A detected box inside a true box has
 *       IoBB 1 however small it is, so IoBB favours tight boxes, i.e. high map thresholds.
 *   <li><b>False positives</b> (Wang et al.'s "average false positive", AFP, is their mean over the
 *       images with boxes): the detected boxes whose IoBB with every true box is at most T.
 *   <li><b>Proportions</b> ({@link Proportion}) with the Wilson score interval (Wilson EB. Probable
 *       inference, the law of succession, and statistical inference. JASA 1927; 22:209-212), which
 *       Brown, Cai and DasGupta (Interval Estimation for a Binomial Proportion. Statistical Science
 *       2001;16:101-133) recommend over the Wald interval for small counts.
 * </ul>
 */
public final class LocalizationMetrics {
  /** The standard normal quantile for a two-sided 95% interval. */
  public static final double Z95 = 1.959964;

  /** Zhang et al. 2016's pointing-game tolerance, in pixels of their (natural) images. */
  public static final double ZHANG_TOLERANCE = 15;

  private LocalizationMetrics() {}

  /**
   * A count of hits among trials, e.g. pointing-game hits among images with boxes.
   *
   * @param hits hits, in {@code [0, total]}
   * @param total trials, {@code >= 0}
   */
  public record Proportion(int hits, int total) {
    /** Checks the counts. */
    public Proportion {
      if (total < 0) {
        throw new IllegalArgumentException("total must be >= 0 but was " + total);
      }
      if (hits < 0 || hits > total) {
        throw new IllegalArgumentException(
            "hits must be in [0, total = " + total + "] but was " + hits);
      }
    }

    /**
     * @param hit whether one more trial is a hit
     * @return the proportion with that trial added
     */
    public Proportion add(boolean hit) {
      return new Proportion(hits + (hit ? 1 : 0), total + 1);
    }

    /**
     * @return {@code hits / total}; NaN when there are no trials
     */
    public double rate() {
      return total == 0 ? Double.NaN : (double) hits / total;
    }

    /**
     * @return the lower end of the 95% Wilson score interval; NaN when there are no trials
     */
    public double wilsonLow() {
      return wilson(-1);
    }

    /**
     * @return the upper end of the 95% Wilson score interval; NaN when there are no trials
     */
    public double wilsonHigh() {
      return wilson(1);
    }

    private double wilson(int sign) {
      if (total == 0) {
        return Double.NaN;
      }
      if (sign < 0 && hits == 0) {
        return 0; // exactly, not a rounding error either side of it
      }
      if (sign > 0 && hits == total) {
        return 1;
      }
      double n = total;
      double p = hits / n;
      double z2 = Z95 * Z95;
      double denom = 1 + z2 / n;
      double centre = (p + z2 / (2 * n)) / denom;
      double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
      return Math.min(1, Math.max(0, centre + sign * half));
    }

    /**
     * @return e.g. {@code 0.62 (0.48-0.74, 31/50)}: the rate, its 95% Wilson interval and the
     *     counts; {@code n/a (0/0)} without trials
     */
    public String format() {
      if (total == 0) {
        return "n/a (0/0)";
      }
      return String.format(
          Locale.ROOT, "%.2f (%.2f-%.2f, %d/%d)", rate(), wilsonLow(), wilsonHigh(), hits, total);
    }
  }

  /**
   * The pointing game without tolerance: whether the centre of pixel {@code (px, py)} lies inside a
   * true box ({@link Box#contains}: left and top edges in, right and bottom edges out).
   *
   * @param px the map's maximum, column ({@link MapBoxes#peak})
   * @param py the map's maximum, row
   * @param truth the true boxes of the finding on this image, in the map's frame; at least one
   * @return whether it is a hit
   */
  public static boolean pointingHit(int px, int py, List<Box> truth) {
    return pointingHit(px, py, truth, 0);
  }

  /**
   * The pointing game with a tolerance: whether the centre of pixel {@code (px, py)} lies inside a
   * true box or within {@code tolerance} pixels (Euclidean distance) of one.
   *
   * @param px the map's maximum, column ({@link MapBoxes#peak})
   * @param py the map's maximum, row
   * @param truth the true boxes of the finding on this image, in the map's frame; at least one
   * @param tolerance in pixels of that frame, finite and {@code >= 0}; 0 for strict containment
   * @return whether it is a hit
   */
  public static boolean pointingHit(int px, int py, List<Box> truth, double tolerance) {
    checkTruth(truth);
    if (!(Double.isFinite(tolerance) && tolerance >= 0)) {
      throw new IllegalArgumentException("tolerance must be finite and >= 0 but was " + tolerance);
    }
    double cx = px + 0.5;
    double cy = py + 0.5;
    for (Box t : truth) {
      if (t.contains(cx, cy) || (tolerance > 0 && t.distanceTo(cx, cy) <= tolerance)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Wang et al.'s localisation at T(IoBB): whether some detected box has {@code
   * truth.iobb(detected) > tIobb} with some true box.
   *
   * @param detected the detected boxes ({@link MapBoxes#detect}); none means not localised
   * @param truth the true boxes of the finding on this image, in the same frame; at least one
   * @param tIobb the threshold T, in {@code [0, 1)}
   * @return whether the image is correctly localised
   */
  public static boolean localized(List<Box> detected, List<Box> truth, double tIobb) {
    checkTruth(truth);
    checkT(tIobb, "tIobb");
    for (Box d : Objects.requireNonNull(detected, "detected")) {
      if (overlaps(d, truth, tIobb, false)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Localisation at T(IoU), the other criterion of Wang et al.'s table: whether some detected box
   * has an intersection over union greater than {@code tIou} with some true box.
   *
   * @param detected the detected boxes; none means not localised
   * @param truth the true boxes of the finding on this image, in the same frame; at least one
   * @param tIou the threshold T, in {@code [0, 1)}
   * @return whether the image is correctly localised
   */
  public static boolean localizedByIou(List<Box> detected, List<Box> truth, double tIou) {
    checkTruth(truth);
    checkT(tIou, "tIou");
    for (Box d : Objects.requireNonNull(detected, "detected")) {
      if (overlaps(d, truth, tIou, true)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Wang et al.'s false positives on one image: the detected boxes whose IoBB with every true box
   * is at most {@code tIobb}. Their average over the images with boxes is the paper's AFP.
   *
   * @param detected the detected boxes
   * @param truth the true boxes of the finding on this image, in the same frame; may be empty (then
   *     every detected box is a false positive)
   * @param tIobb the threshold T, in {@code [0, 1)}
   * @return how many detected boxes match no true box
   */
  public static int falsePositives(List<Box> detected, List<Box> truth, double tIobb) {
    Objects.requireNonNull(truth, "truth");
    checkT(tIobb, "tIobb");
    int fp = 0;
    for (Box d : Objects.requireNonNull(detected, "detected")) {
      if (!overlaps(d, truth, tIobb, false)) {
        fp++;
      }
    }
    return fp;
  }

  private static boolean overlaps(Box d, List<Box> truth, double t, boolean iou) {
    Objects.requireNonNull(d, "detected box");
    for (Box g : truth) {
      double v = iou ? g.iou(d) : g.iobb(d);
      if (v > t) {
        return true;
      }
    }
    return false;
  }

  private static void checkTruth(List<Box> truth) {
    Objects.requireNonNull(truth, "truth");
    if (truth.isEmpty()) {
      throw new IllegalArgumentException(
          "truth must hold at least one box: an image without boxes cannot be scored");
    }
  }

  private static void checkT(double t, String name) {
    if (!(t >= 0 && t < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1) but was " + t);
    }
  }
}
