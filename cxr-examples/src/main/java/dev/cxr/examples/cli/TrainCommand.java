package dev.cxr.examples.cli;

import dev.cxr.core.CxrModel;
import dev.cxr.core.CxrPipeline;
import dev.cxr.core.chart.Figures;
import dev.cxr.core.config.Selection;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.SkipReport;
import dev.cxr.core.io.AtomicFiles;
import dev.cxr.core.provenance.ModelInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxr train}: trains a model with the best-AUC checkpoint, curves and a summary. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train a ResNet on a data directory; keep the best validation-AUC checkpoint; "
            + "write the model, training-curves.png and training-summary.txt next to it.")
public final class TrainCommand implements Callable<Integer> {
  @Mixin DataOptions dataOptions;
  @Mixin TrainOptions trainOptions;
  @Mixin VerboseOption verboseOption;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "MODEL",
      description = "Model file to write (.zip).")
  Path out;

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "DIR",
      description = "Checkpoint directory (default: 'checkpoints' next to --out).")
  Path checkpointDir;

  @Option(
      names = "--resume",
      paramLabel = "DIR",
      description =
          "Continue an interrupted run from DIR/last.zip (same options as the first run).")
  Path resume;

  @Option(
      names = "--calibrate",
      description =
          "Fit a softmax temperature on the validation split after training and store it in the"
              + " model (as cxr calibrate does).")
  boolean calibrate;

  @Override
  public Integer call() throws Exception {
    Path modelDir = out.toAbsolutePath().getParent();
    // the model is written after training: find out now, not after the last epoch, that it can't be
    try {
      AtomicFiles.checkWritable(modelDir);
    } catch (IOException e) {
      throw new IOException("cannot write the model in " + modelDir + ": " + e, e);
    }
    DataReport skipped = new DataReport();
    CxrPipeline.Builder b = trainOptions.apply(CxrPipeline.builder(), dataOptions).report(skipped);
    if (resume != null && checkpointDir != null) {
      throw new IllegalArgumentException(
          "give --resume or --checkpoint-dir, not both: a resumed run writes to the directory it resumes");
    }
    if (resume != null) {
      b.resume(resume);
    } else {
      b.checkpointDir(checkpointDir != null ? checkpointDir : modelDir.resolve("checkpoints"));
    }
    CxrModel model = b.fit(dataOptions.data.toArray(Path[]::new));
    if (calibrate) {
      model = model.calibrate(dataOptions.data);
    }
    model.save(out);
    ModelInfo info = model.info();
    Path curves = modelDir.resolve("training-curves.png");
    writeCurves(curves, info);
    String summary = summary(info, out);
    AtomicFiles.write(
        modelDir.resolve("training-summary.txt"), tmp -> Files.writeString(tmp, summary));
    System.out.println();
    System.out.print(summary);
    System.out.println("curves: " + curves);
    SkipReport.line(skipped).ifPresent(System.out::println);
    return 0;
  }

  static void writeCurves(Path png, ModelInfo info) throws IOException {
    ChartPng.write(
        png,
        Figures.loss(info.history(), info.bestEpoch()),
        Figures.auc(info.history(), info.bestEpoch()));
  }

  static String summary(ModelInfo info, Path model) {
    StringBuilder sb = new StringBuilder();
    sb.append("model: ").append(model).append('\n');
    sb.append("best epoch: ")
        .append(info.bestEpoch())
        .append(" of ")
        .append(info.epochsCompleted())
        .append('\n');
    if (info.config().selectOn().resolve(false) == Selection.INNER) {
      // the epoch was chosen on an inner split: this AUC took no part in the choice
      sb.append("validation ")
          .append(info.aucLine())
          .append(" (epoch chosen on an inner split of the training patients)\n");
    } else {
      sb.append("best validation ").append(info.aucLine()).append('\n');
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "threshold (Youden's J on the selection data): %.4f  sensitivity: %.3f  specificity:"
                + " %.3f%n",
            info.threshold(),
            info.validation().sensitivity(),
            info.validation().specificity()));
    if (info.validation().calibrated()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "temperature (fitted on validation): %.4f%n",
              info.validation().temperature()));
    }
    sb.append("train images: ")
        .append(info.trainImages())
        .append("  validation images: ")
        .append(info.validationImages())
        .append('\n');
    return sb.toString();
  }
}
