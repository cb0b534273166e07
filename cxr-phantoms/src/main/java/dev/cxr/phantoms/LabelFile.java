package dev.cxr.phantoms;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The NIH label file ({@value DemoData#LABEL_FILE}) of a planned cohort, with the label counts the
 * summary reports. Built in one pass over the plan so the counts always match the file.
 */
final class LabelFile {

  /** Field of view of a phantom in millimetres (an NIH film: 2560 pixels of 0.143 mm). */
  private static final double FIELD_OF_VIEW_MM = 366.08;

  private final byte[] bytes;
  private final Map<String, Integer> labelCounts = new TreeMap<>();
  private int effusion;
  private int noFinding;

  /**
   * Formats the label file: the official header, then one row per image in plan order. The pixel
   * spacing is chosen so that every image covers the same field of view as an NIH film.
   *
   * @param plan the images, in the order they are listed
   * @param size width and height of the images in pixels
   */
  LabelFile(List<CohortPlan.Entry> plan, int size, ImageFormat format) {
    StringBuilder csv = new StringBuilder(DemoData.CSV_HEADER).append('\n');
    String spacing = String.format(Locale.ROOT, "%.3f", FIELD_OF_VIEW_MM / size);
    for (CohortPlan.Entry e : plan) {
      String label = e.label();
      csv.append(e.fileName(format))
          .append(',')
          .append(label)
          .append(',')
          .append(e.followUp())
          .append(',')
          .append(e.patientId())
          .append(',')
          .append(e.age())
          .append(',')
          .append(e.female() ? 'F' : 'M')
          .append(",PA,")
          .append(size)
          .append(',')
          .append(size)
          .append(',')
          .append(spacing)
          .append(',')
          .append(spacing)
          .append('\n');
      labelCounts.merge(label, 1, Integer::sum);
      if (e.findings().contains(Finding.EFFUSION)) {
        effusion++;
      } else if (label.equals(Finding.NO_FINDING)) {
        noFinding++;
      }
    }
    this.bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The file's content, UTF-8. */
  byte[] bytes() {
    return bytes;
  }

  /** Number of images per label string (e.g. {@code Cardiomegaly|Effusion}), sorted by label. */
  Map<String, Integer> labelCounts() {
    return labelCounts;
  }

  /** Number of images with Effusion, alone or with another finding. */
  int effusion() {
    return effusion;
  }

  /** Number of images labelled No Finding. */
  int noFinding() {
    return noFinding;
  }
}
