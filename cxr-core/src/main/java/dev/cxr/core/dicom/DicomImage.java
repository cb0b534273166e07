package dev.cxr.core.dicom;

/**
 * One decoded DICOM frame: its geometry, the header values that say how to read its pixels, the
 * stored pixel values and the values after the modality LUT. Immutable: the array accessors return
 * copies.
 *
 * <p>The modality values are neither inverted for MONOCHROME1 nor normalised: the caller decides
 * how to display them (see {@link #monochrome1()}).
 */
public final class DicomImage {
  private final int width;
  private final int height;
  private final int samplesPerPixel;
  private final int frames;
  private final String photometric;
  private final String transferSyntaxUid;
  private final String transferSyntaxName;
  private final int bitsAllocated;
  private final int bitsStored;
  private final boolean signed;
  private final double rescaleSlope;
  private final double rescaleIntercept;
  private final String modalityLut;
  private final double windowCenter;
  private final double windowWidth;
  private final int[] stored;
  private final float[] values;
  private final double min;
  private final double max;
  private final double mean;

  // Package-private: only the reader makes these, and it hands over arrays nobody else holds.
  DicomImage(
      int width,
      int height,
      int samplesPerPixel,
      int frames,
      String photometric,
      String transferSyntaxUid,
      String transferSyntaxName,
      int bitsAllocated,
      int bitsStored,
      boolean signed,
      double rescaleSlope,
      double rescaleIntercept,
      String modalityLut,
      double windowCenter,
      double windowWidth,
      int[] stored,
      float[] values,
      double min,
      double max,
      double mean) {
    this.width = width;
    this.height = height;
    this.samplesPerPixel = samplesPerPixel;
    this.frames = frames;
    this.photometric = photometric;
    this.transferSyntaxUid = transferSyntaxUid;
    this.transferSyntaxName = transferSyntaxName;
    this.bitsAllocated = bitsAllocated;
    this.bitsStored = bitsStored;
    this.signed = signed;
    this.rescaleSlope = rescaleSlope;
    this.rescaleIntercept = rescaleIntercept;
    this.modalityLut = modalityLut;
    this.windowCenter = windowCenter;
    this.windowWidth = windowWidth;
    this.stored = stored;
    this.values = values;
    this.min = min;
    this.max = max;
    this.mean = mean;
  }

  /**
   * @return Columns (0028,0011)
   */
  public int width() {
    return width;
  }

  /**
   * @return Rows (0028,0010)
   */
  public int height() {
    return height;
  }

  /**
   * @return SamplesPerPixel (0028,0002): 1, or 3 for RGB
   */
  public int samplesPerPixel() {
    return samplesPerPixel;
  }

  /**
   * @return NumberOfFrames (0028,0008), 1 when absent
   */
  public int frames() {
    return frames;
  }

  /**
   * @return PhotometricInterpretation (0028,0004): MONOCHROME1, MONOCHROME2 or RGB
   */
  public String photometric() {
    return photometric;
  }

  /**
   * @return true for MONOCHROME1, where the lowest value is meant to be shown white
   */
  public boolean monochrome1() {
    return "MONOCHROME1".equals(photometric);
  }

  /**
   * @return the transfer syntax UID (0002,0010), or the one inferred for a file without one
   */
  public String transferSyntaxUid() {
    return transferSyntaxUid;
  }

  /**
   * @return the transfer syntax name, with "(inferred: no File Meta)" when it was guessed
   */
  public String transferSyntaxName() {
    return transferSyntaxName;
  }

  /**
   * @return BitsAllocated (0028,0100): 8, 16 or 32
   */
  public int bitsAllocated() {
    return bitsAllocated;
  }

  /**
   * @return BitsStored (0028,0101)
   */
  public int bitsStored() {
    return bitsStored;
  }

  /**
   * @return true when PixelRepresentation (0028,0103) is 1: two's complement samples
   */
  public boolean signed() {
    return signed;
  }

  /**
   * @return RescaleSlope (0028,1053), 1 when absent
   */
  public double rescaleSlope() {
    return rescaleSlope;
  }

  /**
   * @return RescaleIntercept (0028,1052), 0 when absent
   */
  public double rescaleIntercept() {
    return rescaleIntercept;
  }

  /**
   * @return which modality LUT made {@link #modalityValues()}: "rescale", "lut-sequence" (a
   *     Modality LUT Sequence, which takes precedence, as in pydicom) or "none"
   */
  public String modalityLut() {
    return modalityLut;
  }

  /**
   * @return the first WindowCenter (0028,1050) value, NaN when absent
   */
  public double windowCenter() {
    return windowCenter;
  }

  /**
   * @return the first WindowWidth (0028,1051) value, NaN when absent
   */
  public double windowWidth() {
    return windowWidth;
  }

  /**
   * @return a copy of the stored pixel values, row-major, as pydicom's {@code pixel_array} gives
   *     them (before the modality LUT; for RGB the samples interleaved R, G, B per pixel)
   */
  public int[] storedValues() {
    return stored.clone();
  }

  /**
   * @return a copy of the values after the modality LUT, one per pixel, row-major; RGB is turned
   *     into gray first (weights 0.299, 0.587, 0.114). Not inverted for MONOCHROME1, not scaled
   */
  public float[] modalityValues() {
    return values.clone();
  }

  /**
   * @return the smallest modality value
   */
  public double min() {
    return min;
  }

  /**
   * @return the largest modality value
   */
  public double max() {
    return max;
  }

  /**
   * @return the mean of the modality values, computed in double
   */
  public double mean() {
    return mean;
  }

  @Override
  public String toString() {
    return "DicomImage["
        + width
        + "x"
        + height
        + " "
        + photometric
        + " "
        + bitsStored
        + "/"
        + bitsAllocated
        + (signed ? " signed" : "")
        + ", "
        + transferSyntaxName
        + "]";
  }
}
