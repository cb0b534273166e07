package dev.cxr.core.provenance;

import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.PatientSplit;
import dev.cxr.core.data.Sample;
import dev.cxr.core.io.CxrDataException;
import java.util.List;

/**
 * The patient-level split of a training run, drawn or rebuilt in exactly one place: the split of a
 * plain run ({@code PatientSplit.trainValidation} at the configuration's fraction and seed) or of a
 * cross-validation fold ({@code PatientSplit.kFold} at the fold's count and seed, part {@code index
 * - 1}). Training draws it here, and {@code evaluate --split validation}, {@code calibrate} and the
 * report's "is this the training data" check rebuild it here, so a fold model is never judged on
 * the split of a plain run.
 */
public final class TrainingSplit {
  private TrainingSplit() {}

  /**
   * The split of a run.
   *
   * @param config the run's settings (fraction and seed of a plain run)
   * @param fold the cross-validation fold, or null for a plain run
   * @param samples every labelled sample of the data
   * @return the split
   */
  public static PatientSplit of(PipelineConfig config, Fold fold, List<Sample> samples) {
    return fold == null
        ? PatientSplit.trainValidation(samples, config.validationFraction(), config.seed())
        : PatientSplit.kFold(samples, fold.count(), fold.seed()).get(fold.index() - 1);
  }

  /**
   * The split of a saved model's training run, rebuilt.
   *
   * @param info the model's metadata
   * @param samples every labelled sample of the data
   * @return the split
   */
  public static PatientSplit of(ModelInfo info, List<Sample> samples) {
    return of(info.config(), info.fold(), samples);
  }

  /**
   * Whether the data is the model's training data: the rebuilt split has the recorded fingerprint.
   *
   * @param info the model's metadata
   * @param ds the scanned data
   * @param samples its labelled samples under the model's task
   * @return true for the training data
   */
  public static boolean isTrainingData(ModelInfo info, CxrDataset ds, List<Sample> samples) {
    try {
      return DataFingerprint.of(ds, of(info, samples)).equals(info.dataFingerprint());
    } catch (CxrDataException e) {
      return false; // the split cannot even be drawn here (e.g. a class missing): other data
    }
  }

  /**
   * The validation part of the model's training run (the held-out fold of a fold model).
   *
   * @param info the model's metadata
   * @param ds the scanned data
   * @param samples its labelled samples under the model's task
   * @return the validation samples
   * @throws CxrDataException naming the data when it is not the training data
   */
  public static List<Sample> validation(ModelInfo info, CxrDataset ds, List<Sample> samples) {
    if (!isTrainingData(info, ds, samples)) {
      throw new CxrDataException(
          ds.root(),
          "not the data this model was trained on (its fingerprint differs), so the validation"
              + " split of its training run cannot be rebuilt here; use --split all");
    }
    return of(info, samples).validation();
  }
}
