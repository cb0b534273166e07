package dev.cxr.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.Fixtures;
import dev.cxr.core.cache.PixelCacheFiles.Entry;
import dev.cxr.core.cache.PixelCacheFiles.PruneRequest;
import dev.cxr.core.cache.PixelCacheFiles.State;
import dev.cxr.core.io.Progress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PixelCacheFilesTest {
  private static final int SIZE = 8;
  @TempDir Path tmp;
  private Path data;
  private Path cache;
  private final List<Path> images = new ArrayList<>();

  @BeforeEach
  void images() throws Exception {
    data = Files.createDirectories(tmp.resolve("data"));
    cache = tmp.resolve("cache");
    for (int i = 0; i < 3; i++) {
      images.add(Fixtures.gray8(data.resolve("g" + i + ".png"), 20, 20, i + 1));
    }
  }

  private Path build() throws Exception {
    try (DiskPixelCache c = DiskPixelCache.open(cache, data, images, SIZE, 1, none())) {
      return c.file();
    }
  }

  private static Progress.Factory none() {
    return Progress.Factory.none();
  }

  private static Entry only(List<Entry> entries, Path file) {
    return entries.stream().filter(e -> e.file().equals(file)).findFirst().orElseThrow();
  }

  @Test
  void listsTheDataEachFileBelongsToAndWhetherItIsStillCurrent() throws Exception {
    Path first = build();
    Entry e = only(PixelCacheFiles.list(cache), first);
    assertThat(e.state()).isEqualTo(State.CURRENT);
    assertThat(e.data()).isEqualTo(data.toAbsolutePath().normalize().toString());
    assertThat(e.images()).isEqualTo(3);
    assertThat(e.width()).isEqualTo(SIZE);
    assertThat(e.bytes()).isEqualTo(Files.size(first));

    // the data changes: the next run builds a second file, and the first one is stale
    Files.setLastModifiedTime(images.get(1), FileTime.from(Instant.now().plusSeconds(60)));
    Path second = build();
    assertThat(second).isNotEqualTo(first);
    List<Entry> both = PixelCacheFiles.list(cache);
    assertThat(both).hasSize(2);
    assertThat(only(both, first).state()).isEqualTo(State.STALE);
    assertThat(only(both, first).detail()).contains("changed");
    assertThat(only(both, second).state()).isEqualTo(State.CURRENT);

    Files.delete(images.get(2));
    assertThat(only(PixelCacheFiles.list(cache), second).detail())
        .isEqualTo("1 of its 3 images are gone (g2.png, ...)");
  }

  @Test
  void reuseIsTheLastUse() throws Exception {
    Path file = build();
    Instant old = Instant.now().minus(Duration.ofDays(40));
    Files.setLastModifiedTime(file, FileTime.from(old));
    assertThat(only(PixelCacheFiles.list(cache), file).lastUse()).isEqualTo(old);
    build(); // reused, not rebuilt
    assertThat(only(PixelCacheFiles.list(cache), file).lastUse())
        .isAfter(Instant.now().minusSeconds(60));
  }

  @Test
  void olderThanDeletesOnlyFilesUnusedThatLong() throws Exception {
    Path oldFile = build();
    Files.setLastModifiedTime(oldFile, FileTime.from(Instant.now().minus(Duration.ofDays(31))));
    images.remove(2);
    Path recent = build();

    PixelCacheFiles.Pruned p =
        PixelCacheFiles.prune(cache, new PruneRequest(Duration.ofDays(30), false));
    assertThat(p.deleted()).extracting(Entry::file).containsExactly(oldFile);
    assertThat(p.bytesFreed()).isPositive();
    assertThat(oldFile).doesNotExist();
    assertThat(recent).exists();
  }

  @Test
  void allButCurrentKeepsTheFilesTodaysDataUses() throws Exception {
    Path stale = build();
    Files.setLastModifiedTime(images.get(0), FileTime.from(Instant.now().plusSeconds(60)));
    Path current = build();
    Path invalid = Files.writeString(cache.resolve("pixels-0000000000000000-8x8-f1.cxrpx"), "x");
    Path leftover = Files.writeString(cache.resolve(".pixels-00-8x8-f1.cxrpx.123.tmp"), "partial");
    Path foreign = Files.writeString(cache.resolve("notes.txt"), "not the cache's");

    PixelCacheFiles.Pruned p = PixelCacheFiles.prune(cache, new PruneRequest(Duration.ZERO, true));
    assertThat(p.deleted())
        .extracting(Entry::file)
        .containsExactlyInAnyOrder(stale, invalid, leftover);
    assertThat(p.kept()).extracting(Entry::file).containsExactly(current);
    assertThat(current).exists();
    assertThat(foreign).exists();
    assertThat(stale).doesNotExist();
  }

  @Test
  void aFileWhoseBuildLockIsHeldIsKept() throws Exception {
    Path stale = build();
    Files.setLastModifiedTime(images.get(0), FileTime.from(Instant.now().plusSeconds(60)));
    build();
    Path lock = stale.resolveSibling(stale.getFileName() + ".lock");
    try (FileChannel ch =
            FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = ch.lock()) {
      PixelCacheFiles.Pruned p =
          PixelCacheFiles.prune(cache, new PruneRequest(Duration.ZERO, true));
      assertThat(p.deleted()).isEmpty();
      assertThat(only(p.kept(), stale).detail()).startsWith("in use");
      assertThat(stale).exists();
    }
    assertThat(PixelCacheFiles.prune(cache, new PruneRequest(Duration.ZERO, true)).deleted())
        .extracting(Entry::file)
        .containsExactly(stale);
  }

  @Test
  void aPruneMustSayWhatToPruneAndTheDirectoryMustExist() {
    assertThatThrownBy(() -> new PruneRequest(Duration.ZERO, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("say what to prune");
    assertThatThrownBy(() -> PixelCacheFiles.list(tmp.resolve("none")))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("none");
  }
}
