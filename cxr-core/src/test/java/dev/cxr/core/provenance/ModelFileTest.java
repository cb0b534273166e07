package dev.cxr.core.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cxr.augment.CxrAugmentation;
import dev.cxr.core.config.PipelineConfig;
import dev.cxr.core.image.Normalisation;
import dev.cxr.core.io.CxrDataException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model file's metadata: a JSON binding of records, versioned, strict on reading. */
class ModelFileTest {
  @TempDir Path dir;

  static ModelInfo sample() {
    PipelineConfig config =
        PipelineConfig.builder()
            .resnet(34)
            .width(8)
            .imageSize(64)
            .costMatrix(1, 5, 5, 1)
            .augmentation(CxrAugmentation.seedArticle())
            .seed(7)
            .labels(Path.of("labels/Data_Entry_2017.csv"))
            .checkpointDir(Path.of("runs/cp"))
            .build();
    EpochResult e1 = new EpochResult(1, 1e-3, 0.7, 0.69, 0.61, 0.5, 0.72, 0.4, 0.8, 120, 3.5);
    EpochResult e2 =
        new EpochResult(2, 1e-3, 0.6, 0.65, 0.71, 0.6, 0.82, Double.NaN, 0.9, 125, 3.4);
    return new ModelInfo(
        ModelInfo.FORMAT,
        "0.1.0-SNAPSHOT",
        ModelInfo.DL4J_VERSION,
        config,
        List.of("No Finding", "Effusion"),
        Normalisation.standardised(0.4, 0.2),
        "ab".repeat(32),
        40,
        10,
        2,
        2,
        new ValidationSummary(0.71, 0.6, 0.82, 0.43, 0.75, 0.8),
        List.of(e1, e2));
  }

  @Test
  void metadataRoundTripsAsData() throws IOException {
    ModelInfo info = sample();
    byte[] json = MetadataJson.mapper().writeValueAsBytes(info);
    ModelInfo back = MetadataJson.mapper().readValue(json, ModelInfo.class);
    assertThat(back).isEqualTo(info);
    assertThat(back.config().labels()).isEqualTo(Path.of("labels/Data_Entry_2017.csv"));
    assertThat(back.config().augmentation()).isEqualTo(CxrAugmentation.seedArticle().withSeed(7));
    String text = new String(json);
    // readable: the configuration is data, with its parts named
    assertThat(text)
        .contains("\"depth\" : 34")
        .contains("\"kind\" : \"COST_MATRIX\"")
        .contains("\"type\" : \"rotation\"")
        .contains("\"format\" : 2");
  }

  @Test
  void aFileOfTheFirstReleaseIsRefusedNamingItsFormat() throws IOException {
    Path legacy = dir.resolve("format1-model.zip");
    try (InputStream in = getClass().getResourceAsStream("/legacy/format1-model.zip")) {
      Files.copy(in, legacy);
    }
    assertThatThrownBy(() -> ModelFile.read(legacy, false))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("format1-model.zip")
        .hasMessageContaining("model metadata format 1")
        .hasMessageContaining("saved by cxr 0.1.0-SNAPSHOT")
        .hasMessageContaining("reads format 2");
  }

  @Test
  void unknownFieldsAndBadValuesAreRefusedNotHalfRead() throws IOException {
    String json = MetadataJson.mapper().writeValueAsString(sample());
    Path extra =
        zipWithMetadata(
            "extra.zip", json.replace("\"format\" : 2,", "\"format\" : 2, \"secret\" : 1,"));
    assertThatThrownBy(() -> ModelFile.readInfo(extra))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("malformed model metadata")
        .hasMessageContaining("secret");
    Path bad = zipWithMetadata("bad.zip", json.replace("\"imageSize\" : 64", "\"imageSize\" : 16"));
    assertThatThrownBy(() -> ModelFile.readInfo(bad))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("imageSize must be in [32, 4096] but was 16");
    Path labels =
        zipWithMetadata("labels.zip", json.replace("\"No Finding\", \"Effusion\"", "\"A\", \"B\""));
    assertThatThrownBy(() -> ModelFile.readInfo(labels))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("labelNames");
  }

  @Test
  void aFileWithoutATemperatureLoadsUncalibratedAndATemperatureRoundTrips() throws IOException {
    String json = MetadataJson.mapper().writeValueAsString(sample());
    assertThat(json).contains("\"temperature\" : 1.0");
    Path older = zipWithMetadata("older.zip", json.replaceAll(",\\s*\"temperature\" : 1.0", ""));
    ModelInfo info = ModelFile.readInfo(older);
    assertThat(info.validation().temperature()).isEqualTo(1.0);
    assertThat(info.validation().calibrated()).isFalse();

    ModelInfo calibrated =
        sample().withValidation(new ValidationSummary(0.71, 0.6, 0.82, 0.43, 0.75, 0.8, 1.7));
    byte[] bytes = MetadataJson.mapper().writeValueAsBytes(calibrated);
    assertThat(MetadataJson.mapper().readValue(bytes, ModelInfo.class)).isEqualTo(calibrated);
    Path bad =
        zipWithMetadata("bad-t.zip", json.replace("\"temperature\" : 1.0", "\"temperature\" : -2"));
    assertThatThrownBy(() -> ModelFile.readInfo(bad))
        .isInstanceOf(CxrDataException.class)
        .hasMessageContaining("temperature must be positive and finite but was -2.0");
  }

  @Test
  void theLibraryVersionComesFromTheBuild() {
    assertThat(ModelInfo.currentLibraryVersion()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void recordsHandOutNoMutableState() {
    ModelInfo info = sample();
    assertThatThrownBy(() -> info.history().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> info.labelNames().set(0, "x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private Path zipWithMetadata(String name, String json) throws IOException {
    Path file = dir.resolve(name);
    try (FileSystem zip =
        FileSystems.newFileSystem(URI.create("jar:" + file.toUri()), Map.of("create", "true"))) {
      Files.writeString(zip.getPath(ModelFile.METADATA_ENTRY), json);
    }
    return file;
  }
}
