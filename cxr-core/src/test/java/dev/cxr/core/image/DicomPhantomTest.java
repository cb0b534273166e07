package dev.cxr.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.CxrTask;
import dev.cxr.phantoms.DemoData;
import dev.cxr.phantoms.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phantoms written as DICOM read back as the PNG phantoms of the same seed: the 12-bit CR files,
 * MONOCHROME1 for half of them, go through the DICOM reader, the modality LUT, the inversion and
 * the min-max normalisation to the same pixels.
 */
class DicomPhantomTest {
  @TempDir Path dir;

  @Test
  void dicomPhantomsEqualThePngPhantomsOfTheSameSeed() throws IOException {
    Path png = dir.resolve("png");
    Path dcm = dir.resolve("dcm");
    DemoData.builder().images(24).seed(4).size(64).build().writeTo(png);
    DemoData.builder().images(24).seed(4).size(64).format(ImageFormat.DICOM).build().writeTo(dcm);

    List<Path> dicoms = images(dcm, ".dcm");
    assertThat(dicoms).hasSize(24);
    List<String> photometric =
        dicoms.stream().map(f -> ImageInfo.of(f).photometric()).distinct().sorted().toList();
    assertThat(photometric).containsExactly("MONOCHROME1", "MONOCHROME2");
    for (Path d : dicoms) {
      String name = d.getFileName().toString().replace(".dcm", ".png");
      float[] a = ImageLoader.load(png.resolve("images").resolve(name), 64);
      float[] b = ImageLoader.load(d, 64);
      double worst = 0;
      for (int i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]));
      }
      assertThat(worst).as(d.toString()).isLessThan(1e-3);
    }
    ImageInfo info = ImageInfo.of(dicoms.get(0));
    assertThat(info.format()).isEqualTo("DICOM");
    assertThat(info.bits()).isEqualTo(12);
    assertThat(info.max()).isLessThanOrEqualTo(4095);
    assertThat(info.transferSyntax()).isEqualTo("Explicit VR Little Endian");
  }

  @Test
  void theNihLayoutNamesDicomFiles() throws IOException {
    DemoData.builder().images(12).seed(2).size(48).format(ImageFormat.DICOM).build().writeTo(dir);
    assertThat(Files.readString(dir.resolve(DemoData.LABEL_FILE))).contains(".dcm,");
    CxrDataset ds = CxrDataset.scan(dir, null, false);
    CxrTask.Labeled labeled = CxrTask.EFFUSION.labelBothClasses(ds);
    assertThat(labeled.samples()).hasSize(12);
    assertThat(labeled.samples()).allMatch(s -> s.path().toString().endsWith(".dcm"));
  }

  private static List<Path> images(Path root, String suffix) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }
}
