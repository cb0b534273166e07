package dev.cxr.examples.cli;

import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.Sample;
import dev.cxr.core.image.ImageLoader;
import dev.cxr.core.io.CxrDataException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxr dataset-info}: what a data directory holds and how it would be split. */
@Command(
    name = "dataset-info",
    mixinStandardHelpOptions = true,
    description =
        "Print the images found and used, class counts, patients, the patient-level "
            + "train/validation split and the problems found; every image is decoded (in "
            + "parallel) unless --quick is given. Exit code 0 when nothing is wrong; 2 when any"
            + " problem is found (a script can gate a training run on it), unless --skip-bad"
            + " accepts them, and then the listed items are what a --skip-bad run would skip.")
public final class DatasetInfoCommand implements Callable<Integer> {
  @Mixin DataOptions dataOptions;
  @Mixin VerboseOption verboseOption;

  @Option(names = "--val-fraction", descriptionKey = "train.val-fraction")
  Double valFraction;

  @Option(names = "--seed", descriptionKey = "train.seed")
  Long seed;

  @Option(
      names = "--quick",
      description =
          "Check only each image's first bytes instead of decoding every image: much faster, but"
              + " a truncated or corrupt image is not found.")
  boolean quick;

  /** The size images are decoded to when checked: decoding dominates, resizing is cheap. */
  static final int CHECK_SIZE = 32;

  /** The kind of problem reported for an image that does not decode. */
  static final String UNDECODABLE = "undecodable image";

  @Override
  public Integer call() {
    PrintStream out = System.out;
    CxrDataset ds = dataOptions.scan();
    CxrTask task = dataOptions.task();
    CxrTask.Labeled labeled = task.label(ds);
    for (Path root : ds.roots()) {
      out.println("data: " + root.toAbsolutePath().normalize());
    }
    out.println(
        "layout: "
            + (ds.layout() == CxrDataset.Layout.NIH_CSV
                ? "NIH (labels " + ds.labelsFile().orElseThrow() + ")"
                : "class folders"));
    out.println("images found: " + ds.images().size());
    out.println("images used: " + labeled.samples().size());
    List<String> names = labeled.labelNames();
    if (task.multiLabel()) {
      out.println("findings: " + task.findings().size() + " (multi-label)");
    } else {
      out.println(task.positive() + ": " + labeled.positives());
    }
    out.println("No Finding: " + labeled.noFinding());
    if (task.multiLabel()) {
      out.println("images with only other findings (negatives): " + labeled.otherAsNegative());
    } else if (task.otherFindingsAsNegative()) {
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
    if (task.multiLabel()) {
      printFindings(out, task, split);
    }
    DataReport report = new DataReport();
    ds.report().problems().forEach(p -> report.add(p.kind(), p.message()));
    if (quick) {
      out.println("images decoded: not checked (--quick: file headers only)");
    } else {
      List<Path> files = ds.images().stream().map(CxrDataset.Image::path).toList();
      List<DataReport.Problem> bad = decodeAll(files, System.console() != null);
      bad.forEach(p -> report.add(p.kind(), p.message()));
      out.println("images decoded: " + (files.size() - bad.size()) + " of " + files.size());
    }
    if (report.isEmpty()) {
      out.println("problems: none");
    } else {
      out.println("problems: " + report.problems().size() + " " + report.countsByKind());
      report.problems().stream().limit(20).forEach(p -> out.println("  " + p.message()));
      if (report.problems().size() > 20) {
        out.println("  ... and " + (report.problems().size() - 20) + " more");
      }
      if (!dataOptions.skipBad) {
        out.flush();
        System.err.println(
            "error: "
                + dataOptions.data.get(0)
                + ": "
                + report.problems().size()
                + " problem(s) found "
                + report.countsByKind()
                + " (listed above); --skip-bad accepts them");
        return CxrCli.EXIT_BAD_INPUT;
      }
      out.println(
          "accepted (--skip-bad): a training run with --skip-bad skips these "
              + report.problems().size()
              + " item(s)");
    }
    return 0;
  }

  /**
   * Decodes every image (at {@link #CHECK_SIZE} px, on every core) and returns the failures, each
   * naming its file, in the order of the files.
   *
   * @param files the images
   * @param bar whether to draw a progress bar (on standard error)
   * @return the images that cannot be decoded
   */
  static List<DataReport.Problem> decodeAll(List<Path> files, boolean bar) {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "cxr-check");
              t.setDaemon(true);
              return t;
            });
    ProgressBar progress =
        bar
            ? new ProgressBarBuilder()
                .setTaskName("decoding")
                .setInitialMax(files.size())
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" img", 1)
                .showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build()
            : null;
    try {
      List<Future<DataReport.Problem>> checks = new ArrayList<>();
      for (Path f : files) {
        checks.add(pool.submit(() -> check(f, progress)));
      }
      List<DataReport.Problem> bad = new ArrayList<>();
      for (Future<DataReport.Problem> c : checks) {
        DataReport.Problem p = c.get();
        if (p != null) {
          bad.add(p);
        }
      }
      return bad;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while decoding the images", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("decoding the images failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
      if (progress != null) {
        progress.close();
      }
    }
  }

  private static DataReport.Problem check(Path file, ProgressBar progress) {
    try {
      ImageLoader.read(file, CHECK_SIZE, CHECK_SIZE);
      return null;
    } catch (CxrDataException e) {
      return new DataReport.Problem(UNDECODABLE, e.getMessage());
    } catch (RuntimeException | OutOfMemoryError e) {
      return new DataReport.Problem(UNDECODABLE, file + ": cannot decode the image: " + e);
    } finally {
      if (progress != null) {
        progress.step();
      }
    }
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

  /** Images and patients per finding in each part of the split. */
  static void printFindings(PrintStream out, CxrTask task, PatientSplit split) {
    out.printf("%-20s %8s %8s %8s %8s%n", "finding", "train", "(pat.)", "valid.", "(pat.)");
    for (PatientSplit.FindingCount c : split.findingCounts(task.findings())) {
      out.printf(
          "%-20s %8d %8d %8d %8d%n",
          c.finding(),
          c.trainImages(),
          c.trainPatients(),
          c.validationImages(),
          c.validationPatients());
    }
  }
}
