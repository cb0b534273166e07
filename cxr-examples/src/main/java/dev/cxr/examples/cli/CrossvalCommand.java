package dev.cxr.examples.cli;

import dev.cxr.core.CxrPipeline;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.SkipReport;
import dev.cxr.core.provenance.ModelInfo;
import dev.cxr.core.training.CrossValidation;
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
        "Train one model per patient-level fold; print each fold's best validation AUC "
            + "and 'mean AUC: m ± sd'.")
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

  @Override
  public Integer call() {
    if (folds < 2) {
      throw new IllegalArgumentException("--folds must be >= 2 but was " + folds);
    }
    DataReport skipped = new DataReport();
    CxrPipeline.Builder b = trainOptions.apply(CxrPipeline.builder(), dataOptions).report(skipped);
    if (checkpointDir != null) {
      b.checkpointDir(checkpointDir);
    }
    CrossValidation cv = b.build().crossValidate(dataOptions.data, folds);
    System.out.println();
    for (int i = 0; i < cv.folds().size(); i++) {
      ModelInfo f = cv.folds().get(i);
      System.out.printf(
          Locale.ROOT,
          "fold %d: %s  (best epoch %d, %d validation images)%n",
          i + 1,
          f.aucLine(),
          f.bestEpoch(),
          f.validationImages());
    }
    System.out.printf(Locale.ROOT, "mean AUC: %.3f ± %.3f%n", cv.meanAuc(), cv.sdAuc());
    SkipReport.line(skipped).ifPresent(System.out::println);
    return 0;
  }
}
