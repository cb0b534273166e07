package dev.cxr.examples.cli;

import java.util.Locale;
import picocli.CommandLine.Option;

/** The {@code --split all|validation} option that {@code evaluate} and {@code report} share. */
final class SplitOption {
  @Option(
      names = "--split",
      paramLabel = "all|validation",
      defaultValue = "all",
      description =
          "all (default) or validation: the validation split of the model's training run.")
  String split;

  /**
   * @return whether only the validation split of the model's training run is to be scored
   * @throws IllegalArgumentException naming the option when the value is neither
   */
  boolean validationOnly() {
    return switch (split.toLowerCase(Locale.ROOT)) {
      case "all" -> false;
      case "validation" -> true;
      default ->
          throw new IllegalArgumentException(
              "--split must be all or validation but was '" + split + "'");
    };
  }
}
