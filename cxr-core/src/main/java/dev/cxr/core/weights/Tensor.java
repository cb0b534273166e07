package dev.cxr.core.weights;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named tensor of a weight file, as floats.
 *
 * <p>The values are in row-major (C) order, as PyTorch's {@code tensor.contiguous().view(-1)} gives
 * them: a non-contiguous view in the file (a transpose, a strided slice, a storage offset) is read
 * through its strides. Every element type is converted to float: float16 and bfloat16 exactly,
 * float64 rounded to nearest, integers (e.g. a BatchNorm's {@code num_batches_tracked}) and bools
 * (0 or 1) too; {@link #dtype()} keeps the type the file held.
 *
 * @param name the state-dict key, e.g. {@code features.conv0.weight}
 * @param shape the size of each dimension; empty for a scalar (0-dimensional) tensor
 * @param values the elements in row-major order; as many as the product of the shape
 * @param dtype PyTorch's name of the type in the file: {@code float32}, {@code float16}, {@code
 *     bfloat16}, {@code float64}, {@code int64}, {@code int32}, {@code int16}, {@code int8}, {@code
 *     uint8} or {@code bool}
 */
public record Tensor(String name, long[] shape, float[] values, String dtype) {
  /** Checks that the shape holds as many elements as there are values; copies both arrays. */
  public Tensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = Objects.requireNonNull(shape, "shape").clone();
    values = Objects.requireNonNull(values, "values").clone();
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "tensor " + name + ": negative dimension in " + text(shape));
      }
      n = d == 0 ? 0 : (n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d);
    }
    if (n != values.length) {
      throw new IllegalArgumentException(
          "tensor "
              + name
              + ": shape "
              + text(shape)
              + " holds "
              + n
              + " values, not "
              + values.length);
    }
  }

  /**
   * @return a copy of the shape: a record never hands out its own array
   */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /**
   * @return a copy of the values in row-major order
   */
  @Override
  public float[] values() {
    return values.clone();
  }

  /**
   * @return the number of elements (the product of the shape; 1 for a scalar)
   */
  public long size() {
    return values.length;
  }

  /**
   * @return the shape as PyTorch prints it, e.g. {@code [64, 3, 7, 7]}; {@code []} for a scalar
   */
  public String shapeText() {
    return text(shape);
  }

  private static String text(long[] shape) {
    return Arrays.toString(shape);
  }

  /** Equal when name, dtype, shape and every value's bits are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t
        && name.equals(t.name)
        && dtype.equals(t.dtype)
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(values, t.values);
  }

  /** A hash of name, dtype, shape and values, consistent with {@link #equals}. */
  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape), Arrays.hashCode(values));
  }

  /** The name, dtype and shape, without the values. */
  @Override
  public String toString() {
    return name + " " + dtype + " " + shapeText();
  }
}
