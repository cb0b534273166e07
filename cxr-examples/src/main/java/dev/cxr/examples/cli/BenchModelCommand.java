package dev.cxr.examples.cli;

import dev.cxr.core.config.Architecture;
import dev.cxr.core.training.FusedUpdater;
import dev.cxr.resnet.DenseNets;
import dev.cxr.resnet.ResNetDepth;
import dev.cxr.resnet.ResNets;
import dev.cxr.resnet.compat.OneDnnHelpers;
import dev.cxr.resnet.conv.DirectConvForward;
import dev.cxr.resnet.inference.InferenceGraph;
import dev.cxr.resnet.residual.AddRelu;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cxr bench-model}: training and inference speed of a ResNet on random images, in images per
 * second, after a warm-up. Training steps are {@code fit} calls with Adam on one fixed random
 * batch; inference is {@code output} in test mode on the same batch, timed on the trainable network
 * and on its folded {@link InferenceGraph} (what {@code predict} and {@code evaluate} run),
 * interleaved step by step. {@code --no-helpers} builds the network on DL4J's built-in layer code
 * instead of the oneDNN helpers (see {@link OneDnnHelpers}), for comparison: run both and compare
 * the ratio, never absolute numbers from different runs. {@code --batch-norm compare} builds the
 * network with cxr's fused batch norm and with DL4J's and measures them in alternation within one
 * run; {@code --step-fusion compare} does the same for cxr's fused residual add + ReLU and fused
 * updater against DL4J's add vertex, ReLU layer and updater; {@code --conv-forward compare} for
 * cxr's direct convolution forward pass against libnd4j's {@code conv2d}.
 */
@Command(
    name = "bench-model",
    mixinStandardHelpOptions = true,
    description =
        "Time ResNet training steps and inference on random data; print 'train: X img/s' and "
            + "'infer: Y img/s'.")
public final class BenchModelCommand implements Callable<Integer> {
  /** Seed of the random images; fixed so that runs are comparable. */
  static final long DATA_SEED = 42L;

  @Mixin VerboseOption verboseOption;

  @Option(
      names = "--depth",
      defaultValue = "18",
      description = "ResNet depth: 18, 34, 50, 101 or 152 (default: ${DEFAULT-VALUE}).")
  int depth;

  @Option(
      names = "--arch",
      paramLabel = "NAME",
      description =
          "Instead of --depth: resnet18 ... resnet152 or densenet121, densenet169, densenet201"
              + " (a DenseNet's --width is its initial features, growth width / 2).")
  String arch;

  @Option(
      names = "--size",
      defaultValue = "224",
      description = "Image height and width in pixels (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--batch",
      defaultValue = "16",
      description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--width",
      defaultValue = "64",
      description = "Filters of the first stage (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(
      names = "--pre-activation",
      description = "Pre-activation residual blocks (He et al. 2016).")
  boolean preActivation;

  @Option(
      names = "--no-helpers",
      description = "Use DL4J's built-in layers instead of the oneDNN helpers.")
  boolean noHelpers;

  @Option(
      names = "--batch-norm",
      defaultValue = "fused",
      description =
          "Batch-norm layers: fused (cxr's, the default), dl4j (DL4J's BatchNormalization + "
              + "ReLU layers) or compare (both networks, alternating step by step, over --rounds "
              + "rounds of --steps steps each; prints the medians and the ratio fused/dl4j).")
  String batchNorm;

  @Option(
      names = "--step-fusion",
      description =
          "Residual add + ReLU and updater: fused (cxr's AddRelu vertex and FusedUpdater, the "
              + "default unless -Dcxr.fusedAddRelu=false or -Dcxr.fusedUpdater=false), dl4j "
              + "(DL4J's add vertex, a ReLU layer and DL4J's updater) or compare (both, "
              + "alternating step by step as --batch-norm compare; prints the ratio fused/dl4j).")
  String stepFusion;

  @Option(
      names = "--conv-forward",
      description =
          "Convolution forward pass: direct (cxr's own oneDNN call, plans cached per shape, the"
              + " default unless -Dcxr.directConvForward=false), dl4j (libnd4j's conv2d) or"
              + " compare (both, alternating step by step as --batch-norm compare; prints the"
              + " ratio direct/dl4j).")
  String convForward;

  @Option(
      names = "--fold",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Time inference on the folded inference copy (batch norms folded into the convolutions),"
              + " as predict and evaluate run it; --no-fold times the trainable network. Both are"
              + " measured, interleaved; this chooses which one the 'infer:' line reports"
              + " (default: ${DEFAULT-VALUE}).")
  boolean fold;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description = "Rounds of a compare mode (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--warmup",
      defaultValue = "3",
      description = "Untimed steps before each measurement (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--steps",
      defaultValue = "10",
      description = "Timed steps of each kind (default: ${DEFAULT-VALUE}).")
  int steps;

  @Override
  public Integer call() {
    requireAtLeast("--size", size, 32);
    requireAtLeast("--batch", batch, 1);
    requireAtLeast("--width", width, 1);
    requireAtLeast("--warmup", warmup, 0);
    requireAtLeast("--steps", steps, 1);
    requireAtLeast("--rounds", rounds, 1);
    // the defaults follow the switches, so CXR_JAVA_OPTS="-D..." in the bench scripts times them
    List<BenchVariant> variants =
        BenchVariant.of(
            batchNorm,
            stepFusion != null
                ? stepFusion
                : AddRelu.enabledByDefault() && FusedUpdater.isSwitchedOn() ? "fused" : "dl4j",
            convForward != null ? convForward : DirectConvForward.isEnabled() ? "direct" : "dl4j");
    if (noHelpers) {
      OneDnnHelpers.setEnabled(
          false); // before the network exists: DL4J picks helpers per layer at init
    } else {
      OneDnnHelpers.ensureEnabled();
    }
    ArchOption a =
        arch != null
            ? ArchOption.parse("--arch", arch)
            : new ArchOption(Architecture.RESNET, ResNetDepth.of(depth).depth(), null);
    if (a.architecture() == null) {
      throw new IllegalArgumentException("--arch txrv names a weight file, not a network");
    }
    boolean dense = a.architecture() == Architecture.DENSENET;
    List<ComputationGraph> graphs = new ArrayList<>();
    boolean directForwardBefore = DirectConvForward.isEnabled();
    for (BenchVariant v : variants) {
      DirectConvForward.setEnabled(v.directForward()); // read by each layer as it is created
      ComputationGraph graph =
          dense
              ? DenseNets.builder()
                  .depth(a.depth())
                  .initFeatures(width)
                  .growthRate(width / 2)
                  .inputShape(1, size, size)
                  .classes(2)
                  .batchNorm(v.batchNorm())
                  .build()
              : ResNets.builder()
                  .depth(a.depth())
                  .preActivation(preActivation)
                  .inputShape(1, size, size)
                  .classes(2)
                  .width(width)
                  .batchNorm(v.batchNorm())
                  .fusedAddRelu(v.fused())
                  .build();
      if (v.fused()) {
        FusedUpdater.install(graph); // as training installs it
      }
      graphs.add(graph);
    }
    DirectConvForward.setEnabled(directForwardBefore);
    System.out.printf(
        "%s%s, width %d, %dx%d px, batch %d, %,d parameters, %d warm-up + %d timed steps%n",
        a.architecture().displayName(a.depth()),
        preActivation && !dense ? " (pre-activation)" : "",
        width,
        size,
        size,
        batch,
        graphs.get(0).numParams(),
        warmup,
        steps);
    System.out.println(OneDnnHelpers.describe());

    DataSet data = randomBatch(batch, size);
    if (variants.size() == 1) {
      double[] speed = measure(graphs.get(0), data);
      System.out.printf("train: %.2f img/s%n", speed[0]);
      System.out.printf("infer: %.2f img/s%n", speed[1]);
      return 0;
    }
    // alternate the two networks step by step so that both see the same machine load
    for (ComputationGraph graph : graphs) {
      for (int i = 0; i < warmup; i++) {
        graph.fit(data);
        graph.output(false, data.getFeatures());
      }
    }
    int n = variants.size();
    double[][] train = new double[n][rounds];
    double[][] infer = new double[n][rounds];
    double[] trainRatios = new double[rounds];
    double[] inferRatios = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long[] trainNanos = new long[n];
      long[] inferNanos = new long[n];
      for (int i = 0; i < steps; i++) {
        for (int k = 0; k < n; k++) {
          long start = System.nanoTime();
          graphs.get(k).fit(data);
          trainNanos[k] += System.nanoTime() - start;
        }
      }
      for (int i = 0; i < steps; i++) {
        for (int k = 0; k < n; k++) {
          long start = System.nanoTime();
          graphs.get(k).output(false, data.getFeatures());
          inferNanos[k] += System.nanoTime() - start;
        }
      }
      for (int k = 0; k < n; k++) {
        train[k][r] = batch * steps / (trainNanos[k] / 1e9);
        infer[k][r] = batch * steps / (inferNanos[k] / 1e9);
        System.out.printf(
            "round %d, %s: train %.2f img/s, infer %.2f img/s%n",
            r + 1, variants.get(k).label(), train[k][r], infer[k][r]);
      }
      trainRatios[r] = train[0][r] / train[1][r];
      inferRatios[r] = infer[0][r] / infer[1][r];
    }
    for (int k = 0; k < n; k++) {
      System.out.printf(
          "%s: train: %.2f img/s, infer: %.2f img/s (medians)%n",
          variants.get(k).label(), median(train[k]), median(infer[k]));
    }
    System.out.printf(
        "ratio %s: train %.3f, infer %.3f (medians of the per-round ratios)%n",
        BenchVariant.ratioLabel(variants), median(trainRatios), median(inferRatios));
    return 0;
  }

  /**
   * Warm-up then timed training steps, then inference on the trainable network and on its folded
   * copy, interleaved so that both see the same machine load; prints the folding lines and returns
   * {train, infer} img/s, infer as {@code --fold} chooses.
   */
  private double[] measure(ComputationGraph graph, DataSet data) {
    for (int i = 0; i < warmup; i++) {
      graph.fit(data);
    }
    long start = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      graph.fit(data);
    }
    double train = imagesPerSecond(start);
    long t0 = System.nanoTime();
    InferenceGraph folded = InferenceGraph.of(graph);
    double buildMs = (System.nanoTime() - t0) / 1e6;
    t0 = System.nanoTime();
    folded.refresh();
    double refreshMs = (System.nanoTime() - t0) / 1e6;
    INDArray x = data.getFeatures();
    for (int i = 0; i < warmup; i++) {
      graph.output(false, x);
      folded.output(x);
    }
    long plain = 0;
    long fast = 0;
    for (int i = 0; i < steps; i++) {
      long a = System.nanoTime();
      graph.output(false, x);
      long b = System.nanoTime();
      folded.output(x);
      plain += b - a;
      fast += System.nanoTime() - b;
    }
    System.out.printf(
        "folding: %d batch norms folded, %d activations fused; copy built in %.0f ms,"
            + " refreshed in %.1f ms%n",
        folded.foldedBatchNorms(), folded.fusedActivations(), buildMs, refreshMs);
    System.out.printf(
        "infer unfolded: %.2f img/s, folded: %.2f img/s (x%.2f)%n",
        imagesPerSecondOver(plain), imagesPerSecondOver(fast), (double) plain / fast);
    return new double[] {train, imagesPerSecondOver(fold ? fast : plain)};
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private double imagesPerSecond(long startNanos) {
    return imagesPerSecondOver(System.nanoTime() - startNanos);
  }

  private double imagesPerSecondOver(long nanos) {
    return (double) batch * steps / (nanos / 1e9);
  }

  private static void requireAtLeast(String option, int value, int minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(option + " must be >= " + minimum + " but was " + value);
    }
  }

  /** Uniform [0, 1) grey images with alternating one-hot labels, from a fixed seed. */
  static DataSet randomBatch(int batch, int size) {
    SplittableRandom random = new SplittableRandom(DATA_SEED);
    float[] pixels = new float[batch * size * size];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextDouble();
    }
    INDArray features = Nd4j.create(pixels, new long[] {batch, 1, size, size}, 'c');
    INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, 2);
    for (int i = 0; i < batch; i++) {
      labels.putScalar(i, i % 2, 1f);
    }
    return new DataSet(features, labels);
  }
}
