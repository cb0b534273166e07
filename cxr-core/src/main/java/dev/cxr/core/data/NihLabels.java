package dev.cxr.core.data;

import dev.cxr.core.io.CxrDataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The NIH ChestX-ray14 labels file ({@code Data_Entry_2017.csv}, plain or {@code .csv.gz}) and the
 * vocabulary of its {@code Finding Labels} column.
 *
 * <p>The official header has 9 names but 11 comma-separated fields, because two names contain
 * commas ({@code OriginalImage[Width,Height]}); split naively, the header gives 11 tokens that line
 * up with the 11 fields of every row, which is how columns are located here. Also accepted: the
 * older variant with a trailing empty column, quoted fields, a UTF-8 byte-order mark and CRLF line
 * ends. Findings are '|'-separated.
 *
 * <p>The file is untrusted input, refused with the file and row named (or, leniently, the row
 * skipped and reported): a row whose number of fields differs from the header's (trailing empty
 * fields aside), malformed quoting (a quote left open at the end of its line: quoted fields may not
 * span lines; a quote inside an unquoted field; text after a closing quote), an empty image name or
 * patient, an unknown label, "No Finding" with findings, and an image listed in two rows, whatever
 * their labels (both rows and both label sets are named). Patient IDs are normalised ({@link
 * #normalisePatientId}) so that {@code 13} and {@code 00000013} are one patient.
 *
 * <p>Reference: Wang X, Peng Y, Lu L, Lu Z, Bagheri M, Summers RM. ChestX-ray8: Hospital-scale
 * Chest X-ray Database and Benchmarks on Weakly-Supervised Classification and Localization of
 * Common Thorax Diseases. IEEE CVPR 2017.
 */
public final class NihLabels {
  /** The label of an image with no finding. */
  public static final String NO_FINDING = "No Finding";

  /** The 14 NIH ChestX-ray14 findings, in the order used for multi-label targets. */
  public static final List<String> FINDINGS =
      List.of(
          "Atelectasis",
          "Cardiomegaly",
          "Effusion",
          "Infiltration",
          "Mass",
          "Nodule",
          "Pneumonia",
          "Pneumothorax",
          "Consolidation",
          "Edema",
          "Emphysema",
          "Fibrosis",
          "Pleural_Thickening",
          "Hernia");

  /** Column names this library needs. */
  public static final String IMAGE_INDEX = "Image Index";

  /** Column holding the '|'-separated findings. */
  public static final String FINDING_LABELS = "Finding Labels";

  /** Column holding the patient identifier. */
  public static final String PATIENT_ID = "Patient ID";

  private static final Map<String, String> CANONICAL = new LinkedHashMap<>();

  static {
    for (String f : FINDINGS) {
      CANONICAL.put(key(f), f);
    }
    CANONICAL.put(key(NO_FINDING), NO_FINDING);
  }

  private NihLabels() {}

  /**
   * One row of the labels file.
   *
   * @param imageIndex the image file name, e.g. {@code 00000013_005.png}
   * @param findings canonical finding names; {@code [No Finding]} for a normal image
   * @param patientId the patient identifier, normalised by {@link #normalisePatientId}
   * @param line 1-based line number in the file
   */
  public record Row(String imageIndex, Set<String> findings, String patientId, long line) {
    /**
     * @return whether the row's only label is "No Finding"
     */
    public boolean isNoFinding() {
      return findings.size() == 1 && findings.contains(NO_FINDING);
    }
  }

  /**
   * The canonical spelling of a label, matched ignoring case, spaces and underscores.
   *
   * @param label a label as written in a CSV or a folder name
   * @return the canonical name, or empty when the label is not an NIH label
   */
  public static Optional<String> canonical(String label) {
    return Optional.ofNullable(CANONICAL.get(key(label)));
  }

  /**
   * Normalises a name for matching: lower case, without spaces, underscores and dashes.
   *
   * @param s a name
   * @return the matching key
   */
  public static String key(String s) {
    return s.toLowerCase(Locale.ROOT).replace(" ", "").replace("_", "").replace("-", "");
  }

  /**
   * The one spelling of a patient identifier, so that {@code 13}, {@code 013} and {@code 00000013}
   * are one patient: NIH patient IDs are integers, so the leading zeros of an all-digit ID are
   * dropped ({@code 0000} becomes {@code 0}); any other ID is kept as written, trimmed.
   *
   * @param raw an identifier as written in a CSV or taken from a file name
   * @return the normalised identifier
   */
  public static String normalisePatientId(String raw) {
    String t = raw.trim();
    if (t.isEmpty()) {
      return t;
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return t;
      }
    }
    int z = 0;
    while (z < t.length() - 1 && t.charAt(z) == '0') {
      z++;
    }
    return t.substring(z);
  }

  /**
   * Reads every row of a labels file.
   *
   * @param csv the file ({@code .gz} is decompressed)
   * @return the rows in file order
   * @throws CxrDataException naming the file and row for a missing column, a row whose number of
   *     fields differs from the header's, malformed quoting, an empty image name or patient, an
   *     unknown label, or an image listed in two rows
   */
  public static List<Row> read(Path csv) {
    List<Row> rows = new ArrayList<>();
    read(csv, rows::add);
    return rows;
  }

  /**
   * Reads the rows of a labels file and hands them to a consumer, in file order, once the whole
   * file has been read and checked (an image listed twice is only known at the end).
   *
   * @param csv the file ({@code .gz} is decompressed)
   * @param sink receives each row
   * @throws CxrDataException as {@link #read(Path)}
   */
  public static void read(Path csv, Consumer<Row> sink) {
    read(csv, sink, null);
  }

  /**
   * Reads the rows of a labels file, handing bad rows (wrong number of fields, malformed quoting,
   * unknown labels, empty fields) to {@code onBadRow} instead of failing, when it is not null. An
   * image listed in two or more rows is then dropped with all its rows, since its true label is
   * unknown, and reported once. A missing column or an unreadable file still fails.
   *
   * @param csv the file ({@code .gz} is decompressed)
   * @param sink receives each good row
   * @param onBadRow receives the error of each bad row; null to throw it
   */
  public static void read(Path csv, Consumer<Row> sink, Consumer<CxrDataException> onBadRow) {
    LabelsReader.read(csv, sink, onBadRow == null ? null : (kind, e) -> onBadRow.accept(e));
  }

  /** Receives a skipped problem: its kind for {@link DataReport} and the error. */
  interface ProblemSink {
    void accept(String kind, CxrDataException e);
  }

  /** Kind of a row that cannot be used. */
  static final String BAD_ROW = "bad row";

  /** Kind of an image listed in two rows, or found in two class folders. */
  static final String DUPLICATE_IMAGE = "duplicate image";

  /**
   * @return the labels the NIH data uses, for messages
   */
  public static String knownLabels() {
    return NO_FINDING + ", " + String.join(", ", FINDINGS);
  }
}
