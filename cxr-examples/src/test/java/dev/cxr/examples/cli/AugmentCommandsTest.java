package dev.cxr.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.core.image.ImageLoader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AugmentCommandsTest {
  @TempDir Path dir;

  private static void writeGray(Path file, int size, int shift) throws Exception {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        img.getRaster().setSample(x, y, 0, (x * 4 + y + shift) & 255);
      }
    }
    Files.createDirectories(file.getParent());
    ImageIO.write(img, "png", file.toFile());
  }

  @Test
  void previewWritesAGridWithTheOriginalsInTheFirstColumn() throws Exception {
    Path data = dir.resolve("data");
    writeGray(data.resolve("b.png"), 48, 10);
    writeGray(data.resolve("a/z.png"), 48, 20);
    writeGray(data.resolve("c.png"), 48, 30);
    Files.writeString(data.resolve("notes.txt"), "not an image");
    Path out = dir.resolve("out/preview.png");

    int code =
        new CommandLine(new AugmentPreviewCommand())
            .execute(
                "--data",
                data.toString(),
                "--n",
                "2",
                "--out",
                out.toString(),
                "--size",
                "32",
                "--columns",
                "3",
                "--preset",
                "seed-article");

    assertThat(code).isZero();
    BufferedImage grid = ImageIO.read(out.toFile());
    assertThat(grid.getWidth()).isEqualTo(4 + 4 * (32 + 4));
    assertThat(grid.getHeight()).isEqualTo(28 + 4 + 2 * (32 + 4));
    // row 0 is a/z.png (path order), drawn unchanged in the first column
    float[] expected = ImageLoader.load(data.resolve("a/z.png"), 32);
    int gray = grid.getRGB(4 + 10, 28 + 4 + 5) & 0xFF;
    assertThat(gray).isCloseTo(Math.round(expected[5 * 32 + 10] * 255), within(1));
    try (var files = Files.list(out.getParent())) {
      assertThat(files).containsExactly(out); // no temporary file left behind
    }
  }

  @Test
  void previewFindsImagesBehindSymbolicLinksOnce() throws Exception {
    Path real = dir.resolve("real");
    writeGray(real.resolve("images/a.png"), 16, 1);
    writeGray(real.resolve("images/b.png"), 16, 2);
    Files.createSymbolicLink(real.resolve("images/loop"), Path.of(".."));
    Path link = Files.createSymbolicLink(dir.resolve("nih"), real);
    assertThat(AugmentPreviewCommand.firstImages(link, 10))
        .containsExactly(link.resolve("images/a.png"), link.resolve("images/b.png"));
  }

  @Test
  void previewRejectsBadInput() {
    AugmentPreviewCommand cmd = new AugmentPreviewCommand();
    new CommandLine(cmd).parseArgs("--data", dir.toString(), "--preset", "flip-everything");
    assertThatThrownBy(cmd::call)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--preset")
        .hasMessageContaining("flip-everything");
    AugmentPreviewCommand empty = new AugmentPreviewCommand();
    new CommandLine(empty).parseArgs("--data", dir.toString());
    assertThatThrownBy(empty::call)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no *.png");
  }

  @Test
  void benchPrintsImagesPerSecond() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          new CommandLine(new BenchAugmentCommand())
              .execute("--size", "32", "--seconds", "0.1", "--warmup", "0");
    } finally {
      System.setOut(old);
    }
    assertThat(code).isZero();
    assertThat(buf.toString(StandardCharsets.UTF_8)).containsPattern("(?m)^augment: \\d+ img/s$");
  }
}
