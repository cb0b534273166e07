package dev.cxr.examples.cli;

import dev.cxr.core.config.Architecture;
import dev.cxr.resnet.DenseNetConfig;
import dev.cxr.resnet.DenseNets;
import dev.cxr.resnet.ResNetConfig;
import dev.cxr.resnet.ResNetDepth;
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

  @Option(names = "--depth", description = "ResNet depth: 18, 34, 50, 101 or 152.")
  Integer depth;

  @Option(
      names = "--arch",
      paramLabel = "NAME",
      description =
          "Instead of --depth: resnet18 ... resnet152 or densenet121, densenet169, densenet201"
              + " (a DenseNet's width is its initial features, growth width / 2).")
  String arch;

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
    if ((depth == null) == (arch == null)) {
      throw new IllegalArgumentException("give one of --depth and --arch");
    }
    ArchOption a =
        arch != null
            ? ArchOption.parse("--arch", arch)
            : new ArchOption(Architecture.RESNET, ResNetDepth.of(depth).depth(), null);
    if (a.architecture() == null) {
      throw new IllegalArgumentException("--arch txrv names a weight file, not a network");
    }
    ResNetSummary summary;
    String name;
    if (a.architecture() == Architecture.DENSENET) {
      DenseNetConfig config =
          DenseNets.builder()
              .depth(a.depth())
              .initFeatures(width)
              .growthRate(width / 2)
              .inputShape(channels, size, size)
              .classes(classes)
              .config();
      summary = ResNetSummary.of(config);
      name = config.displayName();
    } else {
      ResNetConfig config =
          ResNets.builder()
              .depth(a.depth())
              .preActivation(preActivation)
              .inputShape(channels, size, size)
              .classes(classes)
              .width(width)
              .config();
      summary = ResNetSummary.of(config);
      name = config.displayName();
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "%s, input %dx%dx%d (channels x height x width), width %d, %d classes%n",
        name, channels, size, size, width, classes);
    out.print(summary.toTable());
    out.flush();
    return 0;
  }
}
