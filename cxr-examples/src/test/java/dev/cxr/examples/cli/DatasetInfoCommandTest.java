package dev.cxr.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.phantoms.DemoData;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxr dataset-info} decodes every image, so that what it calls clean is clean. */
class DatasetInfoCommandTest {
  @TempDir Path dir;

  private List<Path> phantoms() throws Exception {
    DemoData.builder().images(12).seed(3).size(128).build().writeTo(dir);
    try (Stream<Path> s = Files.list(dir.resolve("images"))) {
      return s.sorted().toList();
    }
  }

  @Test
  void cleanDataIsCleanAndEveryImageIsDecoded() throws Exception {
    List<Path> images = phantoms();
    CliTest.Result r = CliTest.cxr("dataset-info", "--data", dir.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("images decoded: " + images.size() + " of " + images.size())
        .contains("problems: none");
  }

  @Test
  void truncatedAndCorruptImagesAreProblemsUnlessQuick() throws Exception {
    List<Path> images = phantoms();
    Path truncated = images.get(2);
    byte[] all = Files.readAllBytes(truncated);
    assertThat(all.length).isGreaterThan(2000);
    Files.write(truncated, Arrays.copyOf(all, 2000));
    Path flipped = images.get(5);
    Files.write(flipped, flipInIdat(Files.readAllBytes(flipped)));

    CliTest.Result r = CliTest.cxr("dataset-info", "--data", dir.toString());
    assertThat(r.code()).as("problems found: a script can gate a training run on it").isEqualTo(2);
    assertThat(r.err())
        .contains("2 problem(s) found {undecodable image=2} (listed above); --skip-bad accepts")
        .hasLineCount(1);
    CliTest.Result accepted = CliTest.cxr("dataset-info", "--data", dir.toString(), "--skip-bad");
    assertThat(accepted.code()).isZero();
    assertThat(accepted.out()).contains("a training run with --skip-bad skips these 2 item(s)");
    assertThat(r.out())
        .contains("images decoded: " + (images.size() - 2) + " of " + images.size())
        .contains("problems: 2 {undecodable image=2}")
        .contains("  " + truncated + ": not a readable PNG image: truncated PNG: IDAT chunk")
        .contains("  " + flipped + ": not a readable PNG image: CRC mismatch in IDAT chunk");

    CliTest.Result quick = CliTest.cxr("dataset-info", "--data", dir.toString(), "--quick");
    assertThat(quick.code()).isZero();
    assertThat(quick.out())
        .contains("images decoded: not checked (--quick: file headers only)")
        .contains("problems: none");
  }

  @Test
  void hugeDeclaredImageIsReportedWithTheCap() throws Exception {
    List<Path> images = phantoms();
    Path huge = images.get(0);
    byte[] png = Files.readAllBytes(huge);
    ByteBuffer.wrap(png).putInt(16, 46000).putInt(20, 46000); // IHDR width and height
    fixCrc(png, 8);
    Files.write(huge, Arrays.copyOf(png, 100));
    CliTest.Result r = CliTest.cxr("dataset-info", "--data", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out())
        .contains("problems: 1 {undecodable image=1}")
        .contains(huge + ": not a readable PNG image: PNG image of 46000 x 46000 pixels")
        .contains("exceeds the limit of 16384 per side");
  }

  /** Flips one byte in the middle of the first IDAT chunk's data, leaving its CRC stale. */
  static byte[] flipInIdat(byte[] png) {
    ByteBuffer b = ByteBuffer.wrap(png);
    int at = 8;
    while (b.getInt(at + 4) != 0x49444154) {
      at += 12 + b.getInt(at);
    }
    byte[] out = png.clone();
    out[at + 8 + b.getInt(at) / 2] ^= 0x10;
    return out;
  }

  private static void fixCrc(byte[] png, int at) {
    int len = ByteBuffer.wrap(png).getInt(at);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(png, at + 4, len + 4);
    ByteBuffer.wrap(png).putInt(at + 8 + len, (int) crc.getValue());
  }
}
