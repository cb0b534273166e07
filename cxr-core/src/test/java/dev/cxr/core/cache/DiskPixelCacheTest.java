package dev.cxr.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.Fixtures;
import dev.cxr.core.image.ImageLoader;
import dev.cxr.core.image.ResizedImage;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.Progress;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskPixelCacheTest {
  private static final int SIZE = 16;
  @TempDir Path tmp;
  private Path data;
  private Path cacheDir;
  private final List<Path> images = new ArrayList<>();

  @BeforeEach
  void images() throws Exception {
    data = Files.createDirectories(tmp.resolve("data/images"));
    cacheDir = tmp.resolve("cache");
    for (int i = 0; i < 5; i++) {
      images.add(Fixtures.gray8(data.resolve("g" + i + ".png"), 40, 40, i + 1));
    }
    BufferedImage wide = new BufferedImage(40, 40, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 40; x++) {
        wide.getRaster().setSample(x, y, 0, (x * 1601 + y * 37) % 65536);
      }
    }
    images.add(Fixtures.write(wide, "png", data.resolve("w16.png")));
    images.add(Files.writeString(data.resolve("bad.png"), "not an image"));
  }

  private DiskPixelCache open() throws Exception {
    return DiskPixelCache.open(cacheDir, tmp.resolve("data"), images, SIZE, 2, none());
  }

  private static Progress.Factory none() {
    return Progress.Factory.none();
  }

  private void assertSamePixels(DiskPixelCache c) {
    for (Path p : images.subList(0, 6)) {
      ResizedImage direct = ImageLoader.read(p, SIZE, SIZE);
      ResizedImage cached = c.get(p, SIZE, SIZE);
      assertThat(cached.bitDepth()).as(p.toString()).isEqualTo(direct.bitDepth());
      assertThat(cached.minMaxNormalised())
          .as(p.toString())
          .containsExactly(direct.minMaxNormalised());
    }
  }

  @Test
  void firstOpenBuildsSecondDecodesNothing() throws Exception {
    try (DiskPixelCache c = open()) {
      assertThat(c.built()).isTrue();
      assertThat(c.decoded()).isEqualTo(7);
      assertThat(c.images()).isEqualTo(7);
      assertSamePixels(c);
      assertThat(c.get(images.get(5), SIZE, SIZE).bitDepth()).isEqualTo(16);
    }
    try (DiskPixelCache c = open()) {
      assertThat(c.built()).isFalse();
      assertSamePixels(c);
      // the unreadable image is remembered with its error, not decoded again
      assertThatThrownBy(() -> c.get(images.get(6), SIZE, SIZE))
          .isInstanceOf(CxrDataException.class)
          .hasMessageContaining("bad.png");
      assertThat(c.decoded()).isZero();
      assertThat(c.hits()).isEqualTo(7);
      // another size or an image outside the set is not in the file
      assertThat(c.get(images.get(0), SIZE * 2, SIZE * 2)).isNull();
      assertThat(c.get(tmp.resolve("elsewhere.png"), SIZE, SIZE)).isNull();
      assertThat(Files.size(c.file())).isEqualTo(c.sizeOnDisk());
    }
    try (var files = Files.list(cacheDir)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")))
          .isEmpty();
    }
  }

  @Test
  void truncatedFileIsRebuilt() throws Exception {
    Path file;
    try (DiskPixelCache c = open()) {
      file = c.file();
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(f.length() - 3);
    }
    try (DiskPixelCache c = open()) {
      assertThat(c.built()).isTrue();
      assertThat(c.rebuiltBecause()).contains("truncated");
      assertSamePixels(c);
    }
  }

  @Test
  void flippedHeaderOrIndexByteIsRebuilt() throws Exception {
    Path file;
    try (DiskPixelCache c = open()) {
      file = c.file();
    }
    flip(file, 13); // width
    try (DiskPixelCache c = open()) {
      assertThat(c.rebuiltBecause()).contains("header checksum");
    }
    flip(file, Files.size(file) - 2); // last index entry's CRC
    try (DiskPixelCache c = open()) {
      assertThat(c.rebuiltBecause()).contains("index checksum");
      assertSamePixels(c);
    }
  }

  @Test
  void flippedRecordByteIsDecodedAgainAndTheFileDropped() throws Exception {
    Path file;
    try (DiskPixelCache c = open()) {
      file = c.file();
    }
    PixelFileKey key = PixelFileKey.of(tmp.resolve("data"), images, SIZE, SIZE);
    int first = key.indexOf("images/g0.png");
    try (var ch = java.nio.channels.FileChannel.open(file)) {
      flip(file, PixelFileFormat.read(ch, key).offset[first] + 5); // inside g0.png's record
    }
    try (DiskPixelCache c = open()) {
      assertThat(c.built()).isFalse(); // header and index are fine
      assertSamePixels(c); // every image right: the bad record was decoded from its file
      assertThat(c.decoded()).isEqualTo(1);
      assertThat(c.corruptRecordFound()).isTrue();
    }
    assertThat(file).doesNotExist();
    try (DiskPixelCache c = open()) {
      assertThat(c.built()).isTrue();
      assertThat(c.decoded()).isEqualTo(7);
    }
  }

  @Test
  void fileOfOtherDataIsNotTrusted() throws Exception {
    Path file;
    try (DiskPixelCache c = open()) {
      file = c.file();
    }
    // a changed image gives another fingerprint, hence another file
    Files.setLastModifiedTime(images.get(0), FileTime.fromMillis(1_000_000L));
    Path other;
    try (DiskPixelCache c = open()) {
      assertThat(c.built()).isTrue();
      other = c.file();
    }
    assertThat(other).isNotEqualTo(file);
    // a file of other data under this data's name is detected by the fingerprint in its header
    Files.setLastModifiedTime(images.get(0), FileTime.fromMillis(2_000_000L));
    Path third;
    try (DiskPixelCache c = open()) {
      third = c.file();
    }
    Files.copy(other, third, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (DiskPixelCache c = open()) {
      assertThat(c.built()).isTrue();
      assertThat(c.rebuiltBecause()).contains("fingerprint");
      assertSamePixels(c);
    }
  }

  @Test
  void concurrentOpenersBuildOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<DiskPixelCache>> fs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        fs.add(pool.submit((Callable<DiskPixelCache>) this::open));
      }
      long built = 0;
      long decoded = 0;
      for (Future<DiskPixelCache> f : fs) {
        try (DiskPixelCache c = f.get()) {
          built += c.built() ? 1 : 0;
          decoded += c.decoded();
          assertSamePixels(c);
        }
      }
      assertThat(built).isEqualTo(1);
      assertThat(decoded).isEqualTo(7);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void pixelCacheReadsThroughTheFileAndReportsTheBuild() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Progress.Factory lines = Progress.Factory.console(new PrintStream(out, true), false);
    try (PixelCache c =
        PixelCache.over(
            DiskPixelCache.open(cacheDir, tmp.resolve("data"), images, SIZE, 1, lines))) {
      c.get(images.get(0), SIZE, SIZE);
      c.get(images.get(0), SIZE, SIZE);
      assertThat(c.hits()).isEqualTo(2);
      assertThat(c.misses()).isZero();
      c.get(images.get(0), 8, 8); // not in the file: decoded as without one
      assertThat(c.misses()).isEqualTo(1);
      assertThat(c.persistent()).isPresent();
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("pixel cache: ").contains("img/s");
  }

  private static void flip(Path file, long at) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x40);
    }
  }
}
