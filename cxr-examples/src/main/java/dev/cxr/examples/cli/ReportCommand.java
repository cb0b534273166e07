package dev.cxr.examples.cli;

import dev.cxr.core.CxrModel;
import dev.cxr.core.report.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxr report}: one self-contained HTML report of a model on a data directory. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Write DIR/report.html: one self-contained page (nothing loaded from elsewhere, printable)"
            + " with the model's provenance, the data, ROC with DeLong 95%% CI, precision-recall,"
            + " reliability diagram, confusion matrix, sensitivity and specificity by threshold,"
            + " training curves and Grad-CAM galleries of the most confident true positives,"
            + " false negatives and false positives.")
public final class ReportCommand implements Callable<Integer> {
  @Mixin VerboseOption verboseOption;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model file.")
  Path model;

  @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data directory.")
  Path data;

  @Option(
      names = "--labels",
      paramLabel = "FILE",
      description =
          "Labels CSV of --data, relative to it or absolute (default: the one the model was"
              + " trained with).")
  Path labels;

  @Mixin SplitOption splitOption;

  @Option(
      names = "--gallery",
      paramLabel = "N",
      defaultValue = "" + Report.DEFAULT_GALLERY,
      description =
          "Images per Grad-CAM gallery, 0 to "
              + Report.MAX_GALLERY
              + " (default: ${DEFAULT-VALUE}).")
  int gallery;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory for report.html (created if missing).")
  Path outDir;

  @Override
  public Integer call() throws Exception {
    boolean validation = splitOption.validationOnly();
    long t0 = System.nanoTime();
    CxrModel m = CxrModel.load(model);
    Report.Builder b =
        Report.builder(m.network(), m.info())
            .data(data)
            .labels(labels)
            .validationSplitOnly(validation)
            .gallerySize(gallery)
            .modelName(model.getFileName().toString());
    Path html = b.build().write(outDir);
    System.out.printf(
        Locale.ROOT,
        "wrote %s (%,d bytes) in %.1f s%n",
        html,
        Files.size(html),
        (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}
