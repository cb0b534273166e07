package dev.cxr.examples.cli;

import dev.cxr.resnet.ResNets;
import dev.cxr.resnet.compat.OneDnnHelpers;
import dev.cxr.resnet.inference.InferenceGraph;
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
 * the ratio, never absolute numbers from different runs.
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
    if (noHelpers) {
      OneDnnHelpers.setEnabled(
          false); // before the network exists: DL4J picks helpers per layer at init
    } else {
      OneDnnHelpers.ensureEnabled();
    }
    ComputationGraph graph =
        ResNets.builder()
            .depth(depth)
            .preActivation(preActivation)
            .inputShape(1, size, size)
            .classes(2)
            .width(width)
            .build();
    System.out.printf(
        "ResNet-%d%s, width %d, %dx%d px, batch %d, %,d parameters, %d warm-up + %d timed steps%n",
        depth,
        preActivation ? " (pre-activation)" : "",
        width,
        size,
        size,
        batch,
        graph.numParams(),
        warmup,
        steps);
    System.out.println(OneDnnHelpers.describe());

    DataSet data = randomBatch(batch, size);
    for (int i = 0; i < warmup; i++) {
      graph.fit(data);
    }
    long start = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      graph.fit(data);
    }
    System.out.printf("train: %.2f img/s%n", imagesPerSecond(start));

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
    // interleaved, so that both see the same machine load
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
    System.out.printf("infer: %.2f img/s%n", imagesPerSecondOver(fold ? fast : plain));
    return 0;
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
