package dev.cxr.core.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small XY chart written as inline SVG (vector, so it prints sharply, and no script or font is
 * fetched): axes with ticks, lines (NaN breaks a line), a shaded band, points, a vertical marker
 * line and a legend. Every text is escaped.
 */
final class SvgChart {
  private static final int W = 640;
  private static final int H = 400;
  private static final int LEFT = 62;
  private static final int RIGHT = 16;
  private static final int TOP = 34;
  private static final int BOTTOM = 52;

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final double x0;
  private final double x1;
  private final double y0;
  private final double y1;
  private final StringBuilder body = new StringBuilder();
  private final List<String[]> legend = new ArrayList<>(); // colour, dash, text

  SvgChart(String title, String xLabel, String yLabel, double x0, double x1, double y0, double y1) {
    if (!(x1 > x0) || !(y1 > y0)) {
      throw new IllegalArgumentException("empty axis range");
    }
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.x0 = x0;
    this.x1 = x1;
    this.y0 = y0;
    this.y1 = y1;
  }

  private double px(double x) {
    return LEFT + (x - x0) / (x1 - x0) * (W - LEFT - RIGHT);
  }

  private double py(double y) {
    return H - BOTTOM - (y - y0) / (y1 - y0) * (H - TOP - BOTTOM);
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  SvgChart line(double[] x, double[] y, String colour, boolean dashed, String label) {
    StringBuilder d = new StringBuilder();
    boolean pen = false;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
        pen = false;
        continue;
      }
      d.append(pen ? " L" : " M").append(f(px(x[i]))).append(' ').append(f(py(y[i])));
      pen = true;
    }
    body.append("<path fill=\"none\" stroke=\"")
        .append(colour)
        .append("\" stroke-width=\"2\"")
        .append(dashed ? " stroke-dasharray=\"6 4\"" : "")
        .append(" d=\"")
        .append(d.toString().trim())
        .append("\"/>\n");
    if (label != null) {
      legend.add(new String[] {colour, dashed ? "6 4" : "", label});
    }
    return this;
  }

  SvgChart band(double[] x, double[] lo, double[] hi, String colour, String label) {
    StringBuilder d = new StringBuilder();
    int n = 0;
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(lo[i]) && Double.isFinite(hi[i])) {
        d.append(n++ == 0 ? "M" : " L").append(f(px(x[i]))).append(' ').append(f(py(hi[i])));
      }
    }
    for (int i = x.length - 1; i >= 0; i--) {
      if (Double.isFinite(lo[i]) && Double.isFinite(hi[i])) {
        d.append(" L").append(f(px(x[i]))).append(' ').append(f(py(lo[i])));
      }
    }
    if (n > 0) {
      body.append("<path fill=\"")
          .append(colour)
          .append("\" fill-opacity=\"0.18\" stroke=\"none\" d=\"")
          .append(d)
          .append(" Z\"/>\n");
      if (label != null) {
        legend.add(new String[] {colour, "band", label});
      }
    }
    return this;
  }

  SvgChart points(double[] x, double[] y, double[] radius, String colour, String label) {
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
        body.append("<circle cx=\"")
            .append(f(px(x[i])))
            .append("\" cy=\"")
            .append(f(py(y[i])))
            .append("\" r=\"")
            .append(f(radius[i]))
            .append("\" fill=\"")
            .append(colour)
            .append("\" stroke=\"#fff\" stroke-width=\"1\"/>\n");
      }
    }
    if (label != null) {
      legend.add(new String[] {colour, "dot", label});
    }
    return this;
  }

  SvgChart bars(double[] left, double[] right, double[] height, String colour, String label) {
    for (int i = 0; i < left.length; i++) {
      if (height[i] > 0) {
        double top = py(y0 + height[i]);
        body.append("<rect x=\"")
            .append(f(px(left[i]) + 1))
            .append("\" y=\"")
            .append(f(top))
            .append("\" width=\"")
            .append(f(px(right[i]) - px(left[i]) - 2))
            .append("\" height=\"")
            .append(f(py(y0) - top))
            .append("\" fill=\"")
            .append(colour)
            .append("\" fill-opacity=\"0.35\"/>\n");
      }
    }
    if (label != null) {
      legend.add(new String[] {colour, "band", label});
    }
    return this;
  }

  SvgChart vline(double x, String colour, String label) {
    return line(new double[] {x, x}, new double[] {y0, y1}, colour, true, label);
  }

  String toSvg() {
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(W)
        .append(' ')
        .append(H)
        .append("\" role=\"img\" aria-label=\"")
        .append(Html.esc(title))
        .append("\" class=\"chart\">\n");
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
    s.append("<text x=\"")
        .append(W / 2)
        .append("\" y=\"20\" text-anchor=\"middle\" class=\"ct\">")
        .append(Html.esc(title))
        .append("</text>\n");
    for (double t : ticks(x0, x1)) {
      double x = px(t);
      s.append("<line x1=\"").append(f(x)).append("\" x2=\"").append(f(x));
      s.append("\" y1=\"").append(TOP).append("\" y2=\"").append(H - BOTTOM);
      s.append("\" stroke=\"#e4e4e4\"/>\n");
      s.append("<text x=\"").append(f(x)).append("\" y=\"").append(H - BOTTOM + 16);
      s.append("\" text-anchor=\"middle\" class=\"tk\">").append(label(t)).append("</text>\n");
    }
    for (double t : ticks(y0, y1)) {
      double y = py(t);
      s.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT);
      s.append("\" y1=\"").append(f(y)).append("\" y2=\"").append(f(y));
      s.append("\" stroke=\"#e4e4e4\"/>\n");
      s.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(y + 4));
      s.append("\" text-anchor=\"end\" class=\"tk\">").append(label(t)).append("</text>\n");
    }
    s.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP);
    s.append("\" width=\"")
        .append(W - LEFT - RIGHT)
        .append("\" height=\"")
        .append(H - TOP - BOTTOM);
    s.append("\" fill=\"none\" stroke=\"#888\"/>\n");
    s.append("<text x=\"").append((LEFT + W - RIGHT) / 2).append("\" y=\"").append(H - 14);
    s.append("\" text-anchor=\"middle\" class=\"al\">")
        .append(Html.esc(xLabel))
        .append("</text>\n");
    s.append("<text transform=\"translate(16 ").append((TOP + H - BOTTOM) / 2);
    s.append(") rotate(-90)\" text-anchor=\"middle\" class=\"al\">");
    s.append(Html.esc(yLabel)).append("</text>\n");
    s.append("<svg x=\"").append(LEFT).append("\" y=\"").append(TOP);
    s.append("\" width=\"")
        .append(W - LEFT - RIGHT)
        .append("\" height=\"")
        .append(H - TOP - BOTTOM);
    s.append("\" viewBox=\"").append(LEFT).append(' ').append(TOP).append(' ');
    s.append(W - LEFT - RIGHT).append(' ').append(H - TOP - BOTTOM).append("\">\n");
    s.append(body).append("</svg>\n");
    int ly = TOP + 14;
    if (!legend.isEmpty()) { // a light box keeps the legend legible over the curves
      s.append("<rect x=\"").append(W - RIGHT - 236).append("\" y=\"").append(TOP + 2);
      s.append("\" width=\"232\" height=\"").append(16 * legend.size() + 4);
      s.append("\" fill=\"#fff\" fill-opacity=\"0.85\" stroke=\"#ddd\"/>\n");
    }
    for (String[] l : legend) {
      int lx = W - RIGHT - 230;
      if ("dot".equals(l[1])) {
        s.append("<circle cx=\"").append(lx + 12).append("\" cy=\"").append(ly - 4);
        s.append("\" r=\"5\" fill=\"").append(l[0]).append("\"/>\n");
      } else if ("band".equals(l[1])) {
        s.append("<rect x=\"").append(lx).append("\" y=\"").append(ly - 10);
        s.append("\" width=\"24\" height=\"10\" fill=\"").append(l[0]);
        s.append("\" fill-opacity=\"0.3\"/>\n");
      } else {
        s.append("<line x1=\"").append(lx).append("\" x2=\"").append(lx + 24);
        s.append("\" y1=\"").append(ly - 4).append("\" y2=\"").append(ly - 4);
        s.append("\" stroke=\"").append(l[0]).append("\" stroke-width=\"2\"");
        s.append(l[1].isEmpty() ? "" : " stroke-dasharray=\"" + l[1] + "\"").append("/>\n");
      }
      s.append("<text x=\"").append(lx + 30).append("\" y=\"").append(ly);
      s.append("\" class=\"lg\">").append(Html.esc(l[2])).append("</text>\n");
      ly += 16;
    }
    return s.append("</svg>").toString();
  }

  /** About five round tick values spanning [lo, hi]. */
  static List<Double> ticks(double lo, double hi) {
    double raw = (hi - lo) / 5;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = mag;
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * mag >= raw) {
        step = m * mag;
        break;
      }
    }
    List<Double> t = new ArrayList<>();
    for (double v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
      t.add(Math.abs(v) < step * 1e-9 ? 0 : v);
    }
    return t;
  }

  private static String label(double v) {
    String s = String.format(Locale.ROOT, "%.3f", v);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
