package dev.cxr.examples.cli;

import dev.cxr.core.CxrModel;
import dev.cxr.core.chart.Figures;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.SkipReport;
import dev.cxr.core.evaluation.Evaluation;
import dev.cxr.core.evaluation.EvaluationRequest;
import dev.cxr.core.evaluation.Evaluator;
import dev.cxr.core.io.AtomicFiles;
import dev.cxr.core.io.Progress;
import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.Calibration;
import dev.cxr.core.metrics.ConfusionMatrix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxr evaluate}: AUC with CI, sensitivity, specificity, confusion matrix, ROC picture. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description =
        "Score every usable image of a data directory (or only the validation split of "
            + "the model's own training run); print AUC with 95%% CI, sensitivity, specificity and the "
            + "confusion matrix, expected calibration error and Brier score; write roc.png, reliability.png"
            + " and predictions.csv.")
public final class EvaluateCommand implements Callable<Integer> {
  @Mixin VerboseOption verboseOption;
  @Mixin CacheOption cache;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model file.")
  Path model;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "Data directory; repeat for several, read as one data set.")
  List<Path> data;

  @Mixin SplitOption splitOption;
  @Mixin TtaOption ttaOption;

  @Option(
      names = "--labels",
      paramLabel = "FILE",
      description =
          "Labels CSV of --data, relative to it or absolute (default: the one the model was"
              + " trained with).")
  Path labels;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = ".",
      description =
          "Directory for roc.png, reliability.png and predictions.csv (default: current"
              + " directory).")
  Path outDir;

  @Option(
      names = "--skip-bad",
      description = "Skip bad items (bad rows, missing or unreadable images) and report them.")
  boolean skipBad;

  @Override
  public Integer call() throws Exception {
    boolean validation = splitOption.validationOnly();
    CxrModel m = CxrModel.load(model);
    DataReport skipped = new DataReport();
    Evaluation ev =
        Evaluator.evaluate(
            m.network(),
            m.info(),
            EvaluationRequest.of(data.toArray(Path[]::new))
                .labels(labels)
                .validationSplitOnly(validation)
                .workers(PipelineConfig.DEFAULTS.workers())
                .skipBad(skipBad ? skipped : null)
                .cache(cache.dir)
                .progress(Progress.Factory.standardOutput())
                .tta(ttaOption.tta()));
    if (m.info().trainingImages() != null) {
      m.info()
          .trainingImages()
          .overlapWarning(ev.files(), "evaluation")
          .ifPresent(System.err::println);
    }
    if (ev.multiLabel()) {
      MultiLabelReport.print(ev, outDir);
      SkipReport.line(skipped).ifPresent(System.out::println);
      return 0;
    }
    BinaryMetrics metrics = ev.metrics();
    ConfusionMatrix cm = ev.confusion();
    String pos = ev.positiveLabel();
    String neg = ev.negativeLabel();
    System.out.printf(
        Locale.ROOT,
        "images: %d (%s %d, %s %d)%n",
        metrics.size(),
        pos,
        metrics.positives(),
        neg,
        metrics.negatives());
    System.out.println(metrics.aucLine());
    System.out.printf(
        Locale.ROOT,
        "threshold: %.4f (Youden's J on the training run's validation split)%n",
        ev.threshold());
    Calibration calibration = ev.calibration();
    System.out.println(calibration.line());
    if (m.info().validation().calibrated()) {
      System.out.printf(
          Locale.ROOT,
          "temperature: %.4f (fitted on the validation split)%n",
          m.info().validation().temperature());
    }
    System.out.printf(Locale.ROOT, "sensitivity: %.3f%n", cm.sensitivity());
    System.out.printf(Locale.ROOT, "specificity: %.3f%n", cm.specificity());
    System.out.println("confusion matrix (rows: true, columns: predicted):");
    int w = Math.max(pos.length(), neg.length()) + 2;
    System.out.printf(Locale.ROOT, "  %-" + w + "s %" + w + "s %" + w + "s%n", "", neg, pos);
    System.out.printf(
        Locale.ROOT,
        "  %-" + w + "s %" + w + "d %" + w + "d%n",
        neg,
        cm.trueNegatives(),
        cm.falsePositives());
    System.out.printf(
        Locale.ROOT,
        "  %-" + w + "s %" + w + "d %" + w + "d%n",
        pos,
        cm.falseNegatives(),
        cm.truePositives());
    Files.createDirectories(outDir);
    Path roc = outDir.resolve("roc.png");
    ChartPng.write(roc, Figures.roc(ev.single()));
    Path reliability = outDir.resolve("reliability.png");
    ChartPng.write(reliability, Figures.reliability(calibration));
    Path csv = outDir.resolve("predictions.csv");
    StringBuilder sb =
        new StringBuilder("image,label,probability_" + pos.replace(' ', '_') + ",predicted\n");
    double[] scores = ev.scores().scores();
    boolean[] positive = ev.scores().positive();
    for (int i = 0; i < ev.files().size(); i++) {
      sb.append(csvField(ev.files().get(i).toString()))
          .append(',')
          .append(positive[i] ? pos : neg)
          .append(',')
          .append(String.format(Locale.ROOT, "%.6f", scores[i]))
          .append(',')
          .append(ev.predictedLabel(i))
          .append('\n');
    }
    AtomicFiles.write(csv, tmp -> Files.writeString(tmp, sb));
    System.out.println("wrote " + roc + ", " + reliability + " and " + csv);
    SkipReport.line(skipped).ifPresent(System.out::println);
    return 0;
  }

  static String csvField(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
