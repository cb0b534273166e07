package dev.cxr.examples.cli;

import dev.cxr.resnet.ResNetConfig;
import dev.cxr.resnet.ResNetSummary;
import dev.cxr.resnet.ResNets;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cxr model-summary}: the layer table of a ResNet (name, type, output shape, parameters)
 * and, as the last three lines, {@code trainable parameters: N}, {@code total parameters: N} and
 * {@code forward multiply-adds: N} in plain digits. Computed from the configuration alone, so even
 * ResNet-152 at full width needs no parameter memory.
 */
@Command(
    name = "model-summary",
    mixinStandardHelpOptions = true,
    description =
        "Print a ResNet's layers with output shapes and parameter counts, then trainable "
            + "and total parameters and forward multiply-adds (one image).")
public final class ModelSummaryCommand implements Callable<Integer> {

  @Mixin VerboseOption verboseOption;

  @Spec CommandSpec spec;

  @Option(names = "--depth", required = true, description = "ResNet depth: 18, 34, 50, 101 or 152.")
  int depth;

  @Option(
      names = "--pre-activation",
      description =
          "Pre-activation residual blocks (He et al. 2016) instead of the original (2015).")
  boolean preActivation;

  @Option(
      names = "--size",
      defaultValue = "224",
      description = "Image height and width in pixels, at least 32 (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--width",
      defaultValue = "64",
      description = "Filters of the stem and first stage (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(
      names = "--classes",
      defaultValue = "2",
      description = "Outputs of the softmax head (default: ${DEFAULT-VALUE}).")
  int classes;

  @Option(
      names = "--channels",
      defaultValue = "1",
      description = "Input image channels (default: ${DEFAULT-VALUE}).")
  int channels;

  @Override
  public Integer call() {
    ResNetConfig config =
        ResNets.builder()
            .depth(depth)
            .preActivation(preActivation)
            .inputShape(channels, size, size)
            .classes(classes)
            .width(width)
            .config();
    ResNetSummary summary = ResNetSummary.of(config);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "%s, input %dx%dx%d (channels x height x width), width %d, %d classes%n",
        config.displayName(), channels, size, size, width, classes);
    out.print(summary.toTable());
    out.flush();
    return 0;
  }
}
