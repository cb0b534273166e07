package dev.cxr.core.dicom;

import dev.cxr.core.io.CxrDataException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Walks a DICOM Part 10 file (PS3.10 section 7: preamble, "DICM", File Meta group 0002 in Explicit
 * VR Little Endian) and its data set (PS3.5 section 7: data elements with explicit or implicit VR,
 * defined or undefined lengths, sequences and items in section 7.5, encapsulated Pixel Data in
 * A.4). Every length is checked against the bytes that remain before it is used, every loop
 * advances by at least one element header, and sequence nesting is bounded, so a hostile file fails
 * with one line instead of looping, recursing or allocating without end.
 */
final class DicomParser {
  static final int PIXEL_DATA = 0x7FE00010;
  static final int MODALITY_LUT_SEQUENCE = 0x00283000;
  static final int TRANSFER_SYNTAX = 0x00020010;

  /** Deepest sequence nesting accepted; real files stay under about 10 levels. */
  static final int MAX_DEPTH = 64;

  private static final int ITEM = 0xFFFEE000;
  private static final int ITEM_DELIMITER = 0xFFFEE00D;
  private static final int SEQUENCE_DELIMITER = 0xFFFEE0DD;
  private static final long UNDEFINED = 0xFFFFFFFFL;
  // PS3.5 section 7.1.2: these VRs have 2 reserved bytes and a 32-bit length.
  private static final Set<String> LONG_VRS =
      Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT", "SV", "UV");
  private static final Set<String> SHORT_VRS =
      Set.of(
          "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT", "PN", "SH", "SL",
          "SS", "ST", "TM", "UI", "UL", "US");

  /** The result: the top-level elements kept and the transfer syntax that encodes them. */
  record Parsed(DicomElements elements, String transferSyntaxUid, boolean inferred) {}

  private record Header(int tag, String vr, long length, int valueOffset) {}

  private final Path file;
  private final int maxSide;
  private byte[] data;
  private boolean explicit;
  private boolean bigEndian;

  private DicomParser(Path file, byte[] data, int maxSide) {
    this.file = file;
    this.data = data;
    this.maxSide = maxSide;
  }

  /**
   * Parses the file up to and including the top-level Pixel Data element; a deflated data set is
   * inflated to at most what a frame of {@code maxSide} pixels a side could need.
   */
  static Parsed parse(Path file, byte[] data, int maxSide) {
    return new DicomParser(file, data, maxSide).run();
  }

  private Parsed run() {
    int pos = hasPreamble(data) ? 132 : 0;
    DicomElements meta = new DicomElements();
    // File Meta (PS3.10 7.1) is Explicit VR Little Endian; some old writers used implicit VR, so
    // the VR is sniffed per element rather than trusted.
    bigEndian = false;
    while (pos + 8 <= data.length && group(pos) == 0x0002) {
      explicit = isVr(data, pos + 4);
      pos = element(pos, data.length, 0, meta, false);
    }
    String uid = meta.string(TRANSFER_SYNTAX);
    boolean inferred = uid == null || uid.isEmpty();
    if (inferred) {
      // No File Meta (ACR-NEMA style): the first element tells explicit from implicit VR.
      uid =
          pos + 6 <= data.length && isVr(data, pos + 4)
              ? TransferSyntax.EXPLICIT_LE.uid
              : TransferSyntax.IMPLICIT_LE.uid;
    }
    TransferSyntax ts = TransferSyntax.of(uid);
    if (ts == null) {
      throw new CxrDataException(
          file, "unsupported DICOM transfer syntax " + TransferSyntax.describe(uid));
    }
    explicit = ts.explicitVr;
    bigEndian = ts.bigEndian;
    if (ts == TransferSyntax.DEFLATED_LE) {
      data = inflate(pos);
      pos = 0;
    }
    DicomElements top = new DicomElements();
    parseElements(pos, data.length, 0, top, false);
    return new Parsed(top, uid, inferred);
  }

  static boolean hasPreamble(byte[] d) {
    return d.length >= 132 && d[128] == 'D' && d[129] == 'I' && d[130] == 'C' && d[131] == 'M';
  }

  /** Whether the two bytes at {@code p} are a value representation of PS3.5 table 6.2-1. */
  static boolean isVr(byte[] d, int p) {
    if (p + 2 > d.length) {
      return false;
    }
    String vr = new String(d, p, 2, StandardCharsets.US_ASCII);
    return LONG_VRS.contains(vr) || SHORT_VRS.contains(vr);
  }

  /**
   * Reads elements from {@code pos} until {@code end}, an item delimiter (when {@code inItem} and
   * the item has undefined length) or the top-level Pixel Data.
   *
   * @return the position after the last element read (after the item delimiter, if any)
   */
  private int parseElements(int pos, int end, int depth, DicomElements into, boolean inItem) {
    while (pos < end) {
      int tag = tagAt(pos, end);
      if (tag == ITEM_DELIMITER) {
        if (inItem) {
          return header(pos, end).valueOffset;
        }
        throw fail("item delimitation item outside an item at byte " + pos);
      }
      if (depth == 0 && tag == PIXEL_DATA) {
        return element(pos, end, depth, into, true);
      }
      pos = element(pos, end, depth, into, false);
    }
    if (inItem) {
      throw fail("file cut short inside a sequence item (no item delimitation item)");
    }
    return pos;
  }

  /** Reads one element at {@code pos}, storing it in {@code into} when not null. */
  private int element(int pos, int end, int depth, DicomElements into, boolean pixelData) {
    Header h = header(pos, end);
    int v = h.valueOffset;
    if (h.length == UNDEFINED) {
      if (h.tag == PIXEL_DATA) { // encapsulated (PS3.5 A.4): fragments until a delimiter
        List<int[]> fragments = new ArrayList<>();
        int next = items(v, end, depth + 1, null, fragments, true);
        put(into, new DicomElements.Element(h.tag, h.vr, data, v, 0, false, fragments, null));
        return next;
      }
      // An SQ, or UN of undefined length, which PS3.5 6.2.2 says holds Implicit VR Little Endian.
      boolean saveExplicit = explicit;
      boolean saveBig = bigEndian;
      if ("UN".equals(h.vr)) {
        explicit = false;
        bigEndian = false;
      }
      DicomElements first = wantsItem(h.tag, depth) ? new DicomElements() : null;
      int next = items(v, end, depth + 1, first, null, true);
      explicit = saveExplicit;
      bigEndian = saveBig;
      put(into, new DicomElements.Element(h.tag, "SQ", data, v, 0, bigEndian, null, first));
      return next;
    }
    if (h.length > end - v) {
      throw fail(
          String.format(
              "DICOM element (%04X,%04X) declares %d bytes at byte %d but only %d remain:"
                  + " file cut short or corrupt",
              h.tag >>> 16, h.tag & 0xFFFF, h.length, v, end - v));
    }
    int len = (int) h.length;
    DicomElements first = null;
    boolean sequence = "SQ".equals(h.vr) || (h.vr == null && h.tag == MODALITY_LUT_SEQUENCE);
    if (sequence && wantsItem(h.tag, depth)) {
      first = new DicomElements();
      items(v, v + len, depth + 1, first, null, false);
    }
    put(into, new DicomElements.Element(h.tag, h.vr, data, v, len, bigEndian, null, first));
    return v + len;
  }

  private static boolean wantsItem(int tag, int depth) {
    return depth == 0 && tag == MODALITY_LUT_SEQUENCE;
  }

  private static void put(DicomElements into, DicomElements.Element e) {
    if (into != null) {
      into.put(e);
    }
  }

  /**
   * Reads the items of a sequence or of encapsulated Pixel Data from {@code pos}: up to {@code end}
   * for a defined length, else up to the sequence delimiter (then {@code end} is the end of the
   * data). Items of defined length are skipped unless their elements are wanted.
   */
  private int items(
      int pos,
      int end,
      int depth,
      DicomElements firstItem,
      List<int[]> fragments,
      boolean undefinedLength) {
    if (depth > MAX_DEPTH) {
      throw fail("DICOM sequences nested deeper than " + MAX_DEPTH + " levels: corrupt file");
    }
    boolean first = true;
    while (pos < end) {
      Header h = itemHeader(pos, end);
      if (h.tag == SEQUENCE_DELIMITER) {
        return h.valueOffset;
      }
      if (h.tag != ITEM) {
        throw fail(
            String.format(
                "expected a sequence item (FFFE,E000) at byte %d, found (%04X,%04X)",
                pos, h.tag >>> 16, h.tag & 0xFFFF));
      }
      DicomElements into = first ? firstItem : null;
      first = false;
      if (h.length == UNDEFINED) {
        if (fragments != null) {
          throw fail("encapsulated Pixel Data fragment of undefined length at byte " + pos);
        }
        pos = parseElements(h.valueOffset, end, depth, into, true);
        continue;
      }
      if (h.length > end - h.valueOffset) {
        throw fail(
            "sequence item at byte "
                + pos
                + " declares "
                + h.length
                + " bytes but only "
                + (end - h.valueOffset)
                + " remain: file cut short or corrupt");
      }
      int itemEnd = h.valueOffset + (int) h.length;
      if (fragments != null) {
        fragments.add(new int[] {h.valueOffset, (int) h.length});
      } else if (into != null) {
        parseElements(h.valueOffset, itemEnd, depth, into, false);
      }
      pos = itemEnd;
    }
    if (undefinedLength) {
      // An undefined-length sequence must end with its delimiter; running out means a cut.
      throw fail("file cut short inside a sequence or encapsulated Pixel Data");
    }
    return pos;
  }

  private Header header(int pos, int end) {
    int tag = tagAt(pos, end);
    if ((tag >>> 16) == 0xFFFE) {
      return itemHeader(pos, end);
    }
    if (!explicit) {
      need(pos, 8, end);
      return new Header(tag, null, uint32(pos + 4), pos + 8);
    }
    need(pos, 8, end);
    if (!Character.isUpperCase(data[pos + 4]) || !Character.isUpperCase(data[pos + 5])) {
      throw fail(
          String.format(
              "invalid value representation in element (%04X,%04X) at byte %d: corrupt file",
              tag >>> 16, tag & 0xFFFF, pos));
    }
    String vr = new String(data, pos + 4, 2, StandardCharsets.US_ASCII);
    if (SHORT_VRS.contains(vr)) {
      return new Header(tag, vr, uint16(pos + 6), pos + 8);
    }
    // Long form; PS3.5 7.1.2 says VRs unknown to a reader use it too.
    need(pos, 12, end);
    return new Header(tag, vr, uint32(pos + 8), pos + 12);
  }

  private Header itemHeader(int pos, int end) {
    need(pos, 8, end);
    return new Header(tagAt(pos, end), null, uint32(pos + 4), pos + 8);
  }

  private int tagAt(int pos, int end) {
    need(pos, 4, end);
    return (group(pos) << 16) | uint16(pos + 2);
  }

  private int group(int pos) {
    return uint16(pos);
  }

  private void need(int pos, int n, int end) {
    if (end - pos < n) {
      throw fail("file cut short inside the DICOM header at byte " + pos);
    }
  }

  private int uint16(int p) {
    return bigEndian
        ? ((data[p] & 0xFF) << 8) | (data[p + 1] & 0xFF)
        : (data[p] & 0xFF) | ((data[p + 1] & 0xFF) << 8);
  }

  private long uint32(int p) {
    long a = uint16(p);
    long b = uint16(p + 2);
    return bigEndian ? (a << 16) | b : (b << 16) | a;
  }

  /** Inflates everything after the File Meta: PS3.5 A.5, raw deflate without zlib header. */
  private byte[] inflate(int pos) {
    long cap = Math.min(Integer.MAX_VALUE - 16L, 4L * maxSide * maxSide + (64L << 20));
    Inflater inf = new Inflater(true);
    try {
      inf.setInput(data, pos, data.length - pos);
      byte[] out = new byte[Math.max(1024, Math.min((int) cap, 8 * (data.length - pos)))];
      int n = 0;
      while (!inf.finished()) {
        if (n == out.length) {
          if (out.length >= cap) {
            throw fail("deflated DICOM data set inflates beyond " + cap + " bytes: refused");
          }
          out = java.util.Arrays.copyOf(out, (int) Math.min(cap, 2L * out.length));
        }
        int r = inf.inflate(out, n, out.length - n);
        if (r == 0 && (inf.needsInput() || inf.needsDictionary())) {
          throw fail("deflated DICOM data set is cut short");
        }
        n += r;
      }
      return java.util.Arrays.copyOf(out, n);
    } catch (DataFormatException e) {
      throw new CxrDataException(
          file, -1, "deflated DICOM data set is corrupt: " + e.getMessage(), e);
    } finally {
      inf.end();
    }
  }

  private CxrDataException fail(String message) {
    return new CxrDataException(file, message);
  }
}
