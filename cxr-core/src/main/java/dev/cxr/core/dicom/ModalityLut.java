package dev.cxr.core.dicom;

import dev.cxr.core.io.CxrDataException;
import java.nio.file.Path;

/**
 * The modality LUT of PS3.3 C.11.1, applied as pydicom's {@code apply_modality_lut} does: a
 * Modality LUT Sequence (0028,3000) when present (its LUT Descriptor gives the entry count, 0
 * meaning 65536, and the first stored value mapped; values outside are clamped to the first or last
 * entry), otherwise value * RescaleSlope + RescaleIntercept when both are present, otherwise the
 * stored values unchanged.
 */
final class ModalityLut {
  private static final int LUT_DESCRIPTOR = 0x00283002;
  private static final int LUT_DATA = 0x00283006;

  private final String kind;
  private final double slope;
  private final double intercept;
  private final int[] table;
  private final int firstMapped;

  private ModalityLut(String kind, double slope, double intercept, int[] table, int firstMapped) {
    this.kind = kind;
    this.slope = slope;
    this.intercept = intercept;
    this.table = table;
    this.firstMapped = firstMapped;
  }

  static ModalityLut of(Path file, DicomElements e, boolean signed, int slopeTag, int icptTag) {
    Double slope;
    Double intercept;
    try {
      slope = e.firstNumber(slopeTag);
      intercept = e.firstNumber(icptTag);
    } catch (NumberFormatException ex) {
      throw new CxrDataException(
          file,
          "DICOM Rescale Slope/Intercept is not a number: "
              + e.string(slopeTag)
              + " / "
              + e.string(icptTag));
    }
    boolean rescale = slope != null && intercept != null;
    double s = rescale ? slope : 1;
    double b = rescale ? intercept : 0;
    DicomElements.Element seq = e.get(DicomParser.MODALITY_LUT_SEQUENCE);
    if (seq != null && seq.firstItem() != null && seq.firstItem().get(LUT_DATA) != null) {
      DicomElements item = seq.firstItem();
      DicomElements.Element desc = item.get(LUT_DESCRIPTOR);
      DicomElements.Element data = item.get(LUT_DATA);
      if (desc == null || desc.length() < 6) {
        throw new CxrDataException(file, "DICOM Modality LUT Sequence has no LUT Descriptor");
      }
      int entries = DicomElements.uint16At(desc, 0);
      entries = entries == 0 ? 65536 : entries;
      int first = DicomElements.uint16At(desc, 1);
      // "US or SS" (PS3.3 C.11.1.1.1): signed exactly when the pixel data are signed.
      first = signed ? (short) first : first;
      int bits = DicomElements.uint16At(desc, 2);
      int[] table = new int[entries];
      if (data.length() >= 2L * entries) {
        for (int i = 0; i < entries; i++) {
          table[i] = DicomElements.uint16At(data, i);
        }
      } else if (bits <= 8 && data.length() >= entries) {
        for (int i = 0; i < entries; i++) {
          table[i] = data.data()[data.offset() + i] & 0xFF;
        }
      } else {
        throw new CxrDataException(
            file,
            "DICOM Modality LUT Data holds "
                + data.length()
                + " bytes for "
                + entries
                + " entries: corrupt file");
      }
      return new ModalityLut("lut-sequence", s, b, table, first);
    }
    return new ModalityLut(rescale ? "rescale" : "none", s, b, null, 0);
  }

  String kind() {
    return kind;
  }

  double slope() {
    return slope;
  }

  double intercept() {
    return intercept;
  }

  /**
   * Writes one modality value per pixel into {@code out}; RGB is first turned into gray with the
   * ITU-R BT.601 luma weights 0.299, 0.587, 0.114, the weights of the PNG path.
   *
   * @return min, max and mean of the values written, computed in double
   */
  double[] apply(int[] stored, int samples, float[] out) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (int p = 0; p < out.length; p++) {
      double v;
      if (samples == 3) {
        int i = 3 * p;
        v = 0.299 * stored[i] + 0.587 * stored[i + 1] + 0.114 * stored[i + 2];
      } else {
        v = stored[p];
      }
      if (table != null && samples == 1) {
        long idx = Math.min(Math.max((long) stored[p] - firstMapped, 0), table.length - 1);
        v = table[(int) idx];
      } else if (!"none".equals(kind)) {
        v = v * slope + intercept;
      }
      out[p] = (float) v;
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    return new double[] {min, max, sum / out.length};
  }
}
