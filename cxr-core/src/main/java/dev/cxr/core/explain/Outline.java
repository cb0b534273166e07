package dev.cxr.core.explain;

/**
 * A rectangle drawn over an overlay, in the pixels of the image file: a radiologist's box or one
 * that a map's warm region makes.
 *
 * @param x left edge, pixels of the image as read
 * @param y top edge
 * @param width width in pixels, positive
 * @param height height in pixels, positive
 * @param kind what it marks, which sets its colour and line
 */
public record Outline(double x, double y, double width, double height, Kind kind) {

  /** What an outline marks. */
  public enum Kind {
    /** A ground-truth box (solid white with a dark edge). */
    TRUTH,
    /** A box found in the map (dashed orange). */
    DETECTED
  }

  /** Checks the size. */
  public Outline {
    if (!(width > 0 && height > 0) || !Double.isFinite(x) || !Double.isFinite(y)) {
      throw new IllegalArgumentException(
          "outline must be finite with a positive size but was "
              + x
              + ","
              + y
              + " "
              + width
              + "x"
              + height);
    }
    java.util.Objects.requireNonNull(kind, "kind");
  }
}
