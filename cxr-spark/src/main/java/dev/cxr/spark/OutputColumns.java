package dev.cxr.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The columns {@link CxrSpark#score} adds to its input: one probability per label ({@code
 * p_Effusion}, {@code p_No_Finding}: the label name with every character Parquet or SQL would need
 * quoted replaced by {@code _}), the thresholded label ({@value #PREDICTED}), and the error text
 * ({@value #ERROR}, null when the image was scored). Also where the scorer finds the image in an
 * input row: the binary {@value #CONTENT} column of Spark's {@code binaryFile} source when present,
 * otherwise a {@value #PATH} column that every executor can read.
 */
final class OutputColumns implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Binary image bytes, as Spark's {@code binaryFile} source names them. */
  static final String CONTENT = "content";

  /** Image location (any Hadoop file system URI), as Spark's {@code binaryFile} source names it. */
  static final String PATH = "path";

  /** The thresholded label. */
  static final String PREDICTED = "predicted";

  /** Why an image could not be scored; null for a scored image. */
  static final String ERROR = "error";

  private final StructType input;
  private final List<String> probabilityColumns;
  private final int contentIndex;
  private final int pathIndex;

  OutputColumns(StructType input, List<String> labelNames) {
    this.input = Objects.requireNonNull(input, "input");
    List<String> fieldNames = List.of(input.fieldNames());
    contentIndex = fieldNames.indexOf(CONTENT);
    pathIndex = fieldNames.indexOf(PATH);
    if (contentIndex < 0 && pathIndex < 0) {
      throw new IllegalArgumentException(
          "images need a binary '"
              + CONTENT
              + "' column (spark.read().format(\"binaryFile\")) or a string '"
              + PATH
              + "' column, but the columns are "
              + fieldNames);
    }
    if (contentIndex >= 0
        && !input.fields()[contentIndex].dataType().equals(DataTypes.BinaryType)) {
      throw new IllegalArgumentException(
          "column '"
              + CONTENT
              + "' must be binary but is "
              + input.fields()[contentIndex].dataType());
    }
    if (pathIndex >= 0 && !input.fields()[pathIndex].dataType().equals(DataTypes.StringType)) {
      throw new IllegalArgumentException(
          "column '" + PATH + "' must be a string but is " + input.fields()[pathIndex].dataType());
    }
    List<String> probs = new ArrayList<>();
    for (String label : labelNames) {
      probs.add("p_" + label.replaceAll("[^A-Za-z0-9_]", "_"));
    }
    Set<String> taken = new HashSet<>();
    for (String f : fieldNames) {
      taken.add(f.toLowerCase(Locale.ROOT)); // Spark resolves column names case-insensitively
    }
    List<String> added = new ArrayList<>(probs);
    added.add(PREDICTED);
    added.add(ERROR);
    for (String a : added) {
      if (!taken.add(a.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "the input already has a column '"
                + a
                + "' that scoring would add; rename or drop it first");
      }
    }
    this.probabilityColumns = Collections.unmodifiableList(probs);
  }

  /** The output schema: every input column, then the added ones. */
  StructType schema() {
    StructType s = input;
    for (String p : probabilityColumns) {
      s =
          s.add(
              new StructField(
                  p, DataTypes.DoubleType, true, org.apache.spark.sql.types.Metadata.empty()));
    }
    return s.add(PREDICTED, DataTypes.StringType, true).add(ERROR, DataTypes.StringType, true);
  }

  List<String> probabilityColumns() {
    return probabilityColumns;
  }

  int inputWidth() {
    return input.size();
  }

  /** Index of the binary content column, or -1. */
  int contentIndex() {
    return contentIndex;
  }

  /** Index of the path column, or -1. */
  int pathIndex() {
    return pathIndex;
  }
}
