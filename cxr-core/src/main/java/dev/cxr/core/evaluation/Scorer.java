package dev.cxr.core.evaluation;

import dev.cxr.core.data.CxrDataSetIterator;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.Sample;
import dev.cxr.core.image.ImageLoader;
import dev.cxr.core.image.Normalisation;
import dev.cxr.core.image.PixelCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The one place where a network scores images: validation during training, {@code evaluate} and
 * {@code predict} all come here, so the same image always meets the same reading, resizing,
 * normalisation and batch size, and the positive probability is always read from the column {@link
 * CxrTask#positiveColumn()} names.
 */
public final class Scorer {
  /** Images per scoring batch; fixed, so the same images always give the same scores. */
  public static final int BATCH = 32;

  private final ComputationGraph network;
  private final int imageSize;
  private final Normalisation normalisation;
  private final CxrTask task;
  private final double temperature;

  /**
   * An uncalibrated scorer (temperature 1).
   *
   * @param network a trained network with a softmax head
   * @param imageSize square input size
   * @param normalisation the normalisation it was trained with
   * @param task the task, which says what each output column means
   */
  public Scorer(
      ComputationGraph network, int imageSize, Normalisation normalisation, CxrTask task) {
    this(network, imageSize, normalisation, task, 1.0);
  }

  /**
   * @param network a trained network with a softmax head
   * @param imageSize square input size
   * @param normalisation the normalisation it was trained with
   * @param task the task, which says what each output column means
   * @param temperature softmax temperature applied to every probability ({@link
   *     TemperatureScaling}); 1 leaves them as the network gives them
   */
  public Scorer(
      ComputationGraph network,
      int imageSize,
      Normalisation normalisation,
      CxrTask task,
      double temperature) {
    this.network = Objects.requireNonNull(network, "network");
    this.imageSize = imageSize;
    this.normalisation = Objects.requireNonNull(normalisation, "normalisation");
    this.task = Objects.requireNonNull(task, "task");
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException(
          "temperature must be positive and finite but was " + temperature);
    }
    this.temperature = temperature;
  }

  /**
   * Scores labelled samples: fixed batches, in order, no augmentation.
   *
   * @param samples the samples
   * @param cache pixel cache to read through
   * @param workers decoding threads
   * @param loss the loss to average over the samples, or null for none
   * @return positive-class probabilities, labels and the mean loss
   */
  public Scores score(List<Sample> samples, PixelCache cache, int workers, ILossFunction loss) {
    CxrDataSetIterator it =
        CxrDataSetIterator.builder()
            .samples(samples)
            .imageSize(imageSize)
            .batchSize(BATCH)
            .shuffle(false)
            .cache(cache)
            .workers(workers)
            .normalisation(normalisation)
            .labelNames(task.labelNames())
            .build();
    double[] scores = new double[samples.size()];
    boolean[] positive = new boolean[samples.size()];
    List<Path> files = new ArrayList<>(samples.size());
    double lossSum = 0;
    int k = 0;
    try {
      while (it.hasNext()) {
        DataSet ds = it.next();
        INDArray out = network.outputSingle(false, ds.getFeatures());
        if (loss != null) {
          // softmax(log p) = p, so the configured loss can be computed from the probabilities
          INDArray pre = Transforms.log(Transforms.max(out, 1e-10, true), false);
          lossSum +=
              loss.computeScoreArray(
                      ds.getLabels(), pre, Activation.SOFTMAX.getActivationFunction(), null)
                  .sumNumber()
                  .doubleValue();
        }
        for (int r = 0; r < out.rows(); r++, k++) {
          scores[k] =
              TemperatureScaling.apply(out.getDouble(r, task.positiveColumn()), temperature);
          positive[k] = samples.get(k).positive();
          files.add(samples.get(k).path());
        }
      }
    } finally {
      it.shutdown();
    }
    double meanLoss = loss == null ? Double.NaN : lossSum / Math.max(1, samples.size());
    return new Scores(files, scores, positive, meanLoss);
  }

  /**
   * Probability per label name for images of any size or bit depth (read and resized as in
   * training).
   *
   * @param images PNG or JPEG files
   * @return one map (label name to probability, in label order) per file, in the same order
   */
  public List<Map<String, Double>> predict(List<Path> images) {
    Objects.requireNonNull(images, "images");
    List<String> names = task.labelNames();
    List<Map<String, Double>> out = new ArrayList<>(images.size());
    int px = imageSize * imageSize;
    for (int from = 0; from < images.size(); from += BATCH) {
      int to = Math.min(images.size(), from + BATCH);
      float[] buf = new float[(to - from) * px];
      for (int i = from; i < to; i++) {
        float[] p = ImageLoader.load(images.get(i), imageSize);
        normalisation.applyInPlace(p, 0, px);
        System.arraycopy(p, 0, buf, (i - from) * px, px);
      }
      INDArray x =
          Nd4j.create(buf, new long[] {to - from, 1, imageSize, imageSize}, DataType.FLOAT);
      INDArray y = network.outputSingle(false, x);
      for (int r = 0; r < to - from; r++) {
        // two classes: the positive probability scaled, the other its complement
        double p = TemperatureScaling.apply(y.getDouble(r, task.positiveColumn()), temperature);
        Map<String, Double> m = new LinkedHashMap<>();
        for (int c = 0; c < names.size(); c++) {
          double scaled = c == task.positiveColumn() ? p : 1 - p;
          m.put(names.get(c), temperature == 1 ? y.getDouble(r, c) : scaled);
        }
        out.add(m);
      }
    }
    return out;
  }
}
