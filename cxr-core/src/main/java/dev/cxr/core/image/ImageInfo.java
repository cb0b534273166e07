package dev.cxr.core.image;

import dev.cxr.core.dicom.DicomImage;
import dev.cxr.core.dicom.DicomReader;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * What a file holds, as {@code cxr image-info} prints it: format, size, bits, and the minimum,
 * maximum and mean of the stored pixel values. For DICOM the values are taken after the modality
 * LUT (rescale slope and intercept) and before any MONOCHROME1 inversion or normalisation, the
 * convention of pydicom's {@code apply_modality_lut}, so a file can be checked against another
 * tool; for PNG and JPEG they are the gray samples (0-255 or 0-65535) before normalisation.
 *
 * @param file the file
 * @param format PNG, JPEG (or another ImageIO format) or DICOM
 * @param width width in pixels
 * @param height height in pixels
 * @param bits bits per stored sample (DICOM: BitsStored)
 * @param photometric DICOM photometric interpretation, else empty
 * @param transferSyntax DICOM transfer syntax name, else empty
 * @param min smallest value
 * @param max largest value
 * @param mean mean value
 */
public record ImageInfo(
    Path file,
    String format,
    int width,
    int height,
    int bits,
    String photometric,
    String transferSyntax,
    double min,
    double max,
    double mean) {

  /** Checks for nulls. */
  public ImageInfo {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(photometric, "photometric");
    Objects.requireNonNull(transferSyntax, "transferSyntax");
  }

  /**
   * Reads a file and describes it.
   *
   * @param file a PNG, JPEG or DICOM file
   * @return its description
   * @throws dev.cxr.core.io.CxrDataException when the file cannot be read as an image
   */
  public static ImageInfo of(Path file) {
    return of(ImageSource.file(Objects.requireNonNull(file, "file")));
  }

  /**
   * Describes an image from a file or from memory.
   *
   * @param source the image
   * @return its description, {@link #file()} being the source's name
   * @throws dev.cxr.core.io.CxrDataException when it cannot be read as an image
   */
  public static ImageInfo of(ImageSource source) {
    Path file = source.name();
    byte[] data = source.read();
    if (DicomReader.looksLikeDicom(data) && !PngDecoder.isPng(data)) {
      DicomImage d = DicomReader.decode(file, data, ImageLimits.maxSide());
      return new ImageInfo(
          file,
          "DICOM",
          d.width(),
          d.height(),
          d.bitsStored(),
          d.photometric(),
          d.transferSyntaxName(),
          d.min(),
          d.max(),
          d.mean());
    }
    ImageLoader.Gray g = ImageLoader.readGray(file, data); // the bytes are read once
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (int y = 0; y < g.height(); y++) {
      for (int x = 0; x < g.width(); x++) {
        // the fast PNG path keeps 8-bit rows with their filter byte in front (stride width + 1)
        double v =
            g.rawGray8() != null
                ? g.rawGray8()[1 + y * (g.width() + 1) + x] & 0xFF
                : g.values()[y * g.width() + x];
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
      }
    }
    String format = PngDecoder.isPng(data) ? "PNG" : isJpeg(data) ? "JPEG" : "image";
    return new ImageInfo(
        file,
        format,
        g.width(),
        g.height(),
        g.sixteenBit() ? 16 : 8,
        "",
        "",
        min,
        max,
        sum / ((double) g.width() * g.height()));
  }

  private static boolean isJpeg(byte[] data) {
    return data.length >= 2 && (data[0] & 0xFF) == 0xFF && (data[1] & 0xFF) == 0xD8;
  }

  /**
   * One line: {@code file DICOM 1024x1024 bits=8 MONOCHROME2 Implicit VR Little Endian min=0
   * max=252 mean=180.058658}.
   *
   * @return the line
   */
  public String line() {
    StringBuilder sb =
        new StringBuilder(file.toString())
            .append("  ")
            .append(format)
            .append("  ")
            .append(width)
            .append('x')
            .append(height)
            .append("  bits=")
            .append(bits);
    if (!photometric.isEmpty()) {
      sb.append("  ").append(photometric);
    }
    if (!transferSyntax.isEmpty()) {
      sb.append("  ").append(transferSyntax);
    }
    return sb.append(
            String.format(Locale.ROOT, "  min=%s max=%s mean=%.6f", num(min), num(max), mean))
        .toString();
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%.6f", v);
  }
}
