package dev.cxr.examples.cli;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.FolderWalk;
import dev.cxr.core.image.ImageLoader;
import dev.cxr.core.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cxr augment-preview}: one PNG grid that shows what a model is shown. Each row is one image
 * of the data directory: the original (first column, outlined and labelled with its file name)
 * beside augmented versions, column {@code k} being the augmentation the training generator draws
 * for that image in epoch {@code k - 1}.
 *
 * <p>The images are the first {@code --n} PNG or JPEG files found by walking {@code --data}
 * recursively, in path order, read with cxr-core's {@link ImageLoader} (resized to {@code --size}
 * and min-max normalised to [0, 1], as for training). The PNG is written atomically.
 */
@Command(
    name = "augment-preview",
    mixinStandardHelpOptions = true,
    description =
        "Write a PNG grid: each original image (first column) beside several augmented versions.")
public final class AugmentPreviewCommand implements Callable<Integer> {
  private static final int GAP = 4;
  private static final int HEADER = 28;
  private static final Color BACKGROUND = new Color(24, 24, 28);
  private static final Color ORIGINAL = new Color(230, 160, 30);

  @Mixin VerboseOption verboseOption;

  @Option(
      names = "--data",
      required = true,
      description = "Directory searched recursively for *.png, *.jpg, *.jpeg.")
  Path data;

  @Option(
      names = "--n",
      defaultValue = "8",
      description = "Number of images (rows) (default: ${DEFAULT-VALUE}).")
  int n;

  @Option(
      names = "--out",
      defaultValue = "augment-preview.png",
      description = "PNG file to write (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--preset",
      defaultValue = "medical-safe",
      description = "Augmentation preset: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      completionCandidates = PresetNames.class)
  String preset;

  @Option(
      names = "--size",
      defaultValue = "256",
      description = "Side of each tile in pixels (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Augmentation seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--columns",
      defaultValue = "5",
      description = "Augmented versions per image (default: ${DEFAULT-VALUE}).")
  int columns;

  @Override
  public Integer call() throws IOException {
    requireRange("--n", n, 1, 1000);
    requireRange("--size", size, 16, 2048);
    requireRange("--columns", columns, 1, 32);
    CxrAugmentation augmentation = TrainOptions.preset("--preset", preset).withSeed(seed);
    List<Path> files = firstImages(data, n);
    System.out.println("augmentation: " + augmentation.describe());

    int cols = columns + 1;
    int width = GAP + cols * (size + GAP);
    int height = HEADER + GAP + files.size() * (size + GAP);
    BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(BACKGROUND);
      g.fillRect(0, 0, width, height);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      g.setColor(Color.WHITE);
      g.drawString("original", GAP + 2, HEADER - 9);
      g.drawString(
          String.format(
              Locale.ROOT,
              "%s, seed %d: augmented as drawn in epochs 0-%d",
              preset,
              seed,
              columns - 1),
          GAP + size + GAP + 2,
          HEADER - 9);
      for (int row = 0; row < files.size(); row++) {
        Path file = files.get(row);
        float[] pixels = ImageLoader.load(file, size);
        int y = HEADER + GAP + row * (size + GAP);
        drawTile(canvas, pixels, GAP, y);
        for (int c = 1; c < cols; c++) {
          float[] augmented = augmentation.apply(pixels, size, size, c - 1, row);
          drawTile(canvas, augmented, GAP + c * (size + GAP), y);
        }
        g.setColor(ORIGINAL);
        g.setStroke(new BasicStroke(2f));
        g.drawRect(GAP - 1, y - 1, size + 1, size + 1);
        label(g, file.getFileName().toString(), GAP, y + size);
      }
    } finally {
      g.dispose();
    }
    AtomicFiles.write(
        out,
        tmp -> {
          if (!ImageIO.write(canvas, "png", tmp.toFile())) {
            throw new IOException("no PNG writer available for " + out);
          }
        });
    System.out.printf(
        "wrote %s: %d images x (1 original + %d augmented), %dx%d px%n",
        out, files.size(), columns, width, height);
    return 0;
  }

  /**
   * The first {@code n} PNG or JPEG files under {@code dir}, in path order, found as the data
   * discovery finds them (symbolic links to folders followed, each real folder once).
   */
  static List<Path> firstImages(Path dir, int n) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--data is not a directory: " + dir);
    }
    List<Path> found =
        FolderWalk.walk(dir, AugmentPreviewCommand::isImage, new DataReport()).files().stream()
            .limit(n)
            .toList();
    if (found.isEmpty()) {
      throw new IllegalArgumentException("no *.png, *.jpg or *.jpeg files under " + dir);
    }
    return new ArrayList<>(found);
  }

  private static boolean isImage(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
  }

  /** Draws [0, 1] pixels as gray levels at {@code (x0, y0)}. */
  private void drawTile(BufferedImage canvas, float[] pixels, int x0, int y0) {
    int[] rgb = new int[size * size];
    for (int i = 0; i < rgb.length; i++) {
      float v = pixels[i];
      int level = Math.round((v > 0f ? (v < 1f ? v : 1f) : 0f) * 255f);
      rgb[i] = (level << 16) | (level << 8) | level;
    }
    canvas.setRGB(x0, y0, size, size, rgb, 0, size);
  }

  /** A file name on a dark band at the bottom of the original's tile. */
  private void label(Graphics2D g, String text, int x, int bottom) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, Math.min(14, size / 16))));
    int h = g.getFontMetrics().getHeight() + 4;
    g.setColor(new Color(0, 0, 0, 170));
    g.fillRect(x, bottom - h, size, h);
    g.setColor(ORIGINAL);
    g.drawString(text, x + 4, bottom - 5 - g.getFontMetrics().getDescent() + 2);
  }

  private static void requireRange(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          option + " must be in [" + min + ", " + max + "] but was " + value);
    }
  }
}
