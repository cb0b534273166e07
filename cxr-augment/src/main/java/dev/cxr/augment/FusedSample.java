package dev.cxr.augment;

import java.util.SplittableRandom;

/**
 * The fused pipeline of one sample: the steps that fire add what they drew ({@link
 * AugmentationStep#contribute}), then {@link #render(float[])} touches the pixels as few times as
 * possible: one affine resampling for all geometric steps, one blur, one pass for brightness,
 * contrast, gamma and noise together ({@link IntensityKernel}), then the erasing.
 *
 * <p>Mutable and confined to the thread augmenting the sample. The contributions must arrive in
 * pipeline order ({@link AugmentationStep#types()}), which {@link CxrAugmentation} guarantees: the
 * tone map {@code clamp01(gain v + offset) ^ power} absorbs linear maps only before the power.
 */
final class FusedSample {
  /**
   * The stages of {@link #render(float[])}, in the order it runs them; a step's stage decides its
   * place in the pipeline order ({@link StepType#pipeline()}).
   */
  enum Stage {
    /** One affine resampling for all geometric steps. */
    GEOMETRY,
    /** The blur. */
    BLUR,
    /** The tone map {@code clamp01(gain v + offset) ^ power}. */
    TONE,
    /** Gaussian noise, in the same pass as the tone map. */
    NOISE,
    /** The erased rectangle. */
    ERASING
  }

  private final int width;
  private final int height;

  private AffineMap forward = AffineMap.IDENTITY;
  private double blurSigma = 0;
  private double gain = 1;
  private double offset = 0;
  private double power = 1;
  private double noiseSigma = 0;
  private SplittableRandom noiseRandom;
  private int[] erasure;

  FusedSample(int width, int height) {
    this.width = width;
    this.height = height;
  }

  /**
   * Augments one sample with {@code config}: each step fires with its probability, drawing from its
   * own stream, and the steps that fire are rendered together. Returns a new array, or null when
   * nothing fired or changed.
   */
  static float[] augment(
      CxrAugmentation config, float[] src, int w, int h, long epoch, long sampleIndex) {
    long s = SeedMixer.sampleSeed(config.seed(), epoch, sampleIndex);
    FusedSample sample = null;
    for (AugmentationStep step : config.steps()) {
      double p = step.fireProbability(config.probability());
      if (p > 0) {
        // every step has its own stream, so enabling one never shifts another's draws
        SplittableRandom r = SeedMixer.stream(s, step.slot());
        if (r.nextDouble() < p) {
          sample = sample != null ? sample : new FusedSample(w, h);
          step.contribute(sample, r);
        }
      }
    }
    return sample == null ? null : sample.render(src);
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  /** Appends a geometric map (pixel coordinates, forward direction) after the ones so far. */
  void transform(AffineMap next) {
    forward = forward.then(next);
  }

  /** Blurs with {@code sigma} pixels after the resampling; 0 leaves the image sharp. */
  void blur(double sigma) {
    blurSigma = sigma;
  }

  /** Follows the tone map so far with {@code v -> g v + o}. */
  void linear(double g, double o) {
    if (power != 1 || noiseRandom != null) {
      throw new IllegalStateException("a linear tone map cannot follow gamma or noise");
    }
    // written out so a lone brightness or contrast gives the same doubles as the first release
    offset = g * offset + o;
    gain = g * gain;
  }

  /** Raises the tone map so far to the power {@code gamma}. */
  void power(double gamma) {
    if (noiseRandom != null) {
      throw new IllegalStateException("gamma cannot follow noise");
    }
    power *= gamma;
  }

  /** Adds Gaussian noise of {@code sigma} drawn from {@code random} in the tone pass. */
  void noise(double sigma, SplittableRandom random) {
    noiseSigma = sigma;
    noiseRandom = random;
  }

  /** Fills the rectangle {@code {x, y, width, height}} with the image mean at the end. */
  void erase(int[] rectangle) {
    erasure = rectangle;
  }

  /** Applies everything contributed to {@code src}; a new array, or null when nothing changed. */
  float[] render(float[] src) {
    float[] buf =
        forward.isIdentity() ? null : Resampler.resample(src, width, height, forward.inverse());
    if (blurSigma > 0) {
      buf = GaussianBlur.blur(buf != null ? buf : src, width, height, blurSigma);
    }
    if (gain != 1 || offset != 0 || power != 1 || noiseRandom != null) {
      buf = buf != null ? buf : src.clone();
      IntensityKernel.apply(buf, gain, offset, power, noiseSigma, noiseRandom);
    }
    if (erasure != null) {
      buf = buf != null ? buf : src.clone();
      RandomErasing.erase(buf, width, erasure);
    }
    return buf;
  }
}
