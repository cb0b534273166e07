package dev.cxr.phantoms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configurations that existed before the multi-finding mode write the same bytes as before it.
 * The digests were computed by this test's own code at commit 65d5cb6 (the base of the
 * multi-finding work, before Pneumothorax and {@code findings(...)} existed) and hard-coded here;
 * any change to the random streams, the draw order or the drawing of the old findings changes them.
 */
class LegacyBytesTest {
  @TempDir Path tmp;

  /** The NIH rows of the labelsLike configuration: drawable, label-only and combined findings. */
  private static final List<String> ROWS =
      List.of(
          DemoData.CSV_HEADER,
          "00000001_000.png,Cardiomegaly|Effusion,0,1,57,M,PA,2682,2749,0.143,0.143",
          "00000001_001.png,Effusion|Pneumothorax,1,1,58,M,PA,2894,2729,0.143,0.143",
          "00000002_000.png,Pneumothorax,0,2,80,F,PA,2500,2048,0.171,0.171",
          "00000003_000.png,No Finding,0,3,77,F,PA,2500,2048,0.168,0.168",
          "00000004_002.png,Atelectasis|Mass|Nodule,2,4,60,F,AP,2500,2048,0.168,0.168",
          "00000005_000.png,Hernia,0,5,33,M,PA,2500,2048,0.168,0.168");

  /** SHA-256 of the files of the default builder (200 images, 256 px, seed 1) at 65d5cb6. */
  static final String DEFAULTS = "1e9afb354b1fd852cad0fbeb3a8d3a9a023c41f249d95efb69e9002088281d2d";

  /** SHA-256 of a mixed configuration (other findings, difficulty, fraction, seed) at 65d5cb6. */
  static final String MIXED = "6246ae9486adf3afd2d2f4e646d563a23cacd2ae9bc27624cc9d568fec1c520f";

  /** SHA-256 of the effusion masks of the mixed configuration at 65d5cb6. */
  static final String MIXED_MASKS =
      "14e542bfe012822420af815c4d912dd46e1b0ff1c60127544c140aabbd63def2";

  /** SHA-256 of a labelsLike configuration written as DICOM at 65d5cb6. */
  static final String LABELS_LIKE_DICOM =
      "a413d4bdc17c2e31930d48f34b08099ad56cbcfb8ea1db0f14eaa4639b95172a";

  @Test
  void theDefaultBuilderWritesTheSameBytes() throws IOException {
    Path dir = tmp.resolve("defaults");
    DemoData.builder().build().writeTo(dir);
    assertThat(digest(dir)).isEqualTo(DEFAULTS);
  }

  @Test
  void otherFindingsDifficultyAndFractionWriteTheSameBytesAndMasks() throws IOException {
    Path dir = tmp.resolve("mixed");
    DemoData d =
        DemoData.builder()
            .images(40)
            .size(64)
            .seed(7)
            .positiveFraction(0.3)
            .otherFindings(12)
            .difficulty(0.6)
            .build();
    d.writeTo(dir);
    assertThat(digest(dir)).isEqualTo(MIXED);
    assertThat(digest(d.effusionMasks())).isEqualTo(MIXED_MASKS);
  }

  @Test
  void labelsLikeAsDicomWritesTheSameBytes() throws IOException {
    Path labels = Files.write(tmp.resolve("labels.csv"), ROWS);
    Path dir = tmp.resolve("like");
    DemoData.builder()
        .images(6)
        .size(48)
        .seed(3)
        .labelsLike(labels)
        .format(ImageFormat.DICOM)
        .build()
        .writeTo(dir);
    assertThat(digest(dir)).isEqualTo(LABELS_LIKE_DICOM);
  }

  /** SHA-256 over every file under {@code dir}: relative path, a zero byte, content, in order. */
  static String digest(Path dir) throws IOException {
    MessageDigest md = sha256();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      md.update(dir.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(Files.readAllBytes(f));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** SHA-256 over the masks: name, a zero byte, then one byte per pixel (1 inside), in order. */
  static String digest(Map<String, LesionMask> masks) {
    MessageDigest md = sha256();
    for (Map.Entry<String, LesionMask> e : masks.entrySet()) {
      md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      LesionMask m = e.getValue();
      for (int y = 0; y < m.size(); y++) {
        for (int x = 0; x < m.size(); x++) {
          md.update((byte) (m.contains(x, y) ? 1 : 0));
        }
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}
