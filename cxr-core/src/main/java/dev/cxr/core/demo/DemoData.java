package dev.cxr.core.demo;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A seeded generator of synthetic chest-radiograph phantoms, written in the layout of the NIH
 * ChestX-ray14 dataset (X. Wang, Y. Peng, L. Lu, Z. Lu, M. Bagheri, R. M. Summers, "ChestX-ray8:
 * Hospital-scale Chest X-ray Database and Benchmarks on Weakly-Supervised Classification and
 * Localization of Common Thorax Diseases", IEEE CVPR 2017): a label file {@code
 * Data_Entry_2017.csv} with the official header, and 8-bit gray PNG images named {@code
 * %08d_%03d.png} (patient id, follow-up number) in {@code images/}.
 *
 * <pre>{@code
 * DemoDataSummary s = DemoData.builder().images(200).seed(1).size(256).build().writeTo(dir);
 * }</pre>
 *
 * <p>Each phantom is a posteroanterior view: body outline, lungs, mediastinum and heart, trachea,
 * spine, clavicles, ribs, pulmonary vessels, film response and noise, with anatomy, positioning and
 * exposure varied per patient. Positives ({@code Effusion}; about one in eight with a second
 * finding, e.g. {@code Cardiomegaly|Effusion}) carry a pleural effusion: fluid filling a
 * costophrenic angle under a meniscus that rises along the lateral chest wall, small to large, on
 * either or both sides. Negatives are {@code No Finding}. Optionally some images carry another
 * finding only ({@code Atelectasis}, {@code Cardiomegaly}, {@code Nodule}), which the default
 * Effusion-vs-No-Finding task leaves out. One patient in five has two images (follow-up 0 and 1)
 * with the same label, so a split must be made by patient.
 *
 * <p>Anatomy and acquisition are drawn from random streams that do not see the label, so positives
 * and negatives differ only by their findings. The output depends only on the configuration: the
 * same configuration gives byte-identical files.
 *
 * <p>Instances are immutable; build them with {@link #builder()}.
 */
public final class DemoData {

  /** Default number of images: {@value}. */
  public static final int DEFAULT_IMAGES = 200;

  /** Default seed: {@value}. */
  public static final long DEFAULT_SEED = 1L;

  /** Default image width and height in pixels: {@value}. */
  public static final int DEFAULT_SIZE = 256;

  /** Default fraction of Effusion among the Effusion / No Finding images: {@value}. */
  public static final double DEFAULT_POSITIVE_FRACTION = 0.5;

  /** Default number of images with another finding only: {@value}. */
  public static final int DEFAULT_OTHER_FINDINGS = 0;

  /** Smallest number of images: {@value}. */
  public static final int MIN_IMAGES = 4;

  /** Default lesion difficulty: the effusions as drawn, easy for a network to find. */
  public static final double DEFAULT_DIFFICULTY = 0.0;

  /** Largest number of images: {@value}. */
  public static final int MAX_IMAGES = 1_000_000;

  /** Smallest image size in pixels: {@value}. */
  public static final int MIN_SIZE = 32;

  /** Largest image size in pixels: {@value}. */
  public static final int MAX_SIZE = 2048;

  /** Name of the NIH label file: {@value}. */
  public static final String LABEL_FILE = "Data_Entry_2017.csv";

  /** Name of the image folder: {@value}. */
  public static final String IMAGE_DIRECTORY = "images";

  /**
   * The official NIH header: 9 column names, 11 comma-separated fields (two names contain a comma
   * and stand for two fields each).
   */
  public static final String CSV_HEADER =
      "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View"
          + " Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]";

  private final int images;
  private final long seed;
  private final int size;
  private final double positiveFraction;
  private final int otherFindings;
  private final boolean overwrite;
  private final ImageFormat format;
  private final double difficulty;
  private final Path labelsLike;

  private DemoData(Builder b) {
    this.labelsLike = b.labelsLike;
    this.images = b.images;
    this.seed = b.seed;
    this.size = b.size;
    this.positiveFraction = b.positiveFraction;
    this.otherFindings = b.otherFindings;
    this.overwrite = b.overwrite;
    this.format = b.format;
    this.difficulty = b.difficulty;
  }

  /**
   * A builder holding the defaults ({@value #DEFAULT_IMAGES} images, seed 1, 256 px, half
   * positive).
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Number of images.
   *
   * @return the images setting
   */
  public int images() {
    return images;
  }

  /**
   * Seed of all randomness.
   *
   * @return the seed setting
   */
  public long seed() {
    return seed;
  }

  /**
   * Image width and height in pixels.
   *
   * @return the size setting
   */
  public int size() {
    return size;
  }

  /**
   * Fraction of Effusion among the Effusion / No Finding images.
   *
   * @return the positiveFraction setting
   */
  public double positiveFraction() {
    return positiveFraction;
  }

  /**
   * Number of images with another finding only.
   *
   * @return the otherFindings setting
   */
  public int otherFindings() {
    return otherFindings;
  }

  /**
   * Whether an existing label file in the target directory may be replaced.
   *
   * @return the overwrite setting
   */
  public boolean overwrite() {
    return overwrite;
  }

  /**
   * The file format of the images.
   *
   * @return PNG (the default) or DICOM
   */
  public ImageFormat format() {
    return format;
  }

  /**
   * How subtle the effusions are, in [0, 1].
   *
   * @return the difficulty setting
   */
  public double difficulty() {
    return difficulty;
  }

  /**
   * The real label file whose rows the data set copies, if any.
   *
   * @return the file, or null for a generated cohort
   */
  public Path labelsLike() {
    return labelsLike;
  }

  /**
   * Writes the dataset: first the images (rendered in parallel on the common fork-join pool, each
   * written to a temporary file that is then moved into place), then the label file in the same
   * way, so a directory whose label file is present is complete. With {@link
   * Builder#overwrite(boolean) overwrite}, images of an earlier, larger dataset that the new label
   * file does not list are left where they are.
   *
   * @param directory the dataset directory; created if missing
   * @return counts of what was written
   * @throws FileAlreadyExistsException if the directory already holds a {@code Data_Entry_2017.csv}
   *     and overwrite is off
   * @throws NotDirectoryException if {@code directory} exists and is not a directory
   * @throws IOException if a file cannot be written
   */
  public DemoDataSummary writeTo(Path directory) throws IOException {
    return DemoWriter.write(this, directory);
  }

  /**
   * Where the effusion of every Effusion image of this data set lies, without writing anything: the
   * ground truth of localisation checks (the pointing game of the Grad-CAM tests).
   *
   * @return image file name (as in the label file) to its mask at {@link #size()} pixels, in file
   *     order
   */
  public Map<String, LesionMask> effusionMasks() {
    List<CohortPlan.Entry> plan =
        CohortPlan.plan(
            images,
            positiveFraction,
            otherFindings,
            new SplittableRandom(PatientModel.mix(seed, 0, 0)));
    Map<String, LesionMask> out = new LinkedHashMap<>();
    for (CohortPlan.Entry e : plan) {
      if (e.findings().contains(Finding.EFFUSION)) {
        out.put(
            e.fileName(format),
            new PatientModel(seed, e, difficulty).effusionMask(e.followUp(), size));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "DemoData[images="
        + images
        + ", seed="
        + seed
        + ", size="
        + size
        + ", positiveFraction="
        + positiveFraction
        + ", otherFindings="
        + otherFindings
        + ", overwrite="
        + overwrite
        + ", format="
        + format
        + ", difficulty="
        + difficulty
        + (labelsLike == null ? "" : ", labelsLike=" + labelsLike)
        + "]";
  }

  /**
   * Builder of {@link DemoData}. Each setter checks its own argument at once; {@link #build()}
   * checks the arguments together and leaves the builder unchanged, so a builder can be reused.
   */
  public static final class Builder {
    private int images = DEFAULT_IMAGES;
    private long seed = DEFAULT_SEED;
    private int size = DEFAULT_SIZE;
    private double positiveFraction = DEFAULT_POSITIVE_FRACTION;
    private int otherFindings = DEFAULT_OTHER_FINDINGS;
    private boolean overwrite;
    private ImageFormat format = ImageFormat.PNG;
    private double difficulty = DEFAULT_DIFFICULTY;
    private Path labelsLike;
    private boolean mixSet;

    private Builder() {}

    /**
     * Takes the cohort from a real NIH label file ({@code Data_Entry_2017*.csv}, plain or gzip)
     * instead of generating one: the first {@link #images(int)} rows' image names, patient ids,
     * follow-up numbers, ages, sexes and "Finding Labels" cells, written as they are. Phantoms show
     * the findings they can draw (Effusion, Cardiomegaly, Atelectasis, Nodule). Conflicts with
     * {@link #positiveFraction(double)} and {@link #otherFindings(int)}, which the file decides.
     *
     * @param file the label file
     * @return this builder
     * @throws IllegalArgumentException if the file is not a readable regular file
     */
    public Builder labelsLike(Path file) {
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
    public Builder images(int images) {
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
    public Builder seed(long seed) {
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
    public Builder size(int size) {
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
    public Builder positiveFraction(double positiveFraction) {
      if (!(positiveFraction > 0 && positiveFraction < 1)) {
        throw new IllegalArgumentException(
            "positiveFraction must be in (0, 1) but was " + positiveFraction);
      }
      this.positiveFraction = positiveFraction;
      this.mixSet = true;
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
    public Builder otherFindings(int otherFindings) {
      if (otherFindings < 0) {
        throw new IllegalArgumentException("otherFindings must be >= 0 but was " + otherFindings);
      }
      this.otherFindings = otherFindings;
      this.mixSet = true;
      return this;
    }

    /**
     * Whether an existing {@code Data_Entry_2017.csv} in the target directory may be replaced
     * (default false).
     *
     * @param overwrite true to allow replacing
     * @return this builder
     */
    public Builder overwrite(boolean overwrite) {
      this.overwrite = overwrite;
      return this;
    }

    /**
     * The file format of the images: {@link ImageFormat#PNG} (8-bit gray, the default) or {@link
     * ImageFormat#DICOM} (12-bit CR, half of the images MONOCHROME1), so that the whole pipeline
     * can be tested on DICOM without real DICOM data.
     *
     * @param format the format
     * @return this builder
     */
    public Builder format(ImageFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * How subtle the effusions are (default {@value DemoData#DEFAULT_DIFFICULTY}): at 1 they keep a
     * quarter of their height and a fifth of their density, so that a classifier has to learn for
     * more than an epoch or two (the imbalance study uses this). 0 renders the images exactly as
     * before the option existed.
     *
     * @param difficulty in [0, 1]
     * @return this builder
     * @throws IllegalArgumentException unless in [0, 1]
     */
    public Builder difficulty(double difficulty) {
      if (!(difficulty >= 0 && difficulty <= 1)) {
        throw new IllegalArgumentException("difficulty must be in [0, 1] but was " + difficulty);
      }
      this.difficulty = difficulty;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the immutable configuration
     * @throws IllegalArgumentException if fewer than {@value DemoData#MIN_IMAGES} images are left
     *     for Effusion and No Finding once the other findings are taken out
     */
    public DemoData build() {
      if (labelsLike != null && mixSet) {
        throw new IllegalArgumentException(
            "labelsLike takes the findings from "
                + labelsLike
                + "; positiveFraction and otherFindings cannot be set with it");
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
  }
}
