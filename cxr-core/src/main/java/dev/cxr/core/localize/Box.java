package dev.cxr.core.localize;

import java.util.Objects;

/**
 * An axis-aligned rectangle in pixels: {@code (x, y)} its top-left corner, {@code width} and {@code
 * height} its size, covering {@code [x, x + width) x [y, y + height)}. Pixel {@code (i, j)} of an
 * image is the unit square {@code [i, i + 1) x [j, j + 1)}, so a box around columns 3 to 5 has
 * {@code x = 3, width = 3}. This is the convention of NIH's {@code BBox_List_2017.csv} ({@code x,
 * y, w, h}) as used by Wang et al. 2017 (ChestX-ray8, CVPR 2017).
 *
 * <p>The overlap measures: {@link #intersectionArea}, {@link #iou} (intersection over union) and
 * {@link #iobb} (intersection over the detected box's area, Wang et al.'s IoBB). Boxes that only
 * touch along an edge intersect in area 0.
 *
 * @param x left edge, finite
 * @param y top edge, finite
 * @param width size along x, finite and {@code > 0}
 * @param height size along y, finite and {@code > 0}
 */
public record Box(double x, double y, double width, double height) {

  /** Checks that the corner is finite and the size finite and positive. */
  public Box {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("x must be finite but was " + x);
    }
    if (!Double.isFinite(y)) {
      throw new IllegalArgumentException("y must be finite but was " + y);
    }
    if (!(Double.isFinite(width) && width > 0)) {
      throw new IllegalArgumentException("width must be finite and > 0 but was " + width);
    }
    if (!(Double.isFinite(height) && height > 0)) {
      throw new IllegalArgumentException("height must be finite and > 0 but was " + height);
    }
  }

  /**
   * @return the right edge, {@code x + width} (not inside the box)
   */
  public double right() {
    return x + width;
  }

  /**
   * @return the bottom edge, {@code y + height} (not inside the box)
   */
  public double bottom() {
    return y + height;
  }

  /**
   * @return {@code width * height}
   */
  public double area() {
    return width * height;
  }

  /**
   * The area both boxes cover.
   *
   * @param other another box
   * @return the intersection's area; 0 for disjoint boxes and for boxes that only touch
   */
  public double intersectionArea(Box other) {
    Objects.requireNonNull(other, "other");
    double w = Math.min(right(), other.right()) - Math.max(x, other.x);
    double h = Math.min(bottom(), other.bottom()) - Math.max(y, other.y);
    return w > 0 && h > 0 ? w * h : 0;
  }

  /**
   * Wang et al. 2017's IoBB, "intersection over the detected B-Box area ratio", with this box the
   * ground truth: the share of the detected box that lies inside this one. It is 1 for a detected
   * box inside the true one, however small, and is not symmetric.
   *
   * @param detected the detected box
   * @return {@code intersectionArea(detected) / detected.area()}, in {@code [0, 1]}
   */
  public double iobb(Box detected) {
    Objects.requireNonNull(detected, "detected");
    return Math.min(1.0, intersectionArea(detected) / detected.area());
  }

  /**
   * Intersection over union (the Jaccard index).
   *
   * @param other another box
   * @return {@code intersection / (area + other.area - intersection)}, in {@code [0, 1]}
   */
  public double iou(Box other) {
    double inter = intersectionArea(other);
    return Math.min(1.0, inter / (area() + other.area() - inter));
  }

  /**
   * Whether a point lies in the box: the left and top edges are inside, the right and bottom edges
   * are not ({@code x <= px < x + width} and {@code y <= py < y + height}), so that boxes tiling an
   * image claim each point once.
   *
   * @param px point's x
   * @param py point's y
   * @return whether it is inside
   */
  public boolean contains(double px, double py) {
    return px >= x && px < right() && py >= y && py < bottom();
  }

  /**
   * The Euclidean distance from a point to the nearest point of the box (edges included).
   *
   * @param px point's x
   * @param py point's y
   * @return 0 for a point inside or on an edge, otherwise the distance
   */
  public double distanceTo(double px, double py) {
    double dx = Math.max(0, Math.max(x - px, px - right()));
    double dy = Math.max(0, Math.max(y - py, py - bottom()));
    return Math.hypot(dx, dy);
  }

  /**
   * The box in a frame {@code factor} times as large (corner and size multiplied): a box in NIH's
   * 1024 px frame times 0.25 is the box in a 256 px thumbnail.
   *
   * @param factor finite and {@code > 0}
   * @return the scaled box
   */
  public Box scaled(double factor) {
    if (!(Double.isFinite(factor) && factor > 0)) {
      throw new IllegalArgumentException("factor must be finite and > 0 but was " + factor);
    }
    return scaled(factor, factor);
  }

  /**
   * The box in a frame scaled by different factors along x and y (an image resized to a new
   * aspect).
   *
   * @param sx factor for x and width, finite and {@code > 0}
   * @param sy factor for y and height, finite and {@code > 0}
   * @return the scaled box
   */
  public Box scaled(double sx, double sy) {
    if (!(Double.isFinite(sx) && sx > 0)) {
      throw new IllegalArgumentException("sx must be finite and > 0 but was " + sx);
    }
    if (!(Double.isFinite(sy) && sy > 0)) {
      throw new IllegalArgumentException("sy must be finite and > 0 but was " + sy);
    }
    return new Box(x * sx, y * sy, width * sx, height * sy);
  }
}
