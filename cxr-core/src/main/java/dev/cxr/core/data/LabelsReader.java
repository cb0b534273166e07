package dev.cxr.core.data;

import dev.cxr.core.data.NihLabels.Row;
import dev.cxr.core.io.BoundedLineReader;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.RegularFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads and checks a labels file for {@link NihLabels}: fields split by {@link CsvLine}, each row
 * checked against the header, and images listed in two rows found once the whole file is read.
 */
final class LabelsReader {
  private LabelsReader() {}

  /**
   * As {@link NihLabels#read(Path, Consumer, Consumer)}, telling bad rows ({@link
   * NihLabels#BAD_ROW}) from images listed twice ({@link NihLabels#DUPLICATE_IMAGE}).
   *
   * @param csv the file ({@code .gz} is decompressed)
   * @param sink receives each good row, after the whole file has been read
   * @param onProblem receives each skipped problem; null to throw it
   */
  static void read(Path csv, Consumer<Row> sink, NihLabels.ProblemSink onProblem) {
    List<Row> rows = new ArrayList<>();
    Map<String, Row> first = new HashMap<>();
    Map<String, List<Row>> repeated = new LinkedHashMap<>();
    RegularFiles.require(csv, "labels file");
    try (InputStream raw = Files.newInputStream(csv);
        InputStream in =
            csv.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")
                ? new GZIPInputStream(raw, 1 << 16)
                : raw;
        BoundedLineReader reader =
            new BoundedLineReader(csv, in, BoundedLineReader.DEFAULT_MAX_LINE_BYTES)) {
      String header = reader.readLine();
      if (header == null) {
        throw new CxrDataException(csv, "labels file is empty");
      }
      if (!header.isEmpty() && header.charAt(0) == '\uFEFF') {
        header = header.substring(1);
      }
      List<String> names = CsvLine.split(csv, 1, header);
      Columns cols =
          new Columns(
              column(csv, names, NihLabels.IMAGE_INDEX),
              column(csv, names, NihLabels.FINDING_LABELS),
              column(csv, names, NihLabels.PATIENT_ID),
              names.size());
      String line;
      long lineNo = 1;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        Row row;
        try {
          row = parseRow(csv, lineNo, line, cols);
        } catch (CxrDataException e) {
          if (onProblem == null) {
            throw e;
          }
          onProblem.accept(NihLabels.BAD_ROW, e);
          continue;
        }
        rows.add(row);
        Row prev = first.putIfAbsent(row.imageIndex(), row);
        if (prev != null) {
          repeated.computeIfAbsent(row.imageIndex(), k -> new ArrayList<>(List.of(prev))).add(row);
        }
      }
    } catch (NoSuchFileException e) {
      throw new CxrDataException(csv, "labels file not found");
    } catch (IOException e) {
      throw new CxrDataException(csv, -1, "cannot read labels file: " + e.getMessage(), e);
    }
    for (List<Row> copies : repeated.values()) {
      if (onProblem == null) {
        throw new CxrDataException(csv, listedTwice(copies));
      }
      onProblem.accept(
          NihLabels.DUPLICATE_IMAGE,
          new CxrDataException(csv, listedTwice(copies) + "; all its rows dropped"));
    }
    for (Row r : rows) {
      if (!repeated.containsKey(r.imageIndex())) {
        sink.accept(r);
      }
    }
  }

  private static String listedTwice(List<Row> copies) {
    StringBuilder sb =
        new StringBuilder("image ")
            .append(copies.get(0).imageIndex())
            .append(" is listed ")
            .append(copies.size() == 2 ? "twice" : copies.size() + " times")
            .append(copies.size() == 2 ? ", in row " : ", in rows ");
    for (int i = 0; i < copies.size(); i++) {
      if (i > 0) {
        sb.append(i == copies.size() - 1 ? (copies.size() == 2 ? " and row " : " and ") : ", ");
      }
      Row r = copies.get(i);
      sb.append(r.line()).append(" (").append(String.join("|", r.findings())).append(')');
    }
    return sb.toString();
  }

  /** Where the needed columns are, and how many fields the header has. */
  private record Columns(int image, int labels, int patient, int fields) {}

  private static Row parseRow(Path csv, long lineNo, String line, Columns c) {
    List<String> f =
        CsvLine.splitRow(
            csv,
            lineNo,
            line,
            c.fields(),
            ", as in the header,",
            " (a missing or extra comma, or an unquoted comma inside a field?)");
    String name = f.get(c.image()).trim();
    if (name.isEmpty()) {
      throw new CxrDataException(csv, lineNo, "empty '" + NihLabels.IMAGE_INDEX + "'", null);
    }
    String pid = NihLabels.normalisePatientId(f.get(c.patient()));
    if (pid.isEmpty()) {
      throw new CxrDataException(csv, lineNo, "empty '" + NihLabels.PATIENT_ID + "'", null);
    }
    return new Row(name, parseFindings(csv, lineNo, f.get(c.labels())), pid, lineNo);
  }

  private static Set<String> parseFindings(Path csv, long lineNo, String field) {
    Set<String> out = new LinkedHashSet<>();
    for (String part : field.split("\\|", -1)) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      String c =
          NihLabels.canonical(p)
              .orElseThrow(
                  () ->
                      new CxrDataException(
                          csv,
                          lineNo,
                          "unknown label '"
                              + p
                              + "' (expected one of "
                              + NihLabels.knownLabels()
                              + ")",
                          null));
      out.add(c);
    }
    if (out.isEmpty()) {
      throw new CxrDataException(csv, lineNo, "empty '" + NihLabels.FINDING_LABELS + "'", null);
    }
    if (out.size() > 1 && out.contains(NihLabels.NO_FINDING)) {
      throw new CxrDataException(
          csv,
          lineNo,
          "'" + NihLabels.NO_FINDING + "' combined with findings: " + field.trim(),
          null);
    }
    return Collections.unmodifiableSet(out);
  }

  private static int column(Path csv, List<String> names, String wanted) {
    for (int i = 0; i < names.size(); i++) {
      if (NihLabels.key(names.get(i).trim()).equals(NihLabels.key(wanted))) {
        return i;
      }
    }
    throw new CxrDataException(
        csv, 1, "labels file lacks the column '" + wanted + "' (header: " + names + ")", null);
  }
}
