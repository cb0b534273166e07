package dev.cxr.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cxr.core.data.CxrDataset;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.image.ImageInfo;
import dev.cxr.core.localize.BoundingBoxes;
import dev.cxr.core.weights.WeightFiles;
import dev.cxr.phantoms.DemoData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A named pipe given where a file is expected blocks whoever opens it: every reader refuses it,
 * named, before opening it, and the directory scan notes it and goes on. (A test that hung instead
 * would fail on its timeout.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NonRegularFilesTest {
  @TempDir Path dir;

  /** A named pipe made with mkfifo; the test is skipped where there is none. */
  Path fifo(Path where) throws Exception {
    Process p = new ProcessBuilder("mkfifo", where.toString()).redirectErrorStream(true).start();
    assumeTrue(p.waitFor() == 0 && Files.exists(where), "mkfifo is not available here");
    return where;
  }

  @Test
  void everyReaderRefusesANamedPipeUnopened() throws Exception {
    Path pipe = fifo(dir.resolve("film.png"));
    assertThatThrownBy(() -> ImageInfo.of(pipe))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("film.png")
        .hasMessageContaining("image file is a named pipe, socket or device, not a regular file");
    assertThatThrownBy(() -> WeightFiles.read(pipe))
        .hasMessageContaining("weight file is a named pipe");
    assertThatThrownBy(() -> BoundingBoxes.read(pipe)).hasMessageContaining("box file is a named");
    assertThatThrownBy(() -> RegularFiles.require(dir, "labels file"))
        .hasMessageContaining("labels file is a directory, not a regular file");
  }

  @Test
  void theScanNotesAPipeWithAnImagesNameAndReadsTheRest() throws Exception {
    DemoData.builder().images(12).seed(2).size(32).build().writeTo(dir);
    fifo(dir.resolve("images").resolve("stray.png"));
    DataReport report = new DataReport();
    CxrDataset ds = CxrDataset.scan(List.of(dir), null, true, report);
    assertThat(ds.images()).hasSize(12);
    assertThat(report.problems())
        .anySatisfy(
            p ->
                assertThat(p.message())
                    .contains("stray.png", "with an image's name, not a regular file; skipped"));
  }
}
