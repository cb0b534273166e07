package dev.cxr.core.data;

import dev.cxr.core.io.CxrDataException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

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
   * @param patientId the patient identifier as written
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
   * Reads every row of a labels file.
   *
   * @param csv the file ({@code .gz} is decompressed)
   * @return the rows in file order
   * @throws CxrDataException naming the file and row for a missing column, a short row, an empty
   *     image name or an unknown label
   */
  public static List<Row> read(Path csv) {
    List<Row> rows = new ArrayList<>();
    read(csv, rows::add);
    return rows;
  }

  /**
   * Streams the rows of a labels file to a consumer (for the 112,120-row official file).
   *
   * @param csv the file ({@code .gz} is decompressed)
   * @param sink receives each row
   */
  public static void read(Path csv, Consumer<Row> sink) {
    read(csv, sink, null);
  }

  /**
   * Streams the rows of a labels file, handing bad rows (short rows, unknown labels, empty fields)
   * to {@code onBadRow} instead of failing, when it is not null. A missing column or an unreadable
   * file still fails.
   *
   * @param csv the file ({@code .gz} is decompressed)
   * @param sink receives each good row
   * @param onBadRow receives the error of each bad row; null to throw it
   */
  public static void read(Path csv, Consumer<Row> sink, Consumer<CxrDataException> onBadRow) {
    try (InputStream raw = Files.newInputStream(csv);
        InputStream in =
            csv.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")
                ? new GZIPInputStream(raw, 1 << 16)
                : raw;
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      String header = reader.readLine();
      if (header == null) {
        throw new CxrDataException(csv, "labels file is empty");
      }
      if (!header.isEmpty() && header.charAt(0) == '\uFEFF') {
        header = header.substring(1);
      }
      List<String> names = CsvLine.split(header);
      int image = column(csv, names, IMAGE_INDEX);
      int labels = column(csv, names, FINDING_LABELS);
      int patient = column(csv, names, PATIENT_ID);
      int needed = Math.max(image, Math.max(labels, patient)) + 1;
      String line;
      long lineNo = 1;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        try {
          sink.accept(parseRow(csv, lineNo, line, image, labels, patient, needed));
        } catch (CxrDataException e) {
          if (onBadRow == null) {
            throw e;
          }
          onBadRow.accept(e);
        }
      }
    } catch (NoSuchFileException e) {
      throw new CxrDataException(csv, "labels file not found");
    } catch (IOException e) {
      throw new CxrDataException(csv, -1, "cannot read labels file: " + e.getMessage(), e);
    }
  }

  private static Row parseRow(
      Path csv, long lineNo, String line, int image, int labels, int patient, int needed) {
    List<String> f = CsvLine.split(line);
    if (f.size() < needed) {
      throw new CxrDataException(
          csv, lineNo, "expected at least " + needed + " fields but found " + f.size(), null);
    }
    String name = f.get(image).trim();
    if (name.isEmpty()) {
      throw new CxrDataException(csv, lineNo, "empty '" + IMAGE_INDEX + "'", null);
    }
    String pid = f.get(patient).trim();
    if (pid.isEmpty()) {
      throw new CxrDataException(csv, lineNo, "empty '" + PATIENT_ID + "'", null);
    }
    return new Row(name, parseFindings(csv, lineNo, f.get(labels)), pid, lineNo);
  }

  private static Set<String> parseFindings(Path csv, long lineNo, String field) {
    Set<String> out = new LinkedHashSet<>();
    for (String part : field.split("\\|", -1)) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      String c =
          canonical(p)
              .orElseThrow(
                  () ->
                      new CxrDataException(
                          csv,
                          lineNo,
                          "unknown label '" + p + "' (expected one of " + knownLabels() + ")",
                          null));
      out.add(c);
    }
    if (out.isEmpty()) {
      throw new CxrDataException(csv, lineNo, "empty '" + FINDING_LABELS + "'", null);
    }
    if (out.size() > 1 && out.contains(NO_FINDING)) {
      throw new CxrDataException(
          csv, lineNo, "'" + NO_FINDING + "' combined with findings: " + field.trim(), null);
    }
    return Set.copyOf(out);
  }

  /**
   * @return the labels the NIH data uses, for messages
   */
  public static String knownLabels() {
    return NO_FINDING + ", " + String.join(", ", FINDINGS);
  }

  private static int column(Path csv, List<String> names, String wanted) {
    for (int i = 0; i < names.size(); i++) {
      if (key(names.get(i).trim()).equals(key(wanted))) {
        return i;
      }
    }
    throw new CxrDataException(
        csv, 1, "labels file lacks the column '" + wanted + "' (header: " + names + ")", null);
  }

  /** Minimal RFC 4180 field splitting for one line (quoted fields, doubled quotes). */
  static final class CsvLine {
    private CsvLine() {}

    static List<String> split(String line) {
      List<String> out = new ArrayList<>(12);
      StringBuilder cur = new StringBuilder();
      boolean quoted = false;
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted) {
          if (c == '"') {
            if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
              cur.append('"');
              i++;
            } else {
              quoted = false;
            }
          } else {
            cur.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          out.add(cur.toString());
          cur.setLength(0);
        } else if (c != '\r') {
          cur.append(c);
        }
      }
      out.add(cur.toString());
      return out;
    }
  }
}
