package dev.cxr.augment;

/**
 * A 2-D affine map in pixel coordinates: {@code x' = a x + b y + c}, {@code y' = d x + e y + f}.
 * Pixel {@code (x, y)} is the centre of column {@code x}, row {@code y}; {@code y} grows downwards.
 * Geometric transforms build their forward maps from these factories, {@link CxrAugmentation}
 * composes them with {@link #then(AffineMap)} and the {@link Resampler} samples the input through
 * the inverse, once.
 *
 * <p>Package-private on purpose: it can express right-angle rotations and flips, which the public
 * API must not offer.
 */
final class AffineMap {
  static final AffineMap IDENTITY = new AffineMap(1, 0, 0, 0, 1, 0);

  final double a;
  final double b;
  final double c;
  final double d;
  final double e;
  final double f;

  AffineMap(double a, double b, double c, double d, double e, double f) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    this.e = e;
    this.f = f;
  }

  /** Centre x of an image of the given width, in pixel-centre coordinates. */
  static double centreX(int width) {
    return (width - 1) / 2.0;
  }

  /** Centre y of an image of the given height, in pixel-centre coordinates. */
  static double centreY(int height) {
    return (height - 1) / 2.0;
  }

  /**
   * Rotation about {@code (cx, cy)}; positive angles turn the picture counter-clockwise as
   * displayed (y down).
   */
  static AffineMap rotationAbout(double cx, double cy, double radians) {
    double cos = Math.cos(radians);
    double sin = Math.sin(radians);
    // x' - cx =  cos (x - cx) + sin (y - cy);  y' - cy = -sin (x - cx) + cos (y - cy)
    return new AffineMap(cos, sin, cx - cos * cx - sin * cy, -sin, cos, cy + sin * cx - cos * cy);
  }

  /** Uniform scaling by {@code s} about {@code (cx, cy)}; {@code s > 1} enlarges the content. */
  static AffineMap scaleAbout(double cx, double cy, double s) {
    return new AffineMap(s, 0, cx - s * cx, 0, s, cy - s * cy);
  }

  /** Translation by {@code (tx, ty)} pixels. */
  static AffineMap translation(double tx, double ty) {
    return new AffineMap(1, 0, tx, 0, 1, ty);
  }

  /** Mirror about the vertical line {@code x = cx} (a horizontal flip). */
  static AffineMap mirrorX(double cx) {
    return new AffineMap(-1, 0, 2 * cx, 0, 1, 0);
  }

  /** The map that applies this one first, then {@code next}. */
  AffineMap then(AffineMap next) {
    return new AffineMap(
        next.a * a + next.b * d,
        next.a * b + next.b * e,
        next.a * c + next.b * f + next.c,
        next.d * a + next.e * d,
        next.d * b + next.e * e,
        next.d * c + next.e * f + next.f);
  }

  /** The inverse map. */
  AffineMap inverse() {
    double det = a * e - b * d;
    if (det == 0 || !Double.isFinite(det)) {
      throw new IllegalStateException("affine map is not invertible: " + this);
    }
    double ia = e / det;
    double ib = -b / det;
    double id = -d / det;
    double ie = a / det;
    return new AffineMap(ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f));
  }

  boolean isIdentity() {
    return a == 1 && b == 0 && c == 0 && d == 0 && e == 1 && f == 0;
  }

  @Override
  public String toString() {
    return "AffineMap[" + a + ", " + b + ", " + c + "; " + d + ", " + e + ", " + f + "]";
  }
}
