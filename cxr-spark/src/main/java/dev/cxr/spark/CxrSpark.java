package dev.cxr.spark;

import dev.cxr.core.CxrModel;
import dev.cxr.core.evaluation.Scorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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
   * Lists files with Spark's {@code binaryFile} source: columns {@code path}, {@code
   * modificationTime}, {@code length} and {@code content}.
   *
   * @param spark the session
   * @param pathOrGlob a file, a directory (read recursively) or a Hadoop glob, on any Hadoop file
   *     system
   * @param fileNames a glob on file names ({@code *} for every file, e.g. DICOM without extension)
   * @return one row per file
   */
  public static Dataset<Row> readImages(SparkSession spark, String pathOrGlob, String fileNames) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(pathOrGlob, "pathOrGlob");
    Objects.requireNonNull(fileNames, "fileNames");
    boolean glob = pathOrGlob.matches(".*[*?\\[{].*");
    return spark
        .read()
        .format("binaryFile")
        .option("pathGlobFilter", fileNames)
        .option("recursiveFileLookup", String.valueOf(!glob))
        .load(pathOrGlob);
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
