package dev.cxr.core.image;

/**
 * Limits on decoded image sizes, checked before any pixel buffer is allocated so that a hostile or
 * corrupt header cannot make the reader allocate gigabytes: the PNG path ({@code PngDecoder}, and
 * the formats left to ImageIO) and the DICOM reader ({@link dev.cxr.core.dicom.DicomReader}, given
 * {@link #maxSide()} by {@link ImageLoader}) share the one cap.
 */
public final class ImageLimits {
  /**
   * The default largest accepted width or height, in pixels. The largest detectors in clinical use
   * are about 4300 pixels a side, so 16384 leaves ample room while keeping one 16-bit frame under
   * 512 MiB.
   */
  public static final int MAX_SIDE = 16384;

  /** The system property that overrides {@link #MAX_SIDE}, read once when this class loads. */
  public static final String MAX_SIDE_PROPERTY = "cxr.image.maxSide";

  // Read once: a limit that could change between two checks of the same image would be no limit.
  private static final int EFFECTIVE_MAX_SIDE = readMaxSide();

  private ImageLimits() {}

  /**
   * The largest accepted width or height: {@link #MAX_SIDE}, or the value of the system property
   * {@value #MAX_SIDE_PROPERTY} when it is set to an integer in 1..65535 (a DICOM Rows or Columns
   * value is an unsigned 16-bit number); any other value of the property is ignored.
   *
   * @return the cap on each side, in pixels
   */
  public static int maxSide() {
    return EFFECTIVE_MAX_SIDE;
  }

  private static int readMaxSide() {
    String v = System.getProperty(MAX_SIDE_PROPERTY);
    if (v == null) {
      return MAX_SIDE;
    }
    try {
      int n = Integer.parseInt(v.trim());
      return n >= 1 && n <= 65535 ? n : MAX_SIDE;
    } catch (NumberFormatException e) {
      return MAX_SIDE;
    }
  }
}
