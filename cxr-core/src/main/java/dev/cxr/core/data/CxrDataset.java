package dev.cxr.core.data;

import dev.cxr.core.io.CxrDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The images of one data directory with their findings and patients, discovered from either of two
 * layouts (detected automatically):
 *
 * <ol>
 *   <li>NIH layout: a labels CSV ({@code Data_Entry_2017.csv}, or {@code .csv.gz}, or one given
 *       explicitly) and the images anywhere below the directory, matched by file name (the real NIH
 *       download spreads them over {@code images_001/images/} ... {@code images_012/images/}).
 *   <li>Class folders: {@code DIR/<class>/*.png} as the article's notebook stored its data; class
 *       names are matched ignoring case, spaces and underscores ({@code no_finding}, {@code No
 *       Finding}). Without a CSV the patient is the NIH file-name prefix ({@code 00000013_005.png}
 *       belongs to patient 13) when the name has that form, else the file itself.
 * </ol>
 *
 * <p>Strict by default: the first bad item raises a {@link CxrDataException} naming the file or
 * row. With {@code skipBad} each bad item is skipped and recorded in {@link #report()}. Bad items
 * include the labels file's rows (see {@link NihLabels}; an image listed in two rows is dropped
 * with all its rows, its true label being unknown) and, since images are matched by file name:
 *
 * <ul>
 *   <li>one name in two class folders ({@code Effusion/x.png}, {@code No Finding/x.png}): refused
 *       naming both folders; leniently every copy is dropped ("duplicate image");
 *   <li>one CSV row and two files of its name in different sub-folders: refused naming the row and
 *       both folders when the files differ (leniently the row is skipped, "duplicate image"); when
 *       they are byte-identical, the first by path is used and a "duplicate file" noted in {@link
 *       #report()} in both modes. The same holds for one name twice in one class folder, except
 *       that copies that differ are then different images of one label and all kept. Files that no
 *       row names are ignored.
 * </ul>
 *
 * <p>Symbolic links are followed, to files and to folders alike: the data directory, {@code
 * images/} or {@code images_001/} may each be a link to a folder elsewhere. Images keep the path
 * they were reached by, so relative names (and the data fingerprint and pixel cache that use them)
 * are the same whether the directory is given by a link or by its real path. A link to a folder
 * that holds it (a loop), a second way into a folder already read, and a link whose target does not
 * exist are each noted once in {@link #report()} (in both modes) and not followed; see {@link
 * FolderWalk}.
 */
public final class CxrDataset {
  /** Default name of the labels file in the NIH layout. */
  public static final String DEFAULT_LABELS = "Data_Entry_2017.csv";

  private static final List<String> LABEL_FILE_NAMES =
      List.of(
          "Data_Entry_2017.csv",
          "Data_Entry_2017.csv.gz",
          "Data_Entry_2017_v2020.csv",
          "Data_Entry_2017_v2020.csv.gz");
  private static final Pattern NIH_NAME = Pattern.compile("(\\d{8})_(\\d{3})\\.[A-Za-z]+");

  /** How the directory is organised. */
  public enum Layout {
    /** Labels CSV plus images found by name. */
    NIH_CSV,
    /** One sub-directory per class. */
    CLASS_FOLDERS
  }

  /**
   * One image with its labels.
   *
   * @param path the image file
   * @param patientId the patient it belongs to
   * @param findings canonical finding names ({@code [No Finding]} for a normal image)
   */
  public record Image(Path path, String patientId, Set<String> findings) {
    /**
     * @return whether the only label is "No Finding"
     */
    public boolean isNoFinding() {
      return findings.size() == 1 && findings.contains(NihLabels.NO_FINDING);
    }
  }

  private final List<Path> roots;
  private final Path root;
  private final Layout layout;
  private final Path labelsFile;
  private final List<Image> images;
  private final DataReport report;

  /** A data set over one or more directories (the first is {@link #root()}). */
  CxrDataset(
      List<Path> roots, Layout layout, Path labelsFile, List<Image> images, DataReport report) {
    this.roots = List.copyOf(roots);
    this.root = this.roots.get(0);
    this.layout = layout;
    this.labelsFile = labelsFile;
    this.images = images.stream().sorted(Comparator.comparing(Image::path)).toList();
    this.report = report;
  }

  /**
   * Discovers a data directory strictly, with the default labels file name.
   *
   * @param dir the data directory
   * @return the data set
   * @throws CxrDataException for any bad item
   */
  public static CxrDataset scan(Path dir) {
    return scan(dir, null, false);
  }

  /**
   * Discovers a data directory.
   *
   * @param dir the data directory
   * @param labels an explicit labels CSV (absolute, or relative to {@code dir}); null to look for
   *     {@code Data_Entry_2017.csv} (or {@code .csv.gz}) in {@code dir}, then class folders
   * @param skipBad skip and report bad items instead of failing on the first
   * @return the data set
   * @throws CxrDataException when the directory is missing, has neither layout, or (strict) holds a
   *     bad item
   */
  public static CxrDataset scan(Path dir, Path labels, boolean skipBad) {
    return scan(dir, labels, skipBad, new DataReport());
  }

  /**
   * Discovers a data directory, recording skipped items in a given report (which later stages of a
   * run, such as decoding, may add to).
   *
   * @param dir the data directory
   * @param labels an explicit labels CSV, or null (see {@link #scan(Path, Path, boolean)})
   * @param skipBad skip and report bad items instead of failing on the first
   * @param report where skipped items and notes go; it becomes {@link #report()}
   * @return the data set
   * @throws CxrDataException as {@link #scan(Path, Path, boolean)}
   */
  public static CxrDataset scan(Path dir, Path labels, boolean skipBad, DataReport report) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(report, "report");
    if (!Files.isDirectory(dir)) {
      Path target = FolderWalk.danglingTarget(dir);
      throw new CxrDataException(
          dir,
          target != null
              ? "data directory is a symbolic link to '" + target + "', which does not exist"
              : Files.exists(dir) ? "not a directory" : "data directory does not exist");
    }
    Path csv = labels == null ? findLabelsFile(dir) : dir.resolve(labels);
    if (csv != null) {
      if (!Files.isRegularFile(csv)) {
        throw new CxrDataException(csv, "labels file not found");
      }
      return LayoutScan.nih(dir, csv, skipBad, report);
    }
    return LayoutScan.classFolders(dir, skipBad, report);
  }

  /**
   * Discovers one or more data directories as one data set (see {@link DataFolders}): each in
   * either layout, one patient namespace (a patient id in two folders is one patient).
   *
   * @param dirs the data directories, at least one
   * @param labels an explicit labels CSV for every directory (relative to each), or null
   * @param skipBad skip and report bad items instead of failing on the first
   * @param report where skipped items go, or null for a new report
   * @return the data set
   * @throws CxrDataException as {@link #scan(Path, Path, boolean)}, or naming an image found in two
   *     directories or a directory given twice
   */
  public static CxrDataset scan(List<Path> dirs, Path labels, boolean skipBad, DataReport report) {
    return DataFolders.scan(dirs, labels, skipBad, report == null ? new DataReport() : report);
  }

  private static Path findLabelsFile(Path dir) {
    for (String name : LABEL_FILE_NAMES) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  /**
   * The patient of an image without a labels file: the NIH file-name prefix when the name has the
   * form {@code 00000013_005.png} (patient "13"), else the file name without extension, normalised
   * as a patient ID in a CSV is ({@link NihLabels#normalisePatientId}: {@code 013.png} is patient
   * "13"), so that both layouts name a patient alike.
   *
   * @param file image file
   * @return patient id
   */
  public static String patientFromName(Path file) {
    String name = file.getFileName().toString();
    Matcher m = NIH_NAME.matcher(name);
    if (m.matches()) {
      return Integer.toString(Integer.parseInt(m.group(1)));
    }
    int dot = name.lastIndexOf('.');
    return NihLabels.normalisePatientId(dot > 0 ? name.substring(0, dot) : name);
  }

  /**
   * @return the data directory (the first, when there are several)
   */
  public Path root() {
    return root;
  }

  /**
   * The deepest directory that holds every data directory: the data directory itself, or for
   * several the common ancestor that keys their pixel cache.
   *
   * @return the absolute, normalised directory
   */
  public Path commonRoot() {
    return DataFolders.commonRoot(roots);
  }

  /**
   * @return every data directory, in the order given
   */
  public List<Path> roots() {
    return roots;
  }

  /**
   * An image's name relative to its data directory, so that the data may move: {@code images/a.png}
   * with one directory, prefixed by the directory's position ({@code 2/images/a.png}) with several.
   *
   * @param image an image of this data set
   * @return the relative name, with {@code /} separators
   */
  public String relativeName(Path image) {
    return DataFolders.relativeName(roots, image);
  }

  /**
   * @return the detected layout
   */
  public Layout layout() {
    return layout;
  }

  /**
   * @return the labels file of the NIH layout, if any
   */
  public Optional<Path> labelsFile() {
    return Optional.ofNullable(labelsFile);
  }

  /**
   * @return the usable images, sorted by path
   */
  public List<Image> images() {
    return images;
  }

  /**
   * @return problems met while scanning leniently
   */
  public DataReport report() {
    return report;
  }
}
