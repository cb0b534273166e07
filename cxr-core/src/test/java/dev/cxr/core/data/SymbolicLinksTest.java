package dev.cxr.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.cache.DiskPixelCache;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.Progress;
import dev.cxr.core.provenance.DataFingerprint;
import dev.cxr.phantoms.DemoData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data folders reached through symbolic links (issue 32): the data directory, {@code images/} and
 * {@code images_001/} as links are followed, a loop is noted once and not followed, a dangling link
 * is named, and the data read through a link is the same data (fingerprint, pixel cache) as by its
 * real path.
 */
class SymbolicLinksTest {
  @TempDir Path tmp;
  private Path real;

  @BeforeEach
  void demoData() throws IOException {
    real = tmp.resolve("real");
    DemoData.builder().images(16).size(32).seed(4).build().writeTo(real);
  }

  private static List<String> names(CxrDataset ds) {
    return ds.images().stream().map(i -> ds.relativeName(i.path())).toList();
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void theDataDirectoryAsALink() throws IOException {
    Path link = Files.createSymbolicLink(tmp.resolve("nih"), real);
    CxrDataset byReal = CxrDataset.scan(real);
    CxrDataset byLink = CxrDataset.scan(link);
    assertThat(byLink.images()).hasSize(16);
    assertThat(names(byLink)).isEqualTo(names(byReal));
    assertThat(byLink.images()).allMatch(i -> i.path().startsWith(link)); // the path as given
    assertThat(byLink.report().isEmpty()).isTrue();
    // the same data: the same fingerprint, the same pixel-cache file (reused, not rebuilt)
    assertThat(fingerprint(byLink)).isEqualTo(fingerprint(byReal));
    Path cache = tmp.resolve("cache");
    Path first;
    try (DiskPixelCache c = openCache(cache, byReal)) {
      assertThat(c.built()).isTrue();
      first = c.file();
    }
    try (DiskPixelCache c = openCache(cache, byLink)) {
      assertThat(c.built()).isFalse();
      assertThat(c.file()).isEqualTo(first);
      Path image = byLink.images().get(0).path();
      assertThat(c.get(image, 32, 32)).isNotNull();
      assertThat(c.hits()).isEqualTo(1);
    }
  }

  @Test
  void imagesAsALinkToAFolderElsewhere() throws IOException {
    Path project = tmp.resolve("project");
    Files.createDirectories(project);
    Files.copy(real.resolve("Data_Entry_2017.csv"), project.resolve("Data_Entry_2017.csv"));
    Files.createSymbolicLink(project.resolve("images"), real.resolve("images"));
    CxrDataset ds = CxrDataset.scan(project);
    assertThat(ds.images()).hasSize(16);
    assertThat(names(ds)).isEqualTo(names(CxrDataset.scan(real)));
    assertThat(ds.report().isEmpty()).isTrue();
  }

  @Test
  void nihMultiFolderLayoutWithALinkedImages001() throws IOException {
    // images_001/images/ holds the first half, behind a link; images_002/images/ the rest
    Path shared = tmp.resolve("nfs/images_001");
    Path nih = tmp.resolve("nih");
    Files.createDirectories(shared.resolve("images"));
    Files.createDirectories(nih.resolve("images_002/images"));
    Files.copy(real.resolve("Data_Entry_2017.csv"), nih.resolve("Data_Entry_2017.csv"));
    List<Path> pngs = list(real.resolve("images"));
    for (int i = 0; i < pngs.size(); i++) {
      Path to = i < 8 ? shared.resolve("images") : nih.resolve("images_002/images");
      Files.copy(pngs.get(i), to.resolve(pngs.get(i).getFileName()));
    }
    assertThatThrownBy(() -> CxrDataset.scan(nih))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("not found under " + nih);
    Files.createSymbolicLink(nih.resolve("images_001"), shared);
    CxrDataset ds = CxrDataset.scan(nih);
    assertThat(ds.images()).hasSize(16);
    assertThat(names(ds).stream().filter(n -> n.startsWith("images_001/images/"))).hasSize(8);
    assertThat(ds.report().isEmpty()).isTrue();
  }

  @Test
  void aLoopIsNotedOnceAndNotFollowed() throws IOException {
    Path loop = Files.createSymbolicLink(real.resolve("images/loop"), Path.of(".."));
    CxrDataset ds = CxrDataset.scan(real);
    assertThat(ds.images()).hasSize(16);
    assertThat(ds.report().countsByKind()).isEqualTo(Map.of(FolderWalk.LINK_LOOP, 1));
    assertThat(ds.report().problems().get(0).message())
        .isEqualTo(
            loop + ": a symbolic link to '" + real + "', which holds it (a loop); not followed");
  }

  @Test
  void twoWaysIntoOneFolderReadItOnce() throws IOException {
    Path again = Files.createSymbolicLink(real.resolve("images_copy"), Path.of("images"));
    CxrDataset ds = CxrDataset.scan(real); // strict: no image is found twice
    assertThat(ds.images()).hasSize(16);
    assertThat(names(ds)).allMatch(n -> n.startsWith("images/"));
    assertThat(ds.report().problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(FolderWalk.REPEATED_FOLDER);
              assertThat(p.message())
                  .isEqualTo(
                      again
                          + ": the same folder as '"
                          + real.resolve("images")
                          + "', already read; not read twice");
            });
  }

  @Test
  void aDanglingLinkIsNamedInTheReport() throws IOException {
    Path gone = tmp.resolve("gone");
    Path link = Files.createSymbolicLink(real.resolve("images_002"), gone);
    CxrDataset ds = CxrDataset.scan(real);
    assertThat(ds.images()).hasSize(16);
    assertThat(ds.report().problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(FolderWalk.DANGLING_LINK);
              assertThat(p.message())
                  .isEqualTo(
                      link + ": a symbolic link to '" + gone + "', which does not exist; skipped");
            });
  }

  @Test
  void anImageBehindADanglingLinkIsMissingAndTheLinkNamed() throws IOException {
    Path moved = tmp.resolve("moved");
    Files.move(real.resolve("images"), moved);
    Path link = Files.createSymbolicLink(real.resolve("images"), tmp.resolve("unmounted"));
    assertThatThrownBy(() -> CxrDataset.scan(real))
        .isInstanceOf(CxrDataException.class)
        .hasMessageEndingWith(
            "not found under "
                + real
                + " (a symbolic link below it points nowhere: "
                + link
                + " -> "
                + tmp.resolve("unmounted")
                + ")");
    CxrDataset lenient = CxrDataset.scan(real, null, true);
    assertThat(lenient.images()).isEmpty();
    assertThat(lenient.report().countsByKind())
        .isEqualTo(Map.of(FolderWalk.DANGLING_LINK, 1, "missing image", 16));
  }

  @Test
  void theDataDirectoryAsADanglingLink() throws IOException {
    Path link = Files.createSymbolicLink(tmp.resolve("nih"), tmp.resolve("unmounted"));
    assertThatThrownBy(() -> CxrDataset.scan(link))
        .isInstanceOf(CxrDataException.class)
        .hasMessage(
            link
                + ": data directory is a symbolic link to '"
                + tmp.resolve("unmounted")
                + "', which does not exist");
  }

  @Test
  void classFoldersAsLinks() throws IOException {
    Path classes = tmp.resolve("classes");
    Files.createDirectories(classes.resolve("No Finding"));
    Path effusion = tmp.resolve("elsewhere/eff");
    Files.createDirectories(effusion);
    List<Path> pngs = list(real.resolve("images"));
    for (int i = 0; i < pngs.size(); i++) {
      Path to = i < 8 ? classes.resolve("No Finding") : effusion;
      Files.copy(pngs.get(i), to.resolve(pngs.get(i).getFileName()));
    }
    Files.createSymbolicLink(classes.resolve("Effusion"), effusion);
    Path dangling = Files.createSymbolicLink(classes.resolve("Mass"), tmp.resolve("gone"));
    CxrDataset ds = CxrDataset.scan(classes);
    assertThat(ds.layout()).isEqualTo(CxrDataset.Layout.CLASS_FOLDERS);
    assertThat(ds.images()).hasSize(16);
    assertThat(ds.images().stream().filter(i -> i.findings().contains("Effusion"))).hasSize(8);
    assertThat(ds.report().problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).startsWith(dangling + ": a symbolic link to"));
  }

  @Test
  void aFolderGivenByItsLinkAndByItsRealPathIsGivenTwice() throws IOException {
    Path link = Files.createSymbolicLink(tmp.resolve("nih"), real);
    assertThatThrownBy(() -> CxrDataset.scan(List.of(real, link), null, false, null))
        .isInstanceOf(CxrDataException.class)
        .hasMessage(link + ": data directory given twice: it is the same folder as " + real);
  }

  private static String fingerprint(CxrDataset ds) {
    List<Sample> samples = CxrTask.EFFUSION.label(ds).samples();
    return DataFingerprint.of(ds, new PatientSplit(samples, List.of()));
  }

  private static DiskPixelCache openCache(Path cache, CxrDataset ds) throws IOException {
    List<Path> files = ds.images().stream().map(CxrDataset.Image::path).toList();
    return DiskPixelCache.open(cache, ds.commonRoot(), files, 32, 1, Progress.Factory.none());
  }
}
