package dev.cxr.core.weights;

import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.io.RegularFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads the weights of a PyTorch model into a {@link StateDict}, from a safetensors file, a {@code
 * torch.save} zip archive or a legacy {@code torch.save} file. The format is told from the bytes,
 * never from the name: a zip archive ({@code PK\3\4}) is PyTorch's zip format; a pickle (first byte
 * 0x80) whose first object is PyTorch's magic number is the legacy format; eight bytes of header
 * length followed by {@code {}} is safetensors.
 *
 * <p>Nothing in a file is ever run. The pickles are read by a restricted unpickler with an
 * allow-list of opcodes and of globals (see the package documentation); any other global, e.g.
 * {@code os.system} or {@code builtins.eval}, is refused in one line naming the file and the
 * global. Every error is a {@link CxrDataException} whose one-line message names the file and what
 * is wrong.
 */
public final class WeightFiles {
  private static final byte[] ZIP = {'P', 'K', 3, 4};
  private static final byte[] EMPTY_ZIP = {'P', 'K', 5, 6};

  private WeightFiles() {}

  /**
   * Reads a weight file within {@link WeightLimits#DEFAULTS}.
   *
   * @param file a {@code .pt}/{@code .pth}/{@code .bin} or {@code .safetensors} file
   * @return its tensors by state-dict key, in order, with its simple attributes
   * @throws CxrDataException when the file cannot be read, is no weight file, breaks a limit or
   *     names a global that is not allowed
   */
  public static StateDict read(Path file) throws CxrDataException {
    return read(file, WeightLimits.DEFAULTS);
  }

  /**
   * Reads a weight file within the given limits.
   *
   * @param file a {@code .pt}/{@code .pth}/{@code .bin} or {@code .safetensors} file
   * @param limits what the file may hold at most
   * @return its tensors by state-dict key, in order, with its simple attributes
   * @throws CxrDataException when the file cannot be read, is no weight file, breaks a limit or
   *     names a global that is not allowed
   */
  public static StateDict read(Path file, WeightLimits limits) throws CxrDataException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(limits, "limits");
    RegularFiles.require(file, "weight file");
    try (FileChannel ch = SafetensorsReader.open(file)) {
      long size = ch.size();
      if (size > limits.maxFileBytes()) {
        throw new CxrDataException(
            file,
            "file of "
                + size
                + " bytes exceeds "
                + limits.maxFileBytes()
                + " (WeightLimits.maxFileBytes)");
      }
      byte[] head = new byte[(int) Math.min(size, 512)];
      SafetensorsReader.readFully(file, ch, ByteBuffer.wrap(head), 0);
      if (startsWith(head, ZIP) || startsWith(head, EMPTY_ZIP)) {
        return TorchZipReader.read(file, limits, size);
      }
      if (head.length >= 2 && (head[0] & 0xff) == 0x80) {
        if (legacyMagic(head)) {
          return TorchLegacyReader.read(file, limits, size);
        }
        throw plainPickle(file, limits, size);
      }
      if (head.length > 262
          && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
        throw new CxrDataException(
            file,
            "a tar archive: the tar format of PyTorch before 0.4 is not read; load and save it again with a current PyTorch");
      }
      if (head.length >= 9 && head[8] == '{') {
        return SafetensorsReader.read(file, limits, ch, size);
      }
      throw new CxrDataException(
          file,
          "not a PyTorch (zip or legacy) or safetensors weight file ("
              + size
              + " bytes, starting "
              + hex(head)
              + ")");
    } catch (IOException e) {
      throw new CxrDataException(file, -1, "cannot read: " + e, e);
    }
  }

  /** PROTO, then LONG1 of 10 bytes holding torch.serialization.MAGIC_NUMBER. */
  private static boolean legacyMagic(byte[] head) {
    if (head.length < 14 || (head[2] & 0xff) != 0x8a || head[3] != 10) {
      return false;
    }
    byte[] le = TorchLegacyReader.MAGIC.toByteArray();
    for (int i = 0; i < 10; i++) {
      if (head[4 + i] != le[le.length - 1 - i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * A pickle without PyTorch's magic number: read by the restricted unpickler all the same (so that
   * a hostile one is refused naming its global), then refused as no torch.save file.
   */
  private static CxrDataException plainPickle(Path file, WeightLimits limits, long size)
      throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      PickleInput pin = new PickleInput(file, "the file", in, size, limits.maxPickleBytes());
      Object o = new Unpickler(file, limits, pin, null).load();
      return new CxrDataException(
          file,
          "a plain pickle of a "
              + Unpickler.quote(Py.typeName(o))
              + " without PyTorch's magic number: not a torch.save file");
    }
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    return b.length >= prefix.length
        && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static String hex(byte[] head) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(8, head.length); i++) {
      sb.append(String.format("%02x", head[i] & 0xff));
    }
    return sb.length() == 0 ? "empty" : "0x" + sb;
  }
}
