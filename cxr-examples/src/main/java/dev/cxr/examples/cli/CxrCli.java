package dev.cxr.examples.cli;

import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.provenance.ModelInfo;
import dev.cxr.examples.BackendLog;
import dev.cxr.resnet.compat.OneDnnHelpers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cxr} command line: {@code java -jar cxr-examples/target/cxr.jar <command> --help}.
 *
 * <p>Every failure, exceptions and errors alike, is printed as one line {@code error: ...} on
 * stderr and ends the command with a documented exit code ({@code --verbose} adds the stack trace):
 *
 * <ul>
 *   <li>{@value #EXIT_BAD_INPUT}: bad input (unreadable or hostile data or model files, bad
 *       parameters, calls in the wrong order: {@code CxrDataException}, {@code
 *       IllegalArgumentException}, {@code IllegalStateException}, {@code IOException}, {@code
 *       UncheckedIOException});
 *   <li>{@value #EXIT_OUT_OF_MEMORY}: out of memory ({@code OutOfMemoryError}), with a hint to give
 *       Java more heap or use a smaller {@code --size} / {@code --batch};
 *   <li>{@value #EXIT_INTERNAL}: an internal error, anything else: a bug, a {@code
 *       StackOverflowError}, or the native ND4J library that could not be loaded ({@code
 *       UnsatisfiedLinkError}).
 * </ul>
 */
@Command(
    name = "cxr",
    mixinStandardHelpOptions = true,
    versionProvider = CxrCli.Version.class,
    description = "Train and run chest X-ray abnormality detectors (NIH ChestX-ray14) on DL4J.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:internal error (a bug, or the native ND4J library could not be loaded)",
      "2:bad input: data, model file or parameters (the message names the file)",
      "3:out of memory (give Java more heap: java -Xmx8g -jar cxr.jar ...)"
    },
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      PredictCommand.class,
      ExplainCommand.class,
      ServeCommand.class,
      ReportCommand.class,
      CalibrateCommand.class,
      ImportCommand.class,
      LocalizeCommand.class,
      ImageInfoCommand.class,
      CrossvalCommand.class,
      LrFindCommand.class,
      DatasetInfoCommand.class,
      CacheCommand.class,
      MakeDemoDataCommand.class,
      AugmentPreviewCommand.class,
      ModelSummaryCommand.class,
      BenchLoaderCommand.class,
      BenchEpochCommand.class,
      BenchAugmentCommand.class,
      BenchModelCommand.class,
      StudyCommand.class,
      BenchLayersCommand.class,
    })
public final class CxrCli {
  /** Exit code for an internal error (a bug, or no native library). */
  public static final int EXIT_INTERNAL = 1;

  /** Exit code for bad input or bad parameters. */
  public static final int EXIT_BAD_INPUT = 2;

  /** Exit code for running out of memory. */
  public static final int EXIT_OUT_OF_MEMORY = 3;

  private static volatile boolean verbose;

  /**
   * Runs the command line.
   *
   * @param args arguments
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs the command line without exiting (for tests and embedding).
   *
   * @param args arguments
   * @return the exit code
   */
  public static int run(String... args) {
    verbose = Arrays.asList(args).contains("--verbose");
    // DL4J logs its backend banner at INFO; the command line shows it only with --verbose
    BackendLog.configure(verbose);
    return run(commandLine(), args);
  }

  /**
   * Runs a configured command line, turning whatever it throws into one line and an exit code.
   *
   * @param cl the command line
   * @param args arguments
   * @return the exit code
   */
  static int run(CommandLine cl, String... args) {
    try {
      return cl.execute(args);
    } catch (Throwable t) { // picocli hands only Exceptions to its handler; Errors come out here
      return exitCodeFor(t, cl.getErr(), verbose);
    }
  }

  /**
   * @return the configured picocli command line
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new CxrCli());
    // option help written from the library's defaults and limits (one source of each)
    cl.setResourceBundle(new TrainHelp());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> exitCodeFor(e, cmd.getErr(), verbose));
    cl.setExecutionStrategy(
        parsed -> {
          Integer help = CommandLine.executeHelpRequest(parsed);
          if (help != null) {
            return help; // --help and --version need no native library
          }
          // the command line owns the process, so it takes DL4J's fast CPU path once, before any
          // network is built or restored (see OneDnnHelpers for the trade-off)
          OneDnnHelpers.ensureEnabled();
          return new CommandLine.RunLast().execute(parsed);
        });
    return cl;
  }

  /**
   * Prints one line about a failure (and the stack trace when verbose) and chooses its exit code.
   *
   * @param thrown what a command threw
   * @param err where to print
   * @param verbose whether to print the stack trace
   * @return the exit code (see the class comment)
   */
  static int exitCodeFor(Throwable thrown, PrintWriter err, boolean verbose) {
    Throwable t =
        thrown instanceof CommandLine.ExecutionException && thrown.getCause() != null
            ? thrown.getCause()
            : thrown;
    Throwable link = nativeLoadFailure(t);
    int code;
    String line;
    if (t instanceof OutOfMemoryError) {
      code = EXIT_OUT_OF_MEMORY;
      line =
          "out of memory: "
              + message(t)
              + "; give Java more heap (java -Xmx8g -jar cxr.jar ...) or use a smaller --size /"
              + " --batch";
    } else if (link != null) {
      code = EXIT_INTERNAL;
      line = "the native ND4J library could not be loaded: " + message(link);
    } else if (t instanceof StackOverflowError) {
      code = EXIT_INTERNAL;
      line = "internal error: stack overflow";
    } else if (t instanceof CxrDataException
        || t instanceof IllegalArgumentException
        || t instanceof IllegalStateException
        || t instanceof IOException
        || t instanceof UncheckedIOException) {
      code = EXIT_BAD_INPUT;
      line = message(t);
    } else {
      code = EXIT_INTERNAL;
      line = message(t);
    }
    if (code == EXIT_INTERNAL && !verbose) {
      line += " (run again with --verbose for the stack trace)";
    }
    err.println("error: " + line);
    if (verbose) {
      t.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /** The UnsatisfiedLinkError behind a failure, if any (also inside an initialiser error). */
  private static Throwable nativeLoadFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof UnsatisfiedLinkError) {
        return c;
      }
    }
    return null;
  }

  private static String message(Throwable t) {
    String m = t.getMessage() == null || t.getMessage().isBlank() ? t.toString() : t.getMessage();
    return m.replace('\n', ' ').replace('\r', ' ');
  }

  /**
   * @return whether {@code --verbose} was given
   */
  static boolean verbose() {
    return verbose;
  }

  /** Prints the library version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "cxr "
            + ModelInfo.currentLibraryVersion()
            + " (Deeplearning4j "
            + ModelInfo.DL4J_VERSION
            + ")"
      };
    }
  }
}
