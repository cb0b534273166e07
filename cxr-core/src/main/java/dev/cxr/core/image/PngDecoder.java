package dev.cxr.core.image;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A fast decoder for the PNG variants chest radiographs come in (non-interlaced; 8 or 16-bit gray,
 * gray+alpha, RGB, RGBA; 8-bit palette), straight to gray values. It inflates with the JDK's native
 * zlib and unfilters in one pass, about twice as fast as {@code ImageIO.read} on the 1024x1024 NIH
 * images. Anything else (interlaced, sub-byte depths) returns null so the caller falls back to
 * ImageIO. Follows the PNG specification (ISO/IEC 15948, W3C PNG 2nd edition).
 *
 * <p>The file is untrusted input: the declared size is checked against {@link
 * ImageLimits#maxSide()} before anything is allocated (also for the variants left to ImageIO), the
 * CRC of every critical chunk (IHDR, PLTE, IDAT, IEND) is verified, as is the zlib stream's
 * Adler-32 over the decompressed data (ancillary chunks are skipped unread, as libpng does with a
 * damaged one).
 */
final class PngDecoder {
  private static final long SIGNATURE = 0x89504E470D0A1A0AL;

  /**
   * Per-thread buffer for the inflated rows: a 1024x1024 image needs 1 MB, which the G1 collector
   * treats as a humongous object, expensive to allocate once per image.
   */
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[0]);

  /** The largest row buffer kept per thread (a 4096 x 4096 16-bit gray image needs 32 MiB). */
  private static final int MAX_KEPT_SCRATCH = 64 << 20;

  /** Where decompressed bytes past the last row go while reading on to the checksum. */
  private static final ThreadLocal<byte[]> TRASH = ThreadLocal.withInitial(() -> new byte[8192]);

  /** How many decompressed bytes past the last row are tolerated (some encoders add a few). */
  private static final long MAX_EXTRA = 1 << 20;

  private PngDecoder() {}

  /**
   * A decoded image: gray values in the source's scale (0-255, or 0-65535 when 16-bit), or, for
   * 8-bit gray, the unfiltered rows themselves ({@code width + 1} bytes each, filter byte first) in
   * a per-thread buffer that stays valid until the thread's next decode.
   */
  record Decoded(int width, int height, float[] values, boolean sixteenBit, byte[] rawGray8) {}

  /** Thrown for a damaged PNG: bad structure, truncated data. */
  static final class PngFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    PngFormatException(String message) {
      super(message);
    }
  }

  /**
   * @param data the whole file
   * @return whether the data starts with the PNG signature
   */
  static boolean isPng(byte[] data) {
    return data.length >= 8 && ByteBuffer.wrap(data).getLong() == SIGNATURE;
  }

  /**
   * Decodes a PNG to gray.
   *
   * @param data the whole file (must start with the PNG signature)
   * @return the gray image, or null when this variant is left to ImageIO
   * @throws PngFormatException when the file is damaged or truncated
   */
  static Decoded decode(byte[] data) throws PngFormatException {
    ByteBuffer buf = ByteBuffer.wrap(data);
    buf.position(8);
    int width = -1;
    int height = -1;
    int depth = 0;
    int colorType = 0;
    byte[] palette = null;
    // zlib format (not nowrap): the Inflater checks the stream header and its Adler-32 trailer
    Inflater inflater = new Inflater();
    CRC32 crc = new CRC32();
    byte[] raw = null;
    int rawPos = 0;
    int rawEnd = 0;
    long extra = 0;
    boolean ended = false;
    try {
      while (buf.remaining() >= 8) {
        int length = buf.getInt();
        int type = buf.getInt();
        int start = buf.position();
        if (length < 0 || length > buf.remaining() - 4) {
          throw new PngFormatException(
              "truncated PNG: "
                  + chunkName(data, start - 4)
                  + " chunk at byte "
                  + (start - 8)
                  + " declares "
                  + Integer.toUnsignedString(length)
                  + " bytes of data (plus a 4-byte CRC) but only "
                  + buf.remaining()
                  + " bytes follow");
        }
        if ((type & 0x20000000) == 0) { // critical chunk (upper-case first letter): check its CRC
          crc.reset();
          crc.update(data, start - 4, length + 4);
          if ((int) crc.getValue() != buf.getInt(start + length)) {
            throw new PngFormatException(
                "CRC mismatch in " + chunkName(data, start - 4) + " chunk at byte " + (start - 8));
          }
        }
        switch (type) {
          case 0x49484452 -> { // IHDR
            if (length != 13 || raw != null) {
              throw new PngFormatException("invalid PNG header chunk");
            }
            width = buf.getInt();
            height = buf.getInt();
            depth = buf.get() & 0xFF;
            colorType = buf.get() & 0xFF;
            int compression = buf.get() & 0xFF;
            int filter = buf.get() & 0xFF;
            int interlace = buf.get() & 0xFF;
            if (width <= 0 || height <= 0 || compression != 0 || filter != 0) {
              throw new PngFormatException("invalid PNG header");
            }
            // before anything is allocated, also for the variants left to ImageIO below
            checkSize(width, height);
            if (interlace != 0
                || !(depth == 8 || (depth == 16 && colorType != 3))
                || !(colorType == 0
                    || colorType == 2
                    || colorType == 3
                    || colorType == 4
                    || colorType == 6)) {
              return null; // rarer variants: leave to ImageIO
            }
            long rawSize = (long) height * (1 + (long) width * channels(colorType) * (depth / 8));
            if (rawSize > Integer.MAX_VALUE - 16) {
              throw new PngFormatException(
                  "PNG image of " + width + " x " + height + " pixels is too large to decode");
            }
            raw = scratch((int) rawSize);
            rawEnd = (int) rawSize;
          }
          case 0x504C5445 -> { // PLTE
            palette = new byte[length];
            buf.get(palette);
          }
          case 0x49444154 -> { // IDAT
            if (raw == null) {
              throw new PngFormatException("image data before the PNG header");
            }
            inflater.setInput(data, start, length);
            while (!inflater.needsInput() && !inflater.finished()) {
              int n;
              if (rawPos < rawEnd) {
                n = inflater.inflate(raw, rawPos, rawEnd - rawPos);
                rawPos += n;
              } else { // the rows are complete: read on to the end to check the Adler-32
                n = inflater.inflate(TRASH.get());
                extra += n;
                if (extra > MAX_EXTRA) {
                  throw new PngFormatException(
                      "compressed image data holds more than " + MAX_EXTRA + " bytes too many");
                }
              }
              if (n == 0 && !inflater.needsInput() && !inflater.finished()) {
                throw new PngFormatException(
                    inflater.needsDictionary()
                        ? "compressed image data asks for a preset dictionary"
                        : "compressed image data makes no progress");
              }
            }
          }
          case 0x49454E44 -> ended = true; // IEND
          default -> {} // ancillary chunks are ignored
        }
        buf.position(start + length + 4); // skip data and CRC
        if (ended) {
          break;
        }
      }
    } catch (DataFormatException e) {
      String m = String.valueOf(e.getMessage());
      throw new PngFormatException(
          m.contains("data check")
              ? "Adler-32 mismatch: the compressed image data is corrupt"
              : "corrupt compressed image data: " + m);
    } finally {
      inflater.end();
    }
    if (raw == null) {
      throw new PngFormatException("no PNG header");
    }
    if (rawPos < rawEnd) {
      throw new PngFormatException(
          "truncated PNG: image data ends after " + rawPos + " of " + rawEnd + " bytes");
    }
    if (!inflater.finished()) {
      throw new PngFormatException(
          "truncated PNG: the compressed image data ends without its Adler-32 checksum");
    }
    if (colorType == 3 && palette == null) {
      throw new PngFormatException("palette image without a palette");
    }
    int bpp = channels(colorType) * (depth / 8);
    int rowBytes = width * bpp;
    PngFilters.unfilter(raw, height, rowBytes, bpp);
    if (depth == 8 && colorType == 0) {
      return new Decoded(width, height, null, false, raw);
    }
    return new Decoded(
        width,
        height,
        toGray(raw, width, height, rowBytes, depth, colorType, palette),
        depth == 16,
        null);
  }

  private static int channels(int colorType) {
    return switch (colorType) {
      case 0, 3 -> 1;
      case 4 -> 2;
      case 2 -> 3;
      default -> 4;
    };
  }

  /**
   * Refuses dimensions over {@link ImageLimits#maxSide()}, before any pixel buffer is allocated.
   */
  private static void checkSize(int width, int height) throws PngFormatException {
    int maxSide = ImageLimits.maxSide();
    if (width > maxSide || height > maxSide) {
      throw new PngFormatException(
          "PNG image of "
              + width
              + " x "
              + height
              + " pixels exceeds the limit of "
              + maxSide
              + " per side (ImageLimits, system property "
              + ImageLimits.MAX_SIDE_PROPERTY
              + ")");
    }
  }

  /** The per-thread row buffer, grown as needed; an unusually large one is not kept. */
  private static byte[] scratch(int size) {
    byte[] raw = SCRATCH.get();
    if (raw.length >= size) {
      return raw;
    }
    raw = new byte[size];
    if (size <= MAX_KEPT_SCRATCH) {
      SCRATCH.set(raw);
    }
    return raw;
  }

  /** A chunk type for a message: its four letters, or hex when they are not letters. */
  private static String chunkName(byte[] data, int at) {
    StringBuilder sb = new StringBuilder(4);
    for (int i = at; i < at + 4; i++) {
      char c = (char) (data[i] & 0xFF);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        return String.format(
            "0x%02X%02X%02X%02X", data[at], data[at + 1], data[at + 2], data[at + 3]);
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private static float[] toGray(
      byte[] raw, int width, int height, int rowBytes, int depth, int colorType, byte[] palette) {
    float[] out = new float[width * height];
    int stride = rowBytes + 1;
    int ch = channels(colorType);
    for (int y = 0; y < height; y++) {
      int row = y * stride + 1;
      int o = y * width;
      if (depth == 8) {
        switch (colorType) {
          case 0, 4 -> {
            for (int x = 0; x < width; x++) {
              out[o + x] = raw[row + x * ch] & 0xFF;
            }
          }
          case 3 -> {
            for (int x = 0; x < width; x++) {
              int idx = (raw[row + x] & 0xFF) * 3;
              out[o + x] =
                  idx + 2 < palette.length
                      ? 0.299f * (palette[idx] & 0xFF)
                          + 0.587f * (palette[idx + 1] & 0xFF)
                          + 0.114f * (palette[idx + 2] & 0xFF)
                      : 0f;
            }
          }
          default -> { // RGB, RGBA: luminance, alpha ignored
            for (int x = 0; x < width; x++) {
              int p = row + x * ch;
              out[o + x] =
                  0.299f * (raw[p] & 0xFF)
                      + 0.587f * (raw[p + 1] & 0xFF)
                      + 0.114f * (raw[p + 2] & 0xFF);
            }
          }
        }
      } else {
        for (int x = 0; x < width; x++) {
          int p = row + x * ch * 2;
          if (ch <= 2) {
            out[o + x] = ((raw[p] & 0xFF) << 8) | (raw[p + 1] & 0xFF);
          } else {
            int r = ((raw[p] & 0xFF) << 8) | (raw[p + 1] & 0xFF);
            int g = ((raw[p + 2] & 0xFF) << 8) | (raw[p + 3] & 0xFF);
            int b = ((raw[p + 4] & 0xFF) << 8) | (raw[p + 5] & 0xFF);
            out[o + x] = 0.299f * r + 0.587f * g + 0.114f * b;
          }
        }
      }
    }
    return out;
  }
}
