package dev.cxr.core.dicom;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The elements of one data set (or one sequence item) that the reader keeps, by tag, with typed
 * getters for the value representations it needs (PS3.5 section 6.2: US, IS, DS, CS, UI).
 */
final class DicomElements {
  /** One element: where its value lies in {@code data}, and how to read it. */
  record Element(
      int tag,
      String vr,
      byte[] data,
      int offset,
      int length,
      boolean bigEndian,
      List<int[]> fragments,
      DicomElements firstItem) {}

  private final Map<Integer, Element> byTag = new HashMap<>();

  void put(Element e) {
    byTag.put(e.tag(), e);
  }

  Element get(int tag) {
    return byTag.get(tag);
  }

  boolean has(int tag) {
    Element e = byTag.get(tag);
    return e != null && (e.length() > 0 || e.fragments() != null || e.firstItem() != null);
  }

  /** The first 16-bit value, or {@code absent} when the element is missing or empty. */
  int uint16(int tag, int absent) {
    Element e = byTag.get(tag);
    if (e == null || e.length() < 2) {
      return absent;
    }
    return uint16At(e, 0);
  }

  /** The {@code i}-th 16-bit value of an element (US, SS, OW). */
  static int uint16At(Element e, int i) {
    int p = e.offset() + 2 * i;
    byte[] d = e.data();
    return e.bigEndian()
        ? ((d[p] & 0xFF) << 8) | (d[p + 1] & 0xFF)
        : (d[p] & 0xFF) | ((d[p + 1] & 0xFF) << 8);
  }

  /** The text value with padding (spaces, NULs) removed, or null when absent. */
  String string(int tag) {
    Element e = byTag.get(tag);
    if (e == null) {
      return null;
    }
    String s = new String(e.data(), e.offset(), e.length(), StandardCharsets.ISO_8859_1);
    return s.replace('\0', ' ').trim();
  }

  /**
   * The first value of a multi-valued decimal string (DS) or integer string (IS), or null when
   * absent or empty.
   *
   * @throws NumberFormatException when it is not a number
   */
  Double firstNumber(int tag) {
    String s = string(tag);
    if (s == null || s.isEmpty()) {
      return null;
    }
    int bs = s.indexOf('\\');
    return Double.parseDouble((bs >= 0 ? s.substring(0, bs) : s).trim());
  }
}
