package dev.cxr.resnet.compat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A class loader that makes the class {@code org.nd4j.nativeblas.Nd4jCpu$Environment} loadable
 * again, for DL4J 1.0.0-M2.1's {@code BaseMKLDNNHelper.mklDnnEnabled()}, which still looks it up by
 * that pre-M2 name.
 *
 * <p>Every request goes to the parent first (the class loader DL4J used before), so nothing DL4J
 * loads changes; only when the parent does not know the legacy name does this loader define it,
 * from the byte code of {@link LegacyEnvironmentTemplate} with the class name rewritten. The JVM
 * insists that a class loaded under a name carries that name, which is why a copy is defined rather
 * than the template returned.
 */
final class LegacyEnvironmentBridge extends ClassLoader {

  /**
   * The name DL4J 1.0.0-M2.1 loads (the class moved to {@code
   * org.nd4j.linalg.cpu.nativecpu.bindings}).
   */
  static final String LEGACY_ENVIRONMENT_CLASS = "org.nd4j.nativeblas.Nd4jCpu$Environment";

  private static final int CLASS_FILE_MAGIC = 0xCAFEBABE;
  private static final int ACC_PUBLIC = 0x0001;

  static {
    registerAsParallelCapable();
  }

  /**
   * Creates a bridge in front of the given class loader.
   *
   * @param parent the class loader DL4J used so far; every other class is loaded by it
   */
  LegacyEnvironmentBridge(ClassLoader parent) {
    super("cxr-onednn-bridge", Objects.requireNonNull(parent, "parent"));
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    if (!LEGACY_ENVIRONMENT_CLASS.equals(name)) {
      throw new ClassNotFoundException(name);
    }
    byte[] template = templateBytes();
    byte[] renamed =
        renameClass(
            template,
            internalName(LegacyEnvironmentTemplate.class.getName()),
            internalName(LEGACY_ENVIRONMENT_CLASS));
    return defineClass(name, renamed, 0, renamed.length);
  }

  private static byte[] templateBytes() throws ClassNotFoundException {
    String resource = LegacyEnvironmentTemplate.class.getSimpleName() + ".class";
    try (InputStream in = LegacyEnvironmentTemplate.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ClassNotFoundException(
            "byte code of "
                + LegacyEnvironmentTemplate.class.getName()
                + " is not readable as a resource");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ClassNotFoundException("cannot read " + resource, e);
    }
  }

  private static String internalName(String binaryName) {
    return binaryName.replace('.', '/');
  }

  /**
   * Returns a copy of a class file in which the class is called {@code newName} and is public (DL4J
   * calls its methods reflectively from another package). Only constant-pool text changes: the
   * entry holding the class's own name and type descriptors that mention it; all indices stay as
   * they were.
   *
   * @param classFile the class file of the template
   * @param oldName internal name of the template ({@code a/b/C})
   * @param newName internal name of the copy
   * @return the rewritten class file
   * @throws ClassNotFoundException if the bytes are not a class file this method understands
   */
  static byte[] renameClass(byte[] classFile, String oldName, String newName)
      throws ClassNotFoundException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(classFile.length + 64);
      DataOutputStream out = new DataOutputStream(bytes);
      int magic = in.readInt();
      if (magic != CLASS_FILE_MAGIC) {
        throw new ClassNotFoundException(
            "not a class file (magic " + Integer.toHexString(magic) + ")");
      }
      out.writeInt(magic);
      out.writeShort(in.readUnsignedShort()); // minor version
      out.writeShort(in.readUnsignedShort()); // major version
      int count = in.readUnsignedShort();
      out.writeShort(count);
      String oldDescriptor = "L" + oldName + ";";
      String newDescriptor = "L" + newName + ";";
      for (int index = 1; index < count; index++) {
        int tag = in.readUnsignedByte();
        out.writeByte(tag);
        if (tag == 1) { // CONSTANT_Utf8
          String text = in.readUTF();
          out.writeUTF(text.equals(oldName) ? newName : text.replace(oldDescriptor, newDescriptor));
          continue;
        }
        int size = constantSize(tag);
        out.write(in.readNBytes(size));
        if (tag == 5 || tag == 6) { // CONSTANT_Long and CONSTANT_Double take two slots
          index++;
        }
      }
      out.writeShort(in.readUnsignedShort() | ACC_PUBLIC);
      out.write(in.readAllBytes());
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new ClassNotFoundException("malformed class file", e);
    }
  }

  /** Size in bytes, after the tag, of each constant-pool entry kind except Utf8 (JVMS 4.4). */
  private static int constantSize(int tag) throws ClassNotFoundException {
    return switch (tag) {
      case 7, 8, 16, 19, 20 -> 2; // Class, String, MethodType, Module, Package
      case 15 -> 3; // MethodHandle
      case 3, 4, 9, 10, 11, 12, 17, 18 ->
          4; // Integer, Float, *ref, NameAndType, Dynamic, InvokeDynamic
      case 5, 6 -> 8; // Long, Double
      default -> throw new ClassNotFoundException("unknown constant-pool tag " + tag);
    };
  }
}
