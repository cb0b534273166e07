package dev.cxr.examples.cli;

import dev.cxr.core.CxrModel;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.SkipReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cxr predict}: probability per label for each image. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = "Print one line per image: 'path  Effusion=0.83  No Finding=0.17'.")
public final class PredictCommand implements Callable<Integer> {
  @Mixin VerboseOption verboseOption;
  @Mixin TtaOption ttaOption;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model file.")
  Path model;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "PNG or JPEG images, any size or bit depth.")
  List<Path> files;

  @Option(names = "--skip-bad", description = "Skip unreadable images and report them.")
  boolean skipBad;

  @Override
  public Integer call() {
    int variants = ttaOption.tta().variants(); // checked before the model is read
    CxrModel m = CxrModel.load(model).withTta(variants);
    if (m.info().trainingImages() != null) {
      m.info().trainingImages().overlapWarning(files, "prediction").ifPresent(System.err::println);
    }
    DataReport skipped = new DataReport();
    List<Map<String, Double>> preds = skipBad ? m.predict(files, skipped) : m.predict(files);
    // the positive finding first, wherever the task puts it among the outputs
    String positive = m.labelNames().get(m.info().task().positiveColumn());
    List<String> names = new ArrayList<>(m.labelNames());
    names.remove(positive);
    names.add(0, positive);
    for (int i = 0; i < files.size(); i++) {
      if (preds.get(i).isEmpty()) {
        continue; // skipped: named in the last line
      }
      StringBuilder sb = new StringBuilder(files.get(i).toString());
      for (String n : names) {
        sb.append(String.format(Locale.ROOT, "  %s=%.2f", n, preds.get(i).get(n)));
      }
      System.out.println(sb);
    }
    SkipReport.line(skipped).ifPresent(System.out::println);
    return 0;
  }
}
