package dev.cxr.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.cxr.core.Fixtures;
import dev.cxr.core.io.CxrDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CxrDatasetTest {
  @TempDir Path dir;

  @Test
  void nihLayoutFindsImagesAnywhereBelowByName() throws Exception {
    Fixtures.gray8(dir.resolve("images_001/images/00000001_000.png"), 16, 16, 1);
    Fixtures.gray8(dir.resolve("images_012/images/00000002_000.png"), 16, 16, 2);
    Fixtures.gray8(dir.resolve("images_012/images/00000003_000.png"), 16, 16, 3);
    Fixtures.csv(
        dir.resolve("Data_Entry_2017.csv"),
        List.of(
            Fixtures.row("00000001_000.png", "Effusion", "1"),
            Fixtures.row("00000002_000.png", "No Finding", "2"),
            Fixtures.row("00000003_000.png", "Mass", "3")));
    CxrDataset ds = CxrDataset.scan(dir);
    assertThat(ds.layout()).isEqualTo(CxrDataset.Layout.NIH_CSV);
    assertThat(ds.images()).hasSize(3);
    CxrTask.Labeled l = CxrTask.EFFUSION.label(ds);
    assertThat(l.positives()).isEqualTo(1);
    assertThat(l.noFinding()).isEqualTo(1);
    assertThat(l.excludedOther()).isEqualTo(1);
    assertThat(l.samples()).hasSize(2);
    assertThat(l.labelNames()).containsExactly("No Finding", "Effusion");

    CxrTask.Labeled kept = new CxrTask(java.util.List.of("effusion"), true, false).label(ds);
    assertThat(kept.samples()).hasSize(3);
    assertThat(kept.otherAsNegative()).isEqualTo(1);

    CxrTask.Labeled multi = CxrTask.allFindings().label(ds);
    assertThat(multi.samples()).hasSize(3);
    Sample mass =
        multi.samples().stream()
            .filter(s -> s.path().getFileName().toString().startsWith("00000003"))
            .findFirst()
            .orElseThrow();
    assertThat(mass.target()).hasSize(14);
    assertThat(mass.target()[NihLabels.FINDINGS.indexOf("Mass")]).isEqualTo(1f);
    assertThat(mass.target()[NihLabels.FINDINGS.indexOf("Effusion")]).isEqualTo(0f);
  }

  @Test
  void explicitLabelsFileMayBeGzip() throws Exception {
    Fixtures.gray8(dir.resolve("a/00000001_000.png"), 8, 8, 1);
    Path csv =
        Fixtures.csv(
            dir.resolve("mine.csv"), List.of(Fixtures.row("00000001_000.png", "Effusion", "1")));
    assertThat(CxrDataset.scan(dir, Path.of("mine.csv"), false).labelsFile()).contains(csv);
  }

  @Test
  void classFoldersMatchedIgnoringCaseSpacesAndUnderscores() throws Exception {
    Fixtures.gray8(dir.resolve("no_finding/00000013_005.png"), 8, 8, 1);
    Fixtures.gray8(dir.resolve("no_finding/00000013_006.png"), 8, 8, 2);
    Fixtures.gray8(dir.resolve("EFFUSION/scan-a.png"), 8, 8, 3);
    CxrDataset ds = CxrDataset.scan(dir);
    assertThat(ds.layout()).isEqualTo(CxrDataset.Layout.CLASS_FOLDERS);
    assertThat(ds.images())
        .extracting(CxrDataset.Image::patientId)
        .containsExactlyInAnyOrder("scan-a", "13", "13");
    CxrTask.Labeled l = CxrTask.EFFUSION.label(ds);
    assertThat(l.positives()).isEqualTo(1);
    assertThat(l.noFinding()).isEqualTo(2);
    assertThat(l.patients()).isEqualTo(2);
  }

  @Test
  void patientFromNihFileName() {
    assertThat(CxrDataset.patientFromName(Path.of("00000013_005.png"))).isEqualTo("13");
    assertThat(CxrDataset.patientFromName(Path.of("x/scan.jpeg"))).isEqualTo("scan");
    assertThat(CxrDataset.patientFromName(Path.of("x/0013.png"))).isEqualTo("13");
    assertThat(CxrDataset.patientFromName(Path.of("x/0013b.png"))).isEqualTo("0013b");
  }

  @Test
  void missingDirectory() {
    assertThatThrownBy(() -> CxrDataset.scan(dir.resolve("nope")))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("nope")
        .hasMessageContaining("does not exist");
  }

  @Test
  void neitherCsvNorClassFolders() throws Exception {
    Files.createDirectories(dir.resolve(".hidden"));
    Fixtures.gray8(dir.resolve("loose.png"), 8, 8, 1);
    assertThatThrownBy(() -> CxrDataset.scan(dir))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("neither a labels CSV");
  }

  @Test
  void rowWhoseImageIsMissingStrictAndLenient() throws Exception {
    Fixtures.gray8(dir.resolve("images/00000001_000.png"), 8, 8, 1);
    Fixtures.csv(
        dir.resolve("Data_Entry_2017.csv"),
        List.of(
            Fixtures.row("00000001_000.png", "Effusion", "1"),
            Fixtures.row("00000002_000.png", "No Finding", "2")));
    assertThatThrownBy(() -> CxrDataset.scan(dir))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("Data_Entry_2017.csv, row 3")
        .hasMessageContaining("00000002_000.png");
    CxrDataset lenient = CxrDataset.scan(dir, null, true);
    assertThat(lenient.images()).hasSize(1);
    assertThat(lenient.report().countsByKind()).containsEntry("missing image", 1);
  }

  @Test
  void zeroByteAndNonImageFiles() throws Exception {
    Fixtures.gray8(dir.resolve("Effusion/a.png"), 8, 8, 1);
    Fixtures.gray8(dir.resolve("No Finding/b.png"), 8, 8, 2);
    Files.write(dir.resolve("No Finding/empty.png"), new byte[0]);
    Files.writeString(dir.resolve("No Finding/text.png"), "hello, not a png");
    assertThatThrownBy(() -> CxrDataset.scan(dir))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("empty.png")
        .hasMessageContaining("0 bytes");
    CxrDataset lenient = CxrDataset.scan(dir, null, true);
    assertThat(lenient.images()).hasSize(2);
    assertThat(lenient.report().countsByKind())
        .containsEntry("empty file", 1)
        .containsEntry("not an image", 1);
  }

  @Test
  void unknownLabelFolderAndEmptyClass() throws Exception {
    Fixtures.gray8(dir.resolve("Effusion/a.png"), 8, 8, 1);
    Files.createDirectories(dir.resolve("No Finding"));
    assertThatThrownBy(() -> CxrDataset.scan(dir))
        .hasMessageContaining("No Finding")
        .hasMessageContaining("has no images");
    Fixtures.gray8(dir.resolve("No Finding/b.png"), 8, 8, 1);
    Fixtures.gray8(dir.resolve("Kittens/c.png"), 8, 8, 1);
    assertThatThrownBy(() -> CxrDataset.scan(dir))
        .hasMessageContaining("unknown label folder 'Kittens'");
    assertThat(CxrDataset.scan(dir, null, true).report().countsByKind())
        .containsEntry("unknown label", 1);
  }

  @Test
  void unknownLabelInCsvLenientlySkipped() throws Exception {
    Fixtures.gray8(dir.resolve("images/00000001_000.png"), 8, 8, 1);
    Fixtures.csv(
        dir.resolve("Data_Entry_2017.csv"),
        List.of(
            Fixtures.row("00000001_000.png", "Effusion", "1"),
            Fixtures.row("x.png", "Wobble", "2")));
    assertThatThrownBy(() -> CxrDataset.scan(dir)).hasMessageContaining("unknown label 'Wobble'");
    assertThat(CxrDataset.scan(dir, null, true).report().countsByKind())
        .containsEntry("bad row", 1);
  }

  @Test
  void imageListedTwiceInCsvStrictAndLenient() throws Exception {
    Fixtures.gray8(dir.resolve("images/00000013_005.png"), 8, 8, 1);
    Fixtures.gray8(dir.resolve("images/00000014_000.png"), 8, 8, 2);
    Path csv =
        Fixtures.csv(
            dir.resolve("Data_Entry_2017.csv"),
            List.of(
                Fixtures.row("00000013_005.png", "Effusion", "13"),
                Fixtures.row("00000014_000.png", "No Finding", "14"),
                Fixtures.row("00000013_005.png", "No Finding", "13")));
    assertThatThrownBy(() -> CxrDataset.scan(dir))
        .isInstanceOf(CxrDataException.class)
        .hasMessage(
            csv
                + ": image 00000013_005.png is listed twice, in row 2 (Effusion) and row 4 (No"
                + " Finding)");
    CxrDataset lenient = CxrDataset.scan(dir, null, true);
    assertThat(lenient.images())
        .extracting(i -> i.path().getFileName().toString())
        .containsExactly("00000014_000.png");
    assertThat(lenient.report().countsByKind()).containsExactly(entry("duplicate image", 1));
  }

  @Test
  void malformedCsvRowStrictAndLenient() throws Exception {
    Fixtures.gray8(dir.resolve("images/00000001_000.png"), 8, 8, 1);
    Fixtures.gray8(dir.resolve("images/00000002_000.png"), 8, 8, 2);
    Fixtures.csv(
        dir.resolve("Data_Entry_2017.csv"),
        List.of(
            "\"00000001_000.png,Effusion,0,1,50,M,PA,2500,2048,0.143,0.143",
            Fixtures.row("00000002_000.png", "No Finding", "2")));
    assertThatThrownBy(() -> CxrDataset.scan(dir))
        .hasMessageContaining("Data_Entry_2017.csv, row 2: field 1: unterminated quote");
    CxrDataset lenient = CxrDataset.scan(dir, null, true);
    assertThat(lenient.images()).hasSize(1);
    assertThat(lenient.report().countsByKind()).containsExactly(entry("bad row", 1));
  }

  @Test
  void sameNameInTwoClassFoldersStrictAndLenient() throws Exception {
    Fixtures.gray8(dir.resolve("Effusion/00000013_005.png"), 8, 8, 1);
    Fixtures.gray8(dir.resolve("No Finding/00000013_005.png"), 8, 8, 1);
    Fixtures.gray8(dir.resolve("Effusion/00000020_000.png"), 8, 8, 2);
    Fixtures.gray8(dir.resolve("No Finding/00000021_000.png"), 8, 8, 3);
    assertThatThrownBy(() -> CxrDataset.scan(dir))
        .isInstanceOf(CxrDataException.class)
        .hasMessage(dir + ": image 00000013_005.png is in both 'Effusion/' and 'No Finding/'");
    CxrDataset lenient = CxrDataset.scan(dir, null, true);
    assertThat(lenient.images())
        .extracting(i -> i.path().getFileName().toString())
        .containsExactlyInAnyOrder("00000020_000.png", "00000021_000.png");
    assertThat(lenient.report().countsByKind()).containsExactly(entry("duplicate image", 1));
    assertThat(lenient.report().problems().get(0).message()).endsWith("; all copies dropped");
    // three classes
    Fixtures.gray8(dir.resolve("Mass/00000013_005.png"), 8, 8, 1);
    assertThatThrownBy(() -> CxrDataset.scan(dir))
        .hasMessageEndingWith("is in 'Effusion/', 'Mass/' and 'No Finding/'");
  }

  @Test
  void sameNameTwiceInOneClass() throws Exception {
    Fixtures.gray8(dir.resolve("Effusion/a/x.png"), 8, 8, 1);
    Fixtures.gray8(dir.resolve("Effusion/b/x.png"), 8, 8, 1);
    Fixtures.gray8(dir.resolve("No Finding/a/y.png"), 8, 8, 1);
    Fixtures.gray8(dir.resolve("no_finding/y.png"), 8, 8, 2);
    CxrDataset ds = CxrDataset.scan(dir);
    // identical copies are one image; different copies are different images of one label
    assertThat(ds.images())
        .extracting(i -> dir.relativize(i.path()).toString().replace('\\', '/'))
        .containsExactly("Effusion/a/x.png", "No Finding/a/y.png", "no_finding/y.png");
    assertThat(ds.report().countsByKind()).containsExactly(entry("duplicate file", 1));
    assertThat(ds.report().problems().get(0).message())
        .contains("also in 'Effusion/b/'")
        .contains("identical");
  }

  @Test
  void oneRowTwoFilesOfItsName() throws Exception {
    Fixtures.gray8(dir.resolve("images_001/images/00000001_000.png"), 8, 8, 1);
    Fixtures.gray8(dir.resolve("images_002/images/00000001_000.png"), 8, 8, 1);
    Fixtures.gray8(dir.resolve("images_001/images/00000002_000.png"), 8, 8, 2);
    Fixtures.gray8(dir.resolve("images_002/images/00000002_000.png"), 8, 8, 3);
    Fixtures.gray8(dir.resolve("images_001/images/00000009_000.png"), 8, 8, 4);
    Fixtures.gray8(dir.resolve("images_002/images/00000009_000.png"), 8, 8, 5);
    Fixtures.csv(
        dir.resolve("Data_Entry_2017.csv"),
        List.of(
            Fixtures.row("00000001_000.png", "Effusion", "1"),
            Fixtures.row("00000002_000.png", "No Finding", "2")));
    assertThatThrownBy(() -> CxrDataset.scan(dir))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("Data_Entry_2017.csv, row 3: image 00000002_000.png is in both")
        .hasMessageContaining("'images_001/images/' and 'images_002/images/'")
        .hasMessageContaining("the files differ");
    CxrDataset lenient = CxrDataset.scan(dir, null, true);
    // identical copies: the first is used; 00000009 is named by no row and ignored
    assertThat(lenient.images())
        .extracting(i -> dir.relativize(i.path()).toString().replace('\\', '/'))
        .containsExactly("images_001/images/00000001_000.png");
    assertThat(lenient.report().countsByKind())
        .containsExactly(entry("duplicate file", 1), entry("duplicate image", 1));
  }

  @Test
  void patientIdsAgreeAcrossLayouts() throws Exception {
    Path nih = dir.resolve("nih");
    Fixtures.gray8(nih.resolve("images/00000013_005.png"), 8, 8, 1);
    Fixtures.gray8(nih.resolve("images/00000013_006.png"), 8, 8, 2);
    Fixtures.gray8(nih.resolve("images/00000013_007.png"), 8, 8, 3);
    Fixtures.csv(
        nih.resolve("Data_Entry_2017.csv"),
        List.of(
            Fixtures.row("00000013_005.png", "Effusion", "13"),
            Fixtures.row("00000013_006.png", "No Finding", "013"),
            Fixtures.row("00000013_007.png", "No Finding", "00000013")));
    assertThat(CxrDataset.scan(nih).images())
        .extracting(CxrDataset.Image::patientId)
        .containsOnly("13");
    assertThat(CxrTask.EFFUSION.label(CxrDataset.scan(nih)).patients()).isEqualTo(1);
    Path classes = dir.resolve("classes");
    Fixtures.gray8(classes.resolve("Effusion/00000013_005.png"), 8, 8, 1);
    Fixtures.gray8(classes.resolve("No Finding/013.png"), 8, 8, 2);
    assertThat(CxrDataset.scan(classes).images())
        .extracting(CxrDataset.Image::patientId)
        .containsOnly("13");
  }

  @Test
  void realNihSubset() {
    Path real = Fixtures.sharedData("nih-effusion-182").orElse(null);
    Assumptions.assumeTrue(
        real != null, "../shared/data/nih-effusion-182 absent: skipping real-data test");
    CxrDataset ds = CxrDataset.scan(real);
    CxrTask.Labeled l = CxrTask.EFFUSION.label(ds);
    assertThat(l.positives()).isEqualTo(82);
    assertThat(l.noFinding()).isEqualTo(100);
    assertThat(l.patients()).isEqualTo(182);
    PatientSplit split = PatientSplit.trainValidation(l.samples(), 0.2, 42);
    assertThat(split.sharedPatients()).isEmpty();
    assertThat(split.train().size() + split.validation().size()).isEqualTo(182);
    assertThat(split.validation()).anyMatch(Sample::positive).anyMatch(s -> !s.positive());
  }
}
