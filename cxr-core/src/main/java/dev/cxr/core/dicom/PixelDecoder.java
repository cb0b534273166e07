package dev.cxr.core.dicom;

import dev.cxr.core.io.CxrDataException;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns the parsed Image Pixel module (PS3.3 C.7.6.3) into a {@link DicomImage}: checks every
 * dimension before allocating, reads native (PS3.5 section 8.1.1) or RLE Pixel Data, keeps the
 * stored bits (BitsStored below HighBit, sign-extended when PixelRepresentation is 1), then applies
 * the modality LUT and turns RGB into gray.
 */
final class PixelDecoder {
  private static final int SAMPLES = 0x00280002;
  private static final int PHOTOMETRIC = 0x00280004;
  private static final int PLANAR = 0x00280006;
  private static final int FRAMES = 0x00280008;
  private static final int ROWS = 0x00280010;
  private static final int COLUMNS = 0x00280011;
  private static final int BITS_ALLOCATED = 0x00280100;
  private static final int BITS_STORED = 0x00280101;
  private static final int HIGH_BIT = 0x00280102;
  private static final int PIXEL_REPRESENTATION = 0x00280103;
  private static final int WINDOW_CENTER = 0x00281050;
  private static final int WINDOW_WIDTH = 0x00281051;
  private static final int INTERCEPT = 0x00281052;
  private static final int SLOPE = 0x00281053;
  private static final int MODALITY = 0x00080060;

  private PixelDecoder() {}

  /**
   * @param maxSide the largest width or height decoded, checked before any pixel is allocated
   * @param firstFrameOnly when true a multi-frame file gives its first frame (for tests against
   *     references computed on the first frame); the public reader refuses multi-frame files
   */
  static DicomImage decode(
      Path file, DicomParser.Parsed parsed, int maxSide, boolean firstFrameOnly) {
    DicomElements e = parsed.elements();
    DicomElements.Element pixel = e.get(DicomParser.PIXEL_DATA);
    if (pixel == null) {
      String modality = e.string(MODALITY);
      throw new CxrDataException(
          file,
          "no pixel data in this DICOM file"
              + (modality == null || modality.isEmpty() ? "" : " (Modality " + modality + ")")
              + ": not an image");
    }
    String uid = parsed.transferSyntaxUid();
    TransferSyntax ts = TransferSyntax.of(uid);
    int frames = (int) number(file, e, FRAMES, 1, "NumberOfFrames");
    if (frames < 1) {
      throw new CxrDataException(file, "NumberOfFrames is " + frames + ": corrupt header");
    }
    if (frames > 1 && !firstFrameOnly) {
      throw new CxrDataException(
          file,
          "multi-frame DICOM ("
              + frames
              + " frames) is not supported: a radiograph is one"
              + " frame");
    }
    int rows = e.uint16(ROWS, 0);
    int cols = e.uint16(COLUMNS, 0);
    if (rows == 0 || cols == 0) {
      throw new CxrDataException(
          file, "DICOM image has no Rows/Columns (" + rows + " x " + cols + ")");
    }
    if (rows > maxSide || cols > maxSide) {
      throw new CxrDataException(
          file,
          "DICOM image of "
              + cols
              + " x "
              + rows
              + " pixels exceeds the limit of "
              + maxSide
              + " per side");
    }
    boolean acrNema = !e.has(SAMPLES) && !e.has(PHOTOMETRIC);
    // ACR-NEMA files predate both attributes; one gray sample is what they always held.
    int samples = e.uint16(SAMPLES, 1);
    String photometric = acrNema ? "MONOCHROME2" : e.string(PHOTOMETRIC);
    boolean gray = "MONOCHROME1".equals(photometric) || "MONOCHROME2".equals(photometric);
    if (!(samples == 1 && gray) && !(samples == 3 && "RGB".equals(photometric))) {
      throw new CxrDataException(
          file,
          "DICOM photometric interpretation "
              + photometric
              + " with "
              + samples
              + " samples per pixel is not supported (MONOCHROME1, MONOCHROME2 or RGB)");
    }
    int bitsAllocated = e.uint16(BITS_ALLOCATED, 0);
    int bitsStored = e.uint16(BITS_STORED, bitsAllocated);
    int highBit = e.uint16(HIGH_BIT, bitsStored - 1);
    boolean signed = e.uint16(PIXEL_REPRESENTATION, 0) == 1;
    if (bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
      throw new CxrDataException(
          file, "DICOM BitsAllocated " + bitsAllocated + " is not supported (8, 16 or 32)");
    }
    if (bitsStored < 1
        || bitsStored > bitsAllocated
        || highBit < bitsStored - 1
        || highBit >= bitsAllocated
        || (bitsStored == 32 && !signed)) {
      throw new CxrDataException(
          file,
          "DICOM BitsStored "
              + bitsStored
              + " / HighBit "
              + highBit
              + " / BitsAllocated "
              + bitsAllocated
              + (signed ? " signed" : " unsigned")
              + " is not supported");
    }
    int bytes = bitsAllocated / 8;
    int pixels = rows * cols;
    long frameBytes = (long) pixels * samples * bytes;
    if (frameBytes > Integer.MAX_VALUE - 16) {
      throw new CxrDataException(file, "DICOM frame of " + frameBytes + " bytes is too large");
    }
    int[] raw;
    if (pixel.fragments() != null) {
      if (ts == TransferSyntax.JPEG_LOSSLESS || ts == TransferSyntax.JPEG_LOSSLESS_SV1) {
        raw = JpegLossless.decode(file, firstFrame(file, pixel, frames), rows, cols, samples);
      } else if (ts != TransferSyntax.RLE) {
        throw new CxrDataException(
            file,
            "compressed DICOM transfer syntax "
                + TransferSyntax.describe(uid)
                + " is not supported (native, deflated, RLE and JPEG Lossless are)");
      } else {
        raw = RleDecoder.decode(file, firstFrame(file, pixel, frames), pixels, samples, bytes);
      }
    } else {
      if (ts.encapsulated) {
        throw new CxrDataException(
            file,
            "Pixel Data of transfer syntax "
                + TransferSyntax.describe(uid)
                + " is not encapsulated: corrupt file");
      }
      if (pixel.length() < frameBytes * frames) {
        throw new CxrDataException(
            file,
            "DICOM Pixel Data holds "
                + pixel.length()
                + " bytes, "
                + cols
                + " x "
                + rows
                + " x "
                + samples
                + " samples x "
                + bytes
                + " bytes x "
                + frames
                + " frames needs "
                + frameBytes * frames
                + ": file cut short or corrupt");
      }
      int planar = e.uint16(PLANAR, 0);
      boolean swapPairs = pixel.bigEndian() && bytes == 1 && "OW".equals(pixel.vr());
      raw =
          SampleReader.read(pixel, pixels, samples, bytes, samples == 3 && planar == 1, swapPairs);
    }
    SampleReader.keepStoredBits(raw, bitsStored, highBit, signed);
    ModalityLut lut = ModalityLut.of(file, e, signed, SLOPE, INTERCEPT);
    float[] values = new float[pixels];
    double[] stats = lut.apply(raw, samples, values);
    String tsName = ts.displayName + (parsed.inferred() ? " (inferred: no File Meta)" : "");
    return new DicomImage(
        cols,
        rows,
        samples,
        frames,
        photometric,
        uid,
        tsName,
        bitsAllocated,
        bitsStored,
        signed,
        lut.slope(),
        lut.intercept(),
        lut.kind(),
        optional(e, WINDOW_CENTER),
        optional(e, WINDOW_WIDTH),
        raw,
        values,
        stats[0],
        stats[1],
        stats[2]);
  }

  /** The bytes of frame 1 of encapsulated Pixel Data (PS3.5 A.4): all fragments of one frame. */
  private static byte[] firstFrame(Path file, DicomElements.Element pixel, int frames) {
    List<int[]> f = pixel.fragments();
    if (f.size() < 2) {
      throw new CxrDataException(file, "encapsulated Pixel Data has no fragments");
    }
    // Item 0 is the Basic Offset Table; with one frame every later fragment belongs to it, with
    // several frames (RLE: one fragment per frame, PS3.5 A.4.2) the first one is the frame.
    int last = frames == 1 ? f.size() : 2;
    long total = 0;
    for (int i = 1; i < last; i++) {
      total += f.get(i)[1];
    }
    byte[] out = new byte[(int) total]; // fragments lie inside the file, so this is bounded
    int o = 0;
    for (int i = 1; i < last; i++) {
      System.arraycopy(pixel.data(), f.get(i)[0], out, o, f.get(i)[1]);
      o += f.get(i)[1];
    }
    return out;
  }

  private static long number(Path file, DicomElements e, int tag, long absent, String name) {
    try {
      Double d = e.firstNumber(tag);
      return d == null ? absent : (long) d.doubleValue();
    } catch (NumberFormatException ex) {
      throw new CxrDataException(file, "DICOM " + name + " is not a number: " + e.string(tag));
    }
  }

  private static double optional(DicomElements e, int tag) {
    try {
      Double d = e.firstNumber(tag);
      return d == null ? Double.NaN : d;
    } catch (NumberFormatException ex) {
      return Double.NaN; // a display hint only: a malformed window must not lose the image
    }
  }
}
