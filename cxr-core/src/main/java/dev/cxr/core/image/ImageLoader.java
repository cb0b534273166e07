package dev.cxr.core.image;

import dev.cxr.core.io.CxrDataException;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Reads chest radiographs (PNG or JPEG; 8-bit gray, 16-bit gray with its full range kept, RGB or
 * RGBA reduced to luminance with alpha ignored, palette images; DICOM through {@link DicomReader},
 * MONOCHROME1 inverted) and resizes them to a target size: by area averaging when shrinking (1024
 * to 256 px averages 4x4 blocks, like the article's {@code rescale(0.25)}), bilinearly when
 * growing.
 *
 * <p>All methods are thread-safe. Errors name the file: a missing, empty, truncated or non-image
 * file raises a {@link CxrDataException}.
 */
public final class ImageLoader {
  static {
    // ImageIO's default stream cache writes temporary files; decoding from memory is faster.
    ImageIO.setUseCache(false);
  }

  private ImageLoader() {}

  /**
   * Reads an image, resizes it to {@code size x size} and min-max normalises it to [0, 1].
   *
   * @param file a PNG or JPEG file
   * @param size target width and height in pixels
   * @return {@code size * size} floats, row-major
   * @throws CxrDataException when the file cannot be read as an image
   */
  public static float[] load(Path file, int size) {
    return read(file, size, size).minMaxNormalised();
  }

  /**
   * Reads an image and resizes it to {@code width x height}, keeping 8 or 16-bit samples.
   *
   * @param file a PNG or JPEG file
   * @param width target width
   * @param height target height
   * @return the resized image
   * @throws CxrDataException when the file cannot be read as an image
   */
  public static ResizedImage read(Path file, int width, int height) {
    Objects.requireNonNull(file, "file");
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "target size must be positive but was " + width + "x" + height);
    }
    Gray gray = readGray(file);
    float[] resized =
        gray.rawGray8 != null
            ? resize(gray.rawGray8, 1, gray.width + 1, gray.width, gray.height, width, height)
            : resize(gray.values, gray.width, gray.height, width, height);
    if (gray.sixteenBit) {
      short[] s = new short[resized.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = (short) clamp(Math.round(resized[i]), 65535);
      }
      return ResizedImage.ofShorts(width, height, s);
    }
    byte[] b = new byte[resized.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) clamp(Math.round(resized[i]), 255);
    }
    return ResizedImage.ofBytes(width, height, b);
  }

  private static int clamp(int v, int max) {
    return v < 0 ? 0 : Math.min(v, max);
  }

  /** Reads a file to gray values: the fast PNG decoder first, ImageIO for everything else. */
  static Gray readGray(Path file) {
    byte[] data = readBytes(file);
    if (PngDecoder.isPng(data)) {
      try {
        PngDecoder.Decoded d = PngDecoder.decode(data);
        if (d != null) {
          return new Gray(d.width(), d.height(), d.values(), d.sixteenBit(), d.rawGray8());
        }
      } catch (PngDecoder.PngFormatException e) {
        throw new CxrDataException(
            file, -1, "not a readable PNG image (truncated or corrupt?): " + e.getMessage(), e);
      }
    }
    if (DicomReader.looksLikeDicom(data)) {
      return fromDicom(DicomReader.decode(file, data));
    }
    return toGray(file, decode(file, data));
  }

  /**
   * DICOM pixels after the modality LUT, spread over the full 16-bit range (rescaled values may be
   * negative or fractional, and the PNG path's 16-bit samples are 0-65535), with MONOCHROME1
   * inverted so that bone is bright as in MONOCHROME2. The later min-max normalisation makes the
   * spreading exact up to 16-bit rounding.
   */
  private static Gray fromDicom(DicomImage dicom) {
    float[] v = dicom.modalityValues();
    double min = dicom.min();
    double range = dicom.max() - min;
    double scale = range > 0 ? 65535.0 / range : 0;
    for (int i = 0; i < v.length; i++) {
      double s = (v[i] - min) * scale;
      v[i] = (float) (dicom.monochrome1() ? 65535.0 - s : s);
    }
    return new Gray(dicom.width(), dicom.height(), v, true);
  }

  static byte[] readBytes(Path file) {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CxrDataException(file, "image file is missing");
    } catch (IOException e) {
      throw new CxrDataException(file, -1, "cannot read image file: " + e, e);
    }
    if (data.length == 0) {
      throw new CxrDataException(file, "image file is empty (0 bytes)");
    }
    return data;
  }

  /**
   * Decodes a file with ImageIO, turning every failure into one clear line.
   *
   * @param file the image file
   * @return the decoded image
   */
  public static BufferedImage decode(Path file) {
    return decode(file, readBytes(file));
  }

  private static BufferedImage decode(Path file, byte[] data) {
    BufferedImage img;
    try (InputStream in = new ByteArrayInputStream(data)) {
      img = ImageIO.read(in);
    } catch (IOException | RuntimeException e) {
      throw new CxrDataException(
          file, -1, "not a readable PNG/JPEG image (truncated or corrupt?): " + e.getMessage(), e);
    }
    if (img == null) {
      throw new CxrDataException(
          file, "not a PNG, JPEG or DICOM image (" + data.length + " bytes)");
    }
    return img;
  }

  /** Gray values at full resolution, in the source's own scale (0-255 or 0-65535). */
  record Gray(int width, int height, float[] values, boolean sixteenBit, byte[] rawGray8) {
    Gray(int width, int height, float[] values, boolean sixteenBit) {
      this(width, height, values, sixteenBit, null);
    }
  }

  private static Gray toGray(Path file, BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    Raster raster = img.getRaster();
    ColorModel cm = img.getColorModel();
    float[] out = new float[w * h];
    int type = img.getType();
    if (type == BufferedImage.TYPE_BYTE_GRAY
        && raster.getDataBuffer() instanceof DataBufferByte dbb
        && raster.getSampleModel().getNumBands() == 1
        && dbb.getData().length == w * h) {
      byte[] data = dbb.getData();
      for (int i = 0; i < out.length; i++) {
        out[i] = data[i] & 0xFF;
      }
      return new Gray(w, h, out, false);
    }
    int bands = raster.getNumBands();
    int[] row = new int[w];
    if (cm instanceof IndexColorModel icm) {
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          int idx = row[x];
          out[y * w + x] =
              0.299f * icm.getRed(idx) + 0.587f * icm.getGreen(idx) + 0.114f * icm.getBlue(idx);
        }
      }
      return new Gray(w, h, out, false);
    }
    int bits = cm.getComponentSize(0);
    boolean sixteen = raster.getTransferType() == DataBuffer.TYPE_USHORT || bits > 8;
    if (bands == 1 || bands == 2) { // gray, or gray + alpha
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          out[y * w + x] = row[x];
        }
      }
      return new Gray(w, h, out, sixteen);
    }
    if (bands >= 3) { // RGB or RGBA: luminance (ITU-R BT.601), alpha ignored
      int[] g = new int[w];
      int[] b = new int[w];
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, 0, row);
        raster.getSamples(0, y, w, 1, 1, g);
        raster.getSamples(0, y, w, 1, 2, b);
        for (int x = 0; x < w; x++) {
          out[y * w + x] = 0.299f * row[x] + 0.587f * g[x] + 0.114f * b[x];
        }
      }
      return new Gray(w, h, out, sixteen);
    }
    throw new CxrDataException(file, "unsupported image layout with " + bands + " bands");
  }

  /**
   * Resizes a gray image: area averaging on each axis that shrinks, bilinear on each axis that
   * grows (pixel centres aligned, borders replicated).
   *
   * @param src source values, row-major
   * @param sw source width
   * @param sh source height
   * @param dw target width
   * @param dh target height
   * @return {@code dw * dh} values in the source's scale
   */
  public static float[] resize(float[] src, int sw, int sh, int dw, int dh) {
    if (sw == dw && sh == dh) {
      return src.clone();
    }
    Axis ax = Axis.of(sw, dw);
    float[] tmp = new float[sh * dw]; // horizontal pass: sh rows of dw
    for (int y = 0; y < sh; y++) {
      int so = y * sw;
      int to = y * dw;
      for (int x = 0; x < dw; x++) {
        float acc = 0f;
        for (int k = ax.start[x]; k < ax.start[x + 1]; k++) {
          acc += src[so + ax.index[k]] * ax.weight[k];
        }
        tmp[to + x] = acc;
      }
    }
    return vertical(tmp, sh, dw, dh);
  }

  /**
   * {@link #resize} for 8-bit samples stored as rows of {@code stride} bytes starting at {@code
   * offset} (a decoded PNG's rows), so that no full-size float copy of the image is made.
   */
  static float[] resize(byte[] src, int offset, int stride, int sw, int sh, int dw, int dh) {
    if (sw % dw == 0 && sh % dh == 0) {
      return boxShrink(src, offset, stride, sw / dw, sh / dh, dw, dh);
    }
    Axis ax = Axis.of(sw, dw);
    float[] tmp = new float[sh * dw];
    for (int y = 0; y < sh; y++) {
      int so = offset + y * stride;
      int to = y * dw;
      for (int x = 0; x < dw; x++) {
        float acc = 0f;
        for (int k = ax.start[x]; k < ax.start[x + 1]; k++) {
          acc += (src[so + ax.index[k]] & 0xFF) * ax.weight[k];
        }
        tmp[to + x] = acc;
      }
    }
    return vertical(tmp, sh, dw, dh);
  }

  /**
   * Area averaging by whole factors (1024 to 256 px: 4x4 blocks) with exact integer sums; the
   * common case, about three times faster than the general weighted path.
   */
  private static float[] boxShrink(
      byte[] src, int offset, int stride, int kx, int ky, int dw, int dh) {
    float[] out = new float[dw * dh];
    int[] acc = new int[dw];
    float inv = 1f / (kx * ky);
    for (int oy = 0; oy < dh; oy++) {
      Arrays.fill(acc, 0);
      for (int r = 0; r < ky; r++) {
        int p = offset + (oy * ky + r) * stride;
        for (int x = 0; x < dw; x++) {
          int sum = 0;
          for (int j = 0; j < kx; j++) {
            sum += src[p++] & 0xFF;
          }
          acc[x] += sum;
        }
      }
      int o = oy * dw;
      for (int x = 0; x < dw; x++) {
        out[o + x] = acc[x] * inv;
      }
    }
    return out;
  }

  private static float[] vertical(float[] tmp, int sh, int dw, int dh) {
    Axis ay = Axis.of(sh, dh);
    float[] out = new float[dh * dw];
    for (int y = 0; y < dh; y++) {
      int o = y * dw;
      for (int k = ay.start[y]; k < ay.start[y + 1]; k++) {
        float wgt = ay.weight[k];
        int ro = ay.index[k] * dw;
        for (int x = 0; x < dw; x++) {
          out[o + x] += tmp[ro + x] * wgt;
        }
      }
    }
    return out;
  }

  /** Precomputed resampling weights along one axis (sparse rows: start offsets, index, weight). */
  private record Axis(int[] start, int[] index, float[] weight) {
    static Axis of(int n, int m) {
      int[] start = new int[m + 1];
      int[] index;
      float[] weight;
      if (m <= n) { // shrink: each output covers [x*n/m, (x+1)*n/m) of the input
        double scale = (double) n / m;
        int cap = m * ((int) Math.ceil(scale) + 2);
        index = new int[cap];
        weight = new float[cap];
        int k = 0;
        for (int x = 0; x < m; x++) {
          start[x] = k;
          double a = x * scale;
          double b = (x + 1) * scale;
          for (int i = (int) Math.floor(a); i < Math.min(n, (int) Math.ceil(b)); i++) {
            double overlap = Math.min(b, i + 1) - Math.max(a, i);
            if (overlap > 1e-9) {
              index[k] = i;
              weight[k] = (float) (overlap / scale);
              k++;
            }
          }
        }
        start[m] = k;
      } else { // grow: bilinear between the two nearest input centres
        index = new int[2 * m];
        weight = new float[2 * m];
        double scale = (double) n / m;
        for (int x = 0; x < m; x++) {
          double c = (x + 0.5) * scale - 0.5;
          int i0 = (int) Math.floor(c);
          double f = c - i0;
          int a = Math.max(0, Math.min(n - 1, i0));
          int b = Math.max(0, Math.min(n - 1, i0 + 1));
          start[x] = 2 * x;
          index[2 * x] = a;
          weight[2 * x] = (float) (1 - f);
          index[2 * x + 1] = b;
          weight[2 * x + 1] = (float) f;
        }
        start[m] = 2 * m;
      }
      return new Axis(start, index, weight);
    }
  }
}
