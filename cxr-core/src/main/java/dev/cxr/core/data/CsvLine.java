package dev.cxr.core.data;

import dev.cxr.core.io.CxrDataException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict RFC 4180 field splitting of one line of a labels file: fields separated by commas, a field
 * may be quoted ({@code "a,b"}) with a quote inside written twice ({@code "say ""hi"""}). Spaces
 * around a quoted field are allowed; a carriage return outside quotes is dropped.
 *
 * <p>Malformed quoting is refused with the file and row named, never guessed at:
 *
 * <ul>
 *   <li>a quote that is never closed on its line (a quoted field may not span lines: the labels
 *       files have no line breaks inside fields, so an open quote is a typo that would otherwise
 *       swallow the rest of the line, or of the file);
 *   <li>a quote in the middle of an unquoted field ({@code ab"c});
 *   <li>text after the closing quote of a field ({@code "ab"c}).
 * </ul>
 *
 * <p>Public so that other readers of the NIH files (the bounding-box file of {@code
 * dev.cxr.core.localize.BoundingBoxes}) split lines the same way.
 */
public final class CsvLine {
  private static final int SHOWN = 40;

  private CsvLine() {}

  /**
   * Splits one line.
   *
   * @param csv the file, for messages
   * @param lineNo the 1-based line number, for messages
   * @param line the line without its line end
   * @return the fields, unquoted
   * @throws CxrDataException naming the file, row and field for malformed quoting
   */
  public static List<String> split(Path csv, long lineNo, String line) {
    List<String> out = new ArrayList<>(12);
    StringBuilder cur = new StringBuilder();
    int i = 0;
    int n = line.length();
    while (true) {
      int start = i;
      while (i < n && line.charAt(i) == ' ') {
        i++;
      }
      if (i < n && line.charAt(i) == '"') {
        int open = i;
        i++;
        boolean closed = false;
        while (i < n) {
          char c = line.charAt(i++);
          if (c != '"') {
            cur.append(c);
          } else if (i < n && line.charAt(i) == '"') {
            cur.append('"');
            i++;
          } else {
            closed = true;
            break;
          }
        }
        if (!closed) {
          throw bad(
              csv,
              lineNo,
              out.size(),
              "unterminated quote (opened at character "
                  + (open + 1)
                  + ": "
                  + shown(line.substring(open))
                  + "); a quoted field must end on its own line");
        }
        while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\r')) {
          i++;
        }
        if (i < n && line.charAt(i) != ',') {
          throw bad(
              csv,
              lineNo,
              out.size(),
              "text after the closing quote: " + shown(line.substring(open)));
        }
      } else {
        i = start;
        while (i < n && line.charAt(i) != ',') {
          char c = line.charAt(i++);
          if (c == '"') {
            throw bad(
                csv,
                lineNo,
                out.size(),
                "a quote inside an unquoted field: "
                    + shown(line.substring(start, fieldEnd(line, start)))
                    + " (quote the whole field and double the quote)");
          }
          if (c != '\r') {
            cur.append(c);
          }
        }
      }
      out.add(cur.toString());
      cur.setLength(0);
      if (i >= n) {
        return out;
      }
      i++; // the comma
    }
  }

  /**
   * Splits a data row and checks that it has its header's number of fields; a row longer than the
   * header with only empty fields beyond it (a trailing comma) is read as the header's width.
   *
   * @param csv the file, for the message
   * @param lineNo the row's line number, for the message
   * @param line the row
   * @param width the header's number of fields
   * @param expected what follows "expected N fields" in the message, e.g. {@code ", as in the
   *     header,"}
   * @param hint what follows "but found M", e.g. a likely cause; may be empty
   * @return the row's fields (at least {@code width})
   * @throws CxrDataException naming the file and row when the count is wrong
   */
  public static List<String> splitRow(
      Path csv, long lineNo, String line, int width, String expected, String hint) {
    List<String> f = split(csv, lineNo, line);
    if (f.size() != width && !onlyBlankBeyond(f, width)) {
      throw new CxrDataException(
          csv,
          lineNo,
          "expected " + width + " fields" + expected + " but found " + f.size() + hint,
          null);
    }
    return f;
  }

  private static boolean onlyBlankBeyond(List<String> fields, int width) {
    if (fields.size() < width) {
      return false;
    }
    for (int i = width; i < fields.size(); i++) {
      if (!fields.get(i).isBlank()) {
        return false;
      }
    }
    return true;
  }

  private static int fieldEnd(String line, int from) {
    int comma = line.indexOf(',', from);
    return comma < 0 ? line.length() : comma;
  }

  private static String shown(String s) {
    String t = s.length() > SHOWN ? s.substring(0, SHOWN) + "..." : s;
    return "'" + t.replace("\r", "") + "'";
  }

  private static CxrDataException bad(Path csv, long lineNo, int field, String what) {
    return new CxrDataException(csv, lineNo, "field " + (field + 1) + ": " + what, null);
  }
}
