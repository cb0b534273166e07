package dev.cxr.phantoms;

import dev.cxr.core.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a phantom as a minimal DICOM Part 10 file (PS3.10 section 7: 128-byte preamble, "DICM",
 * File Meta Information, then the data set) in Explicit VR Little Endian (PS3.5 section 7.1.2): a
 * computed radiograph with 12 bits stored in 16, as a PACS exports one. Every other image (odd
 * follow-up numbers) is MONOCHROME1, where white means a low value, so the reader's inversion is
 * exercised on half of the data; after that inversion and min-max normalisation the pixels equal
 * the PNG phantom's up to rounding.
 */
final class DicomPhantomWriter {
  /** Computed Radiography Image Storage (PS3.4 annex B.5). */
  private static final String CR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.1";

  /** Explicit VR Little Endian. */
  private static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";

  /** UUID-derived root (PS3.5 annex B.2): no registered root is needed for generated data. */
  private static final String UID_ROOT = "2.25.";

  private static final int BITS_STORED = 12;

  private DicomPhantomWriter() {}

  /**
   * Writes one phantom atomically.
   *
   * @param target the {@code .dcm} file
   * @param pixels 8-bit gray pixels, row-major, {@code size * size}
   * @param size width and height
   * @param patientId the patient
   * @param followUp the follow-up number (odd: MONOCHROME1)
   * @throws IOException when writing fails
   */
  static void write(Path target, byte[] pixels, int size, int patientId, int followUp)
      throws IOException {
    boolean monochrome1 = followUp % 2 == 1;
    String instance =
        UID_ROOT + Long.toUnsignedString(((long) patientId << 20) | followUp | (1L << 62));
    byte[] file = encode(pixels, size, patientId, monochrome1, instance);
    AtomicFiles.write(target, tmp -> Files.write(tmp, file));
  }

  private static byte[] encode(
      byte[] pixels, int size, int patientId, boolean monochrome1, String instance) {
    Elements meta = new Elements();
    meta.ob(0x0002, 0x0001, new byte[] {0, 1});
    meta.ui(0x0002, 0x0002, CR_IMAGE_STORAGE);
    meta.ui(0x0002, 0x0003, instance);
    meta.ui(0x0002, 0x0010, EXPLICIT_VR_LITTLE_ENDIAN);
    meta.ui(0x0002, 0x0012, UID_ROOT + "1");

    Elements data = new Elements();
    data.ui(0x0008, 0x0016, CR_IMAGE_STORAGE);
    data.ui(0x0008, 0x0018, instance);
    data.text(0x0008, 0x0060, "CS", "CR");
    data.text(0x0010, 0x0020, "LO", String.format(Locale.ROOT, "%08d", patientId));
    data.us(0x0028, 0x0002, 1);
    data.text(0x0028, 0x0004, "CS", monochrome1 ? "MONOCHROME1" : "MONOCHROME2");
    data.us(0x0028, 0x0010, size);
    data.us(0x0028, 0x0011, size);
    data.us(0x0028, 0x0100, 16);
    data.us(0x0028, 0x0101, BITS_STORED);
    data.us(0x0028, 0x0102, BITS_STORED - 1);
    data.us(0x0028, 0x0103, 0);
    byte[] words = new byte[pixels.length * 2];
    int max = (1 << BITS_STORED) - 1;
    for (int i = 0; i < pixels.length; i++) {
      int v = ((pixels[i] & 0xFF) * max + 127) / 255; // 0-255 spread over 0-4095
      int stored = monochrome1 ? max - v : v;
      words[2 * i] = (byte) stored;
      words[2 * i + 1] = (byte) (stored >>> 8);
    }
    data.ow(0x7FE0, 0x0010, words);

    ByteArrayOutputStream out = new ByteArrayOutputStream(words.length + 1024);
    out.writeBytes(new byte[128]);
    out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
    Elements groupLength = new Elements();
    groupLength.ul(0x0002, 0x0000, meta.size());
    out.writeBytes(groupLength.bytes());
    out.writeBytes(meta.bytes());
    out.writeBytes(data.bytes());
    return out.toByteArray();
  }

  /** Explicit VR little-endian elements, appended in tag order by the caller. */
  private static final class Elements {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    int size() {
      return out.size();
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    void ui(int group, int element, String uid) {
      // UIDs are padded to even length with a NUL (PS3.5 section 9.1)
      byte[] v = uid.getBytes(StandardCharsets.US_ASCII);
      short16(group, element, "UI", v.length % 2 == 0 ? v : pad(v, (byte) 0));
    }

    void text(int group, int element, String vr, String text) {
      // other strings are padded with a space (PS3.5 section 6.2)
      byte[] v = text.getBytes(StandardCharsets.US_ASCII);
      short16(group, element, vr, v.length % 2 == 0 ? v : pad(v, (byte) ' '));
    }

    void us(int group, int element, int value) {
      short16(group, element, "US", new byte[] {(byte) value, (byte) (value >>> 8)});
    }

    void ul(int group, int element, int value) {
      short16(
          group,
          element,
          "UL",
          new byte[] {
            (byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)
          });
    }

    void ob(int group, int element, byte[] value) {
      long32(group, element, "OB", value);
    }

    void ow(int group, int element, byte[] value) {
      long32(group, element, "OW", value);
    }

    /** VRs with a 2-byte length (PS3.5 table 7.1-2). */
    private void short16(int group, int element, String vr, byte[] value) {
      tag(group, element, vr);
      le16(value.length);
      out.writeBytes(value);
    }

    /** OB, OW, SQ, UN, UT...: two reserved bytes and a 4-byte length (PS3.5 table 7.1-1). */
    private void long32(int group, int element, String vr, byte[] value) {
      tag(group, element, vr);
      le16(0);
      le16(value.length);
      le16(value.length >>> 16);
      out.writeBytes(value);
    }

    private void tag(int group, int element, String vr) {
      le16(group);
      le16(element);
      out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
    }

    private void le16(int v) {
      out.write(v & 0xFF);
      out.write((v >>> 8) & 0xFF);
    }

    private static byte[] pad(byte[] v, byte with) {
      byte[] p = new byte[v.length + 1];
      System.arraycopy(v, 0, p, 0, v.length);
      p[v.length] = with;
      return p;
    }
  }
}
