package dev.cxr.resnet.compat;

import java.lang.reflect.Method;

/**
 * Byte-code template for the class {@code org.nd4j.nativeblas.Nd4jCpu$Environment} that DL4J
 * 1.0.0-M2.1's {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up by name. {@link
 * LegacyEnvironmentBridge} copies this class's byte code under that legacy name; this class itself
 * is never instantiated or called.
 *
 * <p>The copy answers the two reflective calls DL4J makes ({@code getInstance()} and {@code
 * isUseMKLDNN()}) by asking the real ND4J 1.0.0-M2.1 environment, {@code
 * org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} ({@code isUseONEDNN()}). Keep this
 * class free of lambdas, string concatenation and nested classes: its byte code must not refer to
 * other classes of this package.
 */
final class LegacyEnvironmentTemplate {

  /**
   * Where ND4J 1.0.0-M2.1 keeps its native environment (the class DL4J M2.1 should have loaded).
   */
  static final String CURRENT_ENVIRONMENT_CLASS =
      "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

  private LegacyEnvironmentTemplate() {}

  /**
   * Counterpart of the legacy {@code Nd4jCpu.Environment.getInstance()}.
   *
   * @return a new instance of the (renamed) copy of this class
   */
  public static Object getInstance() {
    return new LegacyEnvironmentTemplate();
  }

  /**
   * Counterpart of the legacy {@code Nd4jCpu.Environment.isUseMKLDNN()}.
   *
   * @return whether the loaded ND4J native library uses oneDNN; false if that cannot be determined
   */
  public boolean isUseMKLDNN() {
    try {
      Class<?> environment = Class.forName(CURRENT_ENVIRONMENT_CLASS);
      Object instance = environment.getMethod("getInstance").invoke(null);
      Method isUseOneDnn = environment.getMethod("isUseONEDNN");
      return Boolean.TRUE.equals(isUseOneDnn.invoke(instance));
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return false;
    }
  }
}
