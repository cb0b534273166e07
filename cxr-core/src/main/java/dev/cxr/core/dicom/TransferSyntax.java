package dev.cxr.core.dicom;

import java.util.Map;

/**
 * The DICOM transfer syntaxes this reader knows by name (PS3.5 section 10 and Annex A): how the
 * data set is encoded (implicit or explicit VR, byte order, deflate) and whether Pixel Data is
 * native or encapsulated (PS3.5 A.4).
 */
enum TransferSyntax {
  IMPLICIT_LE("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false),
  EXPLICIT_LE("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false),
  DEFLATED_LE("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, false),
  EXPLICIT_BE("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false),
  RLE("1.2.840.10008.1.2.5", "RLE Lossless", true, false, true),
  JPEG_BASELINE("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, false, true),
  JPEG_EXTENDED("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 and 4)", true, false, true),
  JPEG_LOSSLESS(
      "1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", true, false, true),
  JPEG_LOSSLESS_SV1(
      "1.2.840.10008.1.2.4.70",
      "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])",
      true,
      false,
      true),
  JPEG_LS("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression", true, false, true),
  JPEG_LS_NEAR(
      "1.2.840.10008.1.2.4.81",
      "JPEG-LS Lossy (Near-Lossless) Image Compression",
      true,
      false,
      true),
  J2K_LOSSLESS(
      "1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", true, false, true),
  J2K("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", true, false, true),
  HTJ2K_LOSSLESS(
      "1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)", true, false, true),
  HTJ2K_RPCL(
      "1.2.840.10008.1.2.4.202",
      "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)",
      true,
      false,
      true),
  HTJ2K("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000", true, false, true);

  private static final Map<String, TransferSyntax> BY_UID = index();

  final String uid;
  final String displayName;
  final boolean explicitVr;
  final boolean bigEndian;
  final boolean encapsulated;

  TransferSyntax(
      String uid, String name, boolean explicitVr, boolean bigEndian, boolean encapsulated) {
    this.uid = uid;
    this.displayName = name;
    this.explicitVr = explicitVr;
    this.bigEndian = bigEndian;
    this.encapsulated = encapsulated;
  }

  /** The syntax with this UID, or null when it is not one of the above. */
  static TransferSyntax of(String uid) {
    return BY_UID.get(uid);
  }

  /** A short description of any UID, for error lines: its name when known. */
  static String describe(String uid) {
    TransferSyntax ts = of(uid);
    if (ts != null) {
      return uid + " (" + ts.displayName + ")";
    }
    if (uid.startsWith("1.2.840.10008.1.2.4.")) {
      return uid + " (an encapsulated, compressed transfer syntax)";
    }
    return uid + " (unknown transfer syntax)";
  }

  private static Map<String, TransferSyntax> index() {
    Map<String, TransferSyntax> m = new java.util.HashMap<>();
    for (TransferSyntax ts : values()) {
      m.put(ts.uid, ts);
    }
    return Map.copyOf(m);
  }
}
