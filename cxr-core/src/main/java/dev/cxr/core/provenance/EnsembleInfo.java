package dev.cxr.core.provenance;

import java.util.List;

/**
 * The ensemble section of a model file that averages several fold models (stored beside {@link
 * ModelInfo} as its own entry, {@value ModelFile#ENSEMBLE_ENTRY}, so a plain model has none and
 * files written before ensembles existed read as before). The ensemble's {@link ModelInfo} holds
 * the shared configuration and its out-of-fold validation; this record says what was combined.
 *
 * @param format ensemble section format ({@link #FORMAT})
 * @param combination how the members' outputs are combined
 * @param memberValidationAucs each member's AUC on its held-out fold, at its kept epoch
 * @param memberBestEpochs each member's kept epoch
 * @param memberTrainImages each member's number of training images
 * @param memberDataFingerprints each member's data fingerprint
 * @param outOfFoldAuc AUC of the pooled out-of-fold scores (each image scored only by the member
 *     that did not train on it)
 * @param outOfFoldImages number of images in the pooled out-of-fold scores
 */
public record EnsembleInfo(
    int format,
    String combination,
    List<Double> memberValidationAucs,
    List<Integer> memberBestEpochs,
    List<Integer> memberTrainImages,
    List<String> memberDataFingerprints,
    double outOfFoldAuc,
    int outOfFoldImages) {

  /** The ensemble section format this version writes and reads. */
  public static final int FORMAT = 1;

  /** The only combination so far: the mean of the members' softmax probabilities. */
  public static final String MEAN_PROBABILITY = "mean of probabilities";

  /** The most members an ensemble file may name (a bound for files from anyone). */
  public static final int MAX_MEMBERS = 64;

  /** Checks the sizes and copies the lists. */
  public EnsembleInfo {
    if (format != FORMAT) {
      throw new IllegalArgumentException(
          "ensemble format " + format + " is not supported: this version reads " + FORMAT);
    }
    if (!MEAN_PROBABILITY.equals(combination)) {
      throw new IllegalArgumentException("unknown ensemble combination '" + combination + "'");
    }
    memberValidationAucs = List.copyOf(memberValidationAucs);
    memberBestEpochs = List.copyOf(memberBestEpochs);
    memberTrainImages = List.copyOf(memberTrainImages);
    memberDataFingerprints = List.copyOf(memberDataFingerprints);
    int n = memberValidationAucs.size();
    if (n < 2 || n > MAX_MEMBERS) {
      throw new IllegalArgumentException(
          "an ensemble has 2 to " + MAX_MEMBERS + " members but this one has " + n);
    }
    if (memberBestEpochs.size() != n
        || memberTrainImages.size() != n
        || memberDataFingerprints.size() != n) {
      throw new IllegalArgumentException("the ensemble's member lists differ in length");
    }
  }

  /**
   * @return the number of members
   */
  public int members() {
    return memberValidationAucs.size();
  }
}
