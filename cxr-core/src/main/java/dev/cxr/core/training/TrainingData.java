package dev.cxr.core.training;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.cache.PixelCache;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.CxrDataSetIterator;
import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.PreDecoder;
import dev.cxr.core.data.Sample;
import dev.cxr.core.image.Normalisation;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.provenance.TrainingSplit;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The data of one run, read once: the scanned directory and its labelled samples under the
 * configured task (both classes present), and the iterators training draws from.
 *
 * @param dataset the scanned data directory
 * @param task the task of the configuration
 * @param labeled the labelled samples and counts
 */
public record TrainingData(CxrDataset dataset, CxrTask task, CxrTask.Labeled labeled) {

  /**
   * Scans and labels a data directory.
   *
   * @param config the settings (labels file, lenient mode, task)
   * @param dir a data directory (NIH layout or class folders)
   * @return the data
   * @throws dev.cxr.core.io.CxrDataException for unusable data or a missing class
   */
  public static TrainingData read(PipelineConfig config, Path dir) {
    return read(config, dir, new DataReport());
  }

  /**
   * Scans and labels a data directory, recording what is skipped (with {@code skipBad}) in a given
   * report, to which the run adds the images it finds unreadable.
   *
   * @param config the settings (labels file, lenient mode, task)
   * @param dir a data directory (NIH layout or class folders)
   * @param report where skipped items go; it becomes {@code dataset().report()}
   * @return the data
   * @throws dev.cxr.core.io.CxrDataException for unusable data or a missing class
   */
  public static TrainingData read(PipelineConfig config, Path dir, DataReport report) {
    return read(config, List.of(Objects.requireNonNull(dir, "dir")), report);
  }

  /**
   * Scans and labels several data directories as one data set (see {@link CxrDataset#scan(List,
   * Path, boolean, DataReport)}).
   *
   * @param config the settings (labels file, lenient mode, task)
   * @param dirs the data directories, at least one
   * @param report where skipped items go; it becomes {@code dataset().report()}
   * @return the data
   * @throws dev.cxr.core.io.CxrDataException for unusable data or a missing class
   */
  public static TrainingData read(PipelineConfig config, List<Path> dirs, DataReport report) {
    CxrDataset ds = CxrDataset.scan(dirs, config.labels(), config.skipBad(), report);
    CxrTask task = config.task();
    return new TrainingData(ds, task, task.labelBothClasses(ds));
  }

  /**
   * The loss the run trains and validates with: the configured one for the binary task; for a
   * multi-label task its sigmoid form, by default binary cross-entropy with each finding's positive
   * weight set to negatives/positives of {@code fit} (1 for a finding without positives there).
   *
   * @param config the settings
   * @param fit the images the weights are fitted on
   * @return a new loss
   */
  public ILossFunction loss(PipelineConfig config, List<Sample> fit) {
    return task.multiLabel()
        ? config.loss().toMultiLabelLoss(positiveWeights(fit))
        : config.loss().toLossFunction();
  }

  /**
   * Negatives/positives per finding of the task.
   *
   * @param samples the samples
   * @return one weight per finding; 1 where a finding has no positive image
   */
  public double[] positiveWeights(List<Sample> samples) {
    int[] pos = task.positivesPerFinding(samples);
    double[] w = new double[pos.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = pos[i] == 0 ? 1.0 : (samples.size() - pos[i]) / (double) pos[i];
    }
    return w;
  }

  /**
   * The patient-level train/validation split of the configuration's fraction and seed.
   *
   * @param config the settings
   * @return the split
   */
  public PatientSplit split(PipelineConfig config) {
    return TrainingSplit.of(config, null, labeled.samples());
  }

  /**
   * Decodes the images of a split into the run's cache before training (see {@link PreDecoder}):
   * without {@code skipBad} the first bad image stops the run here, named; with it the bad images
   * are reported in {@code dataset().report()} and left out of both parts.
   *
   * @param config the settings (image size, workers, lenient mode)
   * @param split the split
   * @param cache the run's pixel cache
   * @return the split without unreadable images
   * @throws dev.cxr.core.io.CxrDataException naming the first bad image (strict), or the data
   *     directory when a part has no readable image left
   */
  public PatientSplit readable(PipelineConfig config, PatientSplit split, PixelCache cache) {
    List<Sample> train = readable(config, split.train(), cache, "training");
    List<Sample> validation = readable(config, split.validation(), cache, "validation");
    return new PatientSplit(train, validation);
  }

  /**
   * Decodes the images of one part into the cache (see {@link #readable(PipelineConfig,
   * PatientSplit, PixelCache)}).
   *
   * @param config the settings
   * @param part the samples
   * @param cache the pixel cache
   * @param what the part's name for an error, e.g. "training"
   * @return the samples with a readable image
   */
  public List<Sample> readable(
      PipelineConfig config, List<Sample> part, PixelCache cache, String what) {
    List<Sample> ok =
        PreDecoder.readable(
            part, cache, config.imageSize(), config.workers(), config.skipBad(), dataset.report());
    if (ok.isEmpty()) {
      throw new CxrDataException(
          dataset.root(),
          "none of the " + part.size() + " images of the " + what + " part is readable");
    }
    return ok;
  }

  /**
   * Shuffled, augmented batches of a training part, as every training loop of the pipeline uses.
   *
   * @param config the settings
   * @param train the training samples
   * @param cache the pixel cache
   * @param norm the normalisation
   * @return a new iterator (shut it down when done)
   */
  public CxrDataSetIterator trainingIterator(
      PipelineConfig config, List<Sample> train, PixelCache cache, Normalisation norm) {
    CxrAugmentation aug = config.augmentation(); // carries the run's seed (see PipelineConfig)
    return CxrDataSetIterator.builder()
        .samples(train)
        .imageSize(config.imageSize())
        .batchSize(config.batchSize())
        .shuffle(true)
        .sampler(config.sampler())
        .seed(config.seed())
        .augmenter(aug.isIdentity() ? null : aug::apply)
        .cache(cache)
        .workers(config.workers())
        .normalisation(norm)
        .labelNames(labeled.labelNames())
        .skipBad(config.skipBad())
        .report(dataset.report())
        .build();
  }

  /**
   * Pixel mean and standard deviation of the training images after min-max scaling, for {@code
   * --standardise}.
   *
   * @param train the images the network fits
   * @param cache pixel cache to read through
   * @param size image size
   * @return the standardisation
   */
  static Normalisation statistics(List<Sample> train, PixelCache cache, int size) {
    double sum = 0;
    double sumSq = 0;
    long n = 0;
    for (Sample s : train) {
      float[] px = cache.get(s.path(), size, size).minMaxNormalised();
      for (float v : px) {
        sum += v;
        sumSq += (double) v * v;
      }
      n += px.length;
    }
    double mean = sum / n;
    double std = Math.sqrt(Math.max(1e-12, sumSq / n - mean * mean));
    return Normalisation.standardised(mean, std);
  }
}
