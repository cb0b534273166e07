package dev.cxr.core.localize;

import java.util.Objects;

/**
 * One row of a bounding-box file such as NIH's {@code BBox_List_2017.csv}: a radiologist's box
 * around one finding on one image (Wang et al. 2017, ChestX-ray8, CVPR 2017).
 *
 * @param image the image's file name as written in the file, e.g. {@code 00013118_008.png}
 * @param finding the canonical NIH finding name ({@link BoundingBoxes#finding(String)}: the box
 *     file's {@code Infiltrate} becomes {@code Infiltration}, the name the image labels use)
 * @param box the box, in the frame it was read in or scaled to
 * @param row the 1-based line of the file it was read from (the header is line 1)
 */
public record TrueBox(String image, String finding, Box box, long row) {

  /** Checks the fields and canonicalises the finding's name. */
  public TrueBox {
    Objects.requireNonNull(image, "image");
    if (image.isBlank()) {
      throw new IllegalArgumentException("image must not be blank");
    }
    finding = BoundingBoxes.finding(Objects.requireNonNull(finding, "finding"));
    Objects.requireNonNull(box, "box");
    if (row < 1) {
      throw new IllegalArgumentException("row must be >= 1 but was " + row);
    }
  }

  /**
   * The same row with its box in a frame scaled by {@code sx} along x and {@code sy} along y.
   *
   * @param sx factor for x and width, finite and {@code > 0}
   * @param sy factor for y and height, finite and {@code > 0}
   * @return the scaled row
   */
  public TrueBox scaled(double sx, double sy) {
    return new TrueBox(image, finding, box.scaled(sx, sy), row);
  }
}
