package dev.cxr.core.evaluation;

import dev.cxr.core.cache.PixelCache;
import dev.cxr.core.data.CxrDataSetIterator;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.Sample;
import dev.cxr.core.image.Normalisation;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.Progress;
import dev.cxr.core.provenance.ModelInfo;
import dev.cxr.core.provenance.ValidationSummary;
import dev.cxr.resnet.inference.InferenceGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The one place where a network scores images: validation during training, {@code evaluate} and
 * {@code predict} all come here, so the same image always meets the same reading, resizing,
 * normalisation and batch size, and the positive probability is always read from the column {@link
 * CxrTask#positiveColumn()} names.
 *
 * <p>Scoring runs on an {@link InferenceGraph} of the network (batch norms folded into the
 * convolutions), folded afresh from the network's current parameters at the start of every call, so
 * a network still in training is scored as it is now; the network itself is only read.
 */
public final class Scorer {
  /** Images per scoring batch; fixed, so the same images always give the same scores. */
  public static final int BATCH = 32;

  private final ComputationGraph network;
  private InferenceGraph inference; // built at first use, refreshed before every use
  private final int imageSize;
  private final Normalisation normalisation;
  private final CxrTask task;
  private final HeadOutputs head;
  private final InputReader reader;
  private final TestTimeAugmentation tta;

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
    this(network, imageSize, normalisation, task, ValidationSummary.UNCALIBRATED);
  }

  /**
   * A scorer of a one-finding network with a fitted temperature.
   *
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
    this(
        network,
        imageSize,
        normalisation,
        task,
        HeadOutputs.uniform(task, temperature),
        TestTimeAugmentation.NONE);
  }

  private Scorer(
      ComputationGraph network,
      int imageSize,
      Normalisation normalisation,
      CxrTask task,
      double[] temperatures,
      TestTimeAugmentation tta) {
    this.tta = Objects.requireNonNull(tta, "tta");
    this.network = Objects.requireNonNull(network, "network");
    this.imageSize = imageSize;
    this.normalisation = Objects.requireNonNull(normalisation, "normalisation");
    this.task = Objects.requireNonNull(task, "task");
    this.head = new HeadOutputs(task, temperatures);
    this.reader = new InputReader(imageSize, normalisation);
  }

  /**
   * The scorer of a saved model: the one place a model's metadata becomes a scorer (image size,
   * normalisation, task and each finding's fitted temperature).
   *
   * @param network the model's network
   * @param info the model's metadata
   * @return a scorer without test-time augmentation
   */
  public static Scorer forModel(ComputationGraph network, ModelInfo info) {
    return new Scorer(
        network,
        info.imageSize(),
        info.normalisation(),
        info.task(),
        info.validation().temperatures(info.task().findings().size()),
        TestTimeAugmentation.NONE);
  }

  /**
   * This scorer with other temperatures, one per finding (1 leaves a finding uncalibrated).
   *
   * @param perFinding one positive, finite temperature per finding of the task
   * @return a new scorer of the same network
   */
  public Scorer withTemperatures(double... perFinding) {
    return new Scorer(network, imageSize, normalisation, task, perFinding, tta);
  }

  /**
   * This scorer without temperature scaling: the network's own probabilities (what calibration fits
   * on).
   *
   * @return a new scorer of the same network
   */
  public Scorer uncalibrated() {
    return withTemperatures(HeadOutputs.uniform(task, ValidationSummary.UNCALIBRATED));
  }

  /**
   * This scorer with test-time augmentation: every score becomes the mean probability over the
   * image and its variants (before the temperature is applied).
   *
   * @param tta the variants; {@link TestTimeAugmentation#NONE} for plain scoring
   * @return a new scorer of the same network
   */
  public Scorer withTta(TestTimeAugmentation tta) {
    return new Scorer(network, imageSize, normalisation, task, head.temperatures(), tta);
  }

  /**
   * @return forward passes per image: 1, or the number of test-time variants
   */
  public int passes() {
    return tta.variants();
  }

  /**
   * Scores labelled samples: fixed batches, in order, no augmentation beyond test-time variants.
   *
   * @param samples the samples
   * @param cache pixel cache to read through
   * @param workers decoding threads
   * @param loss the loss to average over the samples, or null for none
   * @return each finding's probabilities, labels and the mean loss
   */
  public Scores score(List<Sample> samples, PixelCache cache, int workers, ILossFunction loss) {
    try (Progress none = Progress.Factory.none().start("score", samples.size())) {
      return score(samples, cache, workers, loss, none);
    }
  }

  /**
   * Scores labelled samples as {@link #score(List, PixelCache, int, ILossFunction)} does, advancing
   * a progress report per image.
   *
   * @param samples the samples
   * @param cache pixel cache to read through
   * @param workers decoding threads
   * @param loss the loss to average over the samples, or null for none
   * @param progress advanced by each batch's images
   * @return positive-class probabilities, labels and the mean loss
   */
  public Scores score(
      List<Sample> samples, PixelCache cache, int workers, ILossFunction loss, Progress progress) {
    int n = samples.size();
    InferenceGraph net = inference();
    INDArray mean = null; // [n, classes]: the mean over the variants of the network's outputs
    INDArray labels = null;
    for (int v = 0; v < tta.variants(); v++) {
      int variant = v;
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
              .augmenter(v == 0 ? null : (px, w, h, e, id) -> tta.apply(px, w, h, variant))
              .build();
      int k = 0;
      try {
        while (it.hasNext()) {
          DataSet ds = it.next();
          INDArray out = net.output(ds.getFeatures());
          if (mean == null) {
            mean = Nd4j.zeros(out.dataType(), n, out.columns());
            labels = Nd4j.zeros(ds.getLabels().dataType(), n, ds.getLabels().columns());
          }
          INDArrayIndex rows = NDArrayIndex.interval(k, k + out.rows());
          mean.get(rows, NDArrayIndex.all()).addi(out);
          if (v == 0) {
            labels.get(rows, NDArrayIndex.all()).assign(ds.getLabels());
          }
          progress.stepBy(out.rows());
          k += out.rows();
        }
      } finally {
        it.shutdown();
      }
    }
    double lossSum = 0;
    int findings = task.findings().size();
    double[][] scores = new double[findings][n];
    boolean[][] positive = new boolean[findings][n];
    List<Path> files = new ArrayList<>(n);
    if (mean != null) {
      mean.divi(tta.variants());
      if (loss != null) {
        lossSum =
            loss.computeScoreArray(labels, head.preOutput(mean), head.activation(), null)
                .sumNumber()
                .doubleValue();
      }
    }
    for (int k = 0; k < n; k++) {
      Sample s = samples.get(k);
      for (int f = 0; f < findings; f++) {
        scores[f][k] = head.probability(mean, k, f);
        positive[f][k] = s.has(f);
      }
      files.add(s.path());
    }
    double meanLoss = loss == null ? Double.NaN : lossSum / Math.max(1, n);
    return new Scores(files, task.findings(), scores, positive, meanLoss);
  }

  /**
   * Probability per label name for images of any size or bit depth (read and resized as in
   * training).
   *
   * @param images PNG, JPEG or DICOM files
   * @return one map (label name to probability, in label order) per file, in the same order
   * @throws dev.cxr.core.io.CxrDataException naming the first image that cannot be read
   */
  public List<Map<String, Double>> predict(List<Path> images) {
    return predict(images, null);
  }

  /**
   * Probability per label name, optionally skipping unreadable images.
   *
   * @param images PNG, JPEG or DICOM files
   * @param skipped null to fail on the first unreadable image; else each unreadable image is
   *     recorded here and gets an empty map
   * @return one map (label name to probability, in label order; empty for a skipped image) per
   *     file, in the same order
   * @throws dev.cxr.core.io.CxrDataException naming the image, for an unreadable one when {@code
   *     skipped} is null
   */
  public List<Map<String, Double>> predict(List<Path> images, DataReport skipped) {
    Objects.requireNonNull(images, "images");
    List<Map<String, Double>> out = new ArrayList<>(images.size());
    // one batch of decoded images in memory at a time, however many files there are; the folded
    // copy is refreshed once per call
    InferenceGraph net = inference();
    for (int from = 0; from < images.size(); from += BATCH) {
      int to = Math.min(images.size(), from + BATCH);
      List<ModelInput> inputs = new ArrayList<>(to - from);
      List<Integer> read = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        try {
          inputs.add(prepare(images.get(i)));
          read.add(i);
        } catch (CxrDataException e) {
          if (skipped == null) {
            throw e;
          }
          skipped.add(DataReport.UNREADABLE_IMAGE, e);
        }
      }
      List<Map<String, Double>> scored = predictInputs(inputs, net);
      for (int i = from, r = 0; i < to; i++) {
        boolean wasRead = r < read.size() && read.get(r) == i;
        out.add(wasRead ? scored.get(r++) : new LinkedHashMap<>());
      }
    }
    return out;
  }

  /**
   * Reads one image file for this scorer's network (see {@link ModelInput}).
   *
   * @param image a PNG, JPEG or DICOM file
   * @return the prepared input
   * @throws dev.cxr.core.io.CxrDataException naming the file when it cannot be read
   */
  public ModelInput prepare(Path image) {
    return reader.prepare(image);
  }

  /**
   * Reads one image held in memory for this scorer's network, exactly as {@link #prepare(Path)}
   * reads a file.
   *
   * @param name the image's name (a path or URI), used in error messages
   * @param data the encoded image
   * @return the prepared input
   * @throws dev.cxr.core.io.CxrDataException naming the image when the bytes cannot be read
   */
  public ModelInput prepare(String name, byte[] data) {
    return reader.prepare(name, data);
  }

  /**
   * Scores prepared inputs in fixed batches of {@link #BATCH}, with this scorer's test-time
   * variants (the mean probability over them) and temperatures, exactly as {@link #predict(List)}
   * scores files.
   *
   * @param inputs inputs made by this scorer's {@code prepare}
   * @return one map (label name to probability, in label order) per input, in the same order
   * @throws IllegalArgumentException when an input was prepared for another image size
   */
  public List<Map<String, Double>> predictInputs(List<ModelInput> inputs) {
    Objects.requireNonNull(inputs, "inputs");
    return predictInputs(inputs, inference());
  }

  private List<Map<String, Double>> predictInputs(List<ModelInput> inputs, InferenceGraph net) {
    if (inputs.isEmpty()) {
      return List.of();
    }
    INDArray sum = null;
    for (int v = 0; v < tta.variants(); v++) {
      INDArray y = outputs(inputs, v, net);
      sum = sum == null ? y : sum.addi(y);
    }
    return head.probabilities(sum.divi(tta.variants()));
  }

  /**
   * The network's outputs {@code [inputs, classes]} for one variant, in batches of {@link #BATCH}.
   */
  private INDArray outputs(List<ModelInput> inputs, int variant, InferenceGraph net) {
    INDArray all = null;
    for (int from = 0; from < inputs.size(); from += BATCH) {
      int to = Math.min(inputs.size(), from + BATCH);
      INDArray y = net.output(reader.features(inputs.subList(from, to), tta, variant));
      if (all == null) {
        all = Nd4j.create(y.dataType(), inputs.size(), y.columns());
      }
      all.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(y);
    }
    return all;
  }

  /**
   * The network's input batch of prepared images, {@code [n, 1, size, size]} (what Grad-CAM runs
   * its forward pass on).
   *
   * @param inputs inputs made by this scorer's {@code prepare}
   * @return the batch
   * @throws IllegalArgumentException when an input was prepared for another image size
   */
  public INDArray features(List<ModelInput> inputs) {
    return reader.features(inputs, TestTimeAugmentation.NONE, 0);
  }

  /** The inference copy with the network's current parameters folded in. */
  private synchronized InferenceGraph inference() {
    if (inference == null) {
      inference = InferenceGraph.of(network);
      return inference;
    }
    return inference.refresh();
  }
}
