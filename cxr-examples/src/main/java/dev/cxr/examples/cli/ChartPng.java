package dev.cxr.examples.cli;

import com.github.weisj.jsvg.SVGDocument;
import com.github.weisj.jsvg.parser.SVGLoader;
import dev.cxr.core.chart.Chart;
import dev.cxr.core.io.AtomicFiles;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.swing.JComponent;

/**
 * The command line's PNG charts: each {@link Chart}'s SVG, the same markup the HTML report inlines,
 * rasterised with JSVG at {@value #SCALE} times its size (a 720-unit chart becomes 900 pixels
 * wide); several charts are stacked top to bottom in one image. Rendered off screen ({@code
 * java.awt.headless=true} unless that property is already set) and written atomically, so a reader
 * never sees a half-written file; missing parent directories are created.
 */
final class ChartPng {
  /** Pixels per SVG user unit. */
  static final double SCALE = 1.25;

  private ChartPng() {}

  /**
   * Writes the charts, stacked, as one PNG.
   *
   * @param png the file to write
   * @param charts one chart or more, drawn top to bottom
   * @throws IOException when the file cannot be written
   * @throws IllegalArgumentException when no chart is given
   */
  static void write(Path png, Chart... charts) throws IOException {
    Objects.requireNonNull(png, "png");
    if (charts.length == 0) {
      throw new IllegalArgumentException("at least one chart is needed for " + png);
    }
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    List<SVGDocument> docs = new ArrayList<>();
    int width = 0;
    int height = 0;
    for (Chart c : charts) {
      byte[] svg = c.toSvg().getBytes(StandardCharsets.UTF_8);
      SVGDocument doc = new SVGLoader().load(new ByteArrayInputStream(svg));
      if (doc == null) { // JSVG logs the parse error and returns null
        throw new IllegalStateException("cannot render the SVG of the chart '" + c.title() + "'");
      }
      docs.add(doc);
      width = Math.max(width, pixels(c.width()));
      height += pixels(c.height());
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      int top = 0;
      for (int i = 0; i < docs.size(); i++) {
        Graphics2D panel = (Graphics2D) g.create(0, top, width, pixels(charts[i].height()));
        try {
          panel.scale(SCALE, SCALE);
          docs.get(i).render((JComponent) null, panel);
        } finally {
          panel.dispose();
        }
        top += pixels(charts[i].height());
      }
    } finally {
      g.dispose();
    }
    AtomicFiles.write(
        png,
        tmp -> {
          try (OutputStream out = Files.newOutputStream(tmp)) {
            if (!ImageIO.write(image, "png", out)) {
              throw new IOException("no PNG writer available to write " + png);
            }
          }
        });
  }

  /** A length in SVG user units as pixels of the PNG. */
  static int pixels(int units) {
    return (int) Math.round(units * SCALE);
  }
}
