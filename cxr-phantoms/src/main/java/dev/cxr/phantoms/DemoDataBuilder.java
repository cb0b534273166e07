package dev.cxr.phantoms;

import static dev.cxr.phantoms.DemoData.DEFAULT_DIFFICULTY;
import static dev.cxr.phantoms.DemoData.DEFAULT_FINDING_PREVALENCE;
import static dev.cxr.phantoms.DemoData.DEFAULT_IMAGES;
import static dev.cxr.phantoms.DemoData.DEFAULT_OTHER_FINDINGS;
import static dev.cxr.phantoms.DemoData.DEFAULT_POSITIVE_FRACTION;
import static dev.cxr.phantoms.DemoData.DEFAULT_SEED;
import static dev.cxr.phantoms.DemoData.DEFAULT_SIZE;
import static dev.cxr.phantoms.DemoData.DRAWABLE_FINDINGS;
import static dev.cxr.phantoms.DemoData.MAX_IMAGES;
import static dev.cxr.phantoms.DemoData.MAX_SIZE;
import static dev.cxr.phantoms.DemoData.MIN_IMAGES;
import static dev.cxr.phantoms.DemoData.MIN_SIZE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builder of {@link DemoData}, from {@link DemoData#builder()}. Each setter checks its own argument
 * at once; {@link #build()} checks the arguments together and leaves the builder unchanged, so a
 * builder can be reused.
 *
 * <p>Three modes: the Effusion cohort (the default: Effusion vs No Finding, optionally with {@link
 * #otherFindings(int)}), a real label file's cohort ({@link #labelsLike(Path)}), and the
 * multi-finding cohort ({@link #findings(String...)}, {@link #findingPrevalence(double)}), in which
 * each image draws each finding independently. Settings of two modes conflict in {@link #build()}.
 */
public final class DemoDataBuilder {
  int images = DEFAULT_IMAGES;
  long seed = DEFAULT_SEED;
  int size = DEFAULT_SIZE;
  double positiveFraction = DEFAULT_POSITIVE_FRACTION;
  int otherFindings = DEFAULT_OTHER_FINDINGS;
  boolean overwrite;
  ImageFormat format = ImageFormat.PNG;
  double difficulty = DEFAULT_DIFFICULTY;
  Path labelsLike;
  Set<Finding> findings = EnumSet.noneOf(Finding.class);
  double findingPrevalence = DEFAULT_FINDING_PREVALENCE;
  private boolean positiveFractionSet;
  private boolean otherFindingsSet;
  private boolean prevalenceSet;

  DemoDataBuilder() {}

  /**
   * Takes the cohort from a real NIH label file ({@code Data_Entry_2017*.csv}, plain or gzip)
   * instead of generating one: the first {@link #images(int)} rows' image names, patient ids,
   * follow-up numbers, ages, sexes and "Finding Labels" cells, written as they are. Phantoms show
   * the findings they drew before Pneumothorax was added (Effusion, Cardiomegaly, Atelectasis,
   * Nodule, in their original look), so these files stay as they were; the other findings are in
   * the labels only. Conflicts with {@link #positiveFraction(double)} and {@link
   * #otherFindings(int)}, which the file decides, and with {@link #findings(String...)}.
   *
   * @param file the label file
   * @return this builder
   * @throws IllegalArgumentException if the file is not a readable regular file
   */
  public DemoDataBuilder labelsLike(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException("labelsLike: not a readable file: " + file);
    }
    this.labelsLike = file;
    return this;
  }

  /**
   * Total number of images, other findings included (default {@value DemoData#DEFAULT_IMAGES}).
   *
   * @param images the number of images
   * @return this builder
   * @throws IllegalArgumentException unless in [{@value DemoData#MIN_IMAGES}, {@value
   *     DemoData#MAX_IMAGES}]
   */
  public DemoDataBuilder images(int images) {
    if (images < MIN_IMAGES || images > MAX_IMAGES) {
      throw new IllegalArgumentException(
          "images must be in [" + MIN_IMAGES + ", " + MAX_IMAGES + "] but was " + images);
    }
    this.images = images;
    return this;
  }

  /**
   * Seed of all randomness (default {@value DemoData#DEFAULT_SEED}); any value is valid.
   *
   * @param seed the seed
   * @return this builder
   */
  public DemoDataBuilder seed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * Image width and height in pixels (default {@value DemoData#DEFAULT_SIZE}).
   *
   * @param size width and height in pixels
   * @return this builder
   * @throws IllegalArgumentException unless in [{@value DemoData#MIN_SIZE}, {@value
   *     DemoData#MAX_SIZE}]
   */
  public DemoDataBuilder size(int size) {
    if (size < MIN_SIZE || size > MAX_SIZE) {
      throw new IllegalArgumentException(
          "size must be in [" + MIN_SIZE + ", " + MAX_SIZE + "] pixels but was " + size);
    }
    this.size = size;
    return this;
  }

  /**
   * Fraction of Effusion among the Effusion / No Finding images (default {@value
   * DemoData#DEFAULT_POSITIVE_FRACTION}); the count is rounded and kept to at least one image of
   * each class.
   *
   * @param positiveFraction the fraction, strictly between 0 and 1
   * @return this builder
   * @throws IllegalArgumentException unless strictly between 0 and 1
   */
  public DemoDataBuilder positiveFraction(double positiveFraction) {
    if (!(positiveFraction > 0 && positiveFraction < 1)) {
      throw new IllegalArgumentException(
          "positiveFraction must be in (0, 1) but was " + positiveFraction);
    }
    this.positiveFraction = positiveFraction;
    this.positiveFractionSet = true;
    return this;
  }

  /**
   * Number of images with another finding only (Atelectasis, Cardiomegaly or Nodule; default
   * {@value DemoData#DEFAULT_OTHER_FINDINGS}), which the Effusion-vs-No-Finding task excludes.
   *
   * @param otherFindings the number of other-finding images, at least 0
   * @return this builder
   * @throws IllegalArgumentException if negative
   */
  public DemoDataBuilder otherFindings(int otherFindings) {
    if (otherFindings < 0) {
      throw new IllegalArgumentException("otherFindings must be >= 0 but was " + otherFindings);
    }
    this.otherFindings = otherFindings;
    this.otherFindingsSet = true;
    return this;
  }

  /**
   * Whether an existing {@code Data_Entry_2017.csv} in the target directory may be replaced
   * (default false).
   *
   * @param overwrite true to allow replacing
   * @return this builder
   */
  public DemoDataBuilder overwrite(boolean overwrite) {
    this.overwrite = overwrite;
    return this;
  }

  /**
   * The file format of the images: {@link ImageFormat#PNG} (8-bit gray, the default) or {@link
   * ImageFormat#DICOM} (12-bit CR, half of the images MONOCHROME1), so that the whole pipeline can
   * be tested on DICOM without real DICOM data.
   *
   * @param format the format
   * @return this builder
   */
  public DemoDataBuilder format(ImageFormat format) {
    this.format = Objects.requireNonNull(format, "format");
    return this;
  }

  /**
   * How subtle the effusions are (default {@value DemoData#DEFAULT_DIFFICULTY}): at 1 they keep a
   * quarter of their height and a fifth of their density, so that a classifier has to learn for
   * more than an epoch or two (the imbalance study uses this). 0 renders the images exactly as
   * before the option existed. In the multi-finding mode every finding gets subtler in the same way
   * (see {@link LesionStyle#sample} and {@link Pneumothorax}), the effusions exactly so.
   *
   * @param difficulty in [0, 1]
   * @return this builder
   * @throws IllegalArgumentException unless in [0, 1]
   */
  public DemoDataBuilder difficulty(double difficulty) {
    if (!(difficulty >= 0 && difficulty <= 1)) {
      throw new IllegalArgumentException("difficulty must be in [0, 1] but was " + difficulty);
    }
    this.difficulty = difficulty;
    return this;
  }

  /**
   * Switches to the multi-finding mode: every image draws each of these findings independently with
   * {@link #findingPrevalence(double)}, so it shows none, one or several of them, and the label
   * file carries NIH multi-label cells ({@code Effusion|Nodule}, or {@code No Finding}). Conflicts
   * with {@link #labelsLike(Path)}, {@link #positiveFraction(double)} and {@link
   * #otherFindings(int)}, which belong to the other modes.
   *
   * @param names NIH finding names, matched ignoring case and surrounding spaces; each one of
   *     {@link DemoData#DRAWABLE_FINDINGS}, at least one, none twice
   * @return this builder
   * @throws IllegalArgumentException naming {@code findings} and the bad name when a name is not
   *     one the phantoms can draw, or is repeated, or when there is none
   */
  public DemoDataBuilder findings(String... names) {
    return findings(Arrays.asList(Objects.requireNonNull(names, "names")));
  }

  /**
   * The multi-finding mode with the findings of a list; see {@link #findings(String...)}.
   *
   * @param names NIH finding names, e.g. {@link DemoData#DRAWABLE_FINDINGS} for all of them
   * @return this builder
   * @throws IllegalArgumentException as {@link #findings(String...)}
   */
  public DemoDataBuilder findings(List<String> names) {
    Objects.requireNonNull(names, "names");
    if (names.isEmpty()) {
      throw new IllegalArgumentException(
          "findings must name at least one of " + DRAWABLE_FINDINGS + " but was empty");
    }
    Set<Finding> chosen = EnumSet.noneOf(Finding.class);
    for (String name : names) {
      Objects.requireNonNull(name, "findings element");
      Finding f =
          Finding.ofName(name)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "findings: the phantoms cannot draw '"
                              + name
                              + "'; they draw "
                              + DRAWABLE_FINDINGS));
      if (!chosen.add(f)) {
        throw new IllegalArgumentException("findings names '" + name + "' twice");
      }
    }
    this.findings = chosen;
    return this;
  }

  /**
   * Probability that an image of the multi-finding mode shows each of its findings (default {@value
   * DemoData#DEFAULT_FINDING_PREVALENCE}): the same for every finding, drawn independently per
   * patient, so with k findings a fraction {@code (1 - p)^k} of the images is No Finding. Needs
   * {@link #findings(String...)}.
   *
   * @param prevalence the probability, strictly between 0 and 1
   * @return this builder
   * @throws IllegalArgumentException unless strictly between 0 and 1
   */
  public DemoDataBuilder findingPrevalence(double prevalence) {
    if (!(prevalence > 0 && prevalence < 1)) {
      throw new IllegalArgumentException(
          "findingPrevalence must be in (0, 1) but was " + prevalence);
    }
    this.findingPrevalence = prevalence;
    this.prevalenceSet = true;
    return this;
  }

  /**
   * Builds the configuration.
   *
   * @return the immutable configuration
   * @throws IllegalArgumentException if fewer than {@value DemoData#MIN_IMAGES} images are left for
   *     Effusion and No Finding once the other findings are taken out, or if settings of two modes
   *     are combined (the message names both)
   */
  public DemoData build() {
    if (labelsLike != null && (positiveFractionSet || otherFindingsSet)) {
      throw new IllegalArgumentException(
          "labelsLike takes the findings from "
              + labelsLike
              + "; positiveFraction and otherFindings cannot be set with it");
    }
    if (!findings.isEmpty()) {
      String other = conflictWithFindings();
      if (other != null) {
        throw new IllegalArgumentException(
            "findings "
                + DemoData.names(findings)
                + " (the multi-finding mode) cannot be combined with "
                + other
                + ", which belongs to the "
                + (other.equals("labelsLike") ? "real label file's" : "Effusion")
                + " cohort");
      }
    } else if (prevalenceSet) {
      throw new IllegalArgumentException(
          "findingPrevalence is for the multi-finding mode: set findings(...) with it");
    }
    if (images - otherFindings < MIN_IMAGES) {
      throw new IllegalArgumentException(
          "otherFindings must leave at least "
              + MIN_IMAGES
              + " images for Effusion and No Finding but images = "
              + images
              + " and otherFindings = "
              + otherFindings);
    }
    return new DemoData(this);
  }

  /** The first setting of another mode that was set, or null. */
  private String conflictWithFindings() {
    if (labelsLike != null) {
      return "labelsLike";
    }
    if (positiveFractionSet) {
      return "positiveFraction";
    }
    return otherFindingsSet ? "otherFindings" : null;
  }
}
