package dev.cxr.examples.cli;

import dev.cxr.core.io.CxrDataException;
import dev.cxr.core.provenance.ModelInfo;
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
 * <p>Errors from bad input (unreadable data, bad parameters, calls in the wrong order) are printed
 * as one line {@code error: ...} on stderr with exit code 2; anything else as one line with exit
 * code 1. {@code --verbose} adds the stack trace.
 */
@Command(
    name = "cxr",
    mixinStandardHelpOptions = true,
    versionProvider = CxrCli.Version.class,
    description = "Train and run chest X-ray abnormality detectors (NIH ChestX-ray14) on DL4J.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      PredictCommand.class,
      ImageInfoCommand.class,
      CrossvalCommand.class,
      LrFindCommand.class,
      DatasetInfoCommand.class,
      MakeDemoDataCommand.class,
      AugmentPreviewCommand.class,
      ModelSummaryCommand.class,
      BenchLoaderCommand.class,
      BenchAugmentCommand.class,
      BenchModelCommand.class,
    })
public final class CxrCli {
  /** Exit code for bad input or bad parameters. */
  public static final int EXIT_BAD_INPUT = 2;

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
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
    }
    return commandLine().execute(args);
  }

  /**
   * @return the configured picocli command line
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new CxrCli());
    // option help written from the library's defaults and limits (one source of each)
    cl.setResourceBundle(new TrainHelp());
    cl.setExecutionExceptionHandler(CxrCli::handle);
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

  private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    boolean bad =
        e instanceof CxrDataException
            || e instanceof IllegalArgumentException
            || e instanceof IllegalStateException
            || e instanceof IOException
            || e instanceof UncheckedIOException;
    String msg = e.getMessage() == null ? e.toString() : e.getMessage();
    err.println("error: " + msg.replace('\n', ' '));
    if (verbose) {
      e.printStackTrace(err);
    } else if (!bad) {
      err.println("(run again with --verbose for the stack trace)");
    }
    err.flush();
    return bad ? EXIT_BAD_INPUT : 1;
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
