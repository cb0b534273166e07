package dev.cxr.resnet.compat;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
import org.deeplearning4j.config.DL4JClassLoading;
import org.deeplearning4j.config.DL4JSystemProperties;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches on DL4J's oneDNN layer helpers (the fast convolution, batch-normalisation and pooling
 * kernels of the ND4J {@code -onednn} native libraries), which Deeplearning4j 1.0.0-M2.1 ships but
 * never uses on its own.
 *
 * <h2>The DL4J 1.0.0-M2.1 defects worked around</h2>
 *
 * <ol>
 *   <li>{@code org.deeplearning4j.nn.layers.HelperUtils.createHelper} creates no layer helper
 *       unless the system property {@value #DL4J_DISABLE_PROPERTY} is {@code "false"}; its default
 *       is {@code "true"}. Layers then run DL4J's own im2col + GEMM code, about five times slower
 *       for a ResNet.
 *   <li>Even with that property, every oneDNN helper's {@code checkSupported()} calls {@code
 *       org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()}, which loads the
 *       class {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by name and calls {@code
 *       isUseMKLDNN()}. In ND4J 1.0.0-M2.1 that class is {@code
 *       org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} with method {@code
 *       isUseONEDNN()}, so the check fails, is remembered in a private static flag ({@code
 *       FAILED_CHECK}) and every helper is discarded for the rest of the JVM's life.
 * </ol>
 *
 * <h2>What {@link #ensureEnabled()} does</h2>
 *
 * On the ND4J CPU backend, when the native library reports that it was built with oneDNN, it
 *
 * <ol>
 *   <li>puts a class loader in front of DL4J's own one ({@code
 *       DL4JClassLoading.setDl4jClassloader}) that defines {@code
 *       org.nd4j.nativeblas.Nd4jCpu$Environment} as a two-method bridge to the real ND4J
 *       environment; every other class still comes from DL4J's previous loader, which is always
 *       asked first;
 *   <li>clears {@code BaseMKLDNNHelper.FAILED_CHECK} by reflection, in case the broken check
 *       already ran;
 *   <li>checks that {@code BaseMKLDNNHelper.mklDnnEnabled()} now answers true (and undoes step 1 if
 *       not);
 *   <li>sets {@value #DL4J_DISABLE_PROPERTY} to {@code "false"} unless the user has set it.
 * </ol>
 *
 * It runs once per JVM; later calls return the first answer. If anything fails (another backend
 * such as CUDA, a native library without oneDNN, a future DL4J with other internals), it logs one
 * warning and leaves DL4J's built-in path in place: results are the same either way, only speed
 * differs.
 *
 * <h2>When it takes effect, and how to switch it off</h2>
 *
 * DL4J chooses a layer's helper when the layer object is created ({@code init()} of a network,
 * restoring a saved model, {@code clone()}), reading {@value #DL4J_DISABLE_PROPERTY} at that
 * moment. So the helpers must be switched on before a network is built, and a network built while
 * they are off keeps DL4J's built-in path. Ways to keep the built-in path:
 *
 * <ul>
 *   <li>{@code -D}{@value #SWITCH_PROPERTY}{@code =false} on the command line, before the first
 *       call;
 *   <li>{@code -D}{@value #DL4J_DISABLE_PROPERTY}{@code =true} (DL4J's own switch; an explicit
 *       value is never overridden);
 *   <li>{@link #setEnabled(boolean) setEnabled(false)} before building a network; {@code
 *       setEnabled(true)} switches them back on for networks built afterwards.
 * </ul>
 *
 * <h2>Who calls it, and the trade-off</h2>
 *
 * {@link #ensureEnabled()} is one explicit, idempotent call. {@code CxrPipeline}, {@code
 * CxrModel.load} and the {@code cxr} command line make it, because they own the whole process's
 * training or scoring run and a 5x speed-up is what their users expect. Building a graph with
 * {@code ResNets} alone does <em>not</em> make it: a DL4J user who only takes cxr-resnet keeps DL4J
 * exactly as DL4J ships it (no class loader in front of DL4J's, no system property, no reflective
 * write), and is told once in the log how to turn the fast path on. The cost of calling it: it
 * changes JVM-wide state that every DL4J network built later in the process sees (DL4J's class
 * loader and its {@value #DL4J_DISABLE_PROPERTY} property); the results are the same within float
 * rounding, only the speed differs.
 *
 * <p>Thread-safe: all state changes are synchronised on this class. The helpers compute the same
 * results as the built-in path within float rounding (see the tests of this package).
 */
public final class OneDnnHelpers {

  /** System property that, set to {@code false}, keeps DL4J's built-in layer implementations. */
  public static final String SWITCH_PROPERTY = "cxr.helpers";

  /**
   * DL4J's own switch ({@code DL4JSystemProperties.DISABLE_HELPER_PROPERTY}); DL4J's default is
   * "true".
   */
  public static final String DL4J_DISABLE_PROPERTY = DL4JSystemProperties.DISABLE_HELPER_PROPERTY;

  private static final Logger LOG = LoggerFactory.getLogger(OneDnnHelpers.class);

  /** Name of the private static flag in which {@code BaseMKLDNNHelper} remembers a failed check. */
  private static final String FAILED_CHECK_FIELD = "FAILED_CHECK";

  /** Outcome of the one-time set-up; null until {@link #ensureEnabled()} first runs. */
  private static volatile Setup setup;

  /** True after {@code setEnabled(false)} until {@code setEnabled(true)}. */
  private static volatile boolean switchedOffByCall;

  private OneDnnHelpers() {}

  /** What the one-time set-up found: whether the bridge works and why not, if it does not. */
  record Setup(boolean available, String reason) {}

  /**
   * Switches the oneDNN layer helpers on for every network built afterwards in this JVM, unless
   * they were switched off (see the class documentation). Idempotent and cheap after the first
   * call.
   *
   * @return whether layers created from now on get oneDNN helpers (same as {@link #isActive()})
   */
  public static synchronized boolean ensureEnabled() {
    if (switchedOffByCall || switchedOffByProperty()) {
      return isActive();
    }
    if (setup == null) {
      setup = install();
      if (setup.available()) {
        LOG.info(
            "oneDNN layer helpers enabled (workaround for DL4J 1.0.0-M2.1 HelperUtils/BaseMKLDNNHelper)");
      } else {
        LOG.warn(
            "oneDNN layer helpers not available, using DL4J's built-in layers: {}", setup.reason());
      }
    }
    if (setup.available() && System.getProperty(DL4J_DISABLE_PROPERTY) == null) {
      System.setProperty(DL4J_DISABLE_PROPERTY, "false");
    }
    return isActive();
  }

  /** Whether the one-line hint of {@link #hintIfInactive()} was logged already. */
  private static final AtomicBoolean HINTED = new AtomicBoolean();

  /**
   * Logs once per JVM, at INFO, how to switch the fast path on when it is not in effect; changes
   * nothing. Called by {@code ResNets} and {@code DenseNets} when they build a graph, instead of
   * switching the helpers on behind the user's back.
   */
  public static void hintIfInactive() {
    if (!isActive()
        && !switchedOffByCall
        && !switchedOffByProperty()
        && HINTED.compareAndSet(false, true)) {
      LOG.info(
          "DL4J's oneDNN layer helpers are off (about 5x slower convolutions on CPU); call "
              + "OneDnnHelpers.ensureEnabled() before building a network to switch them on");
    }
  }

  /**
   * Switches the helpers on or off for networks built afterwards (networks that exist keep what
   * they have). {@code setEnabled(false)} sets DL4J's {@value #DL4J_DISABLE_PROPERTY} to {@code
   * "true"}; {@code setEnabled(true)} clears a previous {@code setEnabled(false)}, a {@value
   * #SWITCH_PROPERTY} switch-off and DL4J's property, then runs {@link #ensureEnabled()} (which
   * sets DL4J's property to {@code "false"} where oneDNN is available).
   *
   * @param enabled whether networks built from now on should use the oneDNN helpers
   * @return whether they will ({@link #isActive()}); false when asked for true on a platform
   *     without oneDNN
   */
  public static synchronized boolean setEnabled(boolean enabled) {
    switchedOffByCall = !enabled;
    if (!enabled) {
      System.setProperty(DL4J_DISABLE_PROPERTY, "true");
      return false;
    }
    System.clearProperty(SWITCH_PROPERTY);
    System.clearProperty(DL4J_DISABLE_PROPERTY);
    return ensureEnabled();
  }

  /**
   * Tells whether a DL4J layer created now would get a oneDNN helper: the set-up succeeded and
   * DL4J's {@value #DL4J_DISABLE_PROPERTY} is {@code "false"}.
   *
   * @return true when the fast path is in effect for networks built from now on
   */
  public static boolean isActive() {
    Setup current = setup;
    return current != null
        && current.available()
        && "false".equalsIgnoreCase(System.getProperty(DL4J_DISABLE_PROPERTY));
  }

  /**
   * One line for logs and the start-of-training banner, e.g. {@code "oneDNN layer helpers: on"} or
   * {@code "oneDNN layer helpers: off (-Dcxr.helpers=false)"}.
   *
   * @return a human-readable description of the current state
   */
  public static String describe() {
    Setup current = setup;
    String prefix = "oneDNN layer helpers: ";
    if (isActive()) {
      return prefix + "on";
    }
    if (switchedOffByCall) {
      return prefix + "off (switched off by OneDnnHelpers.setEnabled(false))";
    }
    if ("false".equalsIgnoreCase(System.getProperty(SWITCH_PROPERTY))) {
      return prefix + "off (-D" + SWITCH_PROPERTY + "=false)";
    }
    String dl4j = System.getProperty(DL4J_DISABLE_PROPERTY);
    if (dl4j != null && !"false".equalsIgnoreCase(dl4j)) {
      return prefix + "off (-D" + DL4J_DISABLE_PROPERTY + "=" + dl4j + ")";
    }
    if (current != null && !current.available()) {
      return prefix + "unavailable (" + current.reason() + ")";
    }
    return prefix + "off (OneDnnHelpers.ensureEnabled() not called yet)";
  }

  private static boolean switchedOffByProperty() {
    if ("false".equalsIgnoreCase(System.getProperty(SWITCH_PROPERTY))) {
      return true;
    }
    String dl4j = System.getProperty(DL4J_DISABLE_PROPERTY);
    return setup == null && dl4j != null && !"false".equalsIgnoreCase(dl4j);
  }

  /** The one-time set-up; never throws. */
  private static Setup install() {
    String backend;
    try {
      backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
    } catch (RuntimeException | LinkageError e) {
      return new Setup(false, e.toString());
    }
    return install(backend);
  }

  /**
   * The set-up for a named ND4J backend (package-private so that a test can name a backend other
   * than the one loaded, e.g. CUDA, which must change nothing).
   */
  static Setup install(String backend) {
    try {
      if (!"CPU".equalsIgnoreCase(backend)) {
        return new Setup(
            false, "ND4J backend is " + backend + ", oneDNN helpers exist for CPU only");
      }
      if (!nativeLibraryUsesOneDnn()) {
        return new Setup(
            false,
            "the ND4J native library was not built with oneDNN"
                + " (use the nd4j-native classifier linux-x86_64-onednn or windows-x86_64-onednn)");
      }
      ClassLoader previous = DL4JClassLoading.getDl4jClassloader();
      ClassLoader base = previous != null ? previous : OneDnnHelpers.class.getClassLoader();
      boolean bridged = !loadable(LegacyEnvironmentBridge.LEGACY_ENVIRONMENT_CLASS, base);
      if (bridged) {
        DL4JClassLoading.setDl4jClassloader(new LegacyEnvironmentBridge(base));
      }
      clearFailedCheck();
      if (!BaseMKLDNNHelper.mklDnnEnabled()) {
        if (bridged) {
          DL4JClassLoading.setDl4jClassloader(previous);
        }
        return new Setup(false, "BaseMKLDNNHelper.mklDnnEnabled() still answers false");
      }
      return new Setup(true, "");
    } catch (RuntimeException | LinkageError | ReflectiveOperationException e) {
      return new Setup(false, e.toString());
    }
  }

  /**
   * Whether the ND4J native library contains oneDNN (its build information lists {@code
   * HAVE_ONEDNN}; the plain {@code linux-x86_64} classifier does not) and has not been told to
   * avoid it ({@code Nd4jCpu.Environment.isUseONEDNN()}, asked by reflection: cxr-resnet does not
   * depend on nd4j-native).
   */
  private static boolean nativeLibraryUsesOneDnn() throws ReflectiveOperationException {
    String buildInfo = Nd4j.getBackend().buildInfo();
    if (buildInfo == null || !buildInfo.contains("HAVE_ONEDNN")) {
      return false;
    }
    Class<?> environment =
        Class.forName(
            LegacyEnvironmentTemplate.CURRENT_ENVIRONMENT_CLASS, true, Nd4j.class.getClassLoader());
    Object instance = environment.getMethod("getInstance").invoke(null);
    return Boolean.TRUE.equals(environment.getMethod("isUseONEDNN").invoke(instance));
  }

  private static boolean loadable(String className, ClassLoader loader) {
    try {
      Class.forName(className, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Forgets a failed {@code mklDnnEnabled()} check, so that the next call looks again. */
  private static void clearFailedCheck() throws ReflectiveOperationException {
    Field failed = BaseMKLDNNHelper.class.getDeclaredField(FAILED_CHECK_FIELD);
    failed.setAccessible(true);
    Object flag = failed.get(null);
    if (flag instanceof AtomicBoolean atomic) {
      atomic.set(false);
    }
  }
}
