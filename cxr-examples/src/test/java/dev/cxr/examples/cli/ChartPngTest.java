package dev.cxr.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.chart.Chart;
import dev.cxr.core.chart.Chart.Axis;
import dev.cxr.core.chart.Chart.Marker;
import dev.cxr.core.chart.Chart.Stroke;
import dev.cxr.core.chart.Figures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartPngTest {
  @TempDir Path dir;

  private static BufferedImage readPng(Path png) throws IOException {
    assertThat(png).isRegularFile();
    assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("decodable image %s", png).isNotNull();
    return image;
  }

  /** Pixels within a small distance of a colour: what of a mark reached the raster. */
  private static int pixelsNear(BufferedImage image, int rgb, int x0, int y0, int x1, int y1) {
    int n = 0;
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        int p = image.getRGB(x, y);
        int d =
            Math.abs(((p >> 16) & 255) - ((rgb >> 16) & 255))
                + Math.abs(((p >> 8) & 255) - ((rgb >> 8) & 255))
                + Math.abs((p & 255) - (rgb & 255));
        n += d < 40 ? 1 : 0;
      }
    }
    return n;
  }

  private List<Path> filesInDir() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  private static Chart panel(String colour) {
    return Chart.builder("panel", Axis.linear("x", 0, 1), Axis.linear("y", 0, 1))
        .size(Chart.WIDTH, Figures.PANEL_HEIGHT)
        .line("", new double[] {0, 1}, new double[] {0.2, 0.8}, colour, Stroke.SOLID, Marker.NONE)
        .build();
  }

  @Test
  void severalChartsAreStackedInOnePng() throws IOException {
    Path png = dir.resolve("training-curves.png");
    ChartPng.write(png, panel(Figures.BLUE), panel(Figures.GREEN));
    BufferedImage image = readPng(png);
    int panel = ChartPng.pixels(Figures.PANEL_HEIGHT);
    assertThat(image.getWidth()).isEqualTo(ChartPng.pixels(Chart.WIDTH)).isEqualTo(900);
    assertThat(image.getHeight()).isEqualTo(2 * panel);
    // the first chart in the upper half only, the second in the lower half only
    assertThat(pixelsNear(image, 0x1f77b4, 0, 0, 900, panel)).isGreaterThan(200);
    assertThat(pixelsNear(image, 0x1f77b4, 0, panel, 900, 2 * panel)).isZero();
    assertThat(pixelsNear(image, 0x2ca02c, 0, 0, 900, panel)).isZero();
    assertThat(pixelsNear(image, 0x2ca02c, 0, panel, 900, 2 * panel)).isGreaterThan(200);
    assertThat(filesInDir()).containsExactly(png);
  }

  @Test
  void theMarksOfTheSvgReachThePngInsideThePlot() throws IOException {
    Chart c =
        Chart.builder("marks", Axis.linear("x", 0, 1), Axis.linear("y", 0, 1))
            .line(
                "inside",
                new double[] {0, 1},
                new double[] {0.5, 0.5},
                "#1f77b4",
                Stroke.SOLID,
                Marker.NONE)
            // far outside the y range: clipped by the plot, so nothing red is drawn
            .line(
                "", new double[] {0, 1}, new double[] {3, 3}, "#c0392b", Stroke.SOLID, Marker.NONE)
            .build();
    Path png = dir.resolve("marks.png");
    ChartPng.write(png, c);
    BufferedImage image = readPng(png);
    assertThat(image.getHeight()).isEqualTo(ChartPng.pixels(Chart.HEIGHT)).isEqualTo(600);
    // y = 0.5 lies half way down the plot: (38 + 426) / 2 units = 290 px
    assertThat(pixelsNear(image, 0x1f77b4, 100, 284, 800, 296)).isGreaterThan(700);
    assertThat(pixelsNear(image, 0xc0392b, 0, 0, 900, 600)).isZero();
    // the title's text was drawn: dark pixels in the top band
    assertThat(pixelsNear(image, 0x111111, 300, 10, 600, 40)).isGreaterThan(20);
  }

  @Test
  void aFileIsReplacedWholeAndParentsAreMade() throws IOException {
    Path png = dir.resolve("sub/roc.png");
    Files.createDirectories(png.getParent());
    Files.writeString(png, "old content");
    Chart c = Chart.builder("t", Axis.linear("x", 0, 1), Axis.linear("y", 0, 1)).build();
    ChartPng.write(png, c);
    assertThat(readPng(png).getWidth()).isEqualTo(900);
    ChartPng.write(dir.resolve("new/dir/x.png"), c);
    assertThat(readPng(dir.resolve("new/dir/x.png")).getHeight()).isEqualTo(600);
    try (Stream<Path> s = Files.list(png.getParent())) {
      assertThat(s.toList()).containsExactly(png); // no temporary file left beside it
    }
    assertThatThrownBy(() -> ChartPng.write(dir.resolve("none.png")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one chart");
    assertThat(dir.resolve("none.png")).doesNotExist();
  }
}
