package dev.cxr.core.training;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.CxrDataSetIterator;
import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.Sample;
import dev.cxr.core.image.Normalisation;
import dev.cxr.core.image.PixelCache;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

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
    Objects.requireNonNull(dir, "dir");
    CxrDataset ds = CxrDataset.scan(dir, config.labels(), config.skipBad());
    CxrTask task = config.task();
    return new TrainingData(ds, task, task.labelBothClasses(ds));
  }

  /**
   * The patient-level train/validation split of the configuration's fraction and seed.
   *
   * @param config the settings
   * @return the split
   */
  public PatientSplit split(PipelineConfig config) {
    return PatientSplit.trainValidation(
        labeled.samples(), config.validationFraction(), config.seed());
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
        .build();
  }
}
