package dev.cxr.core;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;

/** Small generated test fixtures: images of each bit depth and NIH-style label files. */
public final class Fixtures {
  /** The official NIH header: 9 names, 11 fields. */
  public static final String HEADER =
      "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,"
          + "OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]";

  private Fixtures() {}

  /** Writes an 8-bit gray PNG whose pixel (x, y) is {@code (x * 7 + y * 3 + seed) % 256}. */
  public static Path gray8(Path file, int w, int h, int seed) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster r = img.getRaster();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        r.setSample(x, y, 0, (x * 7 + y * 3 + seed) % 256);
      }
    }
    return write(img, "png", file);
  }

  /** Writes an image with explicit pixel values of the given BufferedImage type. */
  public static Path write(BufferedImage img, String format, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    if (!ImageIO.write(img, format, file.toFile())) {
      throw new IOException("no writer for " + format);
    }
    return file;
  }

  /** One NIH CSV row with 11 fields. */
  public static String row(String image, String labels, String patient) {
    return image + "," + labels + ",0," + patient + ",50,M,PA,2500,2048,0.143,0.143";
  }

  /** Writes a labels CSV with the official header. */
  public static Path csv(Path file, List<String> rows) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    rows.forEach(r -> sb.append(r).append('\n'));
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  /**
   * Writes a small NIH-layout data set: {@code pos} Effusion images and {@code neg} No Finding
   * images, one patient each, images under {@code images_001/images/}.
   */
  public static Path nihDataset(Path dir, int pos, int neg, int size) throws IOException {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < pos + neg; i++) {
      String name = String.format("%08d_000.png", i + 1);
      gray8(dir.resolve("images_001/images").resolve(name), size, size, i);
      rows.add(row(name, i < pos ? "Effusion" : "No Finding", Integer.toString(i + 1)));
    }
    csv(dir.resolve("Data_Entry_2017.csv"), rows);
    return dir;
  }

  /**
   * The shared real-data directory ({@code ../shared/data}), if present.
   *
   * @param sub sub-path inside it
   * @return the path when it exists
   */
  public static Optional<Path> sharedData(String sub) {
    String prop = System.getProperty("cxr.shared.data");
    List<Path> candidates =
        prop != null
            ? List.of(Path.of(prop))
            : List.of(Path.of("../shared/data"), Path.of("../../shared/data"));
    for (Path c : candidates) {
      Path p = c.resolve(sub);
      if (Files.exists(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
