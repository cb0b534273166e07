package dev.cxr.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cxr.core.CxrModel;
import dev.cxr.core.data.DataReport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoring on Spark in local mode against {@link CxrModel#predict} on the same files. */
class CxrSparkTest {
  @TempDir static Path shared;
  static Path images;
  static Path modelFile;
  static CxrModel model;
  static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void setUp() throws IOException {
    Fixture f = Fixture.create(shared);
    model = f.model();
    modelFile = f.modelFile();
    images = f.images();
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("cxr-spark-test")
            .config("spark.ui.enabled", "false")
            .config(CommandSession.BIND_ADDRESS, CommandSession.LOOPBACK)
            .config(CommandSession.HOST, CommandSession.LOOPBACK)
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
  }

  @AfterAll
  static void tearDown() {
    if (spark != null) {
      spark.stop();
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  private static Path local(String uri) {
    return Path.of(URI.create(uri));
  }

  private static List<Path> pngs(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(f -> f.toString().endsWith(".png")).sorted().toList();
    }
  }

  @Test
  void scoresEqualPredictOnTheSameImages() throws IOException {
    List<Row> rows =
        CxrSpark.score(
                spark, CxrSpark.readImages(spark, images.toString()), modelFile.toString(), 7)
            .repartition(3) // rows must not depend on how Spark cut the data
            .collectAsList();
    List<Path> files = pngs(images);
    List<Map<String, Double>> expected = model.predict(files);
    assertThat(rows).hasSize(files.size());
    Map<Path, Row> byPath = new HashMap<>();
    for (Row r : rows) {
      byPath.put(local(r.getAs("path")), r);
    }
    double threshold = new Labelling(model).threshold();
    for (int i = 0; i < files.size(); i++) {
      Row r = byPath.get(files.get(i));
      assertThat(r).as(files.get(i).toString()).isNotNull();
      assertThat((String) r.getAs("error")).isNull();
      double pe = expected.get(i).get("Effusion");
      assertThat((double) r.getAs("p_Effusion")).isCloseTo(pe, within(1e-6));
      assertThat((double) r.getAs("p_No_Finding"))
          .isCloseTo(expected.get(i).get("No Finding"), within(1e-6));
      assertThat((String) r.getAs("predicted"))
          .isEqualTo(pe >= threshold ? "Effusion" : "No Finding");
    }
  }

  @Test
  void aCorruptImageGivesAnErrorRowAndTheJobSucceeds() throws IOException {
    List<Path> files = pngs(images);
    for (Path p : files.subList(0, 5)) {
      Files.copy(p, dir.resolve(p.getFileName()));
    }
    byte[] good = Files.readAllBytes(files.get(0));
    Files.write(dir.resolve("cut.png"), Arrays.copyOf(good, good.length / 3));
    Files.writeString(dir.resolve("notes.png"), "not an image at all");
    Files.writeString(dir.resolve("labels.csv"), "Image Index,Finding Labels\n"); // not listed
    List<Row> rows =
        CxrSpark.score(spark, CxrSpark.readImages(spark, dir.toString()), modelFile.toString())
            .collectAsList();
    assertThat(rows).hasSize(7);
    Map<String, Row> byName =
        rows.stream()
            .collect(
                Collectors.toMap(r -> local(r.getAs("path")).getFileName().toString(), r -> r));
    for (String bad : List.of("cut.png", "notes.png")) {
      Row r = byName.get(bad);
      assertThat((String) r.getAs("error")).contains(bad);
      assertThat(r.isNullAt(r.fieldIndex("p_Effusion"))).isTrue();
      assertThat(r.isNullAt(r.fieldIndex("predicted"))).isTrue();
    }
    long scored = rows.stream().filter(r -> r.getAs("error") == null).count();
    assertThat(scored).isEqualTo(5);
  }

  @Test
  void emptyInputGivesEmptyOutputWithTheSchema() {
    Dataset<Row> none = CxrSpark.readImages(spark, images.toString()).limit(0);
    Dataset<Row> scored = CxrSpark.score(spark, none, modelFile.toString());
    assertThat(scored.count()).isZero();
    assertThat(scored.schema().fieldNames())
        .containsExactly(
            "path",
            "modificationTime",
            "length",
            "content",
            "p_No_Finding",
            "p_Effusion",
            "predicted",
            "error");
    assertThat(scored.schema().apply("p_Effusion").dataType()).isEqualTo(DataTypes.DoubleType);
  }

  private static List<String> paths(Dataset<Row> rows) {
    return rows.select("path").as(Encoders.STRING()).collectAsList().stream().sorted().toList();
  }

  @Test
  void foldersBehindSymbolicLinksAreListedOnceByThePathAsGiven() throws IOException {
    // a data folder whose images/ is a link to the fixture's folder, itself reached by a link
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.createSymbolicLink(data.resolve("images"), images);
    Path root = Files.createSymbolicLink(dir.resolve("nih"), data);
    DataReport report = new DataReport();
    List<String> listed = paths(CxrSpark.readImages(spark, root.toString(), "*.png", report));
    assertThat(listed).hasSize(20).allMatch(p -> p.startsWith("file:" + root + "/images/"));
    assertThat(report.isEmpty()).isTrue();
    // a loop (once per turn to the OS's limit, 41 times, before), a second way into images/ and a
    // dangling link: each file one row, each link noted
    Path loop = Files.createSymbolicLink(data.resolve("images_001"), Path.of("."));
    Path again = Files.createSymbolicLink(data.resolve("images_002"), images);
    Path dangling = Files.createSymbolicLink(data.resolve("images_003"), dir.resolve("gone"));
    report = new DataReport();
    List<String> once = paths(CxrSpark.readImages(spark, root.toString(), "*.png", report));
    assertThat(once).isEqualTo(listed);
    assertThat(report.problems())
        .extracting(DataReport.Problem::message)
        .containsExactly(
            root.resolve("images_001")
                + ": a symbolic link to '"
                + root
                + "', which holds it (a loop); not followed",
            root.resolve("images_002")
                + ": the same folder as '"
                + root.resolve("images")
                + "', already read; not read twice",
            root.resolve("images_003")
                + ": a symbolic link to '"
                + dir.resolve("gone")
                + "', which does not exist; skipped");
    assertThat(List.of(loop, again, dangling)).allMatch(Files::isSymbolicLink);
    // the scores are predict's, image by image
    List<Row> rows =
        CxrSpark.score(spark, CxrSpark.readImages(spark, root.toString()), modelFile.toString())
            .collectAsList();
    assertThat(rows).hasSize(20);
    for (Row r : rows) {
      Path file = local(r.getAs("path"));
      assertThat((double) r.getAs("p_Effusion"))
          .isCloseTo(model.predict(List.of(file)).get(0).get("Effusion"), within(1e-6));
    }
  }

  @Test
  void aPathColumnIsReadByTheExecutors() throws IOException {
    List<Path> files = pngs(images).subList(0, 4);
    List<Row> in = new ArrayList<>();
    for (Path f : files) {
      in.add(RowFactory.create(f.toString(), "id-" + f.getFileName()));
    }
    in.add(RowFactory.create(dir.resolve("missing.png").toString(), "id-missing"));
    StructType schema =
        new StructType().add("path", DataTypes.StringType).add("accession", DataTypes.StringType);
    List<Row> rows =
        CxrSpark.score(spark, spark.createDataFrame(in, schema), modelFile.toString())
            .collectAsList();
    List<Map<String, Double>> expected = model.predict(files);
    for (int i = 0; i < files.size(); i++) {
      Row r = rows.get(i);
      assertThat((String) r.getAs("accession")).isEqualTo("id-" + files.get(i).getFileName());
      assertThat((double) r.getAs("p_Effusion"))
          .isCloseTo(expected.get(i).get("Effusion"), within(1e-6));
    }
    assertThat((String) rows.get(4).getAs("error")).contains("missing.png");
  }

  @Test
  void badInputsAreRefusedBeforeAnyTaskRuns() throws IOException {
    StructType noImage = new StructType().add("name", DataTypes.StringType);
    Dataset<Row> names = spark.createDataFrame(List.of(RowFactory.create("x")), noImage);
    assertThatThrownBy(() -> CxrSpark.score(spark, names, modelFile.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'content'")
        .hasMessageContaining("'path'");
    Dataset<Row> clash =
        spark
            .createDataset(List.of("a.png"), Encoders.STRING())
            .toDF("path")
            .selectExpr("path", "1 as error");
    assertThatThrownBy(() -> CxrSpark.score(spark, clash, modelFile.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'error'");
    Path notAModel = dir.resolve("model.zip");
    Files.writeString(notAModel, "hello");
    Dataset<Row> imgs = CxrSpark.readImages(spark, images.toString());
    assertThatThrownBy(() -> CxrSpark.score(spark, imgs, notAModel.toString()))
        .hasMessageContaining("model.zip");
  }

  @Test
  void theCommandWritesParquet() {
    Path out = dir.resolve("scores.parquet");
    int code =
        CxrSparkCli.run(
            "score",
            "--model",
            modelFile.toString(),
            "--images",
            images.toString(),
            "--out",
            out.toString());
    assertThat(code).isZero();
    Dataset<Row> back = spark.read().parquet(out.toString());
    assertThat(back.count()).isEqualTo(20);
    assertThat(back.schema().fieldNames())
        .containsExactly(
            "path",
            "modificationTime",
            "length",
            "p_No_Finding",
            "p_Effusion",
            "predicted",
            "error");
    // an existing output is refused, not overwritten
    int again =
        CxrSparkCli.run(
            "score",
            "--model",
            modelFile.toString(),
            "--images",
            images.toString(),
            "--out",
            out.toString());
    assertThat(again).isEqualTo(2);
    assertThat(spark.sparkContext().isStopped()).isFalse();
  }
}
