package dev.cxr.core.localize;

import dev.cxr.core.data.CsvLine;
import dev.cxr.core.data.NihLabels;
import dev.cxr.core.io.BoundedLineReader;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.RegularFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rows of a box file in NIH's format, read and checked for {@link BoundingBoxes} (its class
 * comment lists the checks): columns found by name in the header, each row split by {@link
 * CsvLine}, its finding made canonical and its coordinates read as plain decimals inside the frame.
 */
final class BoxFileRows {
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");

  private static final String[] COORDINATE = {"x", "y", "w", "h"};

  private BoxFileRows() {}

  /**
   * The boxes of a file, in file order.
   *
   * @param csv the file
   * @param frame the side of the square frame of the boxes
   * @return at least one box
   * @throws CxrDataException naming the file and row for unreadable or bad data
   */
  static List<TrueBox> read(Path csv, int frame) {
    List<TrueBox> rows = new ArrayList<>();
    RegularFiles.require(csv, "box file");
    try (BoundedLineReader reader =
        new BoundedLineReader(
            csv, Files.newInputStream(csv), BoundedLineReader.DEFAULT_MAX_LINE_BYTES)) {
      String header = reader.readLine();
      if (header == null) {
        throw new CxrDataException(csv, "box file is empty");
      }
      if (!header.isEmpty() && header.charAt(0) == '\uFEFF') {
        header = header.substring(1);
      }
      Columns cols = columns(csv, CsvLine.split(csv, 1, header));
      String line;
      long lineNo = 1;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (!line.isBlank()) {
          rows.add(parseRow(csv, lineNo, line, cols, frame));
        }
      }
    } catch (IOException e) {
      throw new CxrDataException(csv, -1, "cannot read box file: " + e.getMessage(), e);
    }
    if (rows.isEmpty()) {
      throw new CxrDataException(csv, "box file has a header but no boxes");
    }
    return rows;
  }

  /** Where the columns are and how many fields a row has. */
  private record Columns(int image, int finding, int[] box, int fields) {}

  private static Columns columns(Path csv, List<String> names) {
    int fields = names.size();
    while (fields > 0 && names.get(fields - 1).isBlank()) {
      fields--;
    }
    List<String> missing = new ArrayList<>();
    int image = column(names, BoundingBoxes.IMAGE_INDEX, missing);
    int finding = column(names, BoundingBoxes.FINDING_LABEL, missing);
    int[] box = new int[4];
    for (int i = 0; i < 4; i++) {
      box[i] = column(names, BoundingBoxes.BOX_COLUMNS.get(i), missing);
    }
    if (!missing.isEmpty()) {
      throw new CxrDataException(
          csv,
          1,
          "box file lacks the column"
              + (missing.size() == 1 ? " '" : "s '")
              + String.join("', '", missing)
              + "' (header: "
              + names
              + "; expected the official 'Image Index,Finding Label,Bbox [x,y,w,h]')",
          null);
    }
    return new Columns(image, finding, box, fields);
  }

  private static int column(List<String> names, String wanted, List<String> missing) {
    String key = NihLabels.key(wanted);
    for (int i = 0; i < names.size(); i++) {
      if (NihLabels.key(names.get(i).trim()).equals(key)) {
        return i;
      }
    }
    missing.add(wanted);
    return -1;
  }

  private static TrueBox parseRow(Path csv, long lineNo, String line, Columns c, int frame) {
    List<String> f =
        CsvLine.splitRow(
            csv,
            lineNo,
            line,
            c.fields(),
            " (" + BoundingBoxes.IMAGE_INDEX + ", " + BoundingBoxes.FINDING_LABEL + ", x, y, w, h)",
            "");
    String image = f.get(c.image()).trim();
    if (image.isEmpty()) {
      throw new CxrDataException(csv, lineNo, "empty '" + BoundingBoxes.IMAGE_INDEX + "'", null);
    }
    String label = f.get(c.finding()).trim();
    String finding;
    try {
      finding = BoundingBoxes.finding(label);
    } catch (IllegalArgumentException e) {
      throw new CxrDataException(
          csv,
          lineNo,
          "unknown finding '"
              + label
              + "' (expected one of "
              + NihLabels.FINDINGS
              + ", or "
              + BoundingBoxes.INFILTRATE
              + ")",
          e);
    }
    double[] v = new double[4];
    for (int i = 0; i < 4; i++) {
      v[i] = number(csv, lineNo, COORDINATE[i], f.get(c.box()[i]));
    }
    for (int i = 2; i < 4; i++) {
      if (!(v[i] > 0)) {
        throw new CxrDataException(
            csv, lineNo, COORDINATE[i] + " must be > 0 but was " + f.get(c.box()[i]).trim(), null);
      }
    }
    Box box = new Box(v[0], v[1], v[2], v[3]);
    if (box.x() >= frame || box.y() >= frame || box.right() <= 0 || box.bottom() <= 0) {
      throw new CxrDataException(
          csv,
          lineNo,
          "box "
              + box
              + " lies entirely outside the "
              + frame
              + "x"
              + frame
              + " frame of the boxes (a box file for another frame?)",
          null);
    }
    return new TrueBox(image, finding, box, lineNo);
  }

  private static double number(Path csv, long lineNo, String name, String field) {
    String t = field.trim();
    if (!DECIMAL.matcher(t).matches()) {
      throw new CxrDataException(csv, lineNo, name + " is not a decimal number: '" + t + "'", null);
    }
    double v;
    try {
      v = Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new CxrDataException(csv, lineNo, name + " is not a decimal number: '" + t + "'", e);
    }
    if (!Double.isFinite(v)) {
      throw new CxrDataException(csv, lineNo, name + " is too large: '" + t + "'", null);
    }
    return v;
  }
}
