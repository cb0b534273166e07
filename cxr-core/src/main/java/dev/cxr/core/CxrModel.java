package dev.cxr.core;

import dev.cxr.core.data.CxrDataSetIterator;
import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.Sample;
import dev.cxr.core.image.ImageLoader;
import dev.cxr.core.image.PixelCache;
import dev.cxr.core.metrics.BinaryMetrics;
import dev.cxr.core.metrics.ConfusionMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * A trained chest X-ray classifier: the DL4J network plus everything needed to use it again (label
 * names, image size, normalisation, the settings and data that made it, its validation metrics).
 * One file holds both: DL4J's {@link ModelSerializer} zip with an extra {@code cxr-model.json}
 * entry.
 *
 * <pre>{@code
 * CxrModel model = CxrModel.load(Path.of("effusion.zip"));
 * Map<String, Double> p = model.predict(Path.of("00000013_005.png")); // {No Finding=0.17, Effusion=0.83}
 * }</pre>
 */
public final class CxrModel {
  /** Name of the metadata entry inside the model zip. */
  public static final String METADATA_ENTRY = "cxr-model.json";

  private static final int EVAL_BATCH = 32;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ComputationGraph network;
  private final ModelInfo info;

  /**
   * @param network the trained network
   * @param info what made it
   */
  public CxrModel(ComputationGraph network, ModelInfo info) {
    this.network = Objects.requireNonNull(network, "network");
    this.info = Objects.requireNonNull(info, "info");
  }

  /** @return the DL4J network (shared, not copied) */
  public ComputationGraph network() {
    return network;
  }

  /** @return the metadata */
  public ModelInfo info() {
    return info;
  }

  /** @return output names, in order */
  public List<String> labelNames() {
    return info.labelNames();
  }

  /**
   * Saves the model to one file, atomically (a crash mid-write leaves any previous file intact).
   *
   * @param file target file (conventionally {@code .zip})
   * @throws IOException when writing fails
   */
  public void save(Path file) throws IOException {
    save(file, false);
  }

  /**
   * Saves the model, optionally with the optimiser state (for resuming training).
   *
   * @param file target file
   * @param withUpdater also store the updater state
   * @throws IOException when writing fails
   */
  public void save(Path file, boolean withUpdater) throws IOException {
    Objects.requireNonNull(file, "file");
    byte[] meta = JSON.writeValueAsBytes(info.toMap());
    AtomicFiles.write(
        file,
        tmp -> {
          try (OutputStream out = Files.newOutputStream(tmp)) {
            ModelSerializer.writeModel(network, out, withUpdater);
          }
          try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + tmp.toUri()), Map.of())) {
            Files.write(zip.getPath(METADATA_ENTRY), meta);
          }
        });
  }

  /**
   * Loads a model saved by {@link #save(Path)}.
   *
   * @param file the model file
   * @return the model
   * @throws CxrDataException when the file is missing, is not a cxr model, or comes from an
   *     incompatible version
   */
  public static CxrModel load(Path file) {
    return load(file, false);
  }

  /**
   * Loads a model, optionally with its optimiser state.
   *
   * @param file the model file
   * @param withUpdater also restore the updater state
   * @return the model
   */
  public static CxrModel load(Path file, boolean withUpdater) {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file)) {
      throw new CxrDataException(file, "model file not found");
    }
    ModelInfo info;
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry e = zip.getEntry(METADATA_ENTRY);
      if (e == null) {
        throw new CxrDataException(
            file,
            zip.getEntry("configuration.json") != null
                ? "a DL4J model without cxr metadata (" + METADATA_ENTRY + "), not a cxr model"
                : "not a cxr model (no " + METADATA_ENTRY + ")");
      }
      Map<String, Object> m;
      try (InputStream in = zip.getInputStream(e)) {
        m = JSON.readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {});
      }
      Object format = m.get("format");
      if (!(format instanceof Number n) || n.intValue() != ModelInfo.FORMAT) {
        throw new CxrDataException(
            file,
            "model metadata format " + format + " is not supported by this version (expects "
                + ModelInfo.FORMAT + "; saved by cxr " + m.get("libraryVersion") + ")");
      }
      info = ModelInfo.fromMap(m);
    } catch (java.util.zip.ZipException ze) {
      throw new CxrDataException(file, "not a cxr model (not a zip file)");
    } catch (IOException | IllegalArgumentException ex) {
      throw new CxrDataException(file, -1, "cannot read model: " + ex.getMessage(), ex);
    }
    try {
      ComputationGraph g = ModelSerializer.restoreComputationGraph(file.toFile(), withUpdater);
      return new CxrModel(g, info);
    } catch (IOException | RuntimeException ex) {
      throw new CxrDataException(
          file, -1, "cannot restore the network (incompatible version?): " + ex.getMessage(), ex);
    }
  }

  /**
   * Probability per label name for one image of any size or bit depth (read and resized as in
   * training).
   *
   * @param image a PNG or JPEG file
   * @return label name to probability, in label order
   * @throws CxrDataException when the image is missing or unreadable
   */
  public Map<String, Double> predict(Path image) {
    return predict(List.of(image)).get(0);
  }

  /**
   * Batch prediction.
   *
   * @param images PNG or JPEG files
   * @return one map (label name to probability) per file, in the same order
   */
  public List<Map<String, Double>> predict(List<Path> images) {
    Objects.requireNonNull(images, "images");
    List<Map<String, Double>> out = new ArrayList<>(images.size());
    int s = info.imageSize();
    int px = s * s;
    for (int from = 0; from < images.size(); from += EVAL_BATCH) {
      int to = Math.min(images.size(), from + EVAL_BATCH);
      float[] buf = new float[(to - from) * px];
      for (int i = from; i < to; i++) {
        float[] p = ImageLoader.load(images.get(i), s);
        info.normalisation().applyInPlace(p, 0, px);
        System.arraycopy(p, 0, buf, (i - from) * px, px);
      }
      INDArray x = Nd4j.create(buf, new long[] {to - from, 1, s, s}, DataType.FLOAT);
      INDArray y = network.outputSingle(false, x);
      for (int r = 0; r < to - from; r++) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int c = 0; c < info.labelNames().size(); c++) {
          m.put(info.labelNames().get(c), y.getDouble(r, c));
        }
        out.add(m);
      }
    }
    return out;
  }

  /**
   * Probability of the positive class for each sample, in order (evaluation batches of fixed size,
   * so the same images always give the same scores).
   *
   * @param samples labelled samples
   * @param cache pixel cache to use
   * @param workers decoding threads
   * @return positive-class probabilities
   */
  double[] scores(List<Sample> samples, PixelCache cache, int workers) {
    CxrDataSetIterator it =
        evaluationIterator(samples, info.imageSize(), info.normalisation(), info.labelNames(),
            cache, workers);
    double[] out = new double[samples.size()];
    int k = 0;
    int positiveColumn = info.labelNames().size() - 1;
    try {
      while (it.hasNext()) {
        DataSet ds = it.next();
        INDArray y = network.outputSingle(false, ds.getFeatures());
        for (int r = 0; r < y.rows(); r++) {
          out[k++] = y.getDouble(r, positiveColumn);
        }
      }
    } finally {
      it.shutdown();
    }
    return out;
  }

  /**
   * The iterator used wherever images are scored (validation during training, evaluation): fixed
   * batches, in order, no augmentation, so the same images always give the same scores.
   */
  static CxrDataSetIterator evaluationIterator(List<Sample> samples, int imageSize,
      dev.cxr.core.image.Normalisation norm, List<String> labelNames, PixelCache cache,
      int workers) {
    return CxrDataSetIterator.builder()
        .samples(samples)
        .imageSize(imageSize)
        .batchSize(EVAL_BATCH)
        .shuffle(false)
        .cache(cache)
        .workers(workers)
        .normalisation(norm)
        .labelNames(labelNames)
        .build();
  }

  /**
   * Scores every usable image of a data directory against its labels.
   *
   * @param dir a data directory (NIH layout or class folders)
   * @return AUC with CI, ROC, and the confusion matrix at the model's validation threshold
   */
  public Evaluation evaluate(Path dir) {
    return evaluate(dir, false);
  }

  /**
   * Scores a data directory, or only the validation split of the model's own training run (rebuilt
   * from the seed and fraction the model records).
   *
   * @param dir a data directory
   * @param validationSplitOnly score only the validation split of this model's training run
   * @return the evaluation
   * @throws CxrDataException when the directory's labels do not match the model's
   */
  public Evaluation evaluate(Path dir, boolean validationSplitOnly) {
    CxrDataset ds =
        CxrDataset.scan(dir, info.labelsFile() == null ? null : Path.of(info.labelsFile()), false);
    CxrTask task = new CxrTask(info.positive(), info.othersAsNegative(), false);
    if (!task.labelNames().equals(info.labelNames())) {
      throw new CxrDataException(
          dir,
          "the data's labels " + task.labelNames() + " do not match the model's " + info.labelNames());
    }
    CxrTask.Labeled labeled = task.label(ds);
    List<Sample> samples = labeled.samples();
    long positives = samples.stream().filter(Sample::positive).count();
    if (positives == 0 || positives == samples.size()) {
      throw new CxrDataException(
          dir,
          "the data's labels do not match the model's " + info.labelNames() + ": found "
              + positives + " '" + info.positive() + "' and " + (samples.size() - positives)
              + " negative images (both are needed)");
    }
    if (validationSplitOnly) {
      samples =
          PatientSplit.trainValidation(samples, info.validationFraction(), info.seed()).validation();
    }
    try (PixelCache cache = PixelCache.create()) {
      double[] scores = scores(samples, cache, Math.min(4, Runtime.getRuntime().availableProcessors()));
      boolean[] positive = new boolean[samples.size()];
      List<Path> files = new ArrayList<>();
      for (int i = 0; i < positive.length; i++) {
        positive[i] = samples.get(i).positive();
        files.add(samples.get(i).path());
      }
      BinaryMetrics metrics = BinaryMetrics.of(scores, positive);
      double threshold = Double.isNaN(info.threshold()) ? 0.5 : info.threshold();
      return new Evaluation(metrics, threshold, metrics.confusionAt(threshold), files, scores, positive);
    }
  }

  /**
   * The result of {@link #evaluate(Path)}.
   *
   * @param metrics AUC, its CI and the ROC curve
   * @param threshold operating threshold (chosen on the training run's validation split)
   * @param confusion confusion matrix at that threshold
   * @param files the images scored, in order
   * @param scores positive-class probability of each image
   * @param positive whether each image is positive
   */
  public record Evaluation(
      BinaryMetrics metrics,
      double threshold,
      ConfusionMatrix confusion,
      List<Path> files,
      double[] scores,
      boolean[] positive) {}
}
