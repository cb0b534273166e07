package dev.cxr.core.report;

import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.Calibration;
import dev.cxr.core.metrics.ConfusionMatrix;
import dev.cxr.core.metrics.PrecisionRecall;
import dev.cxr.core.provenance.EpochResult;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The report's charts, as inline SVG. */
final class ReportCharts {
  static final String BLUE = "#1f77b4";
  static final String ORANGE = "#e6550d";
  static final String GREEN = "#2ca02c";
  static final String GREY = "#888888";
  static final String RED = "#c0392b";

  private ReportCharts() {}

  static String roc(BinaryMetrics m, ConfusionMatrix atThreshold, double threshold) {
    String title =
        String.format(
            Locale.ROOT,
            "ROC: AUC %.3f (95%% CI %.3f-%.3f, DeLong), %d images",
            m.auc(),
            m.ciLower(),
            m.ciUpper(),
            m.size());
    return new SvgChart(title, "1 - specificity (false-positive rate)", "sensitivity", 0, 1, 0, 1)
        .line(new double[] {0, 1}, new double[] {0, 1}, GREY, true, "chance")
        .line(m.rocFpr(), m.rocTpr(), BLUE, false, "ROC curve")
        .points(
            new double[] {1 - atThreshold.specificity()},
            new double[] {atThreshold.sensitivity()},
            new double[] {6},
            RED,
            String.format(Locale.ROOT, "operating point (threshold %.3f)", threshold))
        .toSvg();
  }

  static String precisionRecall(PrecisionRecall pr) {
    String title =
        String.format(
            Locale.ROOT, "Precision-recall: average precision %.3f", pr.averagePrecision());
    return new SvgChart(title, "recall (sensitivity)", "precision", 0, 1, 0, 1)
        .line(
            new double[] {0, 1},
            new double[] {pr.prevalence(), pr.prevalence()},
            GREY,
            true,
            String.format(Locale.ROOT, "prevalence %.3f", pr.prevalence()))
        .line(pr.recall(), pr.precision(), BLUE, false, "precision-recall curve")
        .toSvg();
  }

  static String reliability(Calibration c) {
    List<Calibration.Bin> bins = c.bins();
    int n = bins.size();
    double[] left = new double[n];
    double[] right = new double[n];
    double[] share = new double[n];
    double[] x = new double[n];
    double[] y = new double[n];
    double[] r = new double[n];
    int total = bins.stream().mapToInt(Calibration.Bin::count).sum();
    for (int i = 0; i < n; i++) {
      Calibration.Bin b = bins.get(i);
      left[i] = b.lower();
      right[i] = b.upper();
      share[i] = (double) b.count() / total;
      x[i] = b.meanProbability();
      y[i] = b.fractionPositive();
      r[i] = 3 + 6 * Math.sqrt(share[i]);
    }
    String title =
        String.format(
            Locale.ROOT,
            "Reliability: ECE %.3f (10 equal-width bins), Brier %.3f",
            c.ece(),
            c.brier());
    return new SvgChart(title, "predicted probability", "observed fraction positive", 0, 1, 0, 1)
        .bars(left, right, share, GREY, "share of images per bin")
        .line(new double[] {0, 1}, new double[] {0, 1}, GREY, true, "perfect calibration")
        .line(x, y, BLUE, false, null)
        .points(x, y, r, BLUE, "bins (area ~ images)")
        .toSvg();
  }

  static String loss(List<EpochResult> h, int best) {
    double[] e = epochs(h);
    double[] tr = h.stream().mapToDouble(EpochResult::trainLoss).toArray();
    double[] va = h.stream().mapToDouble(EpochResult::validationLoss).toArray();
    double hi = 0;
    for (double v : concat(tr, va)) {
      hi = Double.isFinite(v) ? Math.max(hi, v) : hi;
    }
    return new SvgChart(
            "Loss per epoch",
            "epoch",
            "loss",
            e[0] - 0.5,
            e[e.length - 1] + 0.5,
            0,
            hi > 0 ? hi * 1.1 : 1)
        .line(e, tr, BLUE, false, "training")
        .line(e, va, ORANGE, false, "validation")
        .vline(best, GREY, "kept epoch " + best)
        .toSvg();
  }

  static String auc(List<EpochResult> h, int best) {
    double[] e = epochs(h);
    double[] auc = h.stream().mapToDouble(EpochResult::auc).toArray();
    double[] lo = h.stream().mapToDouble(EpochResult::aucLow).toArray();
    double[] hi = h.stream().mapToDouble(EpochResult::aucHigh).toArray();
    return new SvgChart(
            "Validation AUC per epoch", "epoch", "AUC", e[0] - 0.5, e[e.length - 1] + 0.5, 0, 1)
        .band(e, lo, hi, GREEN, "95% CI (DeLong)")
        .line(e, auc, GREEN, false, "validation AUC")
        .points(e, auc, fill(e.length, 3.5), GREEN, null)
        .vline(best, GREY, "kept epoch " + best)
        .toSvg();
  }

  private static double[] epochs(List<EpochResult> h) {
    return h.stream().mapToDouble(EpochResult::epoch).toArray();
  }

  private static double[] fill(int n, double v) {
    double[] a = new double[n];
    Arrays.fill(a, v);
    return a;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
