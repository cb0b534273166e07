package dev.cxr.spark;

import dev.cxr.core.CxrModel;
import dev.cxr.core.data.DataReport;
import dev.cxr.core.data.FolderWalk;
import dev.cxr.core.evaluation.Scorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobFilter;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores radiographs with a cxr model on Apache Spark.
 *
 * <pre>{@code
 * Dataset<Row> images = CxrSpark.readImages(spark, "hdfs:///archive/2024/*.png");
 * Dataset<Row> scored = CxrSpark.score(spark, images, "hdfs:///models/effusion.zip");
 * scored.drop("content").write().parquet("hdfs:///scores/2024.parquet");
 * }</pre>
 *
 * <p>The model file's bytes are read once on the driver, checked there (a file that is not a cxr
 * model fails before any task runs), and broadcast; each executor loads them once (one copy per
 * concurrent task, see {@link ExecutorModels}). Each partition reads and scores its images in
 * batches with the same reading, resizing and normalisation as {@link CxrModel#predict}: both go
 * through {@link Scorer}. An unreadable image gives a row with its error text, never a failed job.
 */
public final class CxrSpark {
  /** Images per scoring batch unless told otherwise: the batch {@link CxrModel#predict} uses. */
  public static final int DEFAULT_BATCH = Scorer.BATCH;

  private static final Logger LOG = LoggerFactory.getLogger(CxrSpark.class);

  private CxrSpark() {}

  /**
   * File names {@link #readImages(SparkSession, String)} keeps: PNG, JPEG and DICOM by extension.
   */
  public static final String IMAGE_FILES = "*.{png,PNG,jpg,JPG,jpeg,JPEG,dcm,DCM}";

  /**
   * Lists the image files ({@link #IMAGE_FILES}) under a path with Spark's {@code binaryFile}
   * source.
   *
   * @see #readImages(SparkSession, String, String)
   */
  public static Dataset<Row> readImages(SparkSession spark, String pathOrGlob) {
    return readImages(spark, pathOrGlob, IMAGE_FILES);
  }

  /**
   * Lists files with Spark's {@code binaryFile} source, logging the notes on symbolic links.
   *
   * @see #readImages(SparkSession, String, String, DataReport)
   */
  public static Dataset<Row> readImages(SparkSession spark, String pathOrGlob, String fileNames) {
    DataReport notes = new DataReport();
    Dataset<Row> rows = readImages(spark, pathOrGlob, fileNames, notes);
    notes.problems().forEach(p -> LOG.warn("{}", p.message()));
    return rows;
  }

  /**
   * Lists files with Spark's {@code binaryFile} source: columns {@code path}, {@code
   * modificationTime}, {@code length} and {@code content}.
   *
   * <p>A directory on the local file system is walked as cxr-core's data discovery walks it ({@link
   * FolderWalk}): symbolic links to folders are followed (as Spark does), and a link to a folder
   * that holds it (a loop), a second way into a folder already read and a link whose target does
   * not exist are each noted once in {@code report}. Where Spark's own recursive listing would read
   * files more than once (a loop: once per turn until the operating system's limit on links in a
   * path; a folder reached twice: once per way), the files found by the walk are listed instead, so
   * each file is one row. The {@code path} column is the path as given, not resolved: {@code
   * file:/data/nih/images/x.png} for {@code /data/nih} a link to {@code /mnt/nfs/nih}, as {@code
   * cxr predict} and {@code cxr evaluate} name the same file. Other file systems (HDFS, S3, ...)
   * and globs are listed by Spark alone.
   *
   * @param spark the session
   * @param pathOrGlob a file, a directory (read recursively) or a Hadoop glob, on any Hadoop file
   *     system
   * @param fileNames a glob on file names ({@code *} for every file, e.g. DICOM without extension)
   * @param report receives the notes on symbolic links of a local directory
   * @return one row per file
   */
  public static Dataset<Row> readImages(
      SparkSession spark, String pathOrGlob, String fileNames, DataReport report) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(pathOrGlob, "pathOrGlob");
    Objects.requireNonNull(fileNames, "fileNames");
    Objects.requireNonNull(report, "report");
    boolean glob = pathOrGlob.matches(".*[*?\\[{].*");
    DataFrameReader reader = spark.read().format("binaryFile").option("pathGlobFilter", fileNames);
    Path dir = glob ? null : localDirectory(spark, pathOrGlob);
    if (dir != null) {
      GlobFilter names = globFilter(fileNames);
      DataReport notes = new DataReport();
      FolderWalk.Listing listing =
          FolderWalk.walk(
              dir,
              f -> !hidden(dir, f) && names.accept(new org.apache.hadoop.fs.Path(f.toUri())),
              notes);
      notes.problems().forEach(report::add);
      boolean readTwice =
          notes.problems().stream()
              .anyMatch(
                  p ->
                      p.kind().equals(FolderWalk.LINK_LOOP)
                          || p.kind().equals(FolderWalk.REPEATED_FOLDER));
      if (readTwice) {
        if (listing.files().isEmpty()) {
          return spark.createDataFrame(List.of(), BINARY_FILE_SCHEMA);
        }
        String[] files =
            listing.files().stream()
                .map(f -> new org.apache.hadoop.fs.Path(f.toUri()).toString())
                .toArray(String[]::new);
        // the files as they are: a '[' or '*' in a file name is not a pattern
        return reader.option("__globPaths__", "false").load(files);
      }
    }
    return reader.option("recursiveFileLookup", String.valueOf(!glob)).load(pathOrGlob);
  }

  /** The columns of Spark's {@code binaryFile} source. */
  private static final StructType BINARY_FILE_SCHEMA =
      new StructType()
          .add("path", DataTypes.StringType, false)
          .add("modificationTime", DataTypes.TimestampType, false)
          .add("length", DataTypes.LongType, false)
          .add("content", DataTypes.BinaryType, true);

  /** The directory a path names on the local file system, or null (another file system, a file). */
  private static Path localDirectory(SparkSession spark, String path) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!"file".equals(fs.getScheme())) {
        return null;
      }
      Path local = Path.of(fs.makeQualified(p).toUri());
      return Files.isDirectory(local) ? local : null;
    } catch (IOException | IllegalArgumentException e) {
      return null; // Spark's own listing names the problem
    }
  }

  private static GlobFilter globFilter(String fileNames) {
    try {
      return new GlobFilter(fileNames);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "fileNames must be a glob on file names but was '" + fileNames + "': " + e.getMessage());
    }
  }

  /** Whether Spark's listing leaves the file out: a name below the directory starts with . or _. */
  private static boolean hidden(Path dir, Path file) {
    for (Path name : dir.relativize(file)) {
      String n = name.toString();
      if (n.startsWith(".") || (n.startsWith("_") && !n.contains("="))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Scores images with {@link #DEFAULT_BATCH} images per batch.
   *
   * @see #score(SparkSession, Dataset, String, int)
   */
  public static Dataset<Row> score(SparkSession spark, Dataset<Row> images, String modelPath) {
    return score(spark, images, modelPath, DEFAULT_BATCH);
  }

  /**
   * Scores images: returns the input rows with, added, one probability column per label ({@code
   * p_<label>}), the thresholded label ({@code predicted}) and {@code error} (null for a scored
   * image; the reason, naming the image, for one that could not be read, whose probabilities are
   * then null). The result is lazy, like any Dataset.
   *
   * @param spark the session
   * @param images rows with a binary {@code content} column (as {@link #readImages} gives) or a
   *     string {@code path} column that every executor can read
   * @param modelPath a model file saved by cxr (a local path or any Hadoop file system URI)
   * @param batchSize images per scoring batch
   * @return the scored rows, one per input row
   * @throws IllegalArgumentException when the input lacks an image column, already has an output
   *     column, or the batch size is not positive
   * @throws dev.cxr.core.io.CxrDataException when the model file is not a readable cxr model
   */
  public static Dataset<Row> score(
      SparkSession spark, Dataset<Row> images, String modelPath, int batchSize) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(modelPath, "modelPath");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1 but was " + batchSize);
    }
    Path local = localFile(modelPath);
    byte[] bytes = local != null ? readLocal(local) : readHadoop(spark, modelPath);
    CxrModel model = local != null ? CxrModel.load(local) : ExecutorModels.load(bytes);
    OutputColumns columns = new OutputColumns(images.schema(), model.labelNames());
    String key = sha256(bytes);
    // the driver's copy serves local-mode tasks, which run in this JVM
    ExecutorModels.giveBack(key, model);
    Broadcast<byte[]> shared =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(bytes);
    return images.mapPartitions(
        new ScorePartition(shared, key, columns, new Labelling(model), batchSize),
        Encoders.row(columns.schema()));
  }

  private static Path localFile(String modelPath) {
    if (modelPath.contains("://")) {
      return null;
    }
    Path p = Path.of(modelPath.startsWith("file:") ? modelPath.substring(5) : modelPath);
    return Files.isRegularFile(p) ? p : null;
  }

  private static byte[] readLocal(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model file " + p + ": " + e, e);
    }
  }

  private static byte[] readHadoop(SparkSession spark, String modelPath) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(modelPath);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw new IllegalArgumentException("model file " + modelPath + " does not exist");
      }
      try (FSDataInputStream in = fs.open(p)) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model file " + modelPath + ": " + e, e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }
}
