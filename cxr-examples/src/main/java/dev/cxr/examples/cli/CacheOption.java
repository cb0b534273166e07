package dev.cxr.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --cache DIR} option of the commands that read a data set's pixels. */
public final class CacheOption {
  /** The persistent pixel-cache directory, or null. */
  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description =
          "Persistent pixel cache: decoded, resized pixels in one checked file per data set and"
              + " size in DIR, built once (the first run decodes every image), read by every later"
              + " run on the same data. Default: in memory, for this run only.")
  Path dir;
}
