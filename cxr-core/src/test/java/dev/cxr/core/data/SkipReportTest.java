package dev.cxr.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.Fixtures;
import dev.cxr.core.cache.PixelCache;
import dev.cxr.core.image.HostilePng;
import dev.cxr.core.io.CxrDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one skip line, and the decoding pass that finds bad images before a run starts. */
class SkipReportTest {
  @TempDir Path dir;

  @Test
  void nothingSkippedNoLine() {
    DataReport r = new DataReport();
    r.add("duplicate file", "a note that skipped nothing");
    assertThat(SkipReport.line(r)).isEmpty();
  }

  @Test
  void countsEachItemOnceAndNamesTheFirstThree() {
    DataReport r = new DataReport();
    for (int i = 1; i <= 5; i++) {
      Path f = Path.of("data/images/" + i + ".png");
      r.add(DataReport.UNREADABLE_IMAGE, new CxrDataException(f, "CRC mismatch in IDAT"));
    }
    // the same image again (as in a second fold), a dropped batch and a bad CSV row
    r.add(
        DataReport.UNREADABLE_IMAGE,
        new CxrDataException(Path.of("data/images/1.png"), "CRC mismatch in IDAT"));
    r.add("dropped batch", "a batch of 2 image(s) in epoch 0 was dropped");
    r.add("bad row", new CxrDataException(Path.of("d/labels.csv"), 7, "expected 11 fields", null));
    assertThat(SkipReport.line(r))
        .contains(
            "skipped 6 bad items: 1.png (CRC mismatch in IDAT), 2.png (CRC mismatch in IDAT),"
                + " 3.png (CRC mismatch in IDAT) and 3 more");
    DataReport one = new DataReport();
    one.add(
        "bad row", new CxrDataException(Path.of("d/labels.csv"), 7, "expected 11 fields", null));
    assertThat(SkipReport.line(one))
        .contains("skipped 1 bad item: labels.csv, row 7 (expected 11 fields)");
  }

  @Test
  void preDecodingStopsAtTheFirstBadImageOrLeavesThemOut() throws Exception {
    Fixtures.nihDataset(dir, 4, 4, 24);
    List<Sample> s = CxrTask.EFFUSION.label(CxrDataset.scan(dir)).samples();
    Path cut = s.get(2).path();
    Path flipped = s.get(5).path();
    byte[] whole = Files.readAllBytes(cut);
    Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
    Files.write(flipped, HostilePng.flipInIdat(Files.readAllBytes(flipped)));
    try (PixelCache cache = PixelCache.create()) {
      DataReport strictReport = new DataReport();
      assertThatThrownBy(() -> PreDecoder.readable(s, cache, 16, 3, false, strictReport))
          .isInstanceOf(CxrDataException.class)
          .hasMessageStartingWith(cut + ": ");
      assertThat(strictReport.isEmpty()).isTrue();
      DataReport report = new DataReport();
      List<Sample> ok = PreDecoder.readable(s, cache, 16, 3, true, report);
      assertThat(ok).hasSize(6).extracting(Sample::path).doesNotContain(cut, flipped);
      assertThat(SkipReport.line(report).orElseThrow())
          .startsWith("skipped 2 bad items: " + cut.getFileName() + " (not a readable PNG image")
          .contains(flipped.getFileName() + " (not a readable PNG image: CRC mismatch in IDAT");
    }
  }
}
