package dev.cxr.core.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cxr.core.Fixtures;
import dev.cxr.core.image.ImageLimits;
import dev.cxr.core.io.CxrDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-built DICOM files, good and hostile: each bad one must give one line naming the file. */
class DicomReaderHostileTest {
  private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

  @TempDir Path dir;

  private static byte[] small() {
    return DicomBytes.part10(EXPLICIT_LE)
        .text(0x00080060, "CS", "DX")
        .gray16(2, 3)
        .pixels16(0, 1, 2, 1000, 4095, 65535)
        .bytes();
  }

  @Test
  void decodesAHandBuiltFile() {
    DicomImage img = DicomReader.decode(dir.resolve("ok.dcm"), small(), ImageLimits.maxSide());
    assertThat(img.width()).isEqualTo(3);
    assertThat(img.height()).isEqualTo(2);
    assertThat(img.storedValues()).containsExactly(0, 1, 2, 1000, 4095, 65535);
    assertThat(img.max()).isEqualTo(65535);
    assertThat(img.rescaleSlope()).isEqualTo(1);
    assertThat(img.windowCenter()).isNaN();
    assertThat(img.modalityLut()).isEqualTo("none");
  }

  @Test
  void truncatedInTheHeader() throws IOException {
    byte[] ok = small();
    refused(write("cut-header.dcm", Arrays.copyOf(ok, 175)), "cut short");
  }

  @Test
  void truncatedInThePixelData() throws IOException {
    byte[] ok = small();
    refused(write("cut-pixels.dcm", Arrays.copyOf(ok, ok.length - 5)), "cut short");
  }

  @Test
  void hugeDeclaredLength() throws IOException {
    byte[] b =
        DicomBytes.part10(EXPLICIT_LE)
            .gray16(2, 3)
            .header(0x00204000, "UT", 0xFFFFFFF0L)
            .text(0x00080060, "CS", "DX")
            .bytes();
    refused(write("huge-length.dcm", b), "declares 4294967280 bytes");
  }

  @Test
  void hugeImageRefusedBeforeAllocation() throws IOException {
    byte[] b = DicomBytes.part10(EXPLICIT_LE).gray16(60000, 60000).pixels16(1, 2, 3, 4).bytes();
    Path f = write("huge-image.dcm", b);
    // 60000 x 60000 x 2 bytes would be 7 GB: a refusal that fast cannot have allocated it.
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> refused(f, "exceeds the limit of"));
  }

  @Test
  void sequencesNestedTooDeep() throws IOException {
    DicomBytes d = DicomBytes.part10(EXPLICIT_LE).gray16(2, 3);
    for (int i = 0; i < 1000; i++) {
      d.header(0x00081115, "SQ", 0xFFFFFFFFL).item(0xFFFEE000, 0xFFFFFFFFL);
    }
    for (int i = 0; i < 1000; i++) {
      d.item(0xFFFEE00D, 0).item(0xFFFEE0DD, 0);
    }
    byte[] b = d.pixels16(0, 1, 2, 3, 4, 5).bytes();
    refused(write("deep.dcm", b), "nested deeper than");
  }

  @Test
  void undefinedLengthSequencesAreSkipped() {
    DicomBytes d = DicomBytes.part10(EXPLICIT_LE).gray16(2, 3);
    for (int i = 0; i < 5; i++) {
      d.header(0x00081115, "SQ", 0xFFFFFFFFL).item(0xFFFEE000, 0xFFFFFFFFL);
      d.text(0x00080060, "CS", "XX");
    }
    for (int i = 0; i < 5; i++) {
      d.item(0xFFFEE00D, 0).item(0xFFFEE0DD, 0);
    }
    // An empty sequence and an empty item of defined length: zero lengths must still advance.
    d.header(0x00081140, "SQ", 0xFFFFFFFFL).item(0xFFFEE000, 0).item(0xFFFEE0DD, 0);
    DicomImage img =
        DicomReader.decode(
            dir.resolve("seq.dcm"), d.pixels16(0, 1, 2, 3, 4, 5).bytes(), ImageLimits.maxSide());
    assertThat(img.storedValues()).containsExactly(0, 1, 2, 3, 4, 5);
  }

  @Test
  void sequenceWithoutDelimiterIsCutShort() throws IOException {
    byte[] b =
        DicomBytes.part10(EXPLICIT_LE)
            .header(0x00081115, "SQ", 0xFFFFFFFFL)
            .item(0xFFFEE000, 0)
            .item(0xFFFEE000, 0)
            .bytes();
    refused(write("open-seq.dcm", b), "cut short");
  }

  @Test
  void modalityLutSequenceIsApplied() {
    // LUT Descriptor: 4 entries, first mapped value 10, 16 bits; values outside are clamped.
    DicomBytes d = DicomBytes.part10(EXPLICIT_LE).gray16(2, 2);
    d.header(0x00283000, "SQ", 0xFFFFFFFFL).item(0xFFFEE000, 0xFFFFFFFFL);
    d.element(0x00283002, "US", new byte[] {4, 0, 10, 0, 16, 0});
    d.element(0x00283006, "OW", new byte[] {100, 0, (byte) 200, 0, 44, 1, (byte) 144, 1});
    d.item(0xFFFEE00D, 0).item(0xFFFEE0DD, 0);
    DicomImage img =
        DicomReader.decode(
            dir.resolve("lut.dcm"), d.pixels16(5, 10, 12, 20).bytes(), ImageLimits.maxSide());
    assertThat(img.modalityLut()).isEqualTo("lut-sequence");
    assertThat(img.modalityValues()).containsExactly(100f, 100f, 300f, 400f);
  }

  @Test
  void pngAndTextAreNotDicom() throws IOException {
    Path png = Fixtures.gray8(dir.resolve("x.png"), 8, 8, 0);
    assertThat(DicomReader.looksLikeDicom(Files.readAllBytes(png))).isFalse();
    refused(png, "not a DICOM file");
    Path txt = Files.writeString(dir.resolve("x.txt"), "Image Index,Finding Labels\n");
    assertThat(DicomReader.looksLikeDicom(Files.readAllBytes(txt))).isFalse();
    refused(txt, "not a DICOM file");
    refused(Files.write(dir.resolve("empty.dcm"), new byte[0]), "empty");
  }

  @Test
  void theCapIsTheCallers() throws IOException {
    byte[] b = small(); // 3 x 2 pixels
    Path f = write("small.dcm", b);
    assertThatThrownBy(() -> DicomReader.decode(f, b, 2))
        .isInstanceOf(CxrDataException.class)
        .hasMessage(f + ": DICOM image of 3 x 2 pixels exceeds the limit of 2 per side");
    assertThat(DicomReader.decode(f, b, 3).width()).isEqualTo(3);
    assertThatThrownBy(() -> DicomReader.decode(f, b, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxSide");
  }

  private Path write(String name, byte[] b) throws IOException {
    return Files.write(dir.resolve(name), b);
  }

  private static void refused(Path f, String reason) throws IOException {
    byte[] b = Files.readAllBytes(f);
    assertThatThrownBy(() -> DicomReader.decode(f, b, ImageLimits.maxSide()))
        .isInstanceOf(CxrDataException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
