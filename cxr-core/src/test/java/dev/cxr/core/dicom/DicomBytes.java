package dev.cxr.core.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds small Explicit VR Little Endian DICOM files by hand, for hostile-input tests. */
final class DicomBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Starts a Part 10 file: preamble, "DICM", File Meta with the transfer syntax only. */
  static DicomBytes part10(String transferSyntax) {
    DicomBytes b = new DicomBytes();
    b.out.writeBytes(new byte[128]);
    b.out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
    String uid = transferSyntax.length() % 2 == 0 ? transferSyntax : transferSyntax + "\0";
    b.element(0x00020010, "UI", uid.getBytes(StandardCharsets.US_ASCII));
    return b;
  }

  /** An explicit VR element with a defined length. */
  DicomBytes element(int tag, String vr, byte[] value) {
    header(tag, vr, value.length);
    out.writeBytes(value);
    return this;
  }

  /** An explicit VR element header only, with any length (for lying lengths). */
  DicomBytes header(int tag, String vr, long length) {
    tag(tag);
    out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
    boolean longForm = vr.startsWith("O") || vr.equals("SQ") || vr.equals("UT") || vr.equals("UN");
    if (longForm) {
      short16(0);
      int32(length);
    } else {
      short16((int) length);
    }
    return this;
  }

  DicomBytes us(int tag, int value) {
    return element(tag, "US", new byte[] {(byte) value, (byte) (value >> 8)});
  }

  DicomBytes text(int tag, String vr, String value) {
    String v = value.length() % 2 == 0 ? value : value + " ";
    return element(tag, vr, v.getBytes(StandardCharsets.US_ASCII));
  }

  /** An item or delimiter tag (group FFFE) with a length. */
  DicomBytes item(int tag, long length) {
    tag(tag);
    int32(length);
    return this;
  }

  /** The usual Image Pixel module of a 16-bit unsigned MONOCHROME2 image. */
  DicomBytes gray16(int rows, int columns) {
    us(0x00280002, 1).text(0x00280004, "CS", "MONOCHROME2");
    us(0x00280010, rows).us(0x00280011, columns);
    return us(0x00280100, 16).us(0x00280101, 16).us(0x00280102, 15).us(0x00280103, 0);
  }

  /** Pixel Data of 16-bit little-endian samples. */
  DicomBytes pixels16(int... values) {
    byte[] b = new byte[2 * values.length];
    for (int i = 0; i < values.length; i++) {
      b[2 * i] = (byte) values[i];
      b[2 * i + 1] = (byte) (values[i] >> 8);
    }
    return element(0x7FE00010, "OW", b);
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private void tag(int tag) {
    short16(tag >>> 16);
    short16(tag & 0xFFFF);
  }

  private void short16(int v) {
    out.write(v & 0xFF);
    out.write((v >> 8) & 0xFF);
  }

  private void int32(long v) {
    short16((int) (v & 0xFFFF));
    short16((int) ((v >> 16) & 0xFFFF));
  }
}
