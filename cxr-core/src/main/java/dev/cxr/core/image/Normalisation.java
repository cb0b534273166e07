package dev.cxr.core.image;

/**
 * How pixels are scaled before they reach the network. Every image is first min-max normalised to
 * [0, 1] on its own (the article's method; a constant image gives 0). Optionally the result is then
 * standardised, {@code (v - mean) / std}, with a mean and standard deviation computed on the
 * training split only (never on validation or test images).
 *
 * @param standardise whether to subtract {@code mean} and divide by {@code std} after min-max
 * @param mean mean of the min-max normalised training pixels (ignored unless standardising)
 * @param std standard deviation of the same (ignored unless standardising)
 */
public record Normalisation(boolean standardise, double mean, double std) {

  /** Per-image min-max to [0, 1] only: the article's normalisation and the default. */
  public static final Normalisation MIN_MAX = new Normalisation(false, 0, 1);

  /** Validates the statistics. */
  public Normalisation {
    if (standardise && (!(std > 0) || !Double.isFinite(std) || !Double.isFinite(mean))) {
      throw new IllegalArgumentException(
          "standardisation needs a finite mean and a positive std but got mean="
              + mean
              + " std="
              + std);
    }
  }

  /**
   * Min-max followed by standardisation with the given training statistics.
   *
   * @param mean training-split pixel mean after min-max
   * @param std training-split pixel standard deviation after min-max
   * @return the normalisation
   */
  public static Normalisation standardised(double mean, double std) {
    return new Normalisation(true, mean, std);
  }

  /**
   * Applies the standardisation step in place (min-max is done when the pixels are read).
   *
   * @param pixels min-max normalised pixels
   * @param offset first index
   * @param length number of pixels
   */
  public void applyInPlace(float[] pixels, int offset, int length) {
    if (!standardise) {
      return;
    }
    float m = (float) mean;
    float inv = (float) (1.0 / std);
    for (int i = offset; i < offset + length; i++) {
      pixels[i] = (pixels[i] - m) * inv;
    }
  }

  /**
   * @return a short human-readable description
   */
  public String describe() {
    return standardise
        ? String.format("min-max [0,1], then standardised (mean %.4f, std %.4f)", mean, std)
        : "per-image min-max to [0,1]";
  }
}
