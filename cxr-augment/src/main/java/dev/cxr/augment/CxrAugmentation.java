package dev.cxr.augment;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * An immutable, thread-safe augmentation configuration for chest radiographs, and the fused
 * pipeline that applies it.
 *
 * <pre>{@code
 * CxrAugmentation aug = CxrAugmentation.builder()
 *     .rotation(10).zoom(0.9, 1.1).brightness(0.1).probability(0.5).seed(42).build();
 * float[] augmented = aug.apply(pixels, 256, 256, epoch, sampleIndex);
 * }</pre>
 *
 * <p>It follows the chest-X-ray-restricted augmentation of the article "Detecting anomalies in
 * X-ray using CNN" (NIH ChestX-ray14, Effusion vs No Finding; {@link #seedArticle()} reproduces
 * its notebook) and extends it with the transforms of {@link #medicalSafe()}.
 *
 * <p><b>Medical safety.</b> A radiograph has a fixed orientation, the heart is on the patient's
 * left and findings have a side, so vertical flips and right-angle rotations are not offered at
 * all, rotation is limited to 30 degrees, zoom to [0.5, 2] and translation to 20% of the image;
 * larger values are rejected with an {@link IllegalArgumentException} naming the parameter and
 * value. A horizontal flip exists only as the opt-in {@link Builder#horizontalFlipUnsafe(double)}
 * and is off in every preset.
 *
 * <p><b>Pipeline.</b> Each enabled transform fires independently with {@link #probability()}
 * (the flip with its own probability). The geometric transforms that fire (flip, rotation, zoom,
 * translation, in that order) are composed into one affine map and the image is resampled once,
 * bilinearly with replicated borders; then blur; then brightness, contrast and gamma fused into
 * one per-pixel pass (clamped to [0, 1]); then Gaussian noise (clamped); then random erasing.
 * Each transform's result equals that of its {@link ImageTransform} class applied alone with the
 * same random stream, except that the fused geometric and intensity steps round and clamp once.
 *
 * <p><b>Determinism.</b> The random stream of every transform of every sample is derived from
 * (seed, epoch, sample index, transform) by the SplitMix64 mix (Steele et al. 2014), so a sample
 * gets the same augmentation whatever the number of threads or the order of the calls, and
 * enabling one transform does not change the draws of another. There is no global generator and
 * no time-based seed; the default seed is {@value #DEFAULT_SEED}.
 *
 * <p>Instances are immutable and thread-safe, compare by value, serialise, and {@link
 * #describe()} lists every parameter (cxr-core stores it with saved models).
 */
public final class CxrAugmentation implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The seed used when none is given. */
  public static final long DEFAULT_SEED = 42;

  /** The per-transform probability used when none is given (the article's 0.5). */
  public static final double DEFAULT_PROBABILITY = 0.5;

  // Random-stream slots: fixed forever, so a saved seed reproduces the same augmentation.
  private static final int SLOT_FLIP = 0;
  private static final int SLOT_ROTATION = 1;
  private static final int SLOT_ZOOM = 2;
  private static final int SLOT_TRANSLATION = 3;
  private static final int SLOT_BLUR = 4;
  private static final int SLOT_BRIGHTNESS = 5;
  private static final int SLOT_CONTRAST = 6;
  private static final int SLOT_GAMMA = 7;
  private static final int SLOT_NOISE = 8;
  private static final int SLOT_ERASING = 9;

  /** The seed of every sample's random streams. */
  private final long seed;
  /** Probability that each enabled transform fires. */
  private final double probability;
  /** Largest rotation in degrees; 0 is off. */
  private final double rotationDegrees;
  /** Smallest zoom factor. */
  private final double zoomMin;
  /** Largest zoom factor; [1, 1] is off. */
  private final double zoomMax;
  /** Largest shift as a fraction of the image size; 0 is off. */
  private final double translationFraction;
  /** Largest brightness shift; 0 is off. */
  private final double brightnessDelta;
  /** Largest deviation of the contrast factor from 1; 0 is off. */
  private final double contrastDelta;
  /** Smallest gamma. */
  private final double gammaMin;
  /** Largest gamma; [1, 1] is off. */
  private final double gammaMax;
  /** Standard deviation of the Gaussian noise; 0 is off. */
  private final double noiseSigma;
  /** Largest blur sigma in pixels; 0 is off. */
  private final double blurMaxSigma;
  /** Largest erased fraction of the image; 0 is off. */
  private final double erasingMaxArea;
  /** Probability of the opt-in horizontal flip; 0 is off. */
  private final double horizontalFlipProbability;

  // Derived, rebuilt on deserialisation by readResolve(); null when disabled.
  private final transient Rotation rotation;
  private final transient Zoom zoom;
  private final transient Translation translation;
  private final transient GaussianBlur blur;
  private final transient Brightness brightness;
  private final transient Contrast contrast;
  private final transient Gamma gamma;
  private final transient GaussianNoise noise;
  private final transient RandomErasing erasing;

  private CxrAugmentation(Builder b) {
    this.seed = b.seed;
    this.probability = b.probability;
    this.rotationDegrees = b.rotationDegrees;
    this.zoomMin = b.zoomMin;
    this.zoomMax = b.zoomMax;
    this.translationFraction = b.translationFraction;
    this.brightnessDelta = b.brightnessDelta;
    this.contrastDelta = b.contrastDelta;
    this.gammaMin = b.gammaMin;
    this.gammaMax = b.gammaMax;
    this.noiseSigma = b.noiseSigma;
    this.blurMaxSigma = b.blurMaxSigma;
    this.erasingMaxArea = b.erasingMaxArea;
    this.horizontalFlipProbability = b.horizontalFlipProbability;
    this.rotation = rotationDegrees == 0 ? null : Rotation.upTo(rotationDegrees);
    this.zoom = zoomMin == 1 && zoomMax == 1 ? null : Zoom.between(zoomMin, zoomMax);
    this.translation = translationFraction == 0 ? null : Translation.upTo(translationFraction);
    this.blur = blurMaxSigma == 0 ? null : GaussianBlur.upTo(blurMaxSigma);
    this.brightness = brightnessDelta == 0 ? null : Brightness.upTo(brightnessDelta);
    this.contrast = contrastDelta == 0 ? null : Contrast.upTo(contrastDelta);
    this.gamma = gammaMin == 1 && gammaMax == 1 ? null : Gamma.between(gammaMin, gammaMax);
    this.noise = noiseSigma == 0 ? null : GaussianNoise.withSigma(noiseSigma);
    this.erasing = erasingMaxArea == 0 ? null : RandomErasing.upTo(erasingMaxArea);
  }

  /**
   * Starts a configuration with every transform off, probability {@value #DEFAULT_PROBABILITY} and
   * seed {@value #DEFAULT_SEED}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * No augmentation: {@link #apply(GrayImage, long, long)} returns its input. For validation and
   * test splits.
   *
   * @return the identity configuration
   */
  public static CxrAugmentation none() {
    return builder().build();
  }

  /**
   * Exactly the article's notebook: a rotation within +-10 degrees applied with probability 0.5;
   * no shifts, no zoom, no flips, no intensity changes.
   *
   * @return the preset, seed {@value #DEFAULT_SEED}
   */
  public static CxrAugmentation seedArticle() {
    return builder().rotation(10).probability(0.5).build();
  }

  /**
   * A richer default that keeps every anatomical fact a reader relies on. Each transform fires
   * with probability 0.5:
   *
   * <ul>
   *   <li>rotation within +-10 degrees (the article's range): patient tilt on the detector;
   *   <li>zoom in [0.9, 1.1]: body habitus and source-to-detector distance vary by about this
   *       much, and the lung bases (where effusions collect) stay in the picture;
   *   <li>translation up to 5% of the image on each axis: positioning, again keeping the
   *       costophrenic angles in view;
   *   <li>brightness +-0.1, contrast factor in [0.9, 1.1], gamma in [0.8, 1.25]: exposure, tube
   *       voltage and the look-up tables of different vendors, while 0 and 1 stay fixed under
   *       gamma and a fluid meniscus stays visible;
   *   <li>Gaussian noise with sigma 0.01 (1% of the range): quantum noise at lower dose, small
   *       enough not to mask fine pleural lines.
   * </ul>
   *
   * <p>Not included: any flip (the heart and the side of findings would move), blur (it erases
   * the fine lines a model should learn) and random erasing (it can hide the labelled finding and
   * so turn positives into mislabelled negatives).
   *
   * @return the preset, seed {@value #DEFAULT_SEED}
   */
  public static CxrAugmentation medicalSafe() {
    return builder()
        .rotation(10)
        .zoom(0.9, 1.1)
        .translation(0.05)
        .brightness(0.1)
        .contrast(0.1)
        .gamma(0.8, 1.25)
        .noise(0.01)
        .probability(0.5)
        .build();
  }

  /**
   * Rebuilds a configuration from {@link #parameters()}, e.g. read back from a saved model.
   * Missing keys keep the builder defaults; every value is validated as by the builder.
   *
   * @param parameters numbers keyed by the names {@link #parameters()} uses
   * @return the configuration
   * @throws IllegalArgumentException for an unknown key or a value out of range
   */
  public static CxrAugmentation fromParameters(Map<String, ? extends Number> parameters) {
    Objects.requireNonNull(parameters, "parameters");
    Builder b = builder();
    Map<String, Double> d = new java.util.HashMap<>();
    for (Map.Entry<String, ? extends Number> e : parameters.entrySet()) {
      Objects.requireNonNull(e.getValue(), e.getKey());
      switch (e.getKey()) {
        case "seed" -> b.seed(e.getValue().longValue());
        case "probability", "rotation", "zoomMin", "zoomMax", "translation", "brightness",
            "contrast", "gammaMin", "gammaMax", "noise", "blur", "randomErasing",
            "horizontalFlipUnsafe" -> d.put(e.getKey(), e.getValue().doubleValue());
        default -> throw new IllegalArgumentException(
            "unknown augmentation parameter '" + e.getKey() + "'");
      }
    }
    d.forEach(
        (k, v) -> {
          switch (k) {
            case "probability" -> b.probability(v);
            case "rotation" -> b.rotation(v);
            case "translation" -> b.translation(v);
            case "brightness" -> b.brightness(v);
            case "contrast" -> b.contrast(v);
            case "noise" -> b.noise(v);
            case "blur" -> b.blur(v);
            case "randomErasing" -> b.randomErasing(v);
            case "horizontalFlipUnsafe" -> b.horizontalFlipUnsafe(v);
            default -> { } // pairs below
          }
        });
    b.zoom(d.getOrDefault("zoomMin", b.zoomMin), d.getOrDefault("zoomMax", b.zoomMax));
    b.gamma(d.getOrDefault("gammaMin", b.gammaMin), d.getOrDefault("gammaMax", b.gammaMax));
    return b.build();
  }

  /**
   * A builder holding this configuration's values.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.seed = seed;
    b.probability = probability;
    b.rotationDegrees = rotationDegrees;
    b.zoomMin = zoomMin;
    b.zoomMax = zoomMax;
    b.translationFraction = translationFraction;
    b.brightnessDelta = brightnessDelta;
    b.contrastDelta = contrastDelta;
    b.gammaMin = gammaMin;
    b.gammaMax = gammaMax;
    b.noiseSigma = noiseSigma;
    b.blurMaxSigma = blurMaxSigma;
    b.erasingMaxArea = erasingMaxArea;
    b.horizontalFlipProbability = horizontalFlipProbability;
    return b;
  }

  /**
   * This configuration with another seed.
   *
   * @param newSeed the seed
   * @return a new configuration, equal to this one except for the seed
   */
  public CxrAugmentation withSeed(long newSeed) {
    return toBuilder().seed(newSeed).build();
  }

  /**
   * Augments one image. Pure: the result depends only on this configuration, the image, {@code
   * epoch} and {@code sampleIndex}, so calls may run on any thread in any order.
   *
   * @param image the input, normally in [0, 1]; never changed
   * @param epoch the training epoch (a new epoch draws new augmentations)
   * @param sampleIndex a stable index of the sample in the training set
   * @return the augmented image, or {@code image} itself when no transform fired
   */
  public GrayImage apply(GrayImage image, long epoch, long sampleIndex) {
    Objects.requireNonNull(image, "image");
    float[] out = augment(image.data(), image.width(), image.height(), epoch, sampleIndex);
    return out == null ? image : GrayImage.wrap(image.width(), image.height(), out);
  }

  /**
   * Augments one image given in cxr-core's layout: {@code width * height} row-major floats.
   *
   * @param pixels the input, normally in [0, 1]; never changed
   * @param width width in pixels
   * @param height height in pixels
   * @param epoch the training epoch
   * @param sampleIndex a stable index of the sample in the training set
   * @return a new array (a copy of the input when no transform fired)
   * @throws IllegalArgumentException when {@code pixels.length != width * height}
   */
  public float[] apply(float[] pixels, int width, int height, long epoch, long sampleIndex) {
    Objects.requireNonNull(pixels, "pixels");
    GrayImage.checkShape(width, height, pixels.length);
    float[] out = augment(pixels, width, height, epoch, sampleIndex);
    return out == null ? pixels.clone() : out;
  }

  /** The fused pipeline; returns a new array, or null when nothing changed. */
  private float[] augment(float[] src, int w, int h, long epoch, long sampleIndex) {
    long s = SeedMixer.sampleSeed(seed, epoch, sampleIndex);

    AffineMap forward = AffineMap.IDENTITY;
    if (horizontalFlipProbability > 0) {
      SplittableRandom r = SeedMixer.stream(s, SLOT_FLIP);
      if (r.nextDouble() < horizontalFlipProbability) {
        forward = forward.then(HorizontalFlip.forward(w));
      }
    }
    SplittableRandom r;
    if ((r = fire(rotation, s, SLOT_ROTATION)) != null) {
      forward = forward.then(rotation.sampleForward(r, w, h));
    }
    if ((r = fire(zoom, s, SLOT_ZOOM)) != null) {
      forward = forward.then(zoom.sampleForward(r, w, h));
    }
    if ((r = fire(translation, s, SLOT_TRANSLATION)) != null) {
      forward = forward.then(translation.sampleForward(r, w, h));
    }
    float[] buf = forward.isIdentity() ? null : Resampler.resample(src, w, h, forward.inverse());

    if ((r = fire(blur, s, SLOT_BLUR)) != null) {
      double sigma = blur.sampleSigma(r);
      if (sigma > 0) {
        buf = GaussianBlur.blur(buf != null ? buf : src, w, h, sigma);
      }
    }

    // brightness then contrast: v -> c (v + b - 0.5) + 0.5 = gain v + offset
    double gain = 1;
    double offset = 0;
    double power = 1;
    if ((r = fire(brightness, s, SLOT_BRIGHTNESS)) != null) {
      offset = brightness.sampleDelta(r);
    }
    if ((r = fire(contrast, s, SLOT_CONTRAST)) != null) {
      double c = contrast.sampleFactor(r);
      gain = c;
      offset = c * offset + 0.5 * (1 - c);
    }
    if ((r = fire(gamma, s, SLOT_GAMMA)) != null) {
      power = gamma.sampleGamma(r);
    }
    SplittableRandom noiseRandom = fire(noise, s, SLOT_NOISE);
    if (gain != 1 || offset != 0 || power != 1 || noiseRandom != null) {
      buf = buf != null ? buf : src.clone();
      // intensity map and noise in one pass
      double sigma = noiseRandom == null ? 0 : noise.sigma();
      IntensityKernel.apply(buf, gain, offset, power, sigma, noiseRandom);
    }

    if ((r = fire(erasing, s, SLOT_ERASING)) != null) {
      int[] rect = erasing.sampleRectangle(r, w, h);
      if (rect != null) {
        buf = buf != null ? buf : src.clone();
        RandomErasing.erase(buf, w, rect);
      }
    }
    return buf;
  }

  /** The transform's stream if it is enabled and fires for this sample, otherwise null. */
  private SplittableRandom fire(ImageTransform t, long sampleSeed, int slot) {
    if (t == null || probability == 0) {
      return null;
    }
    SplittableRandom r = SeedMixer.stream(sampleSeed, slot);
    return r.nextDouble() < probability ? r : null;
  }

  /**
   * The enabled transforms in pipeline order (the horizontal flip, when opted in, is not an
   * {@link ImageTransform} offered publicly and is reported by {@link
   * #horizontalFlipProbability()} instead).
   *
   * @return an immutable list, empty for {@link #none()}
   */
  public List<ImageTransform> transforms() {
    ImmutableList.Builder<ImageTransform> b = ImmutableList.builder();
    for (ImageTransform t :
        new ImageTransform[] {
          rotation, zoom, translation, blur, brightness, contrast, gamma, noise, erasing
        }) {
      if (t != null) {
        b.add(t);
      }
    }
    return b.build();
  }

  /**
   * Returns the seed.
   *
   * @return the seed
   */
  public long seed() {
    return seed;
  }

  /**
   * Returns the probability with which each enabled transform fires.
   *
   * @return a probability in [0, 1]
   */
  public double probability() {
    return probability;
  }

  /**
   * Returns the probability of the opt-in horizontal flip; 0 unless {@link
   * Builder#horizontalFlipUnsafe(double)} was called.
   *
   * @return a probability in [0, 1]
   */
  public double horizontalFlipProbability() {
    return horizontalFlipProbability;
  }

  /**
   * Every parameter by name, in a fixed order: {@code seed} (a Long) and the Doubles {@code
   * probability, rotation, zoomMin, zoomMax, translation, brightness, contrast, gammaMin,
   * gammaMax, noise, blur, randomErasing, horizontalFlipUnsafe}. {@link
   * #fromParameters(Map)} reads it back.
   *
   * @return an immutable, ordered map
   */
  public Map<String, Number> parameters() {
    return ImmutableMap.<String, Number>builder()
        .put("seed", seed)
        .put("probability", probability)
        .put("rotation", rotationDegrees)
        .put("zoomMin", zoomMin)
        .put("zoomMax", zoomMax)
        .put("translation", translationFraction)
        .put("brightness", brightnessDelta)
        .put("contrast", contrastDelta)
        .put("gammaMin", gammaMin)
        .put("gammaMax", gammaMax)
        .put("noise", noiseSigma)
        .put("blur", blurMaxSigma)
        .put("randomErasing", erasingMaxArea)
        .put("horizontalFlipUnsafe", horizontalFlipProbability)
        .build();
  }

  /**
   * Lists every parameter on one line, e.g. {@code CxrAugmentation{seed=42, probability=0.5,
   * rotation=10, zoom=[1, 1], ...}}.
   *
   * @return the description
   */
  public String describe() {
    return "CxrAugmentation{seed=" + seed
        + ", probability=" + Checks.fmt(probability)
        + ", rotation=" + Checks.fmt(rotationDegrees)
        + ", zoom=[" + Checks.fmt(zoomMin) + ", " + Checks.fmt(zoomMax) + "]"
        + ", translation=" + Checks.fmt(translationFraction)
        + ", brightness=" + Checks.fmt(brightnessDelta)
        + ", contrast=" + Checks.fmt(contrastDelta)
        + ", gamma=[" + Checks.fmt(gammaMin) + ", " + Checks.fmt(gammaMax) + "]"
        + ", noise=" + Checks.fmt(noiseSigma)
        + ", blur=" + Checks.fmt(blurMaxSigma)
        + ", randomErasing=" + Checks.fmt(erasingMaxArea)
        + ", horizontalFlipUnsafe=" + Checks.fmt(horizontalFlipProbability)
        + "}";
  }

  /**
   * Same as {@link #describe()}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return describe();
  }

  /**
   * Two configurations are equal when all parameters, the seed included, are equal.
   *
   * @param o the other object
   * @return whether {@code o} is an equal configuration
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof CxrAugmentation other && parameters().equals(other.parameters());
  }

  /**
   * Hash of all parameters, consistent with {@link #equals(Object)}.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return parameters().hashCode();
  }

  /**
   * Re-validates and rebuilds the derived transforms after deserialisation.
   *
   * @return an equal, fully built configuration
   */
  private Object readResolve() {
    return toBuilder().build();
  }

  /**
   * Builds a {@link CxrAugmentation}. Every setter validates its argument at once and throws an
   * {@link IllegalArgumentException} naming the parameter and the bad value; {@link #build()}
   * never changes the builder, so one builder can build several configurations.
   *
   * <p>Defaults, all in one place: every transform off (rotation 0, zoom [1, 1], translation 0,
   * brightness 0, contrast 0, gamma [1, 1], noise 0, blur 0, random erasing 0, horizontal flip
   * 0), probability {@value CxrAugmentation#DEFAULT_PROBABILITY}, seed {@value
   * CxrAugmentation#DEFAULT_SEED}.
   */
  public static final class Builder {
    private long seed = DEFAULT_SEED;
    private double probability = DEFAULT_PROBABILITY;
    private double rotationDegrees = 0;
    private double zoomMin = 1;
    private double zoomMax = 1;
    private double translationFraction = 0;
    private double brightnessDelta = 0;
    private double contrastDelta = 0;
    private double gammaMin = 1;
    private double gammaMax = 1;
    private double noiseSigma = 0;
    private double blurMaxSigma = 0;
    private double erasingMaxArea = 0;
    private double horizontalFlipProbability = 0;

    private Builder() {}

    /**
     * Rotation by up to {@code maxDegrees} either way; see {@link Rotation}.
     *
     * @param maxDegrees in [0, 30]; 0 turns it off
     * @return this builder
     * @throws IllegalArgumentException naming {@code rotation} when out of range
     */
    public Builder rotation(double maxDegrees) {
      Rotation.upTo(maxDegrees);
      this.rotationDegrees = maxDegrees;
      return this;
    }

    /**
     * Zoom by a factor in {@code [min, max]}; see {@link Zoom}.
     *
     * @param min smallest factor, in [0.5, 2]
     * @param max largest factor, in [0.5, 2], at least {@code min}; {@code (1, 1)} turns it off
     * @return this builder
     * @throws IllegalArgumentException naming {@code zoom} when out of range
     */
    public Builder zoom(double min, double max) {
      Zoom.between(min, max);
      this.zoomMin = min;
      this.zoomMax = max;
      return this;
    }

    /**
     * Translation by up to {@code maxFraction} of the image size on each axis; see {@link
     * Translation}.
     *
     * @param maxFraction in [0, 0.2]; 0 turns it off
     * @return this builder
     * @throws IllegalArgumentException naming {@code translation} when out of range
     */
    public Builder translation(double maxFraction) {
      Translation.upTo(maxFraction);
      this.translationFraction = maxFraction;
      return this;
    }

    /**
     * Brightness shift of up to {@code maxDelta}; see {@link Brightness}.
     *
     * @param maxDelta in [0, 0.5]; 0 turns it off
     * @return this builder
     * @throws IllegalArgumentException naming {@code brightness} when out of range
     */
    public Builder brightness(double maxDelta) {
      Brightness.upTo(maxDelta);
      this.brightnessDelta = maxDelta;
      return this;
    }

    /**
     * Contrast factor within {@code 1 +- maxDelta}; see {@link Contrast}.
     *
     * @param maxDelta in [0, 0.5]; 0 turns it off
     * @return this builder
     * @throws IllegalArgumentException naming {@code contrast} when out of range
     */
    public Builder contrast(double maxDelta) {
      Contrast.upTo(maxDelta);
      this.contrastDelta = maxDelta;
      return this;
    }

    /**
     * Gamma in {@code [min, max]}; see {@link Gamma}.
     *
     * @param min smallest gamma, in [0.5, 2]
     * @param max largest gamma, in [0.5, 2], at least {@code min}; {@code (1, 1)} turns it off
     * @return this builder
     * @throws IllegalArgumentException naming {@code gamma} when out of range
     */
    public Builder gamma(double min, double max) {
      Gamma.between(min, max);
      this.gammaMin = min;
      this.gammaMax = max;
      return this;
    }

    /**
     * Additive Gaussian noise of standard deviation {@code sigma}; see {@link GaussianNoise}.
     *
     * @param sigma in [0, 0.2]; 0 turns it off
     * @return this builder
     * @throws IllegalArgumentException naming {@code noise} when out of range
     */
    public Builder noise(double sigma) {
      GaussianNoise.withSigma(sigma);
      this.noiseSigma = sigma;
      return this;
    }

    /**
     * Gaussian blur with sigma up to {@code maxSigma} pixels; see {@link GaussianBlur}.
     *
     * @param maxSigma in [0, 3]; 0 turns it off
     * @return this builder
     * @throws IllegalArgumentException naming {@code blur} when out of range
     */
    public Builder blur(double maxSigma) {
      GaussianBlur.upTo(maxSigma);
      this.blurMaxSigma = maxSigma;
      return this;
    }

    /**
     * Random erasing of up to {@code maxArea} of the image; see {@link RandomErasing}.
     *
     * @param maxArea in [0, 0.4]; 0 turns it off
     * @return this builder
     * @throws IllegalArgumentException naming {@code randomErasing} when out of range
     */
    public Builder randomErasing(double maxArea) {
      RandomErasing.upTo(maxArea);
      this.erasingMaxArea = maxArea;
      return this;
    }

    /**
     * The probability with which each enabled transform fires, independently of the others.
     *
     * @param p in [0, 1]
     * @return this builder
     * @throws IllegalArgumentException naming {@code probability} when out of range
     */
    public Builder probability(double p) {
      this.probability = Checks.inRange("probability", p, 0, 1, "");
      return this;
    }

    /**
     * The seed from which every sample's random stream is derived.
     *
     * @param seed any value
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * <strong>Unsafe for chest radiographs; off by default and in every preset.</strong> Mirrors
     * the image left to right with probability {@code p}. A mirrored chest film shows the heart
     * on the right (dextrocardia, a rare real condition), moves every lateralised finding to the
     * other side and reverses the side marker, so a model trained on flips learns a world that
     * does not exist and can no longer tell the side of a finding. Use it only for tasks that are
     * provably symmetric and after reading this. Vertical flips and right-angle rotations are not
     * offered at all.
     *
     * @param p probability of the flip, in [0, 1]; 0 turns it off
     * @return this builder
     * @throws IllegalArgumentException naming {@code horizontalFlipUnsafe} when out of range
     */
    public Builder horizontalFlipUnsafe(double p) {
      this.horizontalFlipProbability = Checks.inRange("horizontalFlipUnsafe", p, 0, 1, "");
      return this;
    }

    /**
     * Builds the configuration; the builder is left unchanged.
     *
     * @return a new immutable configuration
     */
    public CxrAugmentation build() {
      return new CxrAugmentation(this);
    }
  }
}
