package dev.cxr.examples.cli;

import dev.cxr.core.io.AtomicFiles;
import dev.cxr.core.metrics.Calibration;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts for the cxr command line, drawn with XChart: training curves, ROC curve, reliability
 * diagram and learning-rate finder. Every method renders off screen (it sets {@code
 * java.awt.headless=true} unless that property is already set) and writes its PNG atomically: the
 * image goes to a temporary file in the target's directory which is then renamed over the target,
 * so a reader never sees a half-written file. Missing parent directories are created.
 */
public final class Charts {

  /** Width in pixels of every chart. */
  public static final int WIDTH = 900;

  /** Height in pixels of the ROC and learning-rate finder charts. */
  public static final int HEIGHT = 600;

  /** Height in pixels of the training-curves image (two stacked panels). */
  public static final int TRAINING_HEIGHT = 760;

  private static final Color BLUE = new Color(31, 119, 180);
  private static final Color ORANGE = new Color(230, 110, 20);
  private static final Color GREEN = new Color(30, 140, 60);
  private static final Color RED = new Color(200, 30, 40);
  private static final Color GREY = new Color(120, 120, 120);
  private static final Color BAND = new Color(30, 140, 60, 55);
  private static final BasicStroke DASHED =
      new BasicStroke(
          1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 5f}, 0f);

  private Charts() {}

  /**
   * Draws the training history: loss per epoch (training and validation) in the upper panel,
   * validation AUC per epoch with its 95% confidence interval as a shaded band in the lower panel,
   * and the best epoch marked in both by a dashed vertical line (and a diamond on the AUC curve).
   * The image is {@value #WIDTH} x {@value #TRAINING_HEIGHT} pixels.
   *
   * @param png the file to write
   * @param epochs epoch numbers, strictly increasing, at least one
   * @param trainLoss training loss per epoch; NaN entries leave a gap
   * @param valLoss validation loss per epoch; NaN entries leave a gap
   * @param valAuc validation AUC per epoch
   * @param aucLow lower bound of the AUC's 95% interval per epoch
   * @param aucHigh upper bound of the AUC's 95% interval per epoch
   * @param bestEpoch the epoch to mark; not marked when it is not one of {@code epochs}
   * @throws IOException when the file cannot be written
   * @throws IllegalArgumentException when the lists are empty, differ in size or the epochs do not
   *     increase
   */
  public static void trainingCurves(
      Path png,
      List<Integer> epochs,
      List<Double> trainLoss,
      List<Double> valLoss,
      List<Double> valAuc,
      List<Double> aucLow,
      List<Double> aucHigh,
      int bestEpoch)
      throws IOException {
    Objects.requireNonNull(png, "png");
    double[] x = toArray(Objects.requireNonNull(epochs, "epochs"), "epochs");
    if (x.length == 0) {
      throw new IllegalArgumentException("epochs must not be empty");
    }
    for (int i = 1; i < x.length; i++) {
      if (!(x[i] > x[i - 1])) {
        throw new IllegalArgumentException("epochs must be strictly increasing but were " + epochs);
      }
    }
    double[] tl = sameSize(trainLoss, "trainLoss", x.length);
    double[] vl = sameSize(valLoss, "valLoss", x.length);
    double[] auc = sameSize(valAuc, "valAuc", x.length);
    double[] lo = sameSize(aucLow, "aucLow", x.length);
    double[] hi = sameSize(aucHigh, "aucHigh", x.length);
    int best = epochs.indexOf(bestEpoch);
    double xMin = x[0] - 0.5;
    double xMax = x[x.length - 1] + 0.5;
    int panel = TRAINING_HEIGHT / 2;

    XYChart loss = newChart(panel, "Loss per epoch", "epoch", "loss");
    styleEpochAxis(loss, xMin, xMax);
    addLine(loss, "training loss", x, tl, BLUE, SeriesMarkers.CIRCLE);
    addLine(loss, "validation loss", x, vl, ORANGE, SeriesMarkers.SQUARE);

    XYChart aucChart =
        newChart(panel, "Validation AUC per epoch (shaded: DeLong 95% CI)", "epoch", "AUC");
    styleEpochAxis(aucChart, xMin, xMax);
    double[] bandX = new double[2 * x.length];
    double[] bandY = new double[2 * x.length];
    for (int i = 0; i < x.length; i++) {
      bandX[i] = x[i];
      bandY[i] = hi[i];
      bandX[2 * x.length - 1 - i] = x[i];
      bandY[2 * x.length - 1 - i] = lo[i];
    }
    if (x.length > 1) {
      XYSeries band = aucChart.addSeries("95% CI", bandX, bandY);
      band.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
      band.setFillColor(BAND);
      band.setLineColor(BAND);
      band.setMarker(SeriesMarkers.NONE);
    } else {
      XYSeries bar =
          aucChart.addSeries("95% CI", new double[] {x[0], x[0]}, new double[] {lo[0], hi[0]});
      bar.setLineColor(GREEN);
      bar.setLineWidth(6f);
      bar.setMarker(SeriesMarkers.NONE);
    }
    addLine(aucChart, "validation AUC", x, auc, GREEN, SeriesMarkers.CIRCLE);
    double yLow = Math.min(0.5, finiteMin(lo, 0.5));
    aucChart.getStyler().setYAxisMin(Math.max(0.0, Math.floor(yLow * 10) / 10));
    aucChart.getStyler().setYAxisMax(1.0);
    aucChart.getStyler().setYAxisDecimalPattern("0.00");
    aucChart.getStyler().setLegendPosition(LegendPosition.InsideSE);
    if (best >= 0) {
      for (XYChart c : List.of(loss, aucChart)) {
        c.addAnnotation(new AnnotationLine(x[best], true, false));
      }
      XYSeries mark =
          aucChart.addSeries(
              String.format(Locale.ROOT, "best epoch %d (AUC %.3f)", bestEpoch, auc[best]),
              new double[] {x[best]},
              new double[] {auc[best]});
      mark.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
      mark.setMarker(SeriesMarkers.DIAMOND);
      mark.setMarkerColor(RED);
      aucChart.getStyler().setMarkerSize(9);
    }

    BufferedImage image = new BufferedImage(WIDTH, TRAINING_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.drawImage(BitmapEncoder.getBufferedImage(loss), 0, 0, null);
      g.drawImage(BitmapEncoder.getBufferedImage(aucChart), 0, panel, null);
    } finally {
      g.dispose();
    }
    writeAtomically(png, image);
  }

  /**
   * Draws a ROC curve with the chance diagonal and, optionally, the operating point (for example
   * the Youden threshold) marked. The image is {@value #WIDTH} x {@value #HEIGHT} pixels.
   *
   * @param png the file to write
   * @param fpr false-positive rates of the curve's points, in [0, 1]
   * @param tpr true-positive rates, same length as {@code fpr}, at least two points
   * @param title chart title, for example {@code "AUC 0.812 (95% CI 0.70-0.92)"}
   * @param operatingFpr false-positive rate of the operating point, or null for none
   * @param operatingTpr true-positive rate of the operating point, or null for none
   * @throws IOException when the file cannot be written
   * @throws IllegalArgumentException when the arrays differ in length, have fewer than two points
   *     or values outside [0, 1], or only one of the operating coordinates is given
   */
  public static void roc(
      Path png, double[] fpr, double[] tpr, String title, Double operatingFpr, Double operatingTpr)
      throws IOException {
    Objects.requireNonNull(png, "png");
    Objects.requireNonNull(fpr, "fpr");
    Objects.requireNonNull(tpr, "tpr");
    Objects.requireNonNull(title, "title");
    if (fpr.length != tpr.length || fpr.length < 2) {
      throw new IllegalArgumentException(
          "fpr and tpr must have the same length, at least 2, but had "
              + fpr.length
              + " and "
              + tpr.length);
    }
    checkUnit(fpr, "fpr");
    checkUnit(tpr, "tpr");
    if ((operatingFpr == null) != (operatingTpr == null)) {
      throw new IllegalArgumentException(
          "operatingFpr and operatingTpr must both be given or both"
              + " be null but were "
              + operatingFpr
              + " and "
              + operatingTpr);
    }
    if (operatingFpr != null) {
      checkUnit(new double[] {operatingFpr, operatingTpr}, "operating point");
    }
    XYChart chart =
        newChart(
            HEIGHT,
            "ROC curve: " + title,
            "false-positive rate (1 - specificity)",
            "true-positive rate (sensitivity)");
    XYStyler s = chart.getStyler();
    s.setXAxisMin(0.0);
    s.setXAxisMax(1.0);
    s.setYAxisMin(0.0);
    s.setYAxisMax(1.0);
    s.setXAxisDecimalPattern("0.0");
    s.setYAxisDecimalPattern("0.0");
    s.setLegendPosition(LegendPosition.InsideSE);
    XYSeries chance = chart.addSeries("chance (AUC 0.5)", new double[] {0, 1}, new double[] {0, 1});
    chance.setLineColor(GREY);
    chance.setLineStyle(DASHED);
    chance.setMarker(SeriesMarkers.NONE);
    XYSeries curve = chart.addSeries("ROC", fpr.clone(), tpr.clone());
    curve.setLineColor(BLUE);
    curve.setLineWidth(2.5f);
    curve.setMarker(SeriesMarkers.NONE);
    if (operatingFpr != null) {
      XYSeries op =
          chart.addSeries(
              String.format(
                  Locale.ROOT,
                  "operating point (sensitivity %.3f, specificity %.3f)",
                  operatingTpr,
                  1 - operatingFpr),
              new double[] {operatingFpr},
              new double[] {operatingTpr});
      op.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
      op.setMarker(SeriesMarkers.DIAMOND);
      op.setMarkerColor(RED);
      s.setMarkerSize(12);
    }
    writeAtomically(png, BitmapEncoder.getBufferedImage(chart));
  }

  /**
   * Draws a reliability diagram: the fraction of positives against the mean predicted probability
   * of each non-empty bin (markers sized by nothing, the counts go in the legend), with the
   * diagonal of perfect calibration. The image is {@value #WIDTH} x {@value #HEIGHT} pixels.
   *
   * @param png the file to write
   * @param calibration the bins, ECE and Brier score
   * @throws IOException when the file cannot be written
   * @throws IllegalArgumentException when every bin is empty
   */
  public static void reliability(Path png, Calibration calibration) throws IOException {
    Objects.requireNonNull(png, "png");
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (Calibration.Bin b : calibration.bins()) {
      if (b.count() > 0) {
        x.add(b.meanProbability());
        y.add(b.fractionPositive());
      }
    }
    if (x.isEmpty()) {
      throw new IllegalArgumentException("every calibration bin is empty");
    }
    XYChart chart =
        newChart(
            HEIGHT,
            String.format(
                Locale.ROOT,
                "Reliability: ECE %.3f (%d equal-width bins), Brier %.3f",
                calibration.ece(),
                Calibration.BINS,
                calibration.brier()),
            "mean predicted probability in the bin",
            "fraction positive in the bin");
    XYStyler s = chart.getStyler();
    s.setXAxisMin(0.0);
    s.setXAxisMax(1.0);
    s.setYAxisMin(0.0);
    s.setYAxisMax(1.0);
    s.setXAxisDecimalPattern("0.0");
    s.setYAxisDecimalPattern("0.0");
    s.setLegendPosition(LegendPosition.InsideNW);
    XYSeries diagonal =
        chart.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1});
    diagonal.setLineColor(GREY);
    diagonal.setLineStyle(DASHED);
    diagonal.setMarker(SeriesMarkers.NONE);
    addLine(chart, "bins", toArray(x, "x"), toArray(y, "y"), BLUE, SeriesMarkers.CIRCLE);
    writeAtomically(png, BitmapEncoder.getBufferedImage(chart));
  }

  /**
   * Draws a learning-rate finder (Smith 2017, "Cyclical learning rates for training neural
   * networks"): loss against learning rate on a logarithmic x axis, with the suggested rate marked
   * by a dashed vertical line and a diamond. Non-finite losses (a diverged run) are left out, and
   * the y axis is capped so that a final blow-up does not flatten the useful part of the curve. The
   * image is {@value #WIDTH} x {@value #HEIGHT} pixels.
   *
   * @param png the file to write
   * @param lrs learning rates tried, all positive
   * @param losses loss at each rate, same length as {@code lrs}
   * @param suggested the suggested learning rate, positive
   * @throws IOException when the file cannot be written
   * @throws IllegalArgumentException when the arrays differ in length, hold no finite loss, or a
   *     rate is not positive
   */
  public static void lrFinder(Path png, double[] lrs, double[] losses, double suggested)
      throws IOException {
    Objects.requireNonNull(png, "png");
    Objects.requireNonNull(lrs, "lrs");
    Objects.requireNonNull(losses, "losses");
    if (lrs.length != losses.length) {
      throw new IllegalArgumentException(
          "lrs and losses must have the same length but had "
              + lrs.length
              + " and "
              + losses.length);
    }
    if (!(suggested > 0) || Double.isInfinite(suggested)) {
      throw new IllegalArgumentException(
          "suggested must be positive and finite but was " + suggested);
    }
    List<double[]> kept = new ArrayList<>();
    for (int i = 0; i < lrs.length; i++) {
      if (!(lrs[i] > 0) || Double.isInfinite(lrs[i])) {
        throw new IllegalArgumentException(
            "lrs[" + i + "] must be positive and finite but was " + lrs[i]);
      }
      if (Double.isFinite(losses[i])) {
        kept.add(new double[] {lrs[i], losses[i]});
      }
    }
    if (kept.isEmpty()) {
      throw new IllegalArgumentException("losses must hold at least one finite value");
    }
    double[] x = kept.stream().mapToDouble(p -> p[0]).toArray();
    double[] y = kept.stream().mapToDouble(p -> p[1]).toArray();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : y) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    // cap: the starting loss plus its drop to the minimum, so a final explosion stays in view
    // without squashing the descent
    double cap = Math.max(y[0], min) + Math.max(y[0] - min, 0.05 * Math.abs(min) + 1e-9);
    double top = Math.min(max, cap);
    double pad = 0.05 * (top - min) + 1e-9;

    XYChart chart = newChart(HEIGHT, "Learning-rate finder", "learning rate (log scale)", "loss");
    XYStyler s = chart.getStyler();
    s.setXAxisLogarithmic(true);
    s.setYAxisMin(min - pad);
    s.setYAxisMax(top + pad);
    s.setYAxisDecimalPattern("0.00");
    s.setLegendPosition(LegendPosition.InsideSW);
    s.setXAxisDecimalPattern("0E0");
    addLine(chart, "loss", x, y, BLUE, SeriesMarkers.NONE);
    chart.addAnnotation(new AnnotationLine(suggested, true, false));
    double at = y[nearest(x, suggested)];
    XYSeries mark =
        chart.addSeries(
            String.format(Locale.ROOT, "suggested %.1e", suggested),
            new double[] {suggested},
            new double[] {Math.min(at, top)});
    mark.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    mark.setMarker(SeriesMarkers.DIAMOND);
    mark.setMarkerColor(RED);
    s.setMarkerSize(12);
    writeAtomically(png, BitmapEncoder.getBufferedImage(chart));
  }

  private static XYChart newChart(int height, String title, String xTitle, String yTitle) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    XYChart chart = new XYChart(WIDTH, height);
    chart.setTitle(title);
    chart.setXAxisTitle(xTitle);
    chart.setYAxisTitle(yTitle);
    XYStyler s = chart.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotBorderColor(new Color(160, 160, 160));
    s.setPlotGridLinesColor(new Color(225, 225, 225));
    s.setChartTitleBoxVisible(false);
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    s.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    s.setLegendBorderColor(new Color(200, 200, 200));
    s.setLegendPosition(LegendPosition.InsideNE);
    s.setAnnotationLineColor(RED);
    s.setAnnotationLineStroke(DASHED);
    s.setChartPadding(12);
    s.setMarkerSize(7);
    s.setAntiAlias(true);
    return chart;
  }

  private static void styleEpochAxis(XYChart chart, double xMin, double xMax) {
    XYStyler s = chart.getStyler();
    s.setXAxisMin(xMin);
    s.setXAxisMax(xMax);
    s.setXAxisDecimalPattern("0");
  }

  private static void addLine(
      XYChart chart, String name, double[] x, double[] y, Color color, Marker marker) {
    XYSeries series = chart.addSeries(name, x, y);
    series.setLineColor(color);
    series.setMarkerColor(color);
    series.setMarker(marker);
    series.setLineWidth(2.2f);
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

  private static double finiteMin(double[] v, double fallback) {
    double min = Double.POSITIVE_INFINITY;
    for (double d : v) {
      if (Double.isFinite(d)) {
        min = Math.min(min, d);
      }
    }
    return Double.isFinite(min) ? min : fallback;
  }

  private static void checkUnit(double[] v, String name) {
    for (int i = 0; i < v.length; i++) {
      if (!(v[i] >= 0 && v[i] <= 1)) {
        throw new IllegalArgumentException(
            name + " values must be in [0, 1] but " + name + "[" + i + "] was " + v[i]);
      }
    }
  }

  private static double[] toArray(List<? extends Number> list, String name) {
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Objects.requireNonNull(list.get(i), name + "[" + i + "]").doubleValue();
    }
    return out;
  }

  private static double[] sameSize(List<Double> list, String name, int size) {
    Objects.requireNonNull(list, name);
    if (list.size() != size) {
      throw new IllegalArgumentException(
          name + " must have one value per epoch (" + size + ") but had " + list.size());
    }
    return toArray(list, name);
  }

  /**
   * Writes the image as PNG to a temporary file beside {@code png}, then renames it over {@code
   * png} in one step. The image goes through an output stream rather than {@code
   * BitmapEncoder.saveBitmap}, which would append ".png" to the temporary file's name.
   */
  private static void writeAtomically(Path png, BufferedImage image) throws IOException {
    AtomicFiles.write(
        png,
        tmp -> {
          try (OutputStream out = Files.newOutputStream(tmp)) {
            if (!ImageIO.write(image, "png", out)) {
              throw new IOException("no PNG writer available to write " + png);
            }
          }
        });
  }
}
