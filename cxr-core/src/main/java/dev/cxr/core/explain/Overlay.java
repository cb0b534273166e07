package dev.cxr.core.explain;

import dev.cxr.core.image.ImageInfo;
import dev.cxr.core.image.ImageLoader;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws an {@link Explanation}: caption on top, radiograph in grey with the heat map blended over
 * it, colour bar on the right, a line saying what the colours mean below.
 */
final class Overlay {
  /** Opacity of the heat map where it is highest; it falls linearly to 0 where the map is 0. */
  static final double MAX_ALPHA = 0.6;

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true"); // render without a display
    }
  }

  private Overlay() {}

  static BufferedImage render(Explanation e, int maxSide) {
    return render(e, maxSide, List.of());
  }

  /** The overlay with rectangles (in the image file's pixels) drawn over the radiograph. */
  static BufferedImage render(Explanation e, int maxSide, List<Outline> outlines) {
    if (maxSide < 16) {
      throw new IllegalArgumentException("maxSide must be at least 16 but was " + maxSide);
    }
    ImageInfo info = ImageInfo.of(e.source());
    double scale = (double) maxSide / Math.max(info.width(), info.height());
    int w = Math.max(1, (int) Math.round(info.width() * scale));
    int h = Math.max(1, (int) Math.round(info.height() * scale));
    float[] gray = ImageLoader.read(e.source(), w, h).minMaxNormalised();
    HeatMap map = e.heatMap().resized(w, h);
    float max = map.max();

    int side = Math.max(w, h);
    int font = Math.max(12, Math.round(side / 30f));
    int margin = Math.max(8, side / 64);
    int captionH = Math.round(font * 1.9f);
    int footH = Math.round(font * 1.6f);
    int barW = Math.max(12, side / 36);
    int labelsW = font * 3;
    Font captionFont = new Font(Font.SANS_SERIF, Font.BOLD, font);
    Font smallFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, font * 3 / 4));
    String foot =
        max > 0
            ? "colour: Grad-CAM of " + e.label() + " / its maximum"
            : "Grad-CAM is 0 everywhere: nothing here raises " + e.label();
    if (!outlines.isEmpty()) {
      foot += "; white: radiologist's box, dashed orange: the map's box";
    }
    // wide enough for the caption and the footnote whatever the image's size
    int textW = Math.max(textWidth(captionFont, e.caption()), textWidth(smallFont, foot));
    int width = Math.max(margin + w + margin + barW + margin / 2 + labelsW, 2 * margin + textW);
    int height = captionH + h + footH;
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double v = max > 0 ? map.at(x, y) / max : 0;
          row[x] = blend(gray[y * w + x], v);
        }
        out.setRGB(margin, captionH + y, w, 1, row, 0, w);
      }
      drawOutlines(g, outlines, scale, margin, captionH, Math.max(2f, side / 200f));
      int barX = margin + w + margin;
      for (int y = 0; y < h; y++) {
        double v = 1 - (double) y / Math.max(1, h - 1);
        g.setColor(new Color(Viridis.rgb(v)));
        g.fillRect(barX, captionH + y, barW, 1);
      }
      g.setColor(Color.DARK_GRAY);
      g.drawRect(barX, captionH, barW - 1, h - 1);

      g.setColor(Color.BLACK);
      g.setFont(captionFont);
      FontMetrics fm = g.getFontMetrics();
      g.drawString(e.caption(), margin, (captionH + fm.getAscent() - fm.getDescent()) / 2);
      g.setFont(smallFont);
      fm = g.getFontMetrics();
      int lx = barX + barW + margin / 2;
      g.drawString("1", lx, captionH + fm.getAscent());
      g.drawString("0.5", lx, captionH + h / 2 + fm.getAscent() / 2);
      g.drawString("0", lx, captionH + h);
      g.drawString(foot, margin, captionH + h + (footH + fm.getAscent()) / 2 - 2);
    } finally {
      g.dispose();
    }
    return out;
  }

  private static void drawOutlines(
      Graphics2D g, List<Outline> outlines, double scale, int x0, int y0, float stroke) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    for (Outline o : outlines) {
      Rectangle2D r =
          new Rectangle2D.Double(
              x0 + o.x() * scale, y0 + o.y() * scale, o.width() * scale, o.height() * scale);
      if (o.kind() == Outline.Kind.TRUTH) {
        g.setStroke(new BasicStroke(stroke + 2));
        g.setColor(Color.DARK_GRAY);
        g.draw(r);
        g.setStroke(new BasicStroke(stroke));
        g.setColor(Color.WHITE);
        g.draw(r);
      } else {
        g.setStroke(
            new BasicStroke(
                stroke,
                BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER,
                10f,
                new float[] {4 * stroke, 3 * stroke},
                0f));
        g.setColor(new Color(0xFF8C00));
        g.draw(r);
      }
    }
    g.setStroke(new BasicStroke(1));
  }

  private static int textWidth(Font font, String text) {
    Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    try {
      return g.getFontMetrics(font).stringWidth(text);
    } finally {
      g.dispose();
    }
  }

  /** Grey pixel with the colour of {@code v} laid over it at opacity {@code MAX_ALPHA * v}. */
  static int blend(float gray, double v) {
    int gv = Math.round(Math.min(1f, Math.max(0f, gray)) * 255);
    double a = MAX_ALPHA * Math.min(1, Math.max(0, v));
    int c = Viridis.rgb(v);
    int r = (int) Math.round((1 - a) * gv + a * ((c >> 16) & 0xFF));
    int gg = (int) Math.round((1 - a) * gv + a * ((c >> 8) & 0xFF));
    int b = (int) Math.round((1 - a) * gv + a * (c & 0xFF));
    return (r << 16) | (gg << 8) | b;
  }
}
