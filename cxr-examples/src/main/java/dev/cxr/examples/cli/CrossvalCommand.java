package dev.cxr.examples.cli;

import dev.cxr.core.CxrPipeline;
import dev.cxr.core.config.Selection;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.SkipReport;
import dev.cxr.core.evaluation.Scores;
import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.provenance.ModelInfo;
import dev.cxr.core.training.CrossValidation;
import dev.cxr.core.training.CrossValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxr crossval}: patient-level k-fold cross-validation. */
@Command(
    name = "crossval",
    mixinStandardHelpOptions = true,
    description =
        "Train one model per patient-level fold; print per fold and as mean ± sd the held-out"
            + " AUC of the epoch chosen on an inner split of the fold's training patients"
            + " (nested), of the last epoch, and of the best epoch on the fold itself"
            + " (optimistic); then the pooled out-of-fold AUC.")
public final class CrossvalCommand implements Callable<Integer> {
  @Mixin DataOptions dataOptions;
  @Mixin TrainOptions trainOptions;
  @Mixin VerboseOption verboseOption;

  @Option(
      names = "--folds",
      defaultValue = "5",
      description = "Number of folds (default: ${DEFAULT-VALUE}).")
  int folds;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      description = "Keep each fold's checkpoints here.")
  Path checkpointDir;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Keep each fold's model (fold-i.zip) and write their ensemble, the mean of their"
              + " probabilities, as DIR/ensemble.zip (use it as any model).")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (folds < 2) {
      throw new IllegalArgumentException("--folds must be >= 2 but was " + folds);
    }
    DataReport skipped = new DataReport();
    CxrPipeline.Builder b = trainOptions.apply(CxrPipeline.builder(), dataOptions).report(skipped);
    if (checkpointDir != null) {
      b.checkpointDir(checkpointDir);
    }
    CrossValidation cv = b.build().crossValidate(dataOptions.data, folds, out);
    System.out.println();
    System.out.print(report(cv, b.build().config().selectOn().resolve(true)));
    if (out != null) {
      Path ensemble = out.resolve(CrossValidator.ENSEMBLE_FILE);
      System.out.printf(
          Locale.ROOT,
          "ensemble: %s (%d folds, %.1f MB)%n",
          ensemble,
          cv.folds().size(),
          Files.size(ensemble) / 1e6);
    }
    SkipReport.line(skipped).ifPresent(System.out::println);
    return 0;
  }

  /** The per-fold table and the summary lines. */
  static String report(CrossValidation cv, Selection selection) {
    StringBuilder sb = new StringBuilder();
    String chosen = selection == Selection.INNER ? "nested" : "chosen on fold";
    sb.append(
        String.format(
            Locale.ROOT,
            "fold  %-14s  last epoch  optimistic  (best epoch, validation images)%n",
            chosen));
    for (int i = 0; i < cv.folds().size(); i++) {
      ModelInfo f = cv.folds().get(i);
      sb.append(
          String.format(
              Locale.ROOT,
              "%4d  %-14.3f  %10.3f  %10.3f  (%d, %d)%n",
              i + 1,
              cv.nested().values().get(i),
              cv.last().values().get(i),
              cv.optimistic().values().get(i),
              f.bestEpoch(),
              f.validationImages()));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "mean AUC: %.3f ± %.3f (%s)   last epoch %.3f ± %.3f   optimistic %.3f ± %.3f%n",
            cv.nested().mean(),
            cv.nested().sd(),
            selection == Selection.INNER
                ? "nested: epoch chosen on an inner split of each fold's training patients"
                : "epoch chosen on the fold itself: optimistic",
            cv.last().mean(),
            cv.last().sd(),
            cv.optimistic().mean(),
            cv.optimistic().sd()));
    sb.append(
        String.format(
            Locale.ROOT,
            "out-of-fold AUC: %.3f (%d images, each scored by the fold model that did not train"
                + " on it)%n",
            cv.outOfFoldAuc(),
            cv.outOfFold().files().size()));
    if (cv.outOfFold().findings().size() > 1) {
      sb.append(findingTable(cv));
    }
    return sb.toString();
  }

  /** One row per finding: positives, nested AUC mean ± sd over folds, out-of-fold AUC with CI. */
  static String findingTable(CrossValidation cv) {
    Scores oof = cv.outOfFold();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%n%-20s %5s  %-15s %5s  %-22s%n",
            "finding",
            "pos",
            "nested AUC",
            "folds",
            "out-of-fold AUC (95% CI)"));
    for (int f = 0; f < oof.findings().size(); f++) {
      CrossValidation.PerFold nested = cv.nested(f);
      String pooled = "n/a (one class)";
      if (oof.hasBothClasses(f)) {
        BinaryMetrics m = oof.finding(f).metrics();
        pooled = String.format(Locale.ROOT, "%.3f (%.3f-%.3f)", m.auc(), m.ciLower(), m.ciUpper());
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "%-20s %5d  %-15s %5d  %-22s%n",
              oof.findings().get(f),
              oof.positives(f),
              nested.values().isEmpty()
                  ? "n/a"
                  : String.format(Locale.ROOT, "%.3f ± %.3f", nested.mean(), nested.sd()),
              nested.values().size(),
              pooled));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "mean AUC over findings with >= %d positives: nested %.3f ± %.3f, out-of-fold %.3f%n",
            Scores.MEAN_AUC_MIN_POSITIVES,
            cv.nested().mean(),
            cv.nested().sd(),
            cv.outOfFoldAuc()));
    return sb.toString();
  }
}
