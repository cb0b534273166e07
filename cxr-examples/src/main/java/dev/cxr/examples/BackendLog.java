package dev.cxr.examples;

/**
 * How loud the native backend is, for the examples and the {@code cxr} command line alike: when
 * ND4J loads it logs about fifteen {@code INFO} lines (backend, BLAS vendor, threads, build flags)
 * through SLF4J. Both show them only when asked ({@code --verbose}); warnings and errors always
 * show.
 *
 * <p>SLF4J's simple logger reads its level once, when the first logger is made, so {@link
 * #configure(boolean)} must run before anything touches ND4J or DL4J: first thing in {@code main}.
 * A level given on the command line ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=info}) wins.
 */
public final class BackendLog {
  /** The system property of SLF4J's simple logger that holds the default level. */
  public static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

  private BackendLog() {}

  /**
   * Sets the log level to {@code info} when verbose and to {@code warn} otherwise, unless the level
   * was already given as a system property.
   *
   * @param verbose whether to show the backend's {@code INFO} lines
   */
  public static void configure(boolean verbose) {
    if (System.getProperty(LEVEL_PROPERTY) == null) {
      System.setProperty(LEVEL_PROPERTY, verbose ? "info" : "warn");
    }
  }
}
