package dev.cxr.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.core.Fixtures;
import dev.cxr.core.cache.PixelCache;
import dev.cxr.core.io.CxrDataException;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLoaderTest {
  @TempDir Path dir;

  @Test
  void shrinkAveragesBlocksExactly() throws Exception {
    // 8x8 image of 4x4 blocks with constant values 10, 50, 90, 130 -> 2x2 of the same values
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster r = img.getRaster();
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        r.setSample(x, y, 0, 10 + 40 * ((y / 4) * 2 + (x / 4)) + ((x + y) % 2 == 0 ? 4 : -4));
      }
    }
    Path f = Fixtures.write(img, "png", dir.resolve("blocks.png"));
    ResizedImage out = ImageLoader.read(f, 2, 2);
    assertThat(out.bitDepth()).isEqualTo(8);
    assertThat(new int[] {out.sample(0, 0), out.sample(1, 0), out.sample(0, 1), out.sample(1, 1)})
        .containsExactly(10, 50, 90, 130);
  }

  @Test
  void bytesInMemoryReadExactlyAsTheFile() throws Exception {
    BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster r = img.getRaster();
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        r.setSample(x, y, 0, (x * 7 + y * 13) % 256);
      }
    }
    Path f = Fixtures.write(img, "png", dir.resolve("grad.png"));
    float[] fromFile = ImageLoader.load(f, 16);
    float[] fromBytes = ImageLoader.load(Path.of("blob-17"), Files.readAllBytes(f), 16);
    assertThat(fromBytes).containsExactly(fromFile);
    // errors name the blob, as they name a file
    assertThatThrownBy(() -> ImageLoader.load(Path.of("blob-17"), new byte[] {1, 2, 3}, 16))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("blob-17");
    assertThatThrownBy(() -> ImageLoader.load(Path.of("blob-18"), new byte[0], 16))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("blob-18")
        .hasMessageContaining("empty");
  }

  @Test
  void nonIntegerShrinkIsAreaWeighted() {
    float[] src = {0, 3, 6}; // 3 -> 2: [0 + 0.5*3]/1.5 = 1, [0.5*3 + 6]/1.5 = 5
    float[] out = ImageLoader.resize(src, 3, 1, 2, 1);
    assertThat(out[0]).isCloseTo(1f, within(1e-5f));
    assertThat(out[1]).isCloseTo(5f, within(1e-5f));
  }

  @Test
  void growIsBilinearWithReplicatedBorder() {
    float[] out = ImageLoader.resize(new float[] {0, 8}, 2, 1, 4, 1);
    assertThat(out).containsExactly(0f, 2f, 6f, 8f);
  }

  @Test
  void sixteenBitKeepsFullRange() throws Exception {
    BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
    WritableRaster r = img.getRaster();
    for (int i = 0; i < 16; i++) {
      r.setSample(i % 4, i / 4, 0, i * 4000); // up to 60000, well above 255
    }
    Path f = Fixtures.write(img, "png", dir.resolve("g16.png"));
    ResizedImage out = ImageLoader.read(f, 4, 4);
    assertThat(out.bitDepth()).isEqualTo(16);
    assertThat(out.sample(3, 3)).isEqualTo(60000);
    assertThat(out.sample(1, 0)).isEqualTo(4000);
    float[] n = out.minMaxNormalised();
    assertThat(n[0]).isEqualTo(0f);
    assertThat(n[15]).isEqualTo(1f);
    assertThat(n[1]).isCloseTo(1f / 15, within(1e-6f));
  }

  @Test
  void rgbaUsesLuminanceAndIgnoresAlpha() throws Exception {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    img.setRGB(0, 0, 0x00FF0000); // red, fully transparent
    img.setRGB(1, 0, 0xFF0000FF); // blue, opaque
    Path f = Fixtures.write(img, "png", dir.resolve("rgba.png"));
    ResizedImage out = ImageLoader.read(f, 2, 1);
    assertThat(out.sample(0, 0)).isEqualTo(Math.round(0.299f * 255));
    assertThat(out.sample(1, 0)).isEqualTo(Math.round(0.114f * 255));
  }

  @Test
  void readsJpeg() throws Exception {
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        img.getRaster().setSample(x, y, 0, x < 8 ? 30 : 220);
      }
    }
    Path f = Fixtures.write(img, "jpg", dir.resolve("a.jpg"));
    ResizedImage out = ImageLoader.read(f, 2, 2);
    assertThat(out.sample(0, 0)).isCloseTo(30, within(6));
    assertThat(out.sample(1, 1)).isCloseTo(220, within(6));
  }

  @Test
  void constantImageNormalisesToZeroNotNaN() {
    float[] n = ResizedImage.ofBytes(2, 2, new byte[] {7, 7, 7, 7}).minMaxNormalised();
    assertThat(n).containsOnly(0f);
  }

  @Test
  void minMaxMapsToUnitRange() {
    float[] n = ResizedImage.ofBytes(3, 1, new byte[] {10, 20, 30}).minMaxNormalised();
    assertThat(n).containsExactly(0f, 0.5f, 1f);
  }

  @Test
  void standardisationUsesGivenStatistics() {
    float[] p = {0f, 0.5f, 1f};
    Normalisation.standardised(0.5, 0.25).applyInPlace(p, 0, 3);
    assertThat(p).containsExactly(-2f, 0f, 2f);
    assertThatThrownBy(() -> Normalisation.standardised(0.5, 0)).hasMessageContaining("std=0.0");
  }

  @Test
  void badFilesNameTheFile() throws Exception {
    Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
    assertThatThrownBy(() -> ImageLoader.read(empty, 8, 8))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("empty.png")
        .hasMessageContaining("0 bytes");
    Path text = Files.writeString(dir.resolve("text.png"), "not an image at all");
    assertThatThrownBy(() -> ImageLoader.read(text, 8, 8))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("text.png");
    Path good = Fixtures.gray8(dir.resolve("good.png"), 64, 64, 3);
    byte[] all = Files.readAllBytes(good);
    Path truncated = Files.write(dir.resolve("truncated.png"), Arrays.copyOf(all, all.length / 2));
    assertThatThrownBy(() -> ImageLoader.read(truncated, 8, 8))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("truncated.png");
    assertThatThrownBy(() -> ImageLoader.read(dir.resolve("missing.png"), 8, 8))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("missing.png")
        .hasMessageContaining("missing");
  }

  @Test
  void cacheDecodesOnceAndSpillsToDisk() throws Exception {
    Path a = Fixtures.gray8(dir.resolve("a.png"), 32, 32, 1);
    Path b = Fixtures.gray8(dir.resolve("b.png"), 32, 32, 9);
    try (PixelCache mem = PixelCache.create(1 << 20, dir)) {
      ResizedImage first = mem.get(a, 16, 16);
      assertThat(mem.get(a, 16, 16)).isSameAs(first);
      assertThat(mem.misses()).isEqualTo(1);
      assertThat(mem.hits()).isEqualTo(1);
    }
    try (PixelCache disk = PixelCache.create(0, dir.resolve("spill"))) {
      float[] direct = ImageLoader.read(b, 16, 16).minMaxNormalised();
      disk.get(b, 16, 16);
      assertThat(disk.spilledImages()).isEqualTo(1);
      assertThat(disk.memoryBytes()).isZero();
      assertThat(disk.get(b, 16, 16).minMaxNormalised()).containsExactly(direct);
      assertThat(disk.hits()).isEqualTo(1);
    }
  }
}
