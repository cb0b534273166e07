package dev.cxr.examples.cli;

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
      description = "Data directory: NIH layout (Data_Entry_2017.csv + images) or class folders.")
  Path data;

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
    return CxrDataset.scan(data, labels, skipBad);
  }

  /**
   * @return the task
   */
  CxrTask task() {
    return new CxrTask(
        List.of(positive != null ? positive : PipelineConfig.DEFAULTS.positive()),
        othersAsNegative,
        false);
  }
}
