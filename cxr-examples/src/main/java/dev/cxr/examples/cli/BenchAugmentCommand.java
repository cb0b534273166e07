package dev.cxr.examples.cli;

import dev.cxr.augment.AugmentationBenchmark;
import dev.cxr.augment.CxrAugmentation;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cxr bench-augment}: single-thread augmentation throughput of a preset on a synthetic
 * radiograph-like image, after a warm-up, as measured by {@link AugmentationBenchmark}. Prints
 * {@code augment: X img/s} (wall clock) and, on a second line, the rate per second of the thread's
 * CPU time, which is the better figure on a machine shared with other work.
 */
@Command(
    name = "bench-augment",
    mixinStandardHelpOptions = true,
    description = "Time one-thread augmentation of size x size images; print 'augment: X img/s'.")
public final class BenchAugmentCommand implements Callable<Integer> {
  @Mixin VerboseOption verboseOption;

  @Option(
      names = "--size",
      defaultValue = "256",
      description = "Image height and width in pixels (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--preset",
      defaultValue = "medical-safe",
      description = "Preset: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      completionCandidates = PresetNames.class)
  String preset;

  @Option(
      names = "--seconds",
      defaultValue = "3",
      description = "Measured time in seconds (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--warmup",
      defaultValue = "2",
      description = "Warm-up time in seconds (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Override
  public Integer call() {
    if (size < 8 || size > 8192) {
      throw new IllegalArgumentException("--size must be in [8, 8192] but was " + size);
    }
    if (!(seconds > 0 && seconds <= 600)) {
      throw new IllegalArgumentException("--seconds must be in (0, 600] but was " + seconds);
    }
    if (!(warmup >= 0 && warmup <= 600)) {
      throw new IllegalArgumentException("--warmup must be in [0, 600] but was " + warmup);
    }
    CxrAugmentation augmentation = TrainOptions.preset("--preset", preset);
    System.out.printf(
        "%s, %dx%d px, 1 thread, %.1f s warm-up + %.1f s%n",
        augmentation.describe(), size, size, warmup, seconds);
    AugmentationBenchmark.Result r = AugmentationBenchmark.run(augmentation, size, warmup, seconds);
    System.out.printf("augment: %.0f img/s%n", r.imagesPerSecond());
    if (!Double.isNaN(r.cpuImagesPerSecond())) {
      System.out.printf(
          "augment (per CPU second of the thread): %.0f img/s%n", r.cpuImagesPerSecond());
    }
    System.out.printf("images: %d in %.2f s%n", r.images(), r.seconds());
    return 0;
  }
}
