package dev.cxr.examples.cli;

import dev.cxr.core.config.ConfigBuilder;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.CxrTask;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** Options that say where the data is and which task to read from it, shared by commands. */
public final class DataOptions {
  /** The data directory. */
  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description =
          "Data directory: NIH layout (Data_Entry_2017.csv + images) or class folders. Repeat"
              + " for several, read as one data set (one patient namespace).")
  List<Path> data;

  /** The findings of a multi-label task. */
  @Option(
      names = "--findings",
      paramLabel = "A,B,...|all",
      split = ",",
      description =
          "Predict these NIH findings at once (multi-label: one sigmoid output each, binary"
              + " cross-entropy weighted by negatives/positives per finding); 'all' for the 14."
              + " One finding is the binary task (--positive).")
  List<String> findings;

  /** An explicit labels file. */
  @Option(
      names = "--labels",
      paramLabel = "FILE",
      description =
          "Labels CSV (.csv or .csv.gz), relative to --data or absolute. "
              + "Default: Data_Entry_2017.csv in --data.")
  Path labels;

  /** The positive finding. */
  @Option(names = "--positive", descriptionKey = "data.positive")
  String positive;

  /** Keep other findings as negatives. */
  @Option(
      names = "--others-as-negative",
      description = "Keep images with only other findings, as negatives (default: excluded).")
  boolean othersAsNegative;

  /** Lenient mode. */
  @Option(
      names = "--skip-bad",
      description = "Skip bad items (missing/unreadable images, bad rows) and report them.")
  boolean skipBad;

  /**
   * @return the scanned data set
   */
  CxrDataset scan() {
    return CxrDataset.scan(data, labels, skipBad, null);
  }

  /**
   * @return whether --findings asks for all 14
   */
  boolean allFindings() {
    return findings != null && findings.size() == 1 && findings.get(0).equalsIgnoreCase("all");
  }

  /**
   * Sets the task on a builder: the findings, or the positive finding.
   *
   * @param b a configuration builder
   */
  void applyTask(ConfigBuilder<?> b) {
    if (findings != null && positive != null) {
      throw new IllegalArgumentException("--findings and --positive cannot both be given");
    }
    if (allFindings()) {
      b.allFindings();
    } else if (findings != null) {
      b.findings(findings.toArray(String[]::new));
    } else {
      b.positive(positive != null ? positive : PipelineConfig.DEFAULTS.positive())
          .othersAsNegative(othersAsNegative);
    }
  }

  /**
   * @return the task
   */
  CxrTask task() {
    PipelineConfig.Builder b = PipelineConfig.builder();
    applyTask(b);
    return b.build().task();
  }
}
