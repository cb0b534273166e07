package dev.cxr.examples.cli;

import dev.cxr.core.chart.Figures;
import dev.cxr.core.evaluation.Evaluation;
import dev.cxr.core.evaluation.FindingEvaluation;
import dev.cxr.core.evaluation.Scores;
import dev.cxr.core.io.AtomicFiles;
import dev.cxr.core.metrics.ConfusionMatrix;
import dev.cxr.core.metrics.PrecisionRecall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@code cxr evaluate} prints and writes for a multi-label model: one table row per finding
 * (positives, prevalence, AUC with its DeLong 95% CI, average precision, the threshold chosen on
 * the training run's validation part with the sensitivity and specificity there), the mean AUC, one
 * ROC chart per finding and a {@code predictions.csv} with one probability column per finding.
 */
final class MultiLabelReport {
  private MultiLabelReport() {}

  /** The per-finding table, as printed. */
  static String table(Evaluation ev) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-20s %5s %6s  %-22s %6s %9s %6s %6s%n",
            "finding",
            "pos",
            "prev",
            "AUC (95% CI)",
            "AP",
            "threshold",
            "sens",
            "spec"));
    for (FindingEvaluation f : ev.findings()) {
      int n = f.files().size();
      String auc =
          f.hasAuc()
              ? String.format(
                  Locale.ROOT,
                  "%.3f (%.3f-%.3f)",
                  f.metrics().auc(),
                  f.metrics().ciLower(),
                  f.metrics().ciUpper())
              : "n/a (one class)";
      double ap =
          PrecisionRecall.of(f.scores().scoresOf(0), f.scores().labelsOf(0)).averagePrecision();
      ConfusionMatrix cm = f.confusion();
      sb.append(
          String.format(
              Locale.ROOT,
              "%-20s %5d %6.3f  %-22s %6.3f %9.4f %6.3f %6.3f%n",
              f.finding(),
              f.positives(),
              f.positives() / (double) n,
              auc,
              ap,
              f.threshold(),
              cm.sensitivity(),
              cm.specificity()));
    }
    List<Integer> in = ev.scores().meanAucFindings();
    sb.append(
        String.format(
            Locale.ROOT,
            "mean AUC: %.4f over %d findings with >= %d positives (%d images)%n",
            ev.meanAuc(),
            in.size(),
            Scores.MEAN_AUC_MIN_POSITIVES,
            ev.files().size()));
    return sb.toString();
  }

  /** Prints the table and writes a ROC per finding and predictions.csv in {@code outDir}. */
  static void print(Evaluation ev, Path outDir) throws IOException {
    System.out.print(table(ev));
    Files.createDirectories(outDir);
    int charts = 0;
    for (FindingEvaluation f : ev.findings()) {
      if (!f.hasAuc()) {
        continue;
      }
      ChartPng.write(
          outDir.resolve("roc-" + f.finding().replace(' ', '_') + ".png"), Figures.roc(f));
      charts++;
    }
    Path csv = outDir.resolve("predictions.csv");
    StringBuilder sb = new StringBuilder("image");
    for (FindingEvaluation f : ev.findings()) {
      String name = f.finding().replace(' ', '_');
      sb.append(',').append(name).append(",p_").append(name);
    }
    sb.append('\n');
    Scores s = ev.scores();
    for (int i = 0; i < ev.files().size(); i++) {
      sb.append(EvaluateCommand.csvField(ev.files().get(i).toString()));
      for (int f = 0; f < s.findings().size(); f++) {
        sb.append(',')
            .append(s.labelsOf(f)[i] ? 1 : 0)
            .append(',')
            .append(String.format(Locale.ROOT, "%.6f", s.scoresOf(f)[i]));
      }
      sb.append('\n');
    }
    AtomicFiles.write(csv, tmp -> Files.writeString(tmp, sb));
    System.out.println(
        "wrote " + charts + " ROC charts (roc-<finding>.png) and " + csv + " in " + outDir);
  }
}
