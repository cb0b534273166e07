package dev.cxr.spark;

import dev.cxr.core.io.CxrDataException;
import dev.cxr.resnet.compat.OneDnnHelpers;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code cxr-spark} command line. Under {@code spark-submit} the master and resources come from
 * the submit command; run directly ({@code bin/cxr-spark} in this module), it starts Spark in local
 * mode, where nothing listens beyond 127.0.0.1 and the web UI is off unless {@code --ui} (see
 * {@link CommandSession}). Exit codes as for {@code cxr}: 2 for bad input (model, images, options),
 * 1 for anything else.
 */
@Command(
    name = "cxr-spark",
    mixinStandardHelpOptions = true,
    description = "Score radiographs with a cxr model on Apache Spark.",
    subcommands = {CommandLine.HelpCommand.class, CxrSparkCli.Score.class})
public final class CxrSparkCli {
  private CxrSparkCli() {}

  /**
   * Runs the command line and exits with its code.
   *
   * @param args arguments
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs the command line without exiting.
   *
   * @param args arguments
   * @return the exit code
   */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new CxrSparkCli());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> fail(e, cmd.getErr()));
    return cl.execute(args);
  }

  static int fail(Exception e, PrintWriter err) {
    Throwable t = e;
    while (t.getCause() != null
        && !(t instanceof CxrDataException)
        && (t instanceof CommandLine.ExecutionException || t.getMessage() == null)) {
      t = t.getCause();
    }
    boolean bad =
        t instanceof CxrDataException
            || t instanceof IllegalArgumentException
            || t instanceof IllegalStateException
            || t instanceof UncheckedIOException
            || t instanceof java.io.IOException
            || t instanceof org.apache.spark.sql.AnalysisException;
    err.println("error: " + (t.getMessage() != null ? t.getMessage() : t.toString()));
    err.flush();
    return bad ? 2 : 1;
  }

  /** {@code cxr-spark score}: score images and write the rows to Parquet. */
  @Command(
      name = "score",
      mixinStandardHelpOptions = true,
      description = {
        "Score images with a cxr model and write one Parquet row per image: path,"
            + " modificationTime, length, p_<label> per label, predicted, error.",
        "An unreadable image gets its error text, never a failed job."
      })
  static final class Score implements Callable<Integer> {
    static final String APP_NAME = "cxr-spark score";

    @Option(
        names = "--model",
        required = true,
        paramLabel = "MODEL",
        description = "Model file (local path or Hadoop URI).")
    String model;

    @Option(
        names = "--images",
        required = true,
        paramLabel = "PATH_OR_GLOB",
        description =
            "A directory (read recursively), a file or a Hadoop glob such as '/data/2024-*/*.png'.")
    String images;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "OUT.parquet",
        description = "Parquet output; must not exist.")
    String out;

    @Option(
        names = "--files",
        paramLabel = "GLOB",
        description =
            "File names to score, a glob; '*' for every file (default: ${DEFAULT-VALUE}).")
    String fileNames = CxrSpark.IMAGE_FILES;

    @Option(
        names = "--master",
        paramLabel = "URL",
        description = "Spark master when not set by spark-submit (default: local[*]).")
    String master;

    @Option(
        names = "--ui",
        description = {
          "Local mode: start Spark's web UI for the run, on 127.0.0.1 only, and print its"
              + " address (default: off; in local mode nothing listens beyond 127.0.0.1).",
          "On a cluster the cluster's settings decide."
        })
    boolean ui;

    @Option(
        names = "--batch",
        paramLabel = "N",
        description = "Images per scoring batch (default: ${DEFAULT-VALUE}).")
    int batch = CxrSpark.DEFAULT_BATCH;

    @Override
    public Integer call() throws java.io.IOException {
      OneDnnHelpers.ensureEnabled();
      // an embedding program's session is used and left running; one this command started is
      // stopped
      boolean own =
          !CommandSession.running(SparkSession.getActiveSession())
              && !CommandSession.running(SparkSession.getDefaultSession());
      SparkSession spark =
          own ? CommandSession.start(APP_NAME, master, ui) : existingSession(master);
      try {
        if (own && spark.sparkContext().isLocal() && spark.sparkContext().uiWebUrl().isDefined()) {
          System.err.println(
              "Spark UI: "
                  + spark.sparkContext().uiWebUrl().get()
                  + " (open while the command runs; it stops at the end)");
        }
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(out);
        if (target.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(target)) {
          throw new IllegalArgumentException(
              "--out " + out + " already exists; choose another path or delete it first");
        }
        long t0 = System.nanoTime();
        dev.cxr.core.data.DataReport links = new dev.cxr.core.data.DataReport();
        Dataset<Row> listed = CxrSpark.readImages(spark, images, fileNames, links);
        links.problems().forEach(p -> System.err.println("warning: " + p.message()));
        Dataset<Row> scored = CxrSpark.score(spark, listed, model, batch).drop("content");
        scored.write().parquet(out);
        double s = (System.nanoTime() - t0) / 1e9;
        Dataset<Row> written = spark.read().parquet(out);
        long rows = written.count();
        long errors = written.filter(functions.col(OutputColumns.ERROR).isNotNull()).count();
        System.out.printf(
            Locale.ROOT,
            "scored %d images (%d unreadable) in %.1f s: %.1f img/s -> %s%n",
            rows,
            errors,
            s,
            rows / s,
            out);
        return 0;
      } finally {
        if (own) {
          spark.stop();
        }
      }
    }

    /** The running session of the program that called the command, found as before. */
    private static SparkSession existingSession(String master) {
      SparkSession.Builder b = SparkSession.builder().appName(APP_NAME);
      if (master != null) {
        b.master(master);
      } else if (!new SparkConf().contains("spark.master")) {
        b.master("local[*]");
      }
      return b.getOrCreate();
    }
  }
}
