package dev.cxr.phantoms;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@link DemoData#writeTo(Path)} wrote.
 *
 * @param directory the dataset directory (holds {@code Data_Entry_2017.csv} and {@code images/})
 * @param images number of images written
 * @param patients number of distinct patients
 * @param effusion images whose labels include {@code Effusion}
 * @param noFinding images labelled exactly {@code No Finding}
 * @param otherFinding images with another finding only (neither of the two above)
 * @param labelCounts number of images per exact "Finding Labels" cell, sorted by label
 * @param size image width and height in pixels
 * @param seed the seed the data was generated from
 */
public record DemoDataSummary(
    Path directory,
    int images,
    int patients,
    int effusion,
    int noFinding,
    int otherFinding,
    Map<String, Integer> labelCounts,
    int size,
    long seed) {

  /** Checks that the counts add up and copies the label map (sorted, unmodifiable). */
  public DemoDataSummary {
    Objects.requireNonNull(directory, "directory");
    labelCounts =
        Collections.unmodifiableMap(
            new TreeMap<>(Objects.requireNonNull(labelCounts, "labelCounts")));
    if (effusion + noFinding + otherFinding != images) {
      throw new IllegalArgumentException(
          "effusion + noFinding + otherFinding must equal images but "
              + effusion
              + " + "
              + noFinding
              + " + "
              + otherFinding
              + " != "
              + images);
    }
  }

  /**
   * Path of the label file.
   *
   * @return {@code directory/Data_Entry_2017.csv}
   */
  public Path labelFile() {
    return directory.resolve(DemoData.LABEL_FILE);
  }

  /**
   * Path of the image folder.
   *
   * @return {@code directory/images}
   */
  public Path imageDirectory() {
    return directory.resolve(DemoData.IMAGE_DIRECTORY);
  }
}
