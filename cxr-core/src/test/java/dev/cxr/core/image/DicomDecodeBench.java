package dev.cxr.core.image;

import dev.cxr.core.dicom.DicomImage;
import dev.cxr.core.dicom.DicomReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Decode speed of {@link DicomReader} on one thread, not a test: run with the test classpath,
 * {@code java -cp ... dev.cxr.core.image.DicomDecodeBench [dicom-samples dir] [iterations]}. Files
 * are read into memory once, so only decoding is timed.
 */
public final class DicomDecodeBench {
  private DicomDecodeBench() {}

  /**
   * @param args the dicom-samples folder (default ../shared/data/dicom-samples) and the number of
   *     timed decodes per file (default 200)
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/dicom-samples");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    String[] files = {
      "nhsx-covid-chest-imaging-database/"
          + "1.3.6.1.4.1.11129.5.5.110503645592756492463169821050252582267888.dcm",
      "fo-dicom/CR-MONO1-10-chest.dcm",
      "synthetic/SYN_CR_MONO1_512x512_u16_bs12_ExplicitLE.dcm",
      "synthetic/SYN_CR_MONO1_256x256_u16_bs12_RLE.dcm",
    };
    // beside them, the fast PNG decoder on a real 1024 x 1024 NIH PNG, timed the same way
    Path nih = dir.resolveSibling("nih-effusion-182");
    if (Files.isDirectory(nih)) {
      try (Stream<Path> s = Files.walk(nih)) {
        Path png = s.filter(x -> x.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        byte[] data = Files.readAllBytes(png);
        for (int i = 0; i < Math.max(20, n / 5); i++) {
          PngDecoder.decode(data);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          PngDecoder.decode(data);
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
            "%-60s %4dx%-4d %6.1f images/s  %6.2f ms/image  (PNG)%n",
            png.getFileName(), 1024, 1024, n / sec, 1000 * sec / n);
      }
    }
    for (String f : files) {
      Path p = dir.resolve(f);
      byte[] data = Files.readAllBytes(p);
      double sink = 0;
      for (int i = 0; i < Math.max(20, n / 5); i++) { // warm-up: let the JIT compile the loops
        sink += DicomReader.decode(p, data, ImageLimits.maxSide()).mean();
      }
      long t0 = System.nanoTime();
      DicomImage img = null;
      for (int i = 0; i < n; i++) {
        img = DicomReader.decode(p, data, ImageLimits.maxSide());
        sink += img.mean();
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "%-60s %4dx%-4d %6.1f images/s  %6.2f ms/image  %6.1f Mpixel/s  (%s)%n",
          p.getFileName().toString().length() > 60
              ? p.getFileName().toString().substring(0, 57) + "..."
              : p.getFileName(),
          img.width(),
          img.height(),
          n / s,
          1000 * s / n,
          (double) img.width() * img.height() * n / s / 1e6,
          sink > 0 ? "ok" : "?");
    }
  }
}
