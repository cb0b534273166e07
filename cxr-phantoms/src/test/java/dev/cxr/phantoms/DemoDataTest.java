package dev.cxr.phantoms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDataTest {

  private static final String HEADER =
      "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,"
          + "View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]";

  @TempDir Path tmp;

  private static DemoDataSummary write(Path dir, int images, int size, long seed)
      throws IOException {
    return DemoData.builder().images(images).size(size).seed(seed).build().writeTo(dir);
  }

  private static List<String[]> rows(Path dir) throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve("Data_Entry_2017.csv"));
    List<String[]> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      rows.add(line.split(",", -1));
    }
    return rows;
  }

  @Test
  void writesTheNihLayout() throws IOException {
    Path dir = tmp.resolve("demo");
    DemoDataSummary summary = write(dir, 12, 64, 3);

    List<String> lines = Files.readAllLines(dir.resolve("Data_Entry_2017.csv"));
    assertThat(lines.get(0)).isEqualTo(HEADER).isEqualTo(DemoData.CSV_HEADER);
    assertThat(lines.get(0).split(",", -1)).hasSize(11);
    List<String[]> rows = rows(dir);
    assertThat(rows).hasSize(12);
    for (String[] f : rows) {
      assertThat(f).hasSize(11);
      int patient = Integer.parseInt(f[3]);
      int followUp = Integer.parseInt(f[2]);
      assertThat(f[0]).isEqualTo(String.format("%08d_%03d.png", patient, followUp));
      assertThat(f[1])
          .isIn("Effusion", "No Finding", "Atelectasis|Effusion", "Cardiomegaly|Effusion");
      assertThat(Integer.parseInt(f[4])).isBetween(18, 95);
      assertThat(f[5]).isIn("M", "F");
      assertThat(f[6]).isEqualTo("PA");
      assertThat(f[7]).isEqualTo("64");
      assertThat(f[8]).isEqualTo("64");
      assertThat(Double.parseDouble(f[9])).isPositive().isEqualTo(Double.parseDouble(f[10]));
      assertThat(dir.resolve("images").resolve(f[0])).isRegularFile();
    }
    try (Stream<Path> files = Files.list(dir.resolve("images"))) {
      assertThat(files.count()).isEqualTo(12);
    }
    assertThat(summary.labelFile()).isEqualTo(dir.resolve("Data_Entry_2017.csv"));
    assertThat(summary.imageDirectory()).isEqualTo(dir.resolve("images"));
  }

  @Test
  void imagesAreEightBitGrayPngsOfTheRequestedSize() throws IOException {
    Path dir = tmp.resolve("demo");
    write(dir, 12, 64, 3);
    for (String[] f : rows(dir)) {
      Path png = dir.resolve("images").resolve(f[0]);
      try (InputStream in = Files.newInputStream(png);
          DataInputStream data = new DataInputStream(in)) {
        byte[] signature = new byte[8];
        data.readFully(signature);
        assertThat(signature).containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        data.readInt(); // IHDR length
        assertThat(data.readInt()).isEqualTo(0x49484452); // "IHDR"
        assertThat(data.readInt()).as("width").isEqualTo(64);
        assertThat(data.readInt()).as("height").isEqualTo(64);
        assertThat(data.readUnsignedByte()).as("bit depth").isEqualTo(8);
        assertThat(data.readUnsignedByte()).as("colour type (0 = gray)").isEqualTo(0);
      }
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    }
  }

  @Test
  void summaryCountsMatchTheLabelFile() throws IOException {
    Path dir = tmp.resolve("demo");
    DemoDataSummary s =
        DemoData.builder().images(30).size(32).seed(5).otherFindings(4).build().writeTo(dir);
    List<String[]> rows = rows(dir);
    Map<String, Integer> labels = new TreeMap<>();
    int effusion = 0;
    int noFinding = 0;
    for (String[] f : rows) {
      labels.merge(f[1], 1, Integer::sum);
      if (f[1].contains("Effusion")) {
        effusion++;
      } else if (f[1].equals("No Finding")) {
        noFinding++;
      } else {
        assertThat(f[1]).isIn("Atelectasis", "Cardiomegaly", "Nodule");
      }
    }
    assertThat(s.images()).isEqualTo(30).isEqualTo(rows.size());
    assertThat(s.effusion()).isEqualTo(effusion).isEqualTo(13);
    assertThat(s.noFinding()).isEqualTo(noFinding).isEqualTo(13);
    assertThat(s.otherFinding()).isEqualTo(4);
    assertThat(s.labelCounts()).isEqualTo(labels);
    assertThat(s.patients()).isEqualTo(rows.stream().map(f -> f[3]).distinct().count());
    assertThat(s.size()).isEqualTo(32);
    assertThat(s.seed()).isEqualTo(5);
  }

  @Test
  void somePatientsHaveAFollowUpWithTheSameLabel() throws IOException {
    Path dir = tmp.resolve("demo");
    DemoDataSummary s = write(dir, 60, 32, 7);
    Map<String, List<String[]>> byPatient = new HashMap<>();
    for (String[] f : rows(dir)) {
      byPatient.computeIfAbsent(f[3], k -> new ArrayList<>()).add(f);
    }
    List<List<String[]>> twice =
        byPatient.values().stream().filter(images -> images.size() == 2).toList();
    // 30 images per class, 30 / 6 = 5 two-image patients per class.
    assertThat(twice).hasSize(10);
    assertThat(s.patients()).isEqualTo(50);
    for (List<String[]> images : twice) {
      assertThat(images.get(0)[2]).isEqualTo("0");
      assertThat(images.get(1)[2]).isEqualTo("1");
      assertThat(images.get(1)[1]).isEqualTo(images.get(0)[1]);
      assertThat(images.get(1)[5]).isEqualTo(images.get(0)[5]);
    }
    assertThat(byPatient.values()).allSatisfy(images -> assertThat(images.size()).isBetween(1, 2));
  }

  @Test
  void sameSeedGivesIdenticalBytesAndAnotherSeedDiffers() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path c = tmp.resolve("c");
    write(a, 12, 64, 11);
    write(b, 12, 64, 11);
    write(c, 12, 64, 12);
    assertThat(Files.readAllBytes(b.resolve("Data_Entry_2017.csv")))
        .isEqualTo(Files.readAllBytes(a.resolve("Data_Entry_2017.csv")));
    int differing = 0;
    for (String[] f : rows(a)) {
      byte[] first = Files.readAllBytes(a.resolve("images").resolve(f[0]));
      assertThat(Files.readAllBytes(b.resolve("images").resolve(f[0]))).isEqualTo(first);
      Path other = c.resolve("images").resolve(f[0]);
      if (!Files.exists(other) || !java.util.Arrays.equals(Files.readAllBytes(other), first)) {
        differing++;
      }
    }
    assertThat(differing).isEqualTo(12);
    assertThat(Files.readAllBytes(c.resolve("Data_Entry_2017.csv")))
        .isNotEqualTo(Files.readAllBytes(a.resolve("Data_Entry_2017.csv")));
  }

  /**
   * Effusions fill the lower lateral lung: relative to the same image's mid-lateral zone, that zone
   * is brighter on positives than on negatives, on average over a cohort.
   */
  @Test
  void positivesAreBrighterInTheLowerLateralLungZones() throws IOException {
    Path dir = tmp.resolve("demo");
    write(dir, 40, 64, 1);
    double positive = 0;
    double negative = 0;
    int nPositive = 0;
    int nNegative = 0;
    for (String[] f : rows(dir)) {
      Raster r = ImageIO.read(dir.resolve("images").resolve(f[0]).toFile()).getRaster();
      double left = zone(r, 0.58, 0.72, false) - zone(r, 0.30, 0.42, false);
      double right = zone(r, 0.58, 0.72, true) - zone(r, 0.30, 0.42, true);
      double value = Math.max(left, right);
      if (f[1].contains("Effusion")) {
        positive += value;
        nPositive++;
      } else {
        negative += value;
        nNegative++;
      }
    }
    assertThat(nPositive).isEqualTo(20);
    assertThat(nNegative).isEqualTo(20);
    assertThat(positive / nPositive - negative / nNegative).isGreaterThan(5.0);
  }

  /** Mean gray level of rows [y0, y1) and columns [0.15, 0.30) (mirrored when {@code right}). */
  private static double zone(Raster r, double y0, double y1, boolean right) {
    int s = r.getWidth();
    double sum = 0;
    int count = 0;
    for (int y = (int) (y0 * s); y < (int) (y1 * s); y++) {
      for (int x = (int) (0.15 * s); x < (int) (0.30 * s); x++) {
        sum += r.getSample(right ? s - 1 - x : x, y, 0);
        count++;
      }
    }
    return sum / count;
  }

  /**
   * The same patient and shot with and without an effusion: fluid only adds density, so no pixel
   * gets darker, the top fifth of the image is untouched and part of the lower half gets clearly
   * brighter.
   */
  @Test
  void anEffusionOnlyBrightensTheLowerChest() {
    int size = 64;
    for (long seed = 0; seed < 8; seed++) {
      Anatomy anatomy = new Anatomy(new SplittableRandom(seed), seed % 2 == 0);
      Shot shot = Shot.sample(new SplittableRandom(seed + 100));
      Set<Finding> none = EnumSet.noneOf(Finding.class);
      byte[] negative =
          PhantomRenderer.render(
              anatomy, new Lesions(new SplittableRandom(seed + 200), none), shot, size);
      byte[] positive =
          PhantomRenderer.render(
              anatomy,
              new Lesions(new SplittableRandom(seed + 200), EnumSet.of(Finding.EFFUSION)),
              shot,
              size);
      long upperDiff = 0;
      int opacified = 0;
      for (int i = 0; i < size * size; i++) {
        int p = positive[i] & 0xFF;
        int n = negative[i] & 0xFF;
        assertThat(p).as("pixel %d, seed %d", i, seed).isGreaterThanOrEqualTo(n);
        if (i / size < size / 5) {
          upperDiff += p - n;
        } else if (i / size >= size / 2 && p - n >= 16) {
          opacified++;
        }
      }
      assertThat(upperDiff).as("upper fifth, seed %d", seed).isZero();
      // Even a small effusion opacifies a costophrenic angle: tens of pixels at 64 px.
      assertThat(opacified)
          .as("lower-half pixels brighter by 16+ levels, seed %d", seed)
          .isGreaterThanOrEqualTo(20);
    }
  }

  @Test
  void refusesToReplaceADatasetUnlessAskedTo() throws IOException {
    Path dir = tmp.resolve("demo");
    write(dir, 8, 32, 1);
    byte[] before = Files.readAllBytes(dir.resolve("Data_Entry_2017.csv"));
    assertThatThrownBy(() -> write(dir, 10, 32, 2))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining("Data_Entry_2017.csv")
        .hasMessageContaining("overwrite");
    assertThat(Files.readAllBytes(dir.resolve("Data_Entry_2017.csv"))).isEqualTo(before);

    DemoDataSummary s =
        DemoData.builder().images(10).size(32).seed(2).overwrite(true).build().writeTo(dir);
    assertThat(s.images()).isEqualTo(10);
    assertThat(rows(dir)).hasSize(10);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("Data_Entry_2017.csv", "images");
    }
  }

  @Test
  void refusesAFileAsTheDirectory() throws IOException {
    Path file = Files.writeString(tmp.resolve("file.txt"), "x");
    assertThatThrownBy(() -> write(file, 8, 32, 1)).isInstanceOf(IOException.class);
  }

  @Test
  void badArgumentsNameTheParameterAndTheValue() {
    assertThatThrownBy(() -> DemoData.builder().images(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("images")
        .hasMessageContaining("3");
    assertThatThrownBy(() -> DemoData.builder().size(31))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size")
        .hasMessageContaining("31");
    assertThatThrownBy(() -> DemoData.builder().size(4096))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4096");
    for (double bad : new double[] {0.0, 1.0, -0.5, Double.NaN}) {
      assertThatThrownBy(() -> DemoData.builder().positiveFraction(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("positiveFraction")
          .hasMessageContaining(String.valueOf(bad));
    }
    assertThatThrownBy(() -> DemoData.builder().otherFindings(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("otherFindings")
        .hasMessageContaining("-1");
    DemoDataBuilder builder = DemoData.builder().images(10).otherFindings(7);
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("otherFindings")
        .hasMessageContaining("10");
  }

  @Test
  void defaultsAndABuilderThatCanBeReused() {
    DemoData d = DemoData.builder().build();
    assertThat(d.images()).isEqualTo(200);
    assertThat(d.seed()).isEqualTo(1L);
    assertThat(d.size()).isEqualTo(256);
    assertThat(d.positiveFraction()).isEqualTo(0.5);
    assertThat(d.otherFindings()).isZero();
    assertThat(d.overwrite()).isFalse();

    DemoDataBuilder builder = DemoData.builder().images(20);
    DemoData first = builder.build();
    DemoData second = builder.seed(9).build();
    assertThat(first.seed()).isEqualTo(1L);
    assertThat(second.seed()).isEqualTo(9L);
    assertThat(second.images()).isEqualTo(20);
  }

  @Test
  void extremeFractionsStillGiveBothClasses() throws IOException {
    DemoDataSummary s =
        DemoData.builder()
            .images(4)
            .size(32)
            .positiveFraction(0.01)
            .build()
            .writeTo(tmp.resolve("d"));
    assertThat(s.effusion()).isEqualTo(1);
    assertThat(s.noFinding()).isEqualTo(3);
  }
}
