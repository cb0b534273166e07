package dev.cxr.core.provenance;

import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.CxrTask;
import dev.cxr.core.image.Normalisation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import org.nd4j.shade.jackson.annotation.JsonCreator;

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
 * @param fold the cross-validation fold the model was trained on; null for a plain train/validation
 *     split (and in files written before the field existed)
 * @param trainingImages the images the model was trained on; null in files written before the field
 *     existed
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
    List<EpochResult> history,
    Fold fold,
    TrainingImages trainingImages) {

  /**
   * The metadata format this version writes and reads. Format 1 (cxr 0.1.0 before structured
   * provenance) stored the settings as display text and is refused with a message naming it.
   */
  public static final int FORMAT = 2;

  private static final String LIBRARY_VERSION = readVersion();

  /** The Deeplearning4j version the library is built on. */
  public static final String DL4J_VERSION = "1.0.0-M2.1";

  /**
   * Metadata of a model trained on a plain train/validation split, without the record of its
   * training images.
   *
   * @param format metadata format version
   * @param libraryVersion cxr version that trained it
   * @param dl4jVersion Deeplearning4j version
   * @param config every setting of the run
   * @param labelNames output names in column order
   * @param normalisation pixel normalisation
   * @param dataFingerprint SHA-256 over the training and validation files, sizes and labels
   * @param trainImages number of training images
   * @param validationImages number of validation images
   * @param bestEpoch 1-based epoch whose weights are kept
   * @param epochsCompleted epochs trained so far
   * @param validation validation metrics of the kept weights
   * @param history per-epoch results
   */
  public ModelInfo(
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
    this(
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
        validation,
        history,
        null,
        null);
  }

  /** Checks the fields and copies the lists. */
  @JsonCreator
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
   * This library's version, as the build wrote it into {@code cxr-version.properties}.
   *
   * @return e.g. {@code 0.1.0}
   */
  public static String currentLibraryVersion() {
    return LIBRARY_VERSION;
  }

  /** A copy with the three parts a finished run or a cross-validation sets afterwards. */
  private ModelInfo with(ValidationSummary v, Fold f, TrainingImages images) {
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
        v,
        history,
        f,
        images);
  }

  /**
   * The same metadata with other validation metrics.
   *
   * @param summary the metrics of the kept weights and their operating point
   * @return a new record
   */
  public ModelInfo withValidation(ValidationSummary summary) {
    return with(summary, fold, trainingImages);
  }

  /**
   * The same metadata with the record of the images it was trained on.
   *
   * @param images the training images
   * @return a new record
   */
  public ModelInfo withTrainingImages(TrainingImages images) {
    return with(validation, fold, images);
  }

  /**
   * The same metadata, marked as a cross-validation fold's.
   *
   * @param f the fold
   * @return a new record
   */
  public ModelInfo withFold(Fold f) {
    return with(validation, f, trainingImages);
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

  private static String readVersion() {
    Properties p = new Properties();
    try (InputStream in = ModelInfo.class.getResourceAsStream("cxr-version.properties")) {
      if (in == null) {
        throw new IllegalStateException("cxr-version.properties is missing from the cxr-core jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cxr-version.properties", e);
    }
    return p.getProperty("version");
  }
}
