/**
 * Scoring an archive of radiographs with a cxr model on Apache Spark: {@link
 * dev.cxr.spark.CxrSpark#score} for a {@code Dataset<Row>} of images, and the {@code cxr-spark
 * score} command ({@link dev.cxr.spark.CxrSparkCli}) for {@code spark-submit} or one machine. Spark
 * itself is a {@code provided} dependency: the cluster's own Spark 3.5 (Scala 2.13) runs it.
 */
package dev.cxr.spark;
