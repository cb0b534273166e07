package dev.cxr.core.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One XY chart, described once and drawn as SVG by {@link #toSvg()}: a title, two axes (the x axis
 * linear or logarithmic), and marks (lines, shaded bands, points, bars, dashed vertical rules) with
 * a legend in one corner. The report inlines the SVG; the command line rasterises the same SVG to
 * PNG, so both show the same picture. Immutable; built by {@link #builder(String, Axis, Axis)}.
 */
public final class Chart {
  /** Default width of a chart, in SVG user units (pixels at scale 1). */
  public static final int WIDTH = 720;

  /** Default height of a chart, in SVG user units. */
  public static final int HEIGHT = 480;

  private static final Pattern COLOUR = Pattern.compile("#[0-9a-fA-F]{6}");

  /** The shape drawn at a point: none, a circle, a square or a diamond. */
  public enum Marker {
    /** No shape: a line alone. */
    NONE,
    /** A filled circle. */
    CIRCLE,
    /** A filled square. */
    SQUARE,
    /** A filled diamond, for the one point a chart singles out. */
    DIAMOND
  }

  /** How a line is stroked. */
  public enum Stroke {
    /** A continuous line. */
    SOLID,
    /** A dashed line, for references (chance, perfect calibration, a chosen epoch). */
    DASHED
  }

  /** The corner of the plot that holds the legend, chosen where the data leave room. */
  public enum Corner {
    /** Upper left. */
    TOP_LEFT,
    /** Upper right. */
    TOP_RIGHT,
    /** Lower left. */
    BOTTOM_LEFT,
    /** Lower right. */
    BOTTOM_RIGHT
  }

  /**
   * An axis.
   *
   * @param label the axis title
   * @param min the lower end of the range, finite
   * @param max the upper end, finite and above {@code min}
   * @param log whether the axis is logarithmic (ticks at powers of ten; {@code min} positive)
   */
  public record Axis(String label, double min, double max, boolean log) {
    /** Checks the range. */
    public Axis {
      Objects.requireNonNull(label, "label");
      if (!Double.isFinite(min) || !Double.isFinite(max) || !(max > min)) {
        throw new IllegalArgumentException(
            "axis '" + label + "' needs finite min < max but was " + min + " to " + max);
      }
      if (log && !(min > 0)) {
        throw new IllegalArgumentException(
            "logarithmic axis '" + label + "' needs a positive min but was " + min);
      }
    }

    /**
     * A linear axis.
     *
     * @param label the axis title
     * @param min the lower end
     * @param max the upper end
     * @return the axis
     */
    public static Axis linear(String label, double min, double max) {
      return new Axis(label, min, max, false);
    }

    /**
     * A logarithmic axis.
     *
     * @param label the axis title
     * @param min the lower end, positive
     * @param max the upper end
     * @return the axis
     */
    public static Axis logarithmic(String label, double min, double max) {
      return new Axis(label, min, max, true);
    }
  }

  /** A drawn thing; each kind is a record below, written out by {@link SvgWriter}. */
  sealed interface Mark permits Line, Band, Points, Bars, Rule {
    String label();

    String colour();
  }

  record Line(String label, double[] x, double[] y, String colour, Stroke stroke, Marker marker)
      implements Mark {}

  record Band(String label, double[] x, double[] lo, double[] hi, String colour) implements Mark {}

  record Points(String label, double[] x, double[] y, double[] radius, String colour, Marker marker)
      implements Mark {}

  record Bars(String label, double[] left, double[] right, double[] height, String colour)
      implements Mark {}

  record Rule(String label, double x, String colour) implements Mark {}

  private final String title;
  private final Axis x;
  private final Axis y;
  private final int width;
  private final int height;
  private final Corner legend;
  private final List<Mark> marks;

  private Chart(Builder b) {
    this.title = b.title;
    this.x = b.x;
    this.y = b.y;
    this.width = b.width;
    this.height = b.height;
    this.legend = b.legend;
    this.marks = List.copyOf(b.marks);
  }

  /**
   * Starts a chart.
   *
   * @param title the title above the plot
   * @param x the horizontal axis
   * @param y the vertical axis (linear)
   * @return a builder
   * @throws IllegalArgumentException when {@code y} is logarithmic
   */
  public static Builder builder(String title, Axis x, Axis y) {
    return new Builder(title, x, y);
  }

  /**
   * @return the title
   */
  public String title() {
    return title;
  }

  /**
   * @return the width in SVG user units
   */
  public int width() {
    return width;
  }

  /**
   * @return the height in SVG user units
   */
  public int height() {
    return height;
  }

  Axis x() {
    return x;
  }

  Axis y() {
    return y;
  }

  Corner legend() {
    return legend;
  }

  List<Mark> marks() {
    return marks;
  }

  /**
   * The chart as one standalone SVG element: every style is an attribute (no stylesheet, no script,
   * no font fetched), every text escaped, the marks clipped to the plot.
   *
   * @return the SVG markup
   */
  public String toSvg() {
    return SvgWriter.write(this);
  }

  /**
   * Collects the marks of a chart; drawn in the order added, later ones on top. A mark's label is
   * its legend entry; an empty label leaves it out of the legend.
   */
  public static final class Builder {
    private final String title;
    private final Axis x;
    private final Axis y;
    private int width = WIDTH;
    private int height = HEIGHT;
    private Corner legend = Corner.TOP_RIGHT;
    private final List<Mark> marks = new ArrayList<>();

    private Builder(String title, Axis x, Axis y) {
      this.title = Objects.requireNonNull(title, "title");
      this.x = Objects.requireNonNull(x, "x");
      this.y = Objects.requireNonNull(y, "y");
      if (y.log()) {
        throw new IllegalArgumentException("the y axis '" + y.label() + "' must be linear");
      }
    }

    /**
     * @param width width in SVG user units, 200..4000
     * @param height height in SVG user units, 150..4000
     * @return this builder
     * @throws IllegalArgumentException naming the parameter when it is out of range
     */
    public Builder size(int width, int height) {
      if (width < 200 || width > 4000) {
        throw new IllegalArgumentException("width must be in 200..4000 but was " + width);
      }
      if (height < 150 || height > 4000) {
        throw new IllegalArgumentException("height must be in 150..4000 but was " + height);
      }
      this.width = width;
      this.height = height;
      return this;
    }

    /**
     * @param corner where the legend goes (default top right)
     * @return this builder
     */
    public Builder legend(Corner corner) {
      this.legend = Objects.requireNonNull(corner, "corner");
      return this;
    }

    /**
     * A line through points in order; a non-finite coordinate breaks it.
     *
     * @param label legend text, empty for none
     * @param xs x coordinates
     * @param ys y coordinates, as many
     * @param colour {@code #rrggbb}
     * @param stroke solid or dashed
     * @param marker the shape drawn at each point, or {@link Marker#NONE}
     * @return this builder
     */
    public Builder line(
        String label, double[] xs, double[] ys, String colour, Stroke stroke, Marker marker) {
      sameLength("line '" + label + "'", xs, ys);
      marks.add(
          new Line(
              label(label),
              xs.clone(),
              ys.clone(),
              colour(colour),
              Objects.requireNonNull(stroke, "stroke"),
              Objects.requireNonNull(marker, "marker")));
      return this;
    }

    /**
     * A shaded band between two curves over the same x; points where either is not finite are left
     * out.
     *
     * @param label legend text, empty for none
     * @param xs x coordinates
     * @param lo lower curve
     * @param hi upper curve
     * @param colour {@code #rrggbb}
     * @return this builder
     */
    public Builder band(String label, double[] xs, double[] lo, double[] hi, String colour) {
      sameLength("band '" + label + "'", xs, lo, hi);
      marks.add(new Band(label(label), xs.clone(), lo.clone(), hi.clone(), colour(colour)));
      return this;
    }

    /**
     * Points without a line; a non-finite coordinate leaves its point out.
     *
     * @param label legend text, empty for none
     * @param xs x coordinates
     * @param ys y coordinates
     * @param radius each point's radius in SVG user units, positive
     * @param colour {@code #rrggbb}
     * @param marker the shape, not {@link Marker#NONE}
     * @return this builder
     */
    public Builder points(
        String label, double[] xs, double[] ys, double[] radius, String colour, Marker marker) {
      sameLength("points '" + label + "'", xs, ys, radius);
      for (int i = 0; i < radius.length; i++) {
        if (!(radius[i] > 0) || Double.isInfinite(radius[i])) {
          throw new IllegalArgumentException(
              "points '" + label + "': radius[" + i + "] must be positive but was " + radius[i]);
        }
      }
      if (Objects.requireNonNull(marker, "marker") == Marker.NONE) {
        throw new IllegalArgumentException("points '" + label + "' need a marker shape");
      }
      marks.add(
          new Points(label(label), xs.clone(), ys.clone(), radius.clone(), colour(colour), marker));
      return this;
    }

    /**
     * Bars standing on the bottom of the y range, lightly shaded; zero heights draw nothing.
     *
     * @param label legend text, empty for none
     * @param left each bar's left edge
     * @param right each bar's right edge
     * @param height each bar's height above the y axis minimum
     * @param colour {@code #rrggbb}
     * @return this builder
     */
    public Builder bars(
        String label, double[] left, double[] right, double[] height, String colour) {
      sameLength("bars '" + label + "'", left, right, height);
      marks.add(
          new Bars(label(label), left.clone(), right.clone(), height.clone(), colour(colour)));
      return this;
    }

    /**
     * A dashed vertical line across the plot, such as the epoch a run kept.
     *
     * @param label legend text, empty for none
     * @param at its x coordinate, finite
     * @param colour {@code #rrggbb}
     * @return this builder
     */
    public Builder rule(String label, double at, String colour) {
      if (!Double.isFinite(at)) {
        throw new IllegalArgumentException("rule '" + label + "' must be at a finite x: " + at);
      }
      marks.add(new Rule(label(label), at, colour(colour)));
      return this;
    }

    /**
     * @return the chart; the builder can go on to make another
     */
    public Chart build() {
      return new Chart(this);
    }

    private static String label(String label) {
      return Objects.requireNonNull(label, "label");
    }

    private static String colour(String colour) {
      if (!COLOUR.matcher(Objects.requireNonNull(colour, "colour")).matches()) {
        throw new IllegalArgumentException("colour must be #rrggbb but was '" + colour + "'");
      }
      return colour;
    }

    private static void sameLength(String what, double[]... arrays) {
      for (int i = 0; i < arrays.length; i++) {
        Objects.requireNonNull(arrays[i], what);
        if (arrays[i].length != arrays[0].length) {
          throw new IllegalArgumentException(
              what
                  + ": every array must have the same length but had "
                  + arrays[0].length
                  + " and "
                  + arrays[i].length);
        }
      }
    }
  }
}
