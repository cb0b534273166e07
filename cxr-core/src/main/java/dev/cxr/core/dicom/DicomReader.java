package dev.cxr.core.dicom;

import dev.cxr.core.io.CxrDataException;
import java.nio.file.Path;

/**
 * A DICOM Part 10 reader for single-frame radiographs, written for this library because no pure
 * Java DICOM library is published on Maven Central.
 *
 * <p>It reads files with or without the 128-byte preamble and File Meta (PS3.10 section 7; without
 * File Meta the data set is taken as Implicit VR Little Endian, or Explicit VR Little Endian when
 * the first element carries a valid VR), in the transfer syntaxes Implicit VR Little Endian,
 * Explicit VR Little and Big Endian (PS3.5 section 10.1 to 10.3 and A.1 to A.3), Deflated Explicit
 * VR Little Endian (A.5), RLE Lossless (A.4.2, Annex G) and JPEG Lossless process 14 (A.4.1,
 * 1.2.840.10008.1.2.4.57 and .70, decoded by the TwelveMonkeys JPEG reader). It refuses, with one
 * line naming the file and the reason, multi-frame files, other compressed transfer syntaxes (lossy
 * JPEG, JPEG-LS, JPEG 2000), files without Pixel Data, photometric interpretations other than
 * MONOCHROME1, MONOCHROME2 and RGB, and every malformed or truncated file. Sizes are checked
 * against the caller's cap on a side (cxr's image reading passes {@code ImageLimits.maxSide()})
 * before anything is allocated.
 */
public final class DicomReader {
  private DicomReader() {}

  /**
   * Whether these bytes look like DICOM: "DICM" at byte 128 (PS3.10 7.1), or, for files without
   * preamble, a first element of group 0002 (File Meta) or 0008 (the first group of every image
   * data set) in little endian with a valid VR (explicit) or a length that fits the file
   * (implicit).
   *
   * @param data the whole file, or at least its first 132 bytes
   * @return true when a DICOM reader should try it
   */
  public static boolean looksLikeDicom(byte[] data) {
    if (data == null) {
      return false;
    }
    if (DicomParser.hasPreamble(data)) {
      return true;
    }
    if (data.length < 8) {
      return false;
    }
    int group = (data[0] & 0xFF) | (data[1] & 0xFF) << 8;
    int element = (data[2] & 0xFF) | (data[3] & 0xFF) << 8;
    if ((group != 0x0002 && group != 0x0008) || element > 0x0100) {
      return false;
    }
    if (DicomParser.isVr(data, 4)) {
      return true;
    }
    long length =
        (data[4] & 0xFFL)
            | (data[5] & 0xFFL) << 8
            | (data[6] & 0xFFL) << 16
            | (data[7] & 0xFFL) << 24;
    return length <= data.length - 8;
  }

  /**
   * Decodes a single-frame DICOM image.
   *
   * @param file the file's path, used only in error messages
   * @param data the file's bytes
   * @param maxSide the largest width or height accepted, at least 1
   * @return the decoded image
   * @throws CxrDataException with one line naming {@code file} for anything it cannot read: not
   *     DICOM, cut short, corrupt, multi-frame, compressed other than RLE or JPEG Lossless, no
   *     pixel data, or wider or taller than {@code maxSide}
   * @throws IllegalArgumentException when {@code maxSide} is below 1
   */
  public static DicomImage decode(Path file, byte[] data, int maxSide) {
    return decode(file, data, maxSide, false);
  }

  /**
   * As {@link #decode(Path, byte[], int)}; with {@code firstFrameOnly} a multi-frame file gives
   * frame 1.
   */
  static DicomImage decode(Path file, byte[] data, int maxSide, boolean firstFrameOnly) {
    if (maxSide < 1) {
      throw new IllegalArgumentException("maxSide must be at least 1 but was " + maxSide);
    }
    if (data == null || data.length == 0) {
      throw new CxrDataException(file, "DICOM file is empty (0 bytes)");
    }
    if (!looksLikeDicom(data)) {
      throw new CxrDataException(
          file, "not a DICOM file (no \"DICM\" at byte 128 and no DICOM element at the start)");
    }
    try {
      return PixelDecoder.decode(
          file, DicomParser.parse(file, data, maxSide), maxSide, firstFrameOnly);
    } catch (CxrDataException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      // Every length is checked, so this is a bug; still, the caller gets one line and the file.
      throw new CxrDataException(file, -1, "corrupt DICOM file: " + e, e);
    }
  }
}
