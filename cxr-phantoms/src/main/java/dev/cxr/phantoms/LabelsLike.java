package dev.cxr.phantoms;

import dev.cxr.core.io.CxrDataException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A cohort taken from a real NIH label file ({@code Data_Entry_2017*.csv}, plain or gzip): the
 * first N rows' image names, patient ids, ages, sexes and "Finding Labels" cells, written as they
 * are (the Follow-up # column is written from the image name, with which it disagrees in the v2020
 * file), so that phantoms stand in for the real images at the real class mix and patient structure.
 * A phantom shows the findings it can draw (Effusion, Cardiomegaly, Atelectasis, Nodule); the other
 * findings are in its label only.
 */
final class LabelsLike {
  private static final String HEADER_START =
      "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender";
  private static final Pattern NAME = Pattern.compile("(\\d{8})_(\\d{3})\\.png");

  private LabelsLike() {}

  /**
   * The first {@code n} rows of a label file as a plan.
   *
   * @param file the label file
   * @param n number of rows
   * @return the plan, in file order
   * @throws CxrDataException naming the file and row when it is not an NIH label file or has fewer
   *     than {@code n} rows
   */
  static List<CohortPlan.Entry> plan(Path file, int n) {
    List<CohortPlan.Entry> out = new ArrayList<>(n);
    try (BufferedReader r = open(file)) {
      String header = r.readLine();
      if (header == null || !header.startsWith(HEADER_START)) {
        throw new CxrDataException(
            file, 1, "not an NIH label file: the header must start with " + HEADER_START, null);
      }
      int row = 1;
      String line;
      while (out.size() < n && (line = r.readLine()) != null) {
        row++;
        if (!line.isBlank()) {
          out.add(entry(file, row, line));
        }
      }
    } catch (IOException e) {
      throw new CxrDataException(file, -1, "cannot read the label file: " + e, e);
    }
    if (out.size() < n) {
      throw new CxrDataException(
          file, "has " + out.size() + " image rows, fewer than the " + n + " images asked for");
    }
    return out;
  }

  private static BufferedReader open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file));
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  private static CohortPlan.Entry entry(Path file, int row, String line) {
    String[] f = line.split(",", -1);
    if (f.length < 6) {
      throw new CxrDataException(
          file, row, "expected at least 6 fields but found " + f.length, null);
    }
    var m = NAME.matcher(f[0]);
    if (!m.matches()) {
      throw new CxrDataException(
          file, row, "image name '" + f[0] + "' is not of the NIH form 00000001_000.png", null);
    }
    try {
      int patient = Integer.parseInt(f[3].trim());
      // the image name's number, not the Follow-up # column: they differ in the v2020 file
      int followUp = Integer.parseInt(m.group(2));
      if (patient != Integer.parseInt(m.group(1))) {
        throw new CxrDataException(
            file, row, "image name " + f[0] + " disagrees with its patient id " + patient, null);
      }
      String label = f[1].trim();
      if (label.isEmpty()) {
        throw new CxrDataException(file, row, "empty Finding Labels", null);
      }
      return new CohortPlan.Entry(
          patient,
          followUp,
          drawable(label),
          Integer.parseInt(f[4].trim()),
          f[5].trim().toUpperCase(Locale.ROOT).startsWith("F"),
          label);
    } catch (NumberFormatException e) {
      throw new CxrDataException(file, row, "not a number: " + e.getMessage(), e);
    }
  }

  /**
   * The findings of a label cell that a phantom shows: the four drawn before Pneumothorax existed
   * ({@link Finding#LEGACY}), so that a real file's cohort gives the same images as before.
   */
  private static Set<Finding> drawable(String label) {
    Set<Finding> s = EnumSet.noneOf(Finding.class);
    for (String part : label.split("\\|")) {
      Finding.ofName(part).filter(Finding.LEGACY::contains).ifPresent(s::add);
    }
    return Collections.unmodifiableSet(s);
  }
}
