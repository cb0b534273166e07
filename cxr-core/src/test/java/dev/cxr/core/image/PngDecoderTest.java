package dev.cxr.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.core.Fixtures;
import dev.cxr.core.io.CxrDataException;
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

  @ParameterizedTest
  @ValueSource(ints = {0, 1}) // 1: interlaced, a variant otherwise left to ImageIO
  void hugeDeclaredSizeIsRefusedBeforeAllocating(int interlace) throws Exception {
    byte[] hostile = HostilePng.hugeDeclared(46000, 46000, interlace);
    assertThat(hostile.length).isLessThan(120);
    Path f = Files.write(dir.resolve("huge" + interlace + ".png"), hostile);
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> ImageLoader.read(f, 64, 64))
        .isInstanceOf(CxrDataException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining("46000 x 46000")
        .hasMessageContaining("limit of " + ImageLimits.maxSide() + " per side")
        .hasMessageContaining(ImageLimits.MAX_SIDE_PROPERTY);
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(2.0);
  }

  @Test
  void dimensionsJustOverTheCapAreRefusedAndOverflowIsImpossible() {
    assertThat(ImageLimits.maxSide()).isEqualTo(ImageLimits.MAX_SIDE).isEqualTo(16384);
    int over = ImageLimits.maxSide() + 1;
    assertThatThrownBy(() -> PngDecoder.decode(HostilePng.hugeDeclared(8, over, 0)))
        .isInstanceOf(PngDecoder.PngFormatException.class)
        .hasMessageContaining("8 x " + over);
    // a negative (over 2^31 - 1) side is not a size at all
    assertThatThrownBy(() -> PngDecoder.decode(HostilePng.hugeDeclared(-5, 8, 0)))
        .isInstanceOf(PngDecoder.PngFormatException.class)
        .hasMessageContaining("invalid PNG header");
  }

  @Test
  void flippedByteInImageDataIsACrcMismatchNamingTheFile() throws Exception {
    Path good = Fixtures.gray8(dir.resolve("good.png"), 64, 64, 5);
    byte[] bad = HostilePng.flipInIdat(Files.readAllBytes(good));
    Path f = Files.write(dir.resolve("flipped.png"), bad);
    assertThatThrownBy(() -> ImageLoader.read(f, 16, 16))
        .isInstanceOf(CxrDataException.class)
        .hasMessageStartingWith(f.toString())
        .hasMessageContaining("CRC mismatch in IDAT chunk");
  }

  @Test
  void damagedHeaderCrcIsRefused() throws Exception {
    byte[] data = Files.readAllBytes(Fixtures.gray8(dir.resolve("h.png"), 16, 16, 1));
    data[8 + 8 + 3] ^= 0x01; // width's low byte: 16 becomes 17
    assertThatThrownBy(() -> PngDecoder.decode(data)).hasMessageContaining("CRC mismatch in IHDR");
  }

  @Test
  void adler32MismatchIsRefusedEvenWithValidCrcs() throws Exception {
    byte[] data = Files.readAllBytes(Fixtures.gray8(dir.resolve("a.png"), 32, 32, 2));
    int at = HostilePng.find(data, "IDAT");
    int len = java.nio.ByteBuffer.wrap(data).getInt(at);
    data[at + 8 + len - 1] ^= 0x01; // last byte of the zlib stream: the Adler-32
    HostilePng.fixCrc(data, at);
    assertThatThrownBy(() -> PngDecoder.decode(data))
        .isInstanceOf(PngDecoder.PngFormatException.class)
        .hasMessageContaining("Adler-32 mismatch");
  }

  @Test
  void imageDataSplitAcrossChunksStillDecodes() throws Exception {
    byte[] rows = new byte[4 * 5];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        rows[y * 5 + 1 + x] = (byte) (y * 4 + x);
      }
    }
    byte[] z = HostilePng.zlib(rows);
    int cut = z.length - 4; // the Adler-32 alone in its own chunk, after an empty one
    byte[] png =
        HostilePng.png(
            HostilePng.ihdr(4, 4, 8, 0, 0),
            HostilePng.chunk(
                "tEXt", "Comment\0x".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
            HostilePng.chunk("IDAT", Arrays.copyOf(z, cut)),
            HostilePng.chunk("IDAT", new byte[0]),
            HostilePng.chunk("IDAT", Arrays.copyOfRange(z, cut, z.length)),
            HostilePng.chunk("IEND", new byte[0]));
    PngDecoder.Decoded d = PngDecoder.decode(png);
    assertThat(rows(d)[15]).isEqualTo(15f);
    // the checksum missing altogether: the rows are there, but cannot be verified
    byte[] noTrailer =
        HostilePng.png(
            HostilePng.ihdr(4, 4, 8, 0, 0),
            HostilePng.chunk("IDAT", Arrays.copyOf(z, cut)),
            HostilePng.chunk("IEND", new byte[0]));
    assertThatThrownBy(() -> PngDecoder.decode(noTrailer)).hasMessageContaining("Adler-32");
  }

  @Test
  void damagedAncillaryChunkIsIgnoredLikeLibpng() throws Exception {
    byte[] z = HostilePng.zlib(new byte[3 * 3]);
    byte[] text =
        HostilePng.chunk("tEXt", "a\0b".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    text[text.length - 1] ^= 0x7F;
    byte[] png =
        HostilePng.png(
            HostilePng.ihdr(2, 3, 8, 0, 0),
            text,
            HostilePng.chunk("IDAT", z),
            HostilePng.chunk("IEND", new byte[0]));
    assertThat(PngDecoder.decode(png).width()).isEqualTo(2);
  }

  @Test
  void presetDictionaryDoesNotHang() {
    // zlib header 78 20: FDICT set; then a dictionary id and some data
    byte[] idat = {0x78, 0x20, 0, 0, 0, 1, 0x63, 0, 0, 0, 0, 0};
    byte[] png =
        HostilePng.png(
            HostilePng.ihdr(2, 2, 8, 0, 0),
            HostilePng.chunk("IDAT", idat),
            HostilePng.chunk("IEND", new byte[0]));
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(5),
        () ->
            assertThatThrownBy(() -> PngDecoder.decode(png))
                .isInstanceOf(PngDecoder.PngFormatException.class)
                .hasMessageContaining("preset dictionary"));
  }

  @Test
  void truncatedAfter2000BytesNamesTheChunk() throws Exception {
    byte[] data =
        Files.readAllBytes(
            Fixtures.write(
                pattern(BufferedImage.TYPE_BYTE_GRAY, 128, 128, 7), "png", dir.resolve("t.png")));
    assertThat(data.length).isGreaterThan(2000);
    assertThatThrownBy(() -> PngDecoder.decode(Arrays.copyOf(data, 2000)))
        .hasMessageContaining("truncated PNG: IDAT chunk at byte");
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
