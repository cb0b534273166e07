package dev.cxr.core.chart;

import dev.cxr.core.chart.Chart.Axis;
import dev.cxr.core.chart.Chart.Corner;
import dev.cxr.core.chart.Chart.Marker;
import dev.cxr.core.chart.Chart.Stroke;
import dev.cxr.core.evaluation.FindingEvaluation;
import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.Calibration;
import dev.cxr.core.metrics.ConfusionMatrix;
import dev.cxr.core.metrics.PrecisionRecall;
import dev.cxr.core.provenance.EpochResult;
import dev.cxr.core.training.LrFinder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The figures cxr draws, each described once: the report inlines them as SVG and the command line
 * writes them as PNG ({@code training-curves.png}, {@code roc.png}, {@code reliability.png}, {@code
 * lr-find.png}). One palette, one set of titles and legends.
 */
public final class Figures {
  /** Curves of the model. */
  public static final String BLUE = "#1f77b4";

  /** Validation loss. */
  public static final String ORANGE = "#e6550d";

  /** Validation AUC and its interval. */
  public static final String GREEN = "#2ca02c";

  /** References: chance, perfect calibration, prevalence, bin shares. */
  public static final String GREY = "#808080";

  /** The singled-out point: the operating point, the kept epoch, the suggested rate. */
  public static final String RED = "#c0392b";

  /** Height of each of the two training-curve panels, stacked in the command line's PNG. */
  public static final int PANEL_HEIGHT = 380;

  private Figures() {}

  /**
   * The ROC curve of one finding with the chance diagonal and the operating point (the threshold
   * chosen on the training run's validation split) marked.
   *
   * @param f the finding's evaluation; it must have an AUC ({@link FindingEvaluation#hasAuc()})
   * @return the chart
   * @throws IllegalArgumentException when the images lack a class, so there is no curve
   */
  public static Chart roc(FindingEvaluation f) {
    if (!f.hasAuc()) {
      throw new IllegalArgumentException(
          "no ROC curve for " + f.finding() + ": the images lack a class");
    }
    BinaryMetrics m = f.metrics();
    ConfusionMatrix cm = f.confusion();
    String title =
        String.format(
            Locale.ROOT,
            "%s ROC: AUC %.3f (95%% CI %.3f-%.3f, DeLong), %d images",
            f.finding(),
            m.auc(),
            m.ciLower(),
            m.ciUpper(),
            m.size());
    return Chart.builder(
            title,
            Axis.linear("false-positive rate (1 - specificity)", 0, 1),
            Axis.linear("true-positive rate (sensitivity)", 0, 1))
        .legend(Corner.BOTTOM_RIGHT)
        .line("chance (AUC 0.5)", unit(), unit(), GREY, Stroke.DASHED, Marker.NONE)
        .line("ROC curve", m.rocFpr(), m.rocTpr(), BLUE, Stroke.SOLID, Marker.NONE)
        .points(
            String.format(
                Locale.ROOT,
                "operating point: threshold %.3f, sensitivity %.3f, specificity %.3f",
                f.threshold(),
                cm.sensitivity(),
                cm.specificity()),
            new double[] {1 - cm.specificity()},
            new double[] {cm.sensitivity()},
            new double[] {7},
            RED,
            Marker.DIAMOND)
        .build();
  }

  /**
   * The precision-recall curve with the prevalence (a random ranking's precision) as reference.
   *
   * @param pr the curve
   * @return the chart
   */
  public static Chart precisionRecall(PrecisionRecall pr) {
    String title =
        String.format(
            Locale.ROOT, "Precision-recall: average precision %.3f", pr.averagePrecision());
    double[] prevalence = {pr.prevalence(), pr.prevalence()};
    return Chart.builder(
            title, Axis.linear("recall (sensitivity)", 0, 1), Axis.linear("precision", 0, 1))
        .legend(Corner.BOTTOM_LEFT)
        .line(
            String.format(Locale.ROOT, "prevalence %.3f", pr.prevalence()),
            unit(),
            prevalence,
            GREY,
            Stroke.DASHED,
            Marker.NONE)
        .line(
            "precision-recall curve", pr.recall(), pr.precision(), BLUE, Stroke.SOLID, Marker.NONE)
        .build();
  }

  /**
   * The reliability diagram: each non-empty bin's fraction of positives against its mean predicted
   * probability (a point whose area follows the bin's images), the diagonal of perfect calibration,
   * and the share of images in each bin as bars.
   *
   * @param c the calibration
   * @return the chart
   */
  public static Chart reliability(Calibration c) {
    List<Calibration.Bin> bins = c.bins();
    int total = bins.stream().mapToInt(Calibration.Bin::count).sum();
    int n = bins.size();
    double[] left = new double[n];
    double[] right = new double[n];
    double[] share = new double[n];
    List<double[]> filled = new ArrayList<>(); // x, y, radius of the non-empty bins
    for (int i = 0; i < n; i++) {
      Calibration.Bin b = bins.get(i);
      left[i] = b.lower();
      right[i] = b.upper();
      share[i] = total == 0 ? 0 : (double) b.count() / total;
      if (b.count() > 0) {
        filled.add(
            new double[] {b.meanProbability(), b.fractionPositive(), 3 + 6 * Math.sqrt(share[i])});
      }
    }
    double[] x = column(filled, 0);
    double[] y = column(filled, 1);
    String title =
        String.format(
            Locale.ROOT,
            "Reliability: ECE %.3f (%d equal-width bins), Brier %.3f",
            c.ece(),
            n,
            c.brier());
    return Chart.builder(
            title,
            Axis.linear("mean predicted probability in the bin", 0, 1),
            Axis.linear("fraction positive in the bin", 0, 1))
        .legend(Corner.TOP_LEFT)
        .bars("share of images per bin", left, right, share, GREY)
        .line("perfect calibration", unit(), unit(), GREY, Stroke.DASHED, Marker.NONE)
        .line("", x, y, BLUE, Stroke.SOLID, Marker.NONE)
        .points("bins (area ~ images)", x, y, column(filled, 2), BLUE, Marker.CIRCLE)
        .build();
  }

  /**
   * The training and validation loss per epoch, with the kept epoch as a dashed rule.
   *
   * @param history the run's epochs, at least one, in increasing order
   * @param keptEpoch the epoch the model kept
   * @return the chart, {@value Chart#WIDTH} x {@value #PANEL_HEIGHT}
   * @throws IllegalArgumentException when the history is empty or its epochs do not increase
   */
  public static Chart loss(List<EpochResult> history, int keptEpoch) {
    double[] e = epochs(history);
    double[] train = values(history, EpochResult::trainLoss);
    double[] validation = values(history, EpochResult::validationLoss);
    double lo = Math.min(finiteMin(train), finiteMin(validation));
    double hi = Math.max(finiteMax(train), finiteMax(validation));
    if (!Double.isFinite(lo)) { // no finite loss at all: an empty but valid range
      lo = 0;
      hi = 1;
    }
    double pad = Math.max(0.06 * (hi - lo), 0.02 * Math.abs(hi) + 1e-6);
    return Chart.builder(
            "Loss per epoch", epochAxis(e), Axis.linear("loss", Math.max(0, lo - pad), hi + pad))
        .size(Chart.WIDTH, PANEL_HEIGHT)
        .line("training loss", e, train, BLUE, Stroke.SOLID, Marker.CIRCLE)
        .line("validation loss", e, validation, ORANGE, Stroke.SOLID, Marker.SQUARE)
        .rule("kept epoch " + keptEpoch, keptEpoch, RED)
        .build();
  }

  /**
   * The validation AUC per epoch with its DeLong 95% interval as a band, and the kept epoch marked.
   *
   * @param history the run's epochs, at least one, in increasing order
   * @param keptEpoch the epoch the model kept
   * @return the chart, {@value Chart#WIDTH} x {@value #PANEL_HEIGHT}
   * @throws IllegalArgumentException when the history is empty or its epochs do not increase
   */
  public static Chart auc(List<EpochResult> history, int keptEpoch) {
    double[] e = epochs(history);
    double[] auc = values(history, EpochResult::auc);
    double[] lo = values(history, EpochResult::aucLow);
    double[] hi = values(history, EpochResult::aucHigh);
    double floor = Math.min(0.5, Math.min(finiteMin(lo), finiteMin(auc)));
    Chart.Builder b =
        Chart.builder(
                "Validation AUC per epoch",
                epochAxis(e),
                Axis.linear("AUC", Math.max(0, Math.floor(floor * 10) / 10), 1))
            .size(Chart.WIDTH, PANEL_HEIGHT)
            .legend(Corner.BOTTOM_RIGHT)
            .band("95% CI (DeLong)", e, lo, hi, GREEN)
            .line("validation AUC", e, auc, GREEN, Stroke.SOLID, Marker.CIRCLE)
            .rule("", keptEpoch, RED);
    int kept = Arrays.binarySearch(e, keptEpoch);
    if (kept >= 0 && Double.isFinite(auc[kept])) {
      b.points(
          String.format(Locale.ROOT, "kept epoch %d (AUC %.3f)", keptEpoch, auc[kept]),
          new double[] {keptEpoch},
          new double[] {auc[kept]},
          new double[] {6},
          RED,
          Marker.DIAMOND);
    }
    return b.build();
  }

  /**
   * The learning-rate range test (Smith 2017, "Cyclical learning rates for training neural
   * networks"): loss against rate on a logarithmic axis, the suggested rate marked. Non-finite
   * losses (a diverged end) are left out, and the loss axis is capped at the first loss plus its
   * drop to the minimum, so that a final blow-up does not flatten the useful part of the curve.
   *
   * @param r the sweep
   * @return the chart
   * @throws IllegalArgumentException when the arrays differ in length, a rate or the suggestion is
   *     not positive and finite, or no loss is finite
   */
  public static Chart lrFinder(LrFinder.Result r) {
    double[] rates = r.rates();
    double[] losses = r.losses();
    if (rates.length != losses.length) {
      throw new IllegalArgumentException(
          "rates and losses must have the same length but had "
              + rates.length
              + " and "
              + losses.length);
    }
    double suggested = r.suggested();
    if (!(suggested > 0) || Double.isInfinite(suggested)) {
      throw new IllegalArgumentException(
          "suggested must be positive and finite but was " + suggested);
    }
    List<double[]> kept = new ArrayList<>();
    for (int i = 0; i < rates.length; i++) {
      if (!(rates[i] > 0) || Double.isInfinite(rates[i])) {
        throw new IllegalArgumentException(
            "rates[" + i + "] must be positive and finite but was " + rates[i]);
      }
      if (Double.isFinite(losses[i])) {
        kept.add(new double[] {rates[i], losses[i]});
      }
    }
    if (kept.isEmpty()) {
      throw new IllegalArgumentException("losses must hold at least one finite value");
    }
    double[] x = column(kept, 0);
    double[] y = column(kept, 1);
    double min = finiteMin(y);
    double max = finiteMax(y);
    double cap = Math.max(y[0], min) + Math.max(y[0] - min, 0.05 * Math.abs(min) + 1e-9);
    double top = Math.min(max, cap);
    double pad = 0.05 * (top - min) + 1e-6;
    double x0 = Math.min(x[0], suggested);
    double x1 = Math.max(x[x.length - 1], suggested);
    int at = nearest(x, suggested);
    return Chart.builder(
            "Learning-rate finder",
            Axis.logarithmic("learning rate (log scale)", x0 / 1.25, x1 * 1.25),
            Axis.linear("loss", min - pad, top + pad))
        .legend(Corner.BOTTOM_LEFT)
        .line("loss", x, y, BLUE, Stroke.SOLID, Marker.NONE)
        .rule("", suggested, RED)
        .points(
            String.format(Locale.ROOT, "suggested %.1e", suggested),
            new double[] {suggested},
            new double[] {Math.min(y[at], top)},
            new double[] {7},
            RED,
            Marker.DIAMOND)
        .build();
  }

  private static Axis epochAxis(double[] e) {
    return Axis.linear("epoch", e[0] - 0.5, e[e.length - 1] + 0.5);
  }

  private static double[] epochs(List<EpochResult> history) {
    Objects.requireNonNull(history, "history");
    if (history.isEmpty()) {
      throw new IllegalArgumentException("history must hold at least one epoch");
    }
    double[] e = values(history, EpochResult::epoch);
    for (int i = 1; i < e.length; i++) {
      if (!(e[i] > e[i - 1])) {
        throw new IllegalArgumentException(
            "history's epochs must increase but epoch "
                + (int) e[i]
                + " follows "
                + (int) e[i - 1]);
      }
    }
    return e;
  }

  private static double[] values(List<EpochResult> h, ToDoubleFunction<EpochResult> f) {
    return h.stream().mapToDouble(f).toArray();
  }

  private static double[] unit() {
    return new double[] {0, 1};
  }

  private static double[] column(List<double[]> rows, int i) {
    return rows.stream().mapToDouble(r -> r[i]).toArray();
  }

  /** The largest finite value, or -infinity when there is none. */
  private static double finiteMax(double[] v) {
    return Arrays.stream(v).filter(Double::isFinite).max().orElse(Double.NEGATIVE_INFINITY);
  }

  /** The smallest finite value, or +infinity when there is none. */
  private static double finiteMin(double[] v) {
    return Arrays.stream(v).filter(Double::isFinite).min().orElse(Double.POSITIVE_INFINITY);
  }

  private static int nearest(double[] x, double v) {
    int best = 0;
    for (int i = 1; i < x.length; i++) {
      if (Math.abs(Math.log(x[i] / v)) < Math.abs(Math.log(x[best] / v))) {
        best = i;
      }
    }
    return best;
  }
}
