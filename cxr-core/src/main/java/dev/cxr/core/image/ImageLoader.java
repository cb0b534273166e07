package dev.cxr.core.image;

import dev.cxr.core.dicom.DicomImage;
import dev.cxr.core.dicom.DicomReader;
import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.RegularFiles;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

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
    return load(ImageSource.file(Objects.requireNonNull(file, "file")), size);
  }

  /**
   * Reads an image from a file or from memory, resizes it to {@code size x size} and min-max
   * normalises it to [0, 1].
   *
   * @param source the image
   * @param size target width and height in pixels
   * @return {@code size * size} floats, row-major
   * @throws CxrDataException naming the image when it cannot be read
   */
  public static float[] load(ImageSource source, int size) {
    return read(source, size, size).minMaxNormalised();
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
    return read(ImageSource.file(Objects.requireNonNull(file, "file")), width, height);
  }

  /**
   * Reads an image from a file or from memory and resizes it to {@code width x height}, keeping 8
   * or 16-bit samples.
   *
   * @param source the image
   * @param width target width
   * @param height target height
   * @return the resized image
   * @throws CxrDataException naming the image when it cannot be read
   */
  public static ResizedImage read(ImageSource source, int width, int height) {
    Objects.requireNonNull(source, "source");
    checkTarget(width, height);
    return resize(readGray(source.name(), source.read()), width, height);
  }

  /**
   * Reads an image held in memory (e.g. a database blob or a row of Spark's {@code binaryFile}
   * source) exactly as {@link #load(Path, int)} reads a file: resized to {@code size x size} and
   * min-max normalised to [0, 1].
   *
   * @param name the image's name, used only in error messages
   * @param data the encoded image (PNG, JPEG or DICOM)
   * @param size target width and height in pixels
   * @return {@code size * size} floats, row-major
   * @throws CxrDataException naming {@code name} when the bytes are not a readable image
   */
  public static float[] load(Path name, byte[] data, int size) {
    return load(new ImageSource(name, Objects.requireNonNull(data, "data")), size);
  }

  private static void checkTarget(int width, int height) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "target size must be positive but was " + width + "x" + height);
    }
  }

  private static ResizedImage resize(Gray gray, int width, int height) {
    float[] resized =
        gray.rawGray8 != null
            ? Resampler.resize(
                gray.rawGray8, 1, gray.width + 1, gray.width, gray.height, width, height)
            : Resampler.resize(gray.values, gray.width, gray.height, width, height);
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

  /**
   * Decodes an image's bytes to gray values: the fast PNG decoder first, ImageIO for everything
   * else. Every failure, running out of memory included, is a {@link CxrDataException} naming the
   * file.
   */
  static Gray readGray(Path file, byte[] data) {
    try {
      return decodeGray(file, data);
    } catch (OutOfMemoryError e) {
      throw new CxrDataException(
          file,
          -1,
          "out of memory while decoding the image ("
              + data.length
              + " bytes; maximum heap "
              + (Runtime.getRuntime().maxMemory() >> 20)
              + " MiB)",
          e);
    }
  }

  private static Gray decodeGray(Path file, byte[] data) {
    if (PngDecoder.isPng(data)) {
      PngDecoder.Decoded d;
      try {
        d = PngDecoder.decode(data);
      } catch (PngDecoder.PngFormatException e) {
        throw new CxrDataException(file, -1, "not a readable PNG image: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw new CxrDataException(file, -1, "not a readable PNG image: " + e, e);
      }
      if (d != null) {
        return new Gray(d.width(), d.height(), d.values(), d.sixteenBit(), d.rawGray8());
      }
    }
    if (DicomReader.looksLikeDicom(data)) {
      return fromDicom(DicomReader.decode(file, data, ImageLimits.maxSide()));
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
    RegularFiles.require(file, "image file");
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
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new CxrDataException(
            file, "not a PNG, JPEG or DICOM image (" + data.length + " bytes)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        checkSize(file, reader.getFormatName(), reader.getWidth(0), reader.getHeight(0));
        img = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (CxrDataException e) {
      throw e;
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

  /** Refuses a declared size over {@link ImageLimits#maxSide()} before ImageIO allocates it. */
  private static void checkSize(Path file, String format, int width, int height) {
    int maxSide = ImageLimits.maxSide();
    if (width > maxSide || height > maxSide) {
      throw new CxrDataException(
          file,
          format.toUpperCase(Locale.ROOT)
              + " image of "
              + width
              + " x "
              + height
              + " pixels exceeds the limit of "
              + maxSide
              + " per side (ImageLimits, system property "
              + ImageLimits.MAX_SIDE_PROPERTY
              + ")");
    }
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
    return Resampler.resize(src, sw, sh, dw, dh);
  }
}
