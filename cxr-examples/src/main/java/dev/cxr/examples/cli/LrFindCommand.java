package dev.cxr.examples.cli;

import dev.cxr.core.CxrPipeline;
import dev.cxr.core.chart.Figures;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.SkipReport;
import dev.cxr.core.training.LrFinder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxr lr-find}: the learning-rate range test. */
@Command(
    name = "lr-find",
    mixinStandardHelpOptions = true,
    description =
        "Exponential learning-rate sweep on the training split; write lr-find.png and "
            + "print 'suggested learning rate: X'.")
public final class LrFindCommand implements Callable<Integer> {
  @Mixin DataOptions dataOptions;
  @Mixin TrainOptions trainOptions;
  @Mixin VerboseOption verboseOption;

  @Option(
      names = "--min-lr",
      defaultValue = "1e-6",
      description = "First rate (default: ${DEFAULT-VALUE}).")
  double minLr;

  @Option(
      names = "--max-lr",
      defaultValue = "1",
      description = "Last rate (default: ${DEFAULT-VALUE}).")
  double maxLr;

  @Option(
      names = "--steps",
      defaultValue = "100",
      description = "Batches in the sweep (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--out",
      defaultValue = "lr-find.png",
      paramLabel = "PNG",
      description = "Picture of the curve (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    DataReport skipped = new DataReport();
    CxrPipeline p = trainOptions.apply(CxrPipeline.builder(), dataOptions).report(skipped).build();
    LrFinder.Result r = p.findLearningRate(dataOptions.data, minLr, maxLr, steps);
    ChartPng.write(out, Figures.lrFinder(r));
    System.out.println("wrote " + out);
    System.out.printf(Locale.ROOT, "suggested learning rate: %.2e%n", r.suggested());
    SkipReport.line(skipped).ifPresent(System.out::println);
    return 0;
  }
}
