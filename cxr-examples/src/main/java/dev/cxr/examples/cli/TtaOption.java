package dev.cxr.examples.cli;

import dev.cxr.core.evaluation.TestTimeAugmentation;
import picocli.CommandLine.Option;

/** The {@code --tta N} option that {@code predict} and {@code evaluate} share. */
final class TtaOption {
  @Option(
      names = "--tta",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Test-time augmentation: score each image as the mean probability over the image and"
              + " N-1 mild, medical-safe variants (small rotation, zoom, shift, exposure; no"
              + " flips); 1 = off (default: ${DEFAULT-VALUE}).")
  int variants;

  /**
   * @return the setting
   * @throws IllegalArgumentException naming {@code --tta} when out of range
   */
  TestTimeAugmentation tta() {
    return new TestTimeAugmentation(variants);
  }
}
