package dev.cxr.core.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.core.Fixtures;
import dev.cxr.core.image.ImageLimits;
import dev.cxr.core.io.CxrDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Decodes every file of the shared DICOM test set and compares it with reference.tsv, which pydicom
 * 2.3.1 wrote (see SOURCE.txt there): decoded files must give the same size, stored-value
 * statistics and SHA-256, and the same modality-LUT statistics; the others must be refused with a
 * line that names the file and the reason.
 */
class DicomReaderTest {
  private static final double REL = 1e-6;

  @TestFactory
  Stream<DynamicTest> everyReferenceFile() throws IOException {
    Path dir = Fixtures.sharedData("dicom-samples").orElse(null);
    Assumptions.assumeTrue(
        dir != null, "../shared/data/dicom-samples absent: skipping real-DICOM tests");
    List<Map<String, String>> rows = readTsv(dir.resolve("reference.tsv"));
    assertThat(rows).hasSizeGreaterThanOrEqualTo(21);
    return rows.stream()
        .map(
            r ->
                DynamicTest.dynamicTest(r.get("file"), () -> check(dir.resolve(r.get("file")), r)));
  }

  private static void check(Path file, Map<String, String> r) throws Exception {
    byte[] data = Files.readAllBytes(file);
    assertThat(DicomReader.looksLikeDicom(data)).as("looksLikeDicom").isTrue();
    String status = r.get("pixel_status");
    String frames = r.get("number_of_frames");
    if (status.startsWith("decoded")) {
      if (!frames.isEmpty() && Integer.parseInt(frames) > 1) {
        expectRefusal(file, data, "multi-frame DICOM (" + frames + " frames)");
        // The parser must still get the pixels right: compare frame 1 with the reference.
        compare(DicomReader.decode(file, data, ImageLimits.maxSide(), true), r);
      } else {
        compare(DicomReader.decode(file, data, ImageLimits.maxSide()), r);
      }
    } else if (status.equals("no-pixel-data")) {
      expectRefusal(file, data, "no pixel data");
    } else if (r.get("notes").contains("decoded by DCMTK")) {
      // JPEG Lossless: pydicom cannot decode it; the notes hold DCMTK's statistics instead.
      Map<String, String> ref = new HashMap<>(r);
      for (String kv : r.get("notes").split(": ", 2)[1].split(" ")) {
        String[] p = kv.split("=", 2);
        ref.put(p[0], p[1]);
      }
      compare(DicomReader.decode(file, data, ImageLimits.maxSide()), ref);
    } else {
      expectRefusal(file, data, r.get("transfer_syntax_name"));
    }
  }

  private static void expectRefusal(Path file, byte[] data, String reason) {
    assertThatThrownBy(() -> DicomReader.decode(file, data, ImageLimits.maxSide()))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  private static void compare(DicomImage img, Map<String, String> r) throws Exception {
    assertThat(img.height()).as("rows").isEqualTo(Integer.parseInt(r.get("rows")));
    assertThat(img.width()).as("columns").isEqualTo(Integer.parseInt(r.get("columns")));
    int[] raw = img.storedValues();
    double[] s = stats(raw);
    assertThat(s[0]).as("raw_min").isEqualTo(Double.parseDouble(r.get("raw_min")));
    assertThat(s[1]).as("raw_max").isEqualTo(Double.parseDouble(r.get("raw_max")));
    assertClose("raw_mean", s[2], r.get("raw_mean"));
    assertThat(sha256(raw, r.get("raw_dtype")))
        .as("raw_sha256_le")
        .isEqualTo(r.get("raw_sha256_le"));
    assertThat(img.modalityLut()).as("modality_lut").isEqualTo(r.get("modality_lut"));
    assertThat(img.monochrome1())
        .isEqualTo("MONOCHROME1".equals(r.get("photometric_interpretation")));
    if (img.samplesPerPixel() == 1) {
      assertClose("modality_min", img.min(), r.get("modality_min"));
      assertClose("modality_max", img.max(), r.get("modality_max"));
      assertClose("modality_mean", img.mean(), r.get("modality_mean"));
      float[] v = img.modalityValues();
      assertThat(v).hasSize(img.width() * img.height());
      if (img.modalityLut().equals("lut-sequence")) {
        return; // a table, not a line: the statistics above check it
      }
      double slope = img.rescaleSlope();
      double icpt = img.rescaleIntercept();
      assertThat((double) v[v.length / 2])
          .isCloseTo(raw[v.length / 2] * slope + icpt, within(1e-3));
    } else {
      // pydicom's modality statistics cover the R, G and B samples (no rescale here); ours are of
      // the gray made with the PNG path's weights.
      assertClose("modality_mean", s[2], r.get("modality_mean"));
      float[] v = img.modalityValues();
      int p = v.length / 2 + img.width() / 3;
      double gray = 0.299 * raw[3 * p] + 0.587 * raw[3 * p + 1] + 0.114 * raw[3 * p + 2];
      assertThat((double) v[p]).isCloseTo(gray, within(1e-3));
    }
  }

  private static void assertClose(String what, double actual, String expected) {
    double e = Double.parseDouble(expected);
    assertThat(actual).as(what).isCloseTo(e, within(Math.max(1e-6, Math.abs(e) * REL)));
  }

  static double[] stats(int[] v) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long sum = 0;
    for (int x : v) {
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
    }
    return new double[] {min, max, (double) sum / v.length};
  }

  /** SHA-256 of the values as little-endian bytes of numpy's dtype, as reference.tsv has it. */
  static String sha256(int[] v, String dtype) throws NoSuchAlgorithmException {
    int bytes =
        switch (dtype) {
          case "uint8", "int8" -> 1;
          case "uint16", "int16" -> 2;
          case "uint32", "int32" -> 4;
          default -> throw new IllegalArgumentException(dtype);
        };
    byte[] b = new byte[v.length * bytes];
    for (int i = 0; i < v.length; i++) {
      for (int k = 0; k < bytes; k++) {
        b[i * bytes + k] = (byte) (v[i] >> (8 * k));
      }
    }
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static List<Map<String, String>> readTsv(Path tsv) throws IOException {
    List<String> lines = Files.readAllLines(tsv);
    String[] head = lines.get(0).split("\t", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      Map<String, String> m = new HashMap<>();
      for (int i = 0; i < head.length; i++) {
        m.put(head[i], i < f.length ? f[i] : "");
      }
      rows.add(m);
    }
    return rows;
  }
}
