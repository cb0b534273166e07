package dev.cxr.core.provenance;

import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.image.Normalisation;
import java.util.List;
import java.util.Objects;

/**
 * What made a saved model, stored inside its file as JSON bound to this record (Tribuo-style
 * provenance): the metadata format, library versions, the whole configuration as data (so {@code
 * CxrPipeline.builder(info.config())} trains the same model again), label names, normalisation, a
 * fingerprint of the training data, the validation metrics of the kept epoch and the per-epoch
 * history.
 *
 * @param format metadata format version ({@link #FORMAT} for this release)
 * @param libraryVersion cxr version that trained it
 * @param dl4jVersion Deeplearning4j version
 * @param config every setting of the run
 * @param labelNames output names in column order
 * @param normalisation pixel normalisation (with training-split statistics when standardised)
 * @param dataFingerprint SHA-256 over the training and validation files, sizes and labels
 * @param trainImages number of training images
 * @param validationImages number of validation images
 * @param bestEpoch 1-based epoch whose weights are kept (0 before any epoch)
 * @param epochsCompleted epochs trained so far (for resuming)
 * @param validation validation metrics of the kept weights and their operating point
 * @param history per-epoch results
 */
public record ModelInfo(
    int format,
    String libraryVersion,
    String dl4jVersion,
    PipelineConfig config,
    List<String> labelNames,
    Normalisation normalisation,
    String dataFingerprint,
    int trainImages,
    int validationImages,
    int bestEpoch,
    int epochsCompleted,
    ValidationSummary validation,
    List<EpochResult> history) {

  /**
   * The metadata format this version writes and reads. Format 1 (cxr 0.1.0 before structured
   * provenance) stored the settings as display text and is refused with a message naming it.
   */
  public static final int FORMAT = 2;

  /** The Deeplearning4j version the library is built on. */
  public static final String DL4J_VERSION = "1.0.0-M2.1";

  /** Checks the fields and copies the lists. */
  public ModelInfo {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(normalisation, "normalisation");
    Objects.requireNonNull(validation, "validation");
    labelNames = List.copyOf(labelNames);
    history = List.copyOf(history);
    if (!labelNames.equals(config.task().labelNames())) {
      throw new IllegalArgumentException(
          "labelNames " + labelNames + " do not match the task's " + config.task().labelNames());
    }
  }

  /**
   * This library's version.
   *
   * @return the version from the jar manifest when packaged, else the development version
   */
  public static String currentLibraryVersion() {
    String v = ModelInfo.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  /**
   * The same metadata with other validation metrics.
   *
   * @param summary the metrics of the kept weights and their operating point
   * @return a new record
   */
  public ModelInfo withValidation(ValidationSummary summary) {
    return new ModelInfo(
        format,
        libraryVersion,
        dl4jVersion,
        config,
        labelNames,
        normalisation,
        dataFingerprint,
        trainImages,
        validationImages,
        bestEpoch,
        epochsCompleted,
        summary,
        history);
  }

  /**
   * The task the model answers.
   *
   * @return positive finding against the negatives of its training run
   */
  public CxrTask task() {
    return config.task();
  }

  /**
   * Square input size in pixels.
   *
   * @return {@code config().imageSize()}
   */
  public int imageSize() {
    return config.imageSize();
  }

  /**
   * Operating threshold chosen on validation.
   *
   * @return the threshold, or NaN when none was chosen
   */
  public double threshold() {
    return validation.threshold();
  }

  /**
   * The AUC line of the kept epoch, in the form {@code cxr evaluate} prints.
   *
   * @return e.g. {@code AUC: 0.812500 (95% CI 0.701-0.924)}
   */
  public String aucLine() {
    return validation.aucLine();
  }
}
