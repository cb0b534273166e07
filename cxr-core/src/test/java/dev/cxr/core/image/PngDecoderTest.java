package dev.cxr.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.Fixtures;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast PNG decoder must give exactly the gray values of the ImageIO path. */
class PngDecoderTest {
  @TempDir Path dir;

  /** Smooth gradients plus noise: ImageIO's adaptive filtering then uses all five row filters. */
  private static BufferedImage pattern(int type, int w, int h, long seed) {
    BufferedImage img = new BufferedImage(w, h, type);
    WritableRaster r = img.getRaster();
    SplittableRandom rnd = new SplittableRandom(seed);
    int max = type == BufferedImage.TYPE_USHORT_GRAY ? 65535 : 255;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int b = 0; b < r.getNumBands(); b++) {
          int smooth = (x * 3 + y * 2 + b * 40) * max / (5 * Math.max(w, h) + 120);
          int v = (y % 7 == 0) ? rnd.nextInt(max + 1) : smooth + rnd.nextInt(3);
          r.setSample(x, y, b, Math.min(max, v));
        }
      }
    }
    return img;
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        BufferedImage.TYPE_BYTE_GRAY,
        BufferedImage.TYPE_USHORT_GRAY,
        BufferedImage.TYPE_3BYTE_BGR,
        BufferedImage.TYPE_4BYTE_ABGR
      })
  void matchesImageIoPixelForPixel(int type) throws Exception {
    Path f = Fixtures.write(pattern(type, 67, 41, type), "png", dir.resolve("p" + type + ".png"));
    byte[] data = Files.readAllBytes(f);
    PngDecoder.Decoded d = PngDecoder.decode(data);
    assertThat(d).isNotNull();
    float[] fast = d.values() != null ? d.values() : rows(d);
    BufferedImage ref = ImageIO.read(f.toFile());
    WritableRaster r = ref.getRaster();
    float[] expected = new float[67 * 41];
    for (int y = 0; y < 41; y++) {
      for (int x = 0; x < 67; x++) {
        expected[y * 67 + x] =
            r.getNumBands() >= 3
                ? 0.299f * r.getSample(x, y, 0)
                    + 0.587f * r.getSample(x, y, 1)
                    + 0.114f * r.getSample(x, y, 2)
                : r.getSample(x, y, 0);
      }
    }
    assertThat(fast).containsExactly(expected);
    assertThat(d.sixteenBit()).isEqualTo(type == BufferedImage.TYPE_USHORT_GRAY);
  }

  private static float[] rows(PngDecoder.Decoded d) {
    float[] out = new float[d.width() * d.height()];
    for (int y = 0; y < d.height(); y++) {
      for (int x = 0; x < d.width(); x++) {
        out[y * d.width() + x] = d.rawGray8()[y * (d.width() + 1) + 1 + x] & 0xFF;
      }
    }
    return out;
  }

  @Test
  void paletteImagesUseTheirColours() throws Exception {
    byte[] red = new byte[256];
    byte[] green = new byte[256];
    byte[] blue = new byte[256];
    for (int i = 0; i < 256; i++) {
      red[i] = (byte) i;
      green[i] = (byte) (255 - i);
      blue[i] = (byte) (i / 2);
    }
    BufferedImage img =
        new BufferedImage(
            9, 5, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, red, green, blue));
    for (int i = 0; i < 45; i++) {
      img.getRaster().setSample(i % 9, i / 9, 0, i * 5);
    }
    Path f = Fixtures.write(img, "png", dir.resolve("pal.png"));
    ResizedImage out = ImageLoader.read(f, 9, 5);
    int idx = 7 * 5;
    assertThat(out.sample(7, 0))
        .isEqualTo(Math.round(0.299f * idx + 0.587f * (255 - idx) + 0.114f * (idx / 2)));
  }

  @Test
  void truncatedAndCorruptDataAreErrors() throws Exception {
    Path f =
        Fixtures.write(
            pattern(BufferedImage.TYPE_BYTE_GRAY, 64, 64, 1), "png", dir.resolve("g.png"));
    byte[] data = Files.readAllBytes(f);
    assertThatThrownBy(() -> PngDecoder.decode(Arrays.copyOf(data, data.length * 2 / 3)))
        .isInstanceOf(PngDecoder.PngFormatException.class)
        .hasMessageContaining("truncated");
    byte[] corrupt = data.clone();
    for (int i = 60; i < corrupt.length - 20; i += 3) {
      corrupt[i] ^= 0x5A;
    }
    assertThatThrownBy(() -> PngDecoder.decode(corrupt))
        .isInstanceOf(PngDecoder.PngFormatException.class);
  }

  @Test
  void realNihImagesDecodeExactlyAsImageIo() throws Exception {
    Path images = Fixtures.sharedData("nih-effusion-182/images").orElse(null);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        images != null, "../shared/data absent: skipping real PNG check");
    try (var s = Files.list(images)) {
      for (Path p : s.sorted().limit(3).toList()) {
        PngDecoder.Decoded d = PngDecoder.decode(Files.readAllBytes(p));
        WritableRaster r = ImageIO.read(p.toFile()).getRaster();
        float[] fast = d.values() != null ? d.values() : rows(d);
        for (int y = 0; y < d.height(); y += 13) {
          for (int x = 0; x < d.width(); x += 11) {
            float ref =
                r.getNumBands() >= 3
                    ? 0.299f * r.getSample(x, y, 0)
                        + 0.587f * r.getSample(x, y, 1)
                        + 0.114f * r.getSample(x, y, 2)
                    : r.getSample(x, y, 0);
            assertThat(fast[y * d.width() + x]).as("%s (%d,%d)", p, x, y).isEqualTo(ref);
          }
        }
      }
    }
  }
}
