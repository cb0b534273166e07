package dev.cxr.core.report;

import static dev.cxr.core.report.Html.esc;
import static dev.cxr.core.report.Html.num;

import dev.cxr.core.chart.Figures;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.evaluation.Evaluation;
import dev.cxr.core.explain.Explanation;
import dev.cxr.core.localize.Localization;
import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.Calibration;
import dev.cxr.core.metrics.ConfusionMatrix;
import dev.cxr.core.metrics.PrecisionRecall;
import dev.cxr.core.provenance.ModelFile;
import dev.cxr.core.provenance.ModelInfo;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/** Writes the report's HTML; every value goes through {@link Html#esc}. */
final class ReportPage {
  private static final String CSS =
      """
      :root{color-scheme:light}
      *{box-sizing:border-box}
      body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,\
      sans-serif;color:#1d1d1f;background:#f6f7f9}
      main{max-width:1120px;margin:0 auto;padding:20px 24px 40px}
      h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:0 0 .6em;border-bottom:\
      1px solid #ddd;padding-bottom:.2em}h3{font-size:1.05em;margin:.8em 0 .4em}
      .sub{color:#555;margin:0 0 1em;overflow-wrap:anywhere}
      section{background:#fff;border:1px solid #e2e4e8;border-radius:8px;padding:16px 18px;\
      margin:16px 0}
      .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;\
      background:none;border:0;padding:0}
      .card{background:#fff;border:1px solid #e2e4e8;border-radius:8px;padding:10px 12px}
      .card b{display:block;font-size:1.35em}.card span{color:#555;font-size:.85em}
      .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(440px,100%),1fr));gap:14px}
      svg.chart{width:100%;height:auto;display:block}
      table{border-collapse:collapse;width:100%;margin:.3em 0 .8em}
      th,td{border-bottom:1px solid #e6e6e6;padding:4px 8px;text-align:left;vertical-align:top;\
      overflow-wrap:anywhere}
      th{background:#f2f3f5;font-weight:600;overflow-wrap:normal}td.n,th.n{text-align:right;\
      font-variant-numeric:tabular-nums}
      tr.op td{background:#fff6d6;font-weight:600}
      table.cm{width:auto}table.cm td{min-width:7em;text-align:right}
      .gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(220px,100%),1fr));gap:12px}
      figure{margin:0;border:1px solid #e2e4e8;border-radius:6px;padding:6px;background:#fafafa}
      figure img{width:100%;height:auto;display:block}
      figcaption{font-size:.82em;color:#333;margin-top:4px;overflow-wrap:anywhere}
      .none{color:#777;font-style:italic}
      .warn{background:#fff3cd;border:1px solid #f0d58a;padding:8px 10px;border-radius:6px}
      pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px;background:#f7f7f7;\
      padding:10px;border-radius:6px;max-height:480px;overflow:auto}
      code{overflow-wrap:anywhere}
      footer{color:#666;font-size:.85em;margin-top:20px}
      @page{size:A4;margin:12mm}
      @media print{body{background:#fff;font-size:10pt}main{max-width:none;padding:0}\
      section{border:0;padding:0;margin:0 0 10mm;break-inside:avoid-page}\
      .charts{grid-template-columns:1fr 1fr}.gallery{grid-template-columns:repeat(3,1fr)}\
      figure{break-inside:avoid}pre{max-height:none;overflow:visible;font-size:7pt}\
      section.appendix{break-before:page}}
      """;

  private final ModelInfo info;
  private final Evaluation ev;
  private final Path data;
  private final String modelName;
  private final boolean validationOnly;
  private final boolean trainingData;
  private final Localization localization;

  ReportPage(
      ModelInfo info,
      Evaluation ev,
      Path data,
      String modelName,
      boolean validationOnly,
      boolean trainingData,
      Localization localization) {
    this.info = info;
    this.ev = ev;
    this.data = data;
    this.modelName = modelName;
    this.validationOnly = validationOnly;
    this.trainingData = trainingData;
    this.localization = localization;
  }

  String render(List<Explanation> tp, List<Explanation> fn, List<Explanation> fp) {
    BinaryMetrics m = ev.metrics();
    ConfusionMatrix cm = ev.confusion();
    Calibration cal = ev.calibration();
    PrecisionRecall pr = PrecisionRecall.of(ev.scores().scores(), ev.scores().positive());
    String pos = ev.positiveLabel();
    StringBuilder h = head(pos);
    h.append("<h1>").append(esc(pos)).append(" detector <code>").append(esc(modelName));
    h.append("</code></h1>\n<p class=\"sub\">").append(esc(data.toString())).append(": ");
    h.append(m.size()).append(" images (").append(esc(pos)).append(' ').append(m.positives());
    h.append(", ").append(esc(ev.negativeLabel())).append(' ').append(m.negatives()).append(')');
    h.append(validationOnly ? ", validation split of the training run only" : "");
    h.append("</p>\n");
    cards(h, m, cm, cal, pr);
    if (trainingData && !validationOnly) {
      h.append("<p class=\"warn\">This is the data the model was trained on: the figures below");
      h.append(" include its training images and are optimistic. Use a held-out set, or");
      h.append(" <code>--split validation</code>.</p>\n");
    } else {
      overlap(h);
    }
    h.append("<section id=\"discrimination\">\n<h2>Discrimination</h2>\n<div class=\"charts\">");
    h.append(Figures.roc(ev.single()).toSvg()).append('\n');
    h.append(Figures.precisionRecall(pr).toSvg()).append("</div>\n</section>\n");
    operatingPoint(h, m, cm);
    h.append("<section id=\"calibration\">\n<h2>Calibration</h2>\n<div class=\"charts\">");
    h.append(Figures.reliability(cal).toSvg()).append("<div>");
    h.append("<p>Expected calibration error <b>").append(num(cal.ece(), 4));
    h.append("</b> (positive-class probability in 10 equal-width bins; the mean over images of");
    h.append(" |fraction positive - mean probability| of their bin) and Brier score <b>");
    h.append(num(cal.brier(), 4)).append("</b> (mean squared error of the probability).</p>");
    h.append(
        info.validation().calibrated()
            ? "<p>The probabilities are temperature-scaled (T = "
                + num(info.validation().temperature(), 3)
                + ", fitted on the validation split).</p>"
            : "<p>The probabilities are not temperature-scaled (<code>cxr calibrate</code>"
                + " fits a temperature on the validation split).</p>");
    h.append("</div></div>\n</section>\n");
    training(h);
    h.append("<section id=\"galleries\">\n<h2>Where the network looked (Grad-CAM)</h2>\n");
    h.append("<p>The colour shows where the last convolutional stage found evidence for ");
    h.append(esc(pos)).append(" (Grad-CAM, Selvaraju et al. 2017; viridis, each map scaled");
    h.append(" to its own maximum). Most confident first.</p>\n");
    gallery(h, "True positives", tp);
    gallery(h, "False negatives (missed " + pos + ")", fn);
    gallery(h, "False positives", fp);
    h.append("</section>\n");
    if (localization != null) {
      LocalisationSection.render(h, localization, this::displayName);
    }
    return tail(h);
  }

  /**
   * The page of a multi-label model: the per-finding table and ROC grid ({@link FindingSections}),
   * training, a Grad-CAM gallery per finding of its most confident true positives, provenance.
   *
   * @param truePositives per finding, its gallery (most confident first)
   * @return the HTML
   */
  String renderFindings(Map<String, List<Explanation>> truePositives) {
    StringBuilder h = head(info.task().findings().size() + " findings");
    h.append("<h1>").append(info.task().findings().size()).append("-finding detector <code>");
    h.append(esc(modelName)).append("</code></h1>\n<p class=\"sub\">");
    h.append(esc(data.toString())).append(": ").append(ev.files().size()).append(" images");
    h.append(validationOnly ? ", validation split of the training run only" : "");
    h.append("</p>\n");
    if (trainingData && !validationOnly) {
      h.append("<p class=\"warn\">This is the data the model was trained on: the figures below");
      h.append(" include its training images and are optimistic.</p>\n");
    } else {
      overlap(h);
    }
    FindingSections.table(h, ev);
    FindingSections.rocGrid(h, ev);
    training(h);
    h.append("<section id=\"galleries\">\n<h2>Where the network looked (Grad-CAM)</h2>\n");
    h.append("<p>Per finding, its most confident true positives: the colour shows where the last");
    h.append(" convolutional stage found evidence for that finding (Grad-CAM, Selvaraju et al.");
    h.append(" 2017; viridis, each map scaled to its own maximum).</p>\n");
    truePositives.forEach((finding, ex) -> gallery(h, finding, ex));
    h.append("</section>\n");
    if (localization != null) {
      LocalisationSection.render(h, localization, this::displayName);
    }
    return tail(h);
  }

  /**
   * The warning {@code evaluate} prints when images of the data trained the model, for data that is
   * not the training data as given (another folder set, a copy, a subset).
   */
  private void overlap(StringBuilder h) {
    if (info.trainingImages() != null) {
      info.trainingImages()
          .overlapWarning(ev.files(), "report")
          .ifPresent(
              w ->
                  h.append("<p class=\"warn\">")
                      .append(esc(w))
                      .append(": the figures")
                      .append(" below are optimistic.</p>\n"));
    }
  }

  private StringBuilder head(String what) {
    StringBuilder h = new StringBuilder(1 << 16);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.append("<title>cxr report: ").append(esc(what)).append(", ").append(esc(modelName));
    h.append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
    return h;
  }

  private String tail(StringBuilder h) {
    dataAndProvenance(h);
    h.append("<footer>Written by cxr ").append(esc(ModelInfo.currentLibraryVersion()));
    h.append(" (Deeplearning4j ").append(esc(ModelInfo.DL4J_VERSION));
    h.append("). Self-contained: this file loads nothing from elsewhere.</footer>\n");
    h.append("</main>\n</body>\n</html>\n");
    return h.toString();
  }

  private void cards(
      StringBuilder h, BinaryMetrics m, ConfusionMatrix cm, Calibration cal, PrecisionRecall pr) {
    h.append("<section class=\"cards\">\n");
    card(h, num(m.auc(), 3), "ROC AUC, 95% CI " + num(m.ciLower(), 3) + "-" + num(m.ciUpper(), 3));
    card(h, num(cm.sensitivity(), 3), "sensitivity at threshold " + num(ev.threshold(), 3));
    card(h, num(cm.specificity(), 3), "specificity at threshold " + num(ev.threshold(), 3));
    card(h, num(pr.averagePrecision(), 3), "average precision");
    card(h, num(cal.ece(), 3), "expected calibration error");
    card(h, num(cal.brier(), 3), "Brier score");
    h.append("</section>\n");
  }

  private static void card(StringBuilder h, String value, String what) {
    h.append("<div class=\"card\"><b>").append(esc(value)).append("</b><span>");
    h.append(esc(what)).append("</span></div>\n");
  }

  private void operatingPoint(StringBuilder h, BinaryMetrics m, ConfusionMatrix cm) {
    String pos = esc(ev.positiveLabel());
    String neg = esc(ev.negativeLabel());
    h.append("<section id=\"threshold\">\n<h2>Operating point</h2>\n<div class=\"charts\"><div>");
    h.append("<h3>Confusion matrix at the stored threshold ").append(num(ev.threshold(), 4));
    h.append("</h3>\n<table class=\"cm\"><tr><th>true \\ predicted</th><th class=\"n\">");
    h.append(neg).append("</th><th class=\"n\">").append(pos).append("</th></tr>\n");
    h.append("<tr><th>").append(neg).append("</th><td>").append(cm.trueNegatives());
    h.append("</td><td>").append(cm.falsePositives()).append("</td></tr>\n<tr><th>");
    h.append(pos).append("</th><td>").append(cm.falseNegatives()).append("</td><td>");
    h.append(cm.truePositives()).append("</td></tr></table>\n");
    h.append("<p>The threshold was chosen on the validation split of the training run (Youden's");
    h.append(" J). Precision ").append(num(cm.precision(), 3)).append(", negative predictive");
    h.append(" value ").append(num(cm.negativePredictiveValue(), 3)).append(".</p></div><div>");
    h.append("<h3>Sensitivity and specificity by threshold</h3>\n<table><tr><th class=\"n\">");
    h.append("threshold</th><th class=\"n\">sensitivity</th><th class=\"n\">specificity</th>");
    h.append("<th class=\"n\">predicted ").append(pos).append("</th></tr>\n");
    TreeSet<Double> ts = new TreeSet<>(List.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9));
    ts.add(ev.threshold());
    for (double t : ts) {
      ConfusionMatrix c = m.confusionAt(t);
      h.append(t == ev.threshold() ? "<tr class=\"op\">" : "<tr>");
      h.append("<td class=\"n\">").append(num(t, t == ev.threshold() ? 4 : 2)).append("</td>");
      h.append("<td class=\"n\">").append(num(c.sensitivity(), 3)).append("</td>");
      h.append("<td class=\"n\">").append(num(c.specificity(), 3)).append("</td>");
      h.append("<td class=\"n\">").append(c.truePositives() + c.falsePositives()).append("</td>");
      h.append("</tr>\n");
    }
    h.append("</table></div></div>\n</section>\n");
  }

  private void training(StringBuilder h) {
    h.append("<section id=\"training\">\n<h2>Training</h2>\n");
    if (info.history().isEmpty()) {
      h.append("<p class=\"none\">No epochs recorded.</p>\n</section>\n");
      return;
    }
    h.append("<div class=\"charts\">");
    h.append(Figures.loss(info.history(), info.bestEpoch()).toSvg());
    h.append(Figures.auc(info.history(), info.bestEpoch()).toSvg()).append("</div>\n");
    h.append("<p>").append(info.epochsCompleted()).append(" epochs; the weights of epoch ");
    h.append(info.bestEpoch()).append(" (best validation AUC) are kept: ");
    h.append(esc(info.aucLine())).append(".</p>\n</section>\n");
  }

  private void gallery(StringBuilder h, String title, List<Explanation> ex) {
    h.append("<h3>").append(esc(title)).append(" (").append(ex.size()).append(")</h3>\n");
    if (ex.isEmpty()) {
      h.append("<p class=\"none\">None.</p>\n");
      return;
    }
    h.append("<div class=\"gallery\">\n");
    for (Explanation e : ex) {
      String name = displayName(e.image());
      figure(h, e.renderOverlay(Report.THUMBNAIL), "Grad-CAM of " + name, name, e.caption());
    }
    h.append("</div>\n");
  }

  private String displayName(Path image) {
    Path root = data.toAbsolutePath().normalize();
    Path abs = image.toAbsolutePath().normalize();
    return abs.startsWith(root) ? root.relativize(abs).toString() : image.toString();
  }

  /** One gallery figure: the picture inlined as a PNG, the image's name and a caption. */
  static void figure(StringBuilder h, BufferedImage img, String alt, String name, String caption) {
    h.append("<figure><img src=\"data:image/png;base64,").append(png(img));
    h.append("\" width=\"").append(img.getWidth()).append("\" height=\"");
    h.append(img.getHeight()).append("\" alt=\"").append(esc(alt));
    h.append("\"><figcaption><code>").append(esc(name)).append("</code><br>");
    h.append(esc(caption)).append("</figcaption></figure>\n");
  }

  private static String png(BufferedImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }

  private void dataAndProvenance(StringBuilder h) {
    PipelineConfig c = info.config();
    h.append("<section id=\"provenance\">\n<h2>Model and data</h2>\n<table>\n");
    row(h, "model", modelName);
    row(
        h,
        "task",
        info.task().multiLabel()
            ? "multi-label, one sigmoid per finding: " + String.join(", ", info.task().findings())
            : info.task().labelNames().toString() + ", positive: " + ev.positiveLabel());
    row(
        h,
        "network",
        String.format(
            Locale.ROOT,
            "ResNet-%d (%s), width %d, %d px input",
            c.depth(),
            c.preActivation() ? "pre-activation, He et al. 2016" : "original, He et al." + " 2015",
            c.width(),
            c.imageSize()));
    row(
        h,
        "training",
        String.format(
            Locale.ROOT,
            "%s lr %s, %s schedule, batch %d, %d of %d" + " epochs, patience %d, seed %d",
            c.optimizer(),
            num(c.learningRate(), 6),
            c.schedule(),
            c.batchSize(),
            info.epochsCompleted(),
            c.epochs(),
            c.patience(),
            c.seed()));
    row(h, "loss", c.loss().describe());
    row(h, "augmentation", c.augmentation().describe());
    row(h, "normalisation", info.normalisation().describe());
    row(
        h,
        "training data",
        info.trainImages()
            + " training and "
            + info.validationImages()
            + " validation images (validation fraction "
            + num(c.validationFraction(), 2)
            + ")");
    row(
        h,
        "data fingerprint",
        info.dataFingerprint()
            + (trainingData
                ? " (matches the data reported here)"
                : " (not the data reported here)"));
    row(h, "operating threshold", num(info.threshold(), 4));
    row(h, "temperature", num(info.validation().temperature(), 4));
    row(
        h,
        "versions",
        "trained with cxr "
            + info.libraryVersion()
            + " on Deeplearning4j "
            + info.dl4jVersion()
            + "; metadata format "
            + info.format());
    row(h, "evaluated data", data.toString());
    h.append("</table>\n</section>\n<section class=\"appendix\" id=\"metadata\">\n");
    h.append("<h2>Full metadata (as stored in the model file)</h2>\n<pre>");
    h.append(esc(ModelFile.toJson(info))).append("</pre>\n</section>\n");
  }

  private static void row(StringBuilder h, String key, String value) {
    h.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value));
    h.append("</td></tr>\n");
  }
}
