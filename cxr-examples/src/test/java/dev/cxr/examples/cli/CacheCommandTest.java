package dev.cxr.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cxr.core.cache.DiskPixelCache;
import dev.cxr.core.io.Progress;
import dev.cxr.phantoms.DemoData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cxr cache list|prune}: stale pixel-cache files can be seen and removed. */
class CacheCommandTest {
  @TempDir Path dir;

  private Path build(Path data, Path cache) throws Exception {
    List<Path> images;
    try (Stream<Path> s = Files.list(data.resolve("images"))) {
      images = s.sorted().toList();
    }
    try (DiskPixelCache c =
        DiskPixelCache.open(cache, data, images, 16, 1, Progress.Factory.none())) {
      return c.file();
    }
  }

  @Test
  void listShowsStaleFilesAndPruneRemovesThem() throws Exception {
    Path data = dir.resolve("data");
    Path cache = dir.resolve("cache");
    DemoData.builder().images(6).seed(1).size(64).build().writeTo(data);
    Path old = build(data, cache);
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(45))));
    DemoData.builder().images(6).seed(2).size(64).overwrite(true).build().writeTo(data); // new data
    Path current = build(data, cache);

    CliTest.Result list = CliTest.cxr("cache", "list", "--cache", cache.toString());
    assertThat(list.code()).isZero();
    assertThat(list.out())
        .containsPattern("stale .* 6 +16x16 +" + java.util.regex.Pattern.quote(data.toString()))
        .contains(old.getFileName() + " (its images changed since it was built)")
        .containsPattern("current .*" + current.getFileName())
        .contains("2 file(s)")
        .contains("1 current, 1 not");

    CliTest.Result young =
        CliTest.cxr("cache", "prune", "--cache", cache.toString(), "--older-than", "60d");
    assertThat(young.code()).isZero();
    assertThat(young.out()).contains("pruned 0 file(s), 0.0 MiB freed; 2 kept");
    assertThat(old).exists();

    CliTest.Result pruned =
        CliTest.cxr("cache", "prune", "--cache", cache.toString(), "--all-but-current");
    assertThat(pruned.code()).isZero();
    assertThat(pruned.out())
        .contains("deleted  stale")
        .contains("pruned 1 file(s)")
        .contains("1 kept");
    assertThat(old).doesNotExist();
    assertThat(current).exists();
  }

  @Test
  void badRequestsExitTwoWithOneLine() {
    Path none = dir.resolve("none");
    CliTest.Result missing = CliTest.cxr("cache", "list", "--cache", none.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err().strip()).isEqualTo("error: " + none + ": not a pixel-cache directory");

    CliTest.Result nothing = CliTest.cxr("cache", "prune", "--cache", dir.toString());
    assertThat(nothing.code()).isEqualTo(2);
    assertThat(nothing.err().strip())
        .isEqualTo(
            "error: cache prune: say what to prune: --older-than AGE, --all-but-current, or both");

    CliTest.Result age =
        CliTest.cxr("cache", "prune", "--cache", dir.toString(), "--older-than", "30x");
    assertThat(age.code()).isEqualTo(2);
    assertThat(age.err().strip())
        .isEqualTo("error: --older-than: '30x' is not an age such as 30d, 12h, 90m or 2w");
  }
}
