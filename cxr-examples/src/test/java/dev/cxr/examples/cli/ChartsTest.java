package dev.cxr.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
  @TempDir Path dir;

  private static BufferedImage readPng(Path png) throws IOException {
    assertThat(png).isRegularFile();
    byte[] head = Files.readAllBytes(png);
    assertThat(head).startsWith(0x89, 'P', 'N', 'G'); // a PNG, not some other format
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("decodable image %s", png).isNotNull();
    return image;
  }

  /** True when the image has at least this many distinct colours (i.e. something was drawn). */
  private static int colours(BufferedImage image) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 3) {
      for (int x = 0; x < image.getWidth(); x += 3) {
        seen.add(image.getRGB(x, y));
      }
    }
    return seen.size();
  }

  private List<Path> filesInDir() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Test
  void trainingCurvesWritesOneStackedPng() throws IOException {
    List<Integer> epochs = new ArrayList<>();
    List<Double> tl = new ArrayList<>();
    List<Double> vl = new ArrayList<>();
    List<Double> auc = new ArrayList<>();
    List<Double> lo = new ArrayList<>();
    List<Double> hi = new ArrayList<>();
    for (int e = 1; e <= 8; e++) {
      epochs.add(e);
      tl.add(0.7 / e);
      vl.add(0.75 / e + 0.01 * e);
      auc.add(0.6 + 0.03 * e);
      lo.add(0.5 + 0.03 * e);
      hi.add(0.7 + 0.03 * e);
    }
    Path png = dir.resolve("training.png");
    Charts.trainingCurves(png, epochs, tl, vl, auc, lo, hi, 6);
    BufferedImage image = readPng(png);
    assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
    assertThat(image.getHeight()).isEqualTo(Charts.TRAINING_HEIGHT);
    assertThat(colours(image)).isGreaterThan(10);
    assertThat(filesInDir()).containsExactly(png);
  }

  @Test
  void rocAndLrFinderWritePngsAndReplaceAtomically() throws IOException {
    Path roc = dir.resolve("roc.png");
    Files.writeString(roc, "old content"); // replaced, not appended to or renamed aside
    Charts.roc(
        roc,
        new double[] {0, 0, 0.2, 0.5, 1},
        new double[] {0, 0.4, 0.7, 0.9, 1},
        "AUC 0.812 (95% CI 0.70-0.92)",
        0.2,
        0.7);
    BufferedImage r = readPng(roc);
    assertThat(r.getWidth()).isEqualTo(Charts.WIDTH);
    assertThat(r.getHeight()).isEqualTo(Charts.HEIGHT);
    assertThat(colours(r)).isGreaterThan(10);

    Path noPoint = dir.resolve("sub/roc-plain.png"); // parent created
    Charts.roc(noPoint, new double[] {0, 1}, new double[] {0, 1}, "chance", null, null);
    assertThat(readPng(noPoint).getHeight()).isEqualTo(Charts.HEIGHT);

    double[] lrs = new double[30];
    double[] losses = new double[30];
    for (int i = 0; i < lrs.length; i++) {
      lrs[i] = 1e-6 * Math.pow(10, i / 5.0);
      losses[i] = 0.7 - 0.01 * i + (i > 25 ? Math.exp(i - 25) : 0);
    }
    losses[29] = Double.NaN; // a diverged last step is skipped, not an error
    Path lr = dir.resolve("lr.png");
    Charts.lrFinder(lr, lrs, losses, 1e-4);
    BufferedImage l = readPng(lr);
    assertThat(l.getWidth()).isEqualTo(Charts.WIDTH);
    assertThat(l.getHeight()).isEqualTo(Charts.HEIGHT);

    assertThat(filesInDir()).containsExactlyInAnyOrder(roc, lr, dir.resolve("sub"));
    assertThat(Files.list(dir.resolve("sub")).toList()).containsExactly(noPoint);
  }

  @Test
  void badArgumentsAreRejectedAndLeaveNoFiles() throws IOException {
    Path png = dir.resolve("x.png");
    double[] unit = {0, 1};
    assertThatThrownBy(() -> Charts.roc(png, unit, new double[] {0}, "t", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("same length");
    assertThatThrownBy(() -> Charts.roc(png, new double[] {0, 1.5}, unit, "t", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fpr[1] was 1.5");
    assertThatThrownBy(() -> Charts.roc(png, unit, unit, "t", 0.1, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both");
    assertThatThrownBy(() -> Charts.lrFinder(png, new double[] {0, 1e-3}, unit, 1e-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lrs[0]");
    assertThatThrownBy(
            () ->
                Charts.trainingCurves(
                    png,
                    List.of(1, 2),
                    List.of(0.5),
                    List.of(0.5, 0.4),
                    List.of(0.7, 0.7),
                    List.of(0.6, 0.6),
                    List.of(0.8, 0.8),
                    1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trainLoss must have one value per epoch (2) but had 1");
    assertThatThrownBy(
            () ->
                Charts.trainingCurves(
                    png,
                    List.of(2, 1),
                    List.of(0.5, 0.4),
                    List.of(0.5, 0.4),
                    List.of(0.7, 0.7),
                    List.of(0.6, 0.6),
                    List.of(0.8, 0.8),
                    1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("strictly increasing");
    assertThat(filesInDir()).isEmpty();
  }
}
