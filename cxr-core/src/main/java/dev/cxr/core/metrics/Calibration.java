package dev.cxr.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How well predicted probabilities match observed frequencies: the expected calibration error (ECE;
 * M. P. Naeini, G. Cooper, M. Hauskrecht, AAAI 2015; C. Guo, G. Pleiss, Y. Sun, K. Q. Weinberger,
 * ICML 2017), the Brier score (G. W. Brier 1950) and the reliability diagram's bins.
 *
 * <p>Binning: the positive-class probability in {@value #BINS} equal-width bins {@code [0, 0.1),
 * [0.1, 0.2), ..., [0.9, 1.0]}; ECE = sum over bins of (images in bin / all images) * |fraction
 * positive in bin - mean probability in bin|. Empty bins add nothing.
 *
 * @param ece expected calibration error, in [0, 1]
 * @param brier Brier score: mean squared difference between probability and label (0 or 1)
 * @param bins the bins, in order (empty ones included, with count 0)
 */
public record Calibration(double ece, double brier, List<Bin> bins) {
  /** Number of equal-width bins: {@value}. */
  public static final int BINS = 10;

  /**
   * One bin of the reliability diagram.
   *
   * @param lower lower edge (inclusive)
   * @param upper upper edge (exclusive, inclusive for the last bin)
   * @param count images whose probability falls in the bin
   * @param meanProbability their mean predicted probability (NaN when empty)
   * @param fractionPositive the fraction of them that are positive (NaN when empty)
   */
  public record Bin(
      double lower, double upper, int count, double meanProbability, double fractionPositive) {}

  /** Copies the bins. */
  public Calibration {
    bins = List.copyOf(bins);
  }

  /**
   * Calibration of positive-class probabilities against labels.
   *
   * @param probabilities positive-class probabilities in [0, 1]
   * @param positive labels
   * @return the metrics
   * @throws IllegalArgumentException when the lengths differ, there are no images, or a probability
   *     is outside [0, 1]
   */
  public static Calibration of(double[] probabilities, boolean[] positive) {
    if (probabilities.length != positive.length) {
      throw new IllegalArgumentException(
          "probabilities and labels differ in length: "
              + probabilities.length
              + ", "
              + positive.length);
    }
    int n = probabilities.length;
    if (n == 0) {
      throw new IllegalArgumentException("calibration needs at least one image");
    }
    int[] count = new int[BINS];
    double[] sumP = new double[BINS];
    int[] pos = new int[BINS];
    double brier = 0;
    for (int i = 0; i < n; i++) {
      double p = probabilities[i];
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("probability " + i + " is not in [0, 1]: " + p);
      }
      int b = Math.min(BINS - 1, (int) (p * BINS));
      count[b]++;
      sumP[b] += p;
      pos[b] += positive[i] ? 1 : 0;
      double d = p - (positive[i] ? 1 : 0);
      brier += d * d;
    }
    List<Bin> bins = new ArrayList<>(BINS);
    double ece = 0;
    for (int b = 0; b < BINS; b++) {
      double mean = count[b] == 0 ? Double.NaN : sumP[b] / count[b];
      double frac = count[b] == 0 ? Double.NaN : (double) pos[b] / count[b];
      if (count[b] > 0) {
        ece += (double) count[b] / n * Math.abs(frac - mean);
      }
      bins.add(new Bin((double) b / BINS, (double) (b + 1) / BINS, count[b], mean, frac));
    }
    return new Calibration(ece, brier / n, bins);
  }

  /**
   * The line {@code cxr evaluate} prints.
   *
   * @return e.g. {@code ECE: 0.0712 (10 equal-width bins) Brier: 0.1534}
   */
  public String line() {
    return String.format(
        Locale.ROOT, "ECE: %.4f (%d equal-width bins)  Brier: %.4f", ece, BINS, brier);
  }
}
