package dev.cxr.core;

import dev.cxr.core.image.Normalisation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What made a saved model, stored inside its file: versions, configuration, seed, label names,
 * image size, normalisation, augmentation, loss, a fingerprint of the training data and the
 * validation metrics of the kept (best) epoch, plus the per-epoch history.
 *
 * @param format metadata format version
 * @param libraryVersion cxr version that trained it
 * @param dl4jVersion Deeplearning4j version
 * @param labelNames output names in order
 * @param positive the positive finding
 * @param othersAsNegative other findings were kept as negatives
 * @param imageSize square input size
 * @param normalisation pixel normalisation
 * @param augmentation augmentation parameters ({@code CxrAugmentation.parameters()})
 * @param loss loss description
 * @param config all settings, as printed when training started
 * @param seed the run's seed
 * @param validationFraction validation fraction of patients
 * @param labelsFile labels file name given at training, or null
 * @param dataFingerprint SHA-256 over the training and validation files, sizes and labels
 * @param trainImages number of training images
 * @param validationImages number of validation images
 * @param bestEpoch 1-based epoch whose weights are kept (0 before any epoch)
 * @param epochsCompleted epochs trained so far (for resuming)
 * @param auc validation AUC of the kept epoch
 * @param aucLow lower 95% CI bound
 * @param aucHigh upper 95% CI bound
 * @param threshold operating threshold chosen on validation (Youden's J)
 * @param sensitivity validation sensitivity at that threshold
 * @param specificity validation specificity at that threshold
 * @param history per-epoch results
 */
public record ModelInfo(
    int format,
    String libraryVersion,
    String dl4jVersion,
    List<String> labelNames,
    String positive,
    boolean othersAsNegative,
    int imageSize,
    Normalisation normalisation,
    Map<String, Number> augmentation,
    String loss,
    Map<String, String> config,
    long seed,
    double validationFraction,
    String labelsFile,
    String dataFingerprint,
    int trainImages,
    int validationImages,
    int bestEpoch,
    int epochsCompleted,
    double auc,
    double aucLow,
    double aucHigh,
    double threshold,
    double sensitivity,
    double specificity,
    List<EpochResult> history) {

  /** Normalises number types so that metadata read back from JSON equals what was written. */
  public ModelInfo {
    Map<String, Number> aug = new LinkedHashMap<>();
    augmentation.forEach(
        (k, v) ->
            aug.put(
                k,
                v instanceof Integer || v instanceof Long || v instanceof Short
                    ? (Number) v.longValue()
                    : (Number) v.doubleValue()));
    augmentation = java.util.Collections.unmodifiableMap(aug);
    labelNames = List.copyOf(labelNames);
    config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
    history = List.copyOf(history);
  }

  /** The metadata format this version writes and reads. */
  public static final int FORMAT = 1;

  /** The Deeplearning4j version the library is built on. */
  public static final String DL4J_VERSION = "1.0.0-M2.1";

  /** @return this library's version, from the jar manifest when packaged */
  public static String currentLibraryVersion() {
    String v = ModelInfo.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  /** @return the fields as a JSON-friendly map */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", format);
    m.put("libraryVersion", libraryVersion);
    m.put("dl4jVersion", dl4jVersion);
    m.put("labelNames", labelNames);
    m.put("positive", positive);
    m.put("othersAsNegative", othersAsNegative);
    m.put("imageSize", imageSize);
    m.put("standardise", normalisation.standardise());
    m.put("normMean", normalisation.mean());
    m.put("normStd", normalisation.std());
    m.put("augmentation", augmentation);
    m.put("loss", loss);
    m.put("config", config);
    m.put("seed", seed);
    m.put("validationFraction", validationFraction);
    m.put("labelsFile", labelsFile);
    m.put("dataFingerprint", dataFingerprint);
    m.put("trainImages", trainImages);
    m.put("validationImages", validationImages);
    m.put("bestEpoch", bestEpoch);
    m.put("epochsCompleted", epochsCompleted);
    m.put("auc", auc);
    m.put("aucLow", aucLow);
    m.put("aucHigh", aucHigh);
    m.put("threshold", threshold);
    m.put("sensitivity", sensitivity);
    m.put("specificity", specificity);
    List<Map<String, Object>> h = new ArrayList<>();
    history.forEach(e -> h.add(e.toMap()));
    m.put("history", h);
    return m;
  }

  /**
   * @param m a map written by {@link #toMap()}
   * @return the metadata
   * @throws IllegalArgumentException when a field is missing or of the wrong type
   */
  @SuppressWarnings("unchecked")
  public static ModelInfo fromMap(Map<String, Object> m) {
    try {
      List<EpochResult> history = new ArrayList<>();
      for (Object o : (List<Object>) m.get("history")) {
        history.add(EpochResult.fromMap((Map<String, Object>) o));
      }
      boolean standardise = (Boolean) m.get("standardise");
      Normalisation norm =
          standardise
              ? Normalisation.standardised(d(m, "normMean"), d(m, "normStd"))
              : Normalisation.MIN_MAX;
      return new ModelInfo(
          i(m, "format"),
          (String) m.get("libraryVersion"),
          (String) m.get("dl4jVersion"),
          List.copyOf((List<String>) m.get("labelNames")),
          (String) m.get("positive"),
          (Boolean) m.get("othersAsNegative"),
          i(m, "imageSize"),
          norm,
          (Map<String, Number>) m.get("augmentation"),
          (String) m.get("loss"),
          (Map<String, String>) m.get("config"),
          ((Number) m.get("seed")).longValue(),
          d(m, "validationFraction"),
          (String) m.get("labelsFile"),
          (String) m.get("dataFingerprint"),
          i(m, "trainImages"),
          i(m, "validationImages"),
          i(m, "bestEpoch"),
          i(m, "epochsCompleted"),
          d(m, "auc"),
          d(m, "aucLow"),
          d(m, "aucHigh"),
          d(m, "threshold"),
          d(m, "sensitivity"),
          d(m, "specificity"),
          List.copyOf(history));
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("malformed model metadata: " + e.getMessage(), e);
    }
  }

  private static int i(Map<String, Object> m, String k) {
    return ((Number) m.get(k)).intValue();
  }

  private static double d(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /**
   * The same metadata with the validation metrics of the kept weights and their operating point.
   *
   * @param auc validation AUC
   * @param aucLow lower 95% CI bound
   * @param aucHigh upper 95% CI bound
   * @param threshold operating threshold chosen on validation
   * @param sensitivity validation sensitivity at that threshold
   * @param specificity validation specificity at that threshold
   * @return a new record
   */
  public ModelInfo withValidation(double auc, double aucLow, double aucHigh, double threshold,
      double sensitivity, double specificity) {
    return new ModelInfo(format, libraryVersion, dl4jVersion, labelNames, positive,
        othersAsNegative, imageSize, normalisation, augmentation, loss, config, seed,
        validationFraction, labelsFile, dataFingerprint, trainImages, validationImages, bestEpoch,
        epochsCompleted, auc, aucLow, aucHigh, threshold, sensitivity, specificity, history);
  }

  /** @return the AUC line of the kept epoch, in the same form as {@code cxr evaluate} prints */
  public String aucLine() {
    return dev.cxr.core.metrics.BinaryMetrics.formatAucLine(auc, aucLow, aucHigh);
  }
}
