package dev.cxr.examples.cli;

import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.Sample;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxr dataset-info}: what a data directory holds and how it would be split. */
@Command(
    name = "dataset-info",
    mixinStandardHelpOptions = true,
    description =
        "Print the images found and used, class counts, patients, the patient-level "
            + "train/validation split and the problems found.")
public final class DatasetInfoCommand implements Callable<Integer> {
  @Mixin DataOptions dataOptions;
  @Mixin VerboseOption verboseOption;

  @Option(names = "--val-fraction", descriptionKey = "train.val-fraction")
  Double valFraction;

  @Option(names = "--seed", descriptionKey = "train.seed")
  Long seed;

  @Override
  public Integer call() {
    PrintStream out = System.out;
    CxrDataset ds = dataOptions.scan();
    CxrTask task = dataOptions.task();
    CxrTask.Labeled labeled = task.label(ds);
    out.println("data: " + ds.root().toAbsolutePath().normalize());
    out.println(
        "layout: "
            + (ds.layout() == CxrDataset.Layout.NIH_CSV
                ? "NIH (labels " + ds.labelsFile().orElseThrow() + ")"
                : "class folders"));
    out.println("images found: " + ds.images().size());
    out.println("images used: " + labeled.samples().size());
    List<String> names = labeled.labelNames();
    out.println(task.positive() + ": " + labeled.positives());
    out.println("No Finding: " + labeled.noFinding());
    if (task.otherFindingsAsNegative()) {
      out.println("other findings (kept as negatives): " + labeled.otherAsNegative());
    } else {
      out.println("other findings (excluded): " + labeled.excludedOther());
    }
    out.println("patients: " + labeled.patients());
    double fraction =
        valFraction != null ? valFraction : PipelineConfig.DEFAULTS.validationFraction();
    long splitSeed = seed != null ? seed : PipelineConfig.DEFAULTS.seed();
    PatientSplit split = PatientSplit.trainValidation(labeled.samples(), fraction, splitSeed);
    out.printf("split (validation fraction %s, seed %d, by patient):%n", fraction, splitSeed);
    printPart(out, "train", split.train(), names);
    printPart(out, "validation", split.validation(), names);
    out.println("patients in both parts: " + split.sharedPatients().size());
    DataReport report = ds.report();
    if (report.isEmpty()) {
      out.println("problems: none");
    } else {
      out.println("problems: " + report.problems().size() + " " + report.countsByKind());
      report.problems().stream().limit(20).forEach(p -> out.println("  " + p.message()));
      if (report.problems().size() > 20) {
        out.println("  ... and " + (report.problems().size() - 20) + " more");
      }
    }
    return 0;
  }

  private static void printPart(
      PrintStream out, String name, List<Sample> part, List<String> names) {
    Map<String, Long> counts = PatientSplit.countsByClass(part, names);
    StringBuilder sb = new StringBuilder("  ").append(name).append(": ");
    counts.forEach((k, v) -> sb.append(k).append(' ').append(v).append(", "));
    long patients = part.stream().map(Sample::patientId).distinct().count();
    sb.append(part.size()).append(" images, ").append(patients).append(" patients");
    out.println(sb);
  }
}
