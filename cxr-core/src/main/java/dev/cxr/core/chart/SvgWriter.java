package dev.cxr.core.chart;

import com.google.common.escape.Escaper;
import com.google.common.xml.XmlEscapers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link Chart} as SVG. Styles are presentation attributes, not classes, so that the
 * markup looks the same inlined in the report and rasterised by the command line. The marks sit in
 * a nested {@code <svg>} the size of the plot, which clips them without an element id (the report
 * holds many charts on one page, where ids would collide).
 */
final class SvgWriter {
  private static final int LEFT = 64;
  private static final int RIGHT = 18;
  private static final int TOP = 38;
  private static final int BOTTOM = 54;
  private static final int CLIP_PAD = 10;
  private static final String FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";
  private static final int LEGEND_FONT = 12;
  private static final int LEGEND_ROW = 18;
  private static final String DASH = "7 5";
  private static final Escaper ESC = XmlEscapers.xmlAttributeEscaper();

  private final Chart c;
  private final double plotW;
  private final double plotH;

  private SvgWriter(Chart c) {
    this.c = c;
    this.plotW = c.width() - LEFT - RIGHT;
    this.plotH = c.height() - TOP - BOTTOM;
  }

  static String write(Chart c) {
    return new SvgWriter(c).svg();
  }

  private double px(double x) {
    Chart.Axis a = c.x();
    double t =
        a.log()
            ? (Math.log10(x) - Math.log10(a.min())) / (Math.log10(a.max()) - Math.log10(a.min()))
            : (x - a.min()) / (a.max() - a.min());
    return LEFT + t * plotW;
  }

  private double py(double y) {
    Chart.Axis a = c.y();
    return TOP + plotH - (y - a.min()) / (a.max() - a.min()) * plotH;
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private String svg() {
    StringBuilder s = new StringBuilder(8192);
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(c.width())
        .append(' ')
        .append(c.height())
        .append("\" width=\"")
        .append(c.width())
        .append("\" height=\"")
        .append(c.height())
        .append("\" role=\"img\" aria-label=\"")
        .append(ESC.escape(c.title()))
        .append("\" class=\"chart\" font-family=\"")
        .append(FONT)
        .append("\">\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    text(s, c.width() / 2.0, 24, "middle", 15, "#111111", "bold", c.title());
    grid(s);
    // the clip reaches CLIP_PAD beyond the frame, so that a curve along an edge and a marker on
    // it (an AUC of 1, a full reliability bin) are drawn whole
    String x = f(LEFT - CLIP_PAD);
    String y = f(TOP - CLIP_PAD);
    String w = f(plotW + 2 * CLIP_PAD);
    String h = f(plotH + 2 * CLIP_PAD);
    s.append("<svg x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(w);
    s.append("\" height=\"").append(h).append("\" viewBox=\"").append(x).append(' ').append(y);
    s.append(' ').append(w).append(' ').append(h).append("\">\n");
    for (Chart.Mark m : c.marks()) {
      mark(s, m);
    }
    s.append("</svg>\n");
    legend(s);
    return s.append("</svg>").toString();
  }

  private void grid(StringBuilder s) {
    double bottom = TOP + plotH;
    for (double t : ticks(c.x())) {
      double x = px(t);
      hairline(s, x, TOP, x, bottom);
      text(s, x, bottom + 17, "middle", 12, "#444444", "normal", tickLabel(t, c.x().log()));
    }
    for (double t : ticks(c.y())) {
      double y = py(t);
      hairline(s, LEFT, y, LEFT + plotW, y);
      text(s, LEFT - 7, y + 4, "end", 12, "#444444", "normal", tickLabel(t, false));
    }
    s.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"");
    s.append(f(plotW)).append("\" height=\"").append(f(plotH));
    s.append("\" fill=\"none\" stroke=\"#999999\"/>\n");
    text(s, LEFT + plotW / 2, c.height() - 12, "middle", 13, "#222222", "normal", c.x().label());
    double mid = TOP + plotH / 2;
    s.append("<text transform=\"translate(17 ").append(f(mid)).append(") rotate(-90)\"");
    s.append(" text-anchor=\"middle\" font-size=\"13\" fill=\"#222222\">");
    s.append(ESC.escape(c.y().label())).append("</text>\n");
  }

  private static void hairline(StringBuilder s, double x1, double y1, double x2, double y2) {
    s.append("<line x1=\"").append(f(x1)).append("\" y1=\"").append(f(y1));
    s.append("\" x2=\"").append(f(x2)).append("\" y2=\"").append(f(y2));
    s.append("\" stroke=\"#e4e4e4\"/>\n");
  }

  private static void text(
      StringBuilder s,
      double x,
      double y,
      String anchor,
      int size,
      String fill,
      String weight,
      String text) {
    s.append("<text x=\"").append(f(x)).append("\" y=\"").append(f(y));
    s.append("\" text-anchor=\"").append(anchor).append("\" font-size=\"").append(size);
    s.append("\" fill=\"").append(fill).append('"');
    if (!"normal".equals(weight)) {
      s.append(" font-weight=\"").append(weight).append('"');
    }
    s.append('>').append(ESC.escape(text)).append("</text>\n");
  }

  private void mark(StringBuilder s, Chart.Mark m) {
    if (m instanceof Chart.Line l) {
      path(s, l.x(), l.y(), l.colour(), l.stroke(), 2.2);
      markers(s, l.x(), l.y(), null, l.colour(), l.marker());
    } else if (m instanceof Chart.Band b) {
      band(s, b);
    } else if (m instanceof Chart.Points p) {
      markers(s, p.x(), p.y(), p.radius(), p.colour(), p.marker());
    } else if (m instanceof Chart.Bars b) {
      bars(s, b);
    } else if (m instanceof Chart.Rule r) {
      double[] ys = {c.y().min(), c.y().max()};
      path(s, new double[] {r.x(), r.x()}, ys, r.colour(), Chart.Stroke.DASHED, 1.8);
    }
  }

  /** A marker at every finite point; {@code radius} null gives the line markers' 4 units. */
  private void markers(
      StringBuilder s, double[] x, double[] y, double[] radius, String colour, Chart.Marker m) {
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
        marker(s, m, px(x[i]), py(y[i]), radius == null ? 4 : radius[i], colour);
      }
    }
  }

  private void bars(StringBuilder s, Chart.Bars b) {
    for (int i = 0; i < b.left().length; i++) {
      if (b.height()[i] > 0) {
        double top = py(c.y().min() + b.height()[i]);
        s.append("<rect x=\"").append(f(px(b.left()[i]) + 1)).append("\" y=\"");
        s.append(f(top)).append("\" width=\"");
        s.append(f(px(b.right()[i]) - px(b.left()[i]) - 2)).append("\" height=\"");
        s.append(f(py(c.y().min()) - top)).append("\" fill=\"").append(b.colour());
        s.append("\" fill-opacity=\"0.35\"/>\n");
      }
    }
  }

  private void path(
      StringBuilder s, double[] x, double[] y, String colour, Chart.Stroke stroke, double width) {
    StringBuilder d = new StringBuilder();
    boolean pen = false;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || !Double.isFinite(y[i]) || (c.x().log() && !(x[i] > 0))) {
        pen = false;
        continue;
      }
      d.append(pen ? " L" : " M").append(f(px(x[i]))).append(' ').append(f(py(y[i])));
      pen = true;
    }
    if (d.isEmpty()) {
      return;
    }
    s.append("<path fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"");
    s.append(width).append("\" stroke-linejoin=\"round\"");
    if (stroke == Chart.Stroke.DASHED) {
      s.append(" stroke-dasharray=\"").append(DASH).append('"');
    }
    s.append(" d=\"").append(d.toString().trim()).append("\"/>\n");
  }

  private void band(StringBuilder s, Chart.Band b) {
    StringBuilder d = new StringBuilder();
    int n = 0;
    for (int i = 0; i < b.x().length; i++) {
      if (Double.isFinite(b.lo()[i]) && Double.isFinite(b.hi()[i])) {
        d.append(n++ == 0 ? "M" : " L").append(f(px(b.x()[i]))).append(' ');
        d.append(f(py(b.hi()[i])));
      }
    }
    for (int i = b.x().length - 1; i >= 0; i--) {
      if (Double.isFinite(b.lo()[i]) && Double.isFinite(b.hi()[i])) {
        d.append(" L").append(f(px(b.x()[i]))).append(' ').append(f(py(b.lo()[i])));
      }
    }
    if (n == 1) { // one epoch: a band has no width, so a bar shows the interval
      s.append("<path stroke=\"").append(b.colour()).append("\" stroke-width=\"6\"");
      s.append(" stroke-opacity=\"0.3\" d=\"").append(d).append("\"/>\n");
    } else if (n > 1) {
      s.append("<path fill=\"").append(b.colour()).append("\" fill-opacity=\"0.2\"");
      s.append(" stroke=\"none\" d=\"").append(d).append(" Z\"/>\n");
    }
  }

  private static void marker(
      StringBuilder s, Chart.Marker m, double x, double y, double r, String colour) {
    switch (m) {
      case NONE -> {}
      case CIRCLE -> {
        s.append("<circle cx=\"").append(f(x)).append("\" cy=\"").append(f(y));
        s.append("\" r=\"").append(f(r)).append("\" fill=\"").append(colour);
        s.append("\" stroke=\"#ffffff\" stroke-width=\"1\"/>\n");
      }
      case SQUARE -> {
        double h = r * 0.9;
        s.append("<rect x=\"").append(f(x - h)).append("\" y=\"").append(f(y - h));
        s.append("\" width=\"").append(f(2 * h)).append("\" height=\"").append(f(2 * h));
        s.append("\" fill=\"")
            .append(colour)
            .append("\" stroke=\"#ffffff\" stroke-width=\"1\"/>\n");
      }
      case DIAMOND -> {
        double h = r * 1.3;
        s.append("<path d=\"M").append(f(x)).append(' ').append(f(y - h));
        s.append(" L").append(f(x + h)).append(' ').append(f(y));
        s.append(" L").append(f(x)).append(' ').append(f(y + h));
        s.append(" L").append(f(x - h)).append(' ').append(f(y)).append(" Z\" fill=\"");
        s.append(colour).append("\" stroke=\"#ffffff\" stroke-width=\"1\"/>\n");
      }
    }
  }

  private void legend(StringBuilder s) {
    List<Chart.Mark> entries = new ArrayList<>();
    int longest = 0;
    for (Chart.Mark m : c.marks()) {
      if (!m.label().isEmpty()) {
        entries.add(m);
        longest = Math.max(longest, m.label().length());
      }
    }
    if (entries.isEmpty()) {
      return;
    }
    // 0.58 em a character: DejaVu Sans measured 0.50-0.58 em over the figures' legend labels
    double w = Math.min(plotW - 16, 44 + longest * LEGEND_FONT * 0.58);
    double h = entries.size() * LEGEND_ROW + 8;
    boolean left = c.legend() == Chart.Corner.TOP_LEFT || c.legend() == Chart.Corner.BOTTOM_LEFT;
    boolean top = c.legend() == Chart.Corner.TOP_LEFT || c.legend() == Chart.Corner.TOP_RIGHT;
    double x0 = left ? LEFT + 8 : LEFT + plotW - 8 - w;
    double y0 = top ? TOP + 8 : TOP + plotH - 8 - h;
    // a light box keeps the legend legible over the curves
    s.append("<rect x=\"").append(f(x0)).append("\" y=\"").append(f(y0)).append("\" width=\"");
    s.append(f(w)).append("\" height=\"").append(f(h));
    s.append("\" fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#cccccc\"/>\n");
    double y = y0 + 4 + LEGEND_ROW / 2.0;
    for (Chart.Mark m : entries) {
      double x = x0 + 8;
      if (m instanceof Chart.Line l) {
        legendLine(s, x, y, l.colour(), l.stroke());
        marker(s, l.marker(), x + 13, y, 4, l.colour());
      } else if (m instanceof Chart.Rule) {
        legendLine(s, x, y, m.colour(), Chart.Stroke.DASHED);
      } else if (m instanceof Chart.Points p) {
        marker(s, p.marker(), x + 13, y, 5, p.colour());
      } else { // a band or bars: a shaded swatch
        swatch(s, x, y, m.colour(), m instanceof Chart.Band ? 0.3 : 0.35);
      }
      text(s, x + 34, y + 4, "start", LEGEND_FONT, "#222222", "normal", m.label());
      y += LEGEND_ROW;
    }
  }

  private static void legendLine(
      StringBuilder s, double x, double y, String colour, Chart.Stroke stroke) {
    s.append("<line x1=\"").append(f(x)).append("\" x2=\"").append(f(x + 26));
    s.append("\" y1=\"").append(f(y)).append("\" y2=\"").append(f(y)).append("\" stroke=\"");
    s.append(colour).append("\" stroke-width=\"2.2\"");
    if (stroke == Chart.Stroke.DASHED) {
      s.append(" stroke-dasharray=\"").append(DASH).append('"');
    }
    s.append("/>\n");
  }

  private static void swatch(StringBuilder s, double x, double y, String colour, double opacity) {
    s.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y - 6));
    s.append("\" width=\"26\" height=\"12\" fill=\"").append(colour);
    s.append("\" fill-opacity=\"").append(opacity).append("\"/>\n");
  }

  /** Round tick values spanning an axis: about five on a linear one, the decades on a log one. */
  static List<Double> ticks(Chart.Axis a) {
    List<Double> t = new ArrayList<>();
    if (a.log()) {
      for (int k = (int) Math.ceil(Math.log10(a.min()) - 1e-9);
          k <= Math.floor(Math.log10(a.max()) + 1e-9);
          k++) {
        t.add(Math.pow(10, k));
      }
      return t;
    }
    double raw = (a.max() - a.min()) / 5;
    int exp = (int) Math.floor(Math.log10(raw));
    double mag = Math.pow(10, exp);
    double m = 10;
    for (double candidate : new double[] {1, 2, 2.5, 5, 10}) {
      if (candidate * mag >= raw) {
        m = candidate;
        break;
      }
    }
    double step = m * mag;
    // k * m in decimal, then scaled: a running sum or k * step in binary drifts
    // (0.6000000000000001)
    for (long k = (long) Math.ceil(a.min() / step - 1e-9);
        k <= (long) Math.floor(a.max() / step + 1e-9);
        k++) {
      t.add(
          BigDecimal.valueOf(m)
              .multiply(BigDecimal.valueOf(k))
              .scaleByPowerOfTen(exp)
              .doubleValue());
    }
    return t;
  }

  /** A tick's text: at most three decimals, trailing zeros dropped; powers of ten as 1e-6. */
  static String tickLabel(double v, boolean log) {
    if (log) {
      int k = (int) Math.round(Math.log10(v));
      return k >= -2 && k <= 3 ? tickLabel(v, false) : "1e" + k;
    }
    String s = String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
