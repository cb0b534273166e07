package dev.cxr.examples.cli;

import dev.cxr.core.CxrModel;
import dev.cxr.core.ModelImport;
import dev.cxr.core.io.AtomicFiles;
import dev.cxr.core.provenance.FindingSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxr import}: a PyTorch or safetensors file as a cxr model file. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Make a cxr model file from a PyTorch (.pt/.pth, zip or legacy format) or safetensors file:"
          + " a torchvision ResNet-18/34/50/101/152 or DenseNet-121/169/201 state dict, or a"
          + " torchxrayvision model (a whole pickled model or its state dict). predict, evaluate,"
          + " explain, report and Spark scoring then use it as any other model.",
      "Files are read by a restricted unpickler that never runs code: anything but tensors,"
          + " containers and the modules of torch, torchvision and torchxrayvision is refused.",
      "torchxrayvision: its NIH-named pathologies are kept (with its op_threshs as thresholds),"
          + " the input scaled to [-1024, 1024]. torchvision: name the outputs with --findings;"
          + " the input is copied to R, G, B and normalised with ImageNet's mean and std."
    })
public final class ImportCommand implements Callable<Integer> {
  @Mixin VerboseOption verboseOption;

  @Option(names = "--from", required = true, paramLabel = "FILE", description = "Weight file.")
  Path from;

  @Option(
      names = "--arch",
      paramLabel = "NAME",
      description =
          "What the file holds: resnet18 ... resnet152, densenet121 ... densenet201 (checked"
              + " against the file), or txrv (a torchxrayvision file). Default: told from the"
              + " file.")
  String arch;

  @Option(
      names = "--findings",
      split = ",",
      paramLabel = "A,B,...",
      description =
          "Names of the outputs: one NIH finding per classifier output in order (one name for a"
              + " two-output softmax head: No Finding, finding), or a subset of a"
              + " torchxrayvision file's pathologies. Default: all that the file names.")
  List<String> findings;

  @Option(
      names = "--size",
      paramLabel = "PX",
      description = "Input size the model runs at (default: ${DEFAULT-VALUE}).")
  int size = ModelImport.DEFAULT_IMAGE_SIZE;

  @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Model to write.")
  Path out;

  @Override
  public Integer call() throws Exception {
    AtomicFiles.checkWritable(out.toAbsolutePath().getParent());
    ArchOption a = arch == null ? null : ArchOption.parse("--arch", arch);
    long t0 = System.nanoTime();
    CxrModel model =
        ModelImport.importModel(
            new ModelImport.Request(
                from,
                a == null ? null : a.source(),
                findings == null ? List.of() : findings,
                size));
    var config = model.info().config();
    if (a != null) {
      a.check(
          "--arch",
          config.architecture(),
          config.depth(),
          config.architecture().displayName(config.depth()));
    }
    model.save(out);
    System.out.printf(
        Locale.ROOT,
        "imported %s: %s, %s, %,d parameters, %d px, %.1f s%n",
        from.getFileName(),
        config.pretrained().source().id(),
        config.architecture().displayName(config.depth()),
        model.network().numParams(),
        size,
        (System.nanoTime() - t0) / 1e9);
    System.out.println("sha256 " + config.pretrained().sha256());
    List<FindingSummary> rows = model.info().validation().perFinding(config.task().findings());
    System.out.println("outputs: " + model.labelNames());
    for (FindingSummary f : rows) {
      if (!Double.isNaN(f.threshold())) {
        System.out.printf(Locale.ROOT, "  %-20s threshold %.4f%n", f.finding(), f.threshold());
      }
    }
    System.out.println("wrote " + out);
    return 0;
  }
}
