package dev.cxr.core.weights;

import java.nio.ByteBuffer;

/**
 * The element types a weight file may hold: PyTorch's name, the element size, the legacy storage
 * class that stands for it in a pickle, and the safetensors code; and how one element becomes a
 * float.
 */
enum DType {
  FLOAT32("float32", 4, "FloatStorage", "F32"),
  FLOAT16("float16", 2, "HalfStorage", "F16"),
  BFLOAT16("bfloat16", 2, "BFloat16Storage", "BF16"),
  FLOAT64("float64", 8, "DoubleStorage", "F64"),
  INT64("int64", 8, "LongStorage", "I64"),
  INT32("int32", 4, "IntStorage", "I32"),
  INT16("int16", 2, "ShortStorage", "I16"),
  INT8("int8", 1, "CharStorage", "I8"),
  UINT8("uint8", 1, "ByteStorage", "U8"),
  BOOL("bool", 1, "BoolStorage", "BOOL");

  private final String torchName;
  private final int size;
  private final String storageClass;
  private final String safetensorsCode;

  DType(String torchName, int size, String storageClass, String safetensorsCode) {
    this.torchName = torchName;
    this.size = size;
    this.storageClass = storageClass;
    this.safetensorsCode = safetensorsCode;
  }

  /** PyTorch's name of the type, e.g. {@code float32}. */
  String torchName() {
    return torchName;
  }

  /** Bytes per element. */
  int size() {
    return size;
  }

  /** The legacy storage class that names this type in a pickle, or null when none does. */
  static DType ofStorageClass(String name) {
    for (DType t : values()) {
      if (t.storageClass.equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** The type of a safetensors dtype code, or null for an unknown code. */
  static DType ofSafetensors(String code) {
    for (DType t : values()) {
      if (t.safetensorsCode.equals(code)) {
        return t;
      }
    }
    return null;
  }

  /**
   * One element as a float: float16 and bfloat16 exactly, float64 rounded to nearest, integers
   * rounded to nearest, bools as 0 or 1.
   *
   * @param b the storage, its byte order set
   * @param byteIndex the element's first byte
   */
  float read(ByteBuffer b, int byteIndex) {
    return switch (this) {
      case FLOAT32 -> b.getFloat(byteIndex);
      case FLOAT16 -> halfToFloat(b.getShort(byteIndex));
      case BFLOAT16 -> Float.intBitsToFloat((b.getShort(byteIndex) & 0xffff) << 16);
      case FLOAT64 -> (float) b.getDouble(byteIndex);
      case INT64 -> (float) b.getLong(byteIndex);
      case INT32 -> (float) b.getInt(byteIndex);
      case INT16 -> b.getShort(byteIndex);
      case INT8 -> b.get(byteIndex);
      case UINT8 -> b.get(byteIndex) & 0xff;
      case BOOL -> b.get(byteIndex) != 0 ? 1f : 0f;
    };
  }

  /** IEEE 754 binary16 to binary32, exact (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short half) {
    int h = half & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f; // subnormal (or zero): exact in binary32
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }
}
