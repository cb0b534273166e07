package dev.cxr.phantoms;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>The multi-finding mode ({@link DemoDataBuilder#findings(String...)}) is for multi-label
 * training: every patient draws each requested finding of {@link #DRAWABLE_FINDINGS} independently
 * with {@link #findingPrevalence()}, so an image shows none, one or several, and each finding is
 * drawn large enough to be learnt at 128 px: effusion as above, cardiomegaly (a cardiothoracic
 * ratio of 0.58 to 0.70), one to three nodules of 4.9 to 7 pixels' radius at 128 px, atelectasis (a
 * plate-like band in a lower zone) and pneumothorax (a visceral pleural line over the apex and
 * lateral wall with a darker band and no lung markings beyond it), over lungs with fine markings
 * out to their periphery. {@link #findingMasks()} says where each finding of each image lies.
 *
 * <pre>{@code
 * DemoData.builder().findings("Effusion", "Cardiomegaly", "Nodule", "Pneumothorax")
 *     .findingPrevalence(0.3).images(300).build().writeTo(dir);
 * }</pre>
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

  /** Default probability of each finding in the multi-finding mode: {@value}. */
  public static final double DEFAULT_FINDING_PREVALENCE = 0.3;

  /**
   * The NIH findings the phantoms can draw, in NIH spelling and alphabetical order: Atelectasis,
   * Cardiomegaly, Effusion, Nodule, Pneumothorax.
   */
  public static final List<String> DRAWABLE_FINDINGS =
      Arrays.stream(Finding.values()).map(Finding::label).toList();

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
  private final Set<Finding> findings;
  private final double findingPrevalence;

  DemoData(DemoDataBuilder b) {
    this.labelsLike = b.labelsLike;
    this.findings = Collections.unmodifiableSet(EnumSet.copyOf(b.findings));
    this.findingPrevalence = b.findingPrevalence;
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
  public static DemoDataBuilder builder() {
    return new DemoDataBuilder();
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
   * The findings of the multi-finding mode.
   *
   * @return NIH names in alphabetical order; empty in the Effusion and labelsLike modes
   */
  public List<String> findings() {
    return names(findings);
  }

  /**
   * Probability of each finding per patient in the multi-finding mode.
   *
   * @return the findingPrevalence setting (unused outside that mode)
   */
  public double findingPrevalence() {
    return findingPrevalence;
  }

  /**
   * Writes the dataset: first the images (rendered in parallel on the common fork-join pool, each
   * written to a temporary file that is then moved into place), then the label file in the same
   * way, so a directory whose label file is present is complete. With {@link
   * DemoDataBuilder#overwrite(boolean) overwrite}, images of an earlier, larger dataset that the
   * new label file does not list are left where they are.
   *
   * @param directory the dataset directory; created if missing
   * @return counts of what was written
   * @throws FileAlreadyExistsException if the directory already holds a {@code Data_Entry_2017.csv}
   *     and overwrite is off
   * @throws NotDirectoryException if {@code directory} exists and is not a directory
   * @throws IOException if a file cannot be written
   * @throws dev.cxr.core.io.CxrDataException if a {@code labelsLike} file cannot be read
   */
  public DemoDataSummary writeTo(Path directory) throws IOException {
    return DemoWriter.write(this, directory);
  }

  /** The file {@link #writeBoxes} writes: the name of NIH's box list. */
  public static final String BOX_FILE = "BBox_List_2017.csv";

  /**
   * Writes {@value #BOX_FILE} into {@code directory}: one box per drawn finding of each image, the
   * bounding box of its {@link LesionMask}, in NIH's format and frame (the 1024 px frame of NIH's
   * PNGs, so a {@code size}-pixel phantom's boxes are multiplied by {@code 1024 / size}), so that
   * {@code cxr localize} and the report's localisation section can run on phantoms. Written
   * atomically.
   *
   * @param directory the data set's directory
   * @return the number of boxes written
   * @throws IOException if the file cannot be written
   */
  public int writeBoxes(Path directory) throws IOException {
    return BoxFile.write(findingMasks(), size(), directory.resolve(BOX_FILE));
  }

  /**
   * Where the effusion of every Effusion image of this data set lies, without writing anything: the
   * ground truth of localisation checks (the pointing game of the Grad-CAM tests).
   *
   * @return image file name (as in the label file) to its mask at {@link #size()} pixels, in file
   *     order
   * @throws dev.cxr.core.io.CxrDataException if a {@code labelsLike} file cannot be read
   */
  public Map<String, LesionMask> effusionMasks() {
    Map<String, LesionMask> out = new LinkedHashMap<>();
    masks(EnumSet.of(Finding.EFFUSION), false)
        .forEach((name, masks) -> out.put(name, masks.get(Finding.EFFUSION.label())));
    return out;
  }

  /**
   * Where each drawn finding of every image lies, without writing anything: for the localisation of
   * multi-label models (Grad-CAM against the regions). A finding's mask holds the pixels whose
   * attenuation the finding changes (see {@link LesionMask}); an image's map holds the findings its
   * phantom shows, which in the labelsLike mode may be fewer than its label names.
   *
   * @return image file name (as in the label file, every image, in file order) to finding name (NIH
   *     spelling, alphabetical; empty for No Finding) to its mask at {@link #size()} pixels
   * @throws dev.cxr.core.io.CxrDataException if a {@code labelsLike} file cannot be read
   */
  public Map<String, Map<String, LesionMask>> findingMasks() {
    return masks(EnumSet.allOf(Finding.class), true);
  }

  /**
   * The masks of the findings in {@code which}, image by image (rendered in parallel, in file
   * order), of every image or only of those that show one of them.
   */
  private Map<String, Map<String, LesionMask>> masks(Set<Finding> which, boolean everyImage) {
    List<CohortPlan.Entry> plan = plan();
    List<Map<String, LesionMask>> perImage =
        plan.parallelStream()
            .map(
                e -> {
                  Set<Finding> shown = EnumSet.noneOf(Finding.class);
                  shown.addAll(e.findings());
                  shown.retainAll(which);
                  Map<String, LesionMask> m = new LinkedHashMap<>();
                  patient(e)
                      .masks(e.followUp(), size, shown)
                      .forEach((f, mask) -> m.put(f.label(), mask));
                  return Collections.unmodifiableMap(m);
                })
            .toList();
    Map<String, Map<String, LesionMask>> out = new LinkedHashMap<>();
    for (int i = 0; i < plan.size(); i++) {
      if (everyImage || !perImage.get(i).isEmpty()) {
        out.put(plan.get(i).fileName(format), perImage.get(i));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** The images of this data set: a real file's rows, a multi-finding or an Effusion cohort. */
  List<CohortPlan.Entry> plan() {
    if (labelsLike != null) {
      return LabelsLike.plan(labelsLike, images);
    }
    if (!findings.isEmpty()) {
      return MultiFindingPlan.plan(images, findings, findingPrevalence, seed);
    }
    return CohortPlan.plan(
        images,
        positiveFraction,
        otherFindings,
        new SplittableRandom(PatientModel.mix(seed, 0, 0)));
  }

  /** The anatomy and lesions of the patient of an entry, in this data set's style. */
  PatientModel patient(CohortPlan.Entry e) {
    return new PatientModel(seed, e, difficulty, !findings.isEmpty());
  }

  /** NIH names of findings, alphabetical. */
  static List<String> names(Set<Finding> findings) {
    return findings.stream().map(Finding::label).toList();
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
        + (findings.isEmpty()
            ? ""
            : ", findings=" + findings() + ", findingPrevalence=" + findingPrevalence)
        + "]";
  }
}
