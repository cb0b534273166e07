package dev.cxr.core.provenance;

import dev.cxr.core.io.AtomicFiles;
import dev.cxr.core.io.CxrDataException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * One model file: DL4J's {@link ModelSerializer} zip with an extra {@value #METADATA_ENTRY} entry
 * holding the {@link ModelInfo}. Written atomically (a crash mid-write leaves any previous file
 * intact); read with the metadata format checked before anything else, and vetted as a file from
 * anyone (see {@link #read}).
 */
public final class ModelFile {
  /** Name of the metadata entry inside the model zip. */
  public static final String METADATA_ENTRY = "cxr-model.json";

  /** Name of the optional ensemble section inside the model zip ({@link EnsembleInfo}). */
  public static final String ENSEMBLE_ENTRY = "cxr-ensemble.json";

  /** The packages whose types a network configuration may name. */
  private static final String[] CLASS_PREFIXES = {"org.deeplearning4j.", "org.nd4j.", "dev.cxr."};

  private ModelFile() {}

  /**
   * A network and its metadata, as read from a file.
   *
   * @param network the restored network
   * @param info its metadata
   */
  public record Contents(ComputationGraph network, ModelInfo info) {}

  /**
   * Writes a model file atomically.
   *
   * @param file target file (conventionally {@code .zip})
   * @param network the network
   * @param info its metadata
   * @param withUpdater also store the optimiser state (for resuming training)
   * @throws IOException when writing fails
   */
  public static void write(Path file, ComputationGraph network, ModelInfo info, boolean withUpdater)
      throws IOException {
    write(file, network, info, withUpdater, null);
  }

  /**
   * Writes an ensemble's model file atomically: the joined network, its metadata and the ensemble
   * section.
   *
   * @param file target file
   * @param network the joined network
   * @param info its metadata
   * @param ensemble what was combined
   * @throws IOException when writing fails
   */
  public static void write(
      Path file, ComputationGraph network, ModelInfo info, EnsembleInfo ensemble)
      throws IOException {
    write(file, network, info, false, Objects.requireNonNull(ensemble, "ensemble"));
  }

  private static void write(
      Path file,
      ComputationGraph network,
      ModelInfo info,
      boolean withUpdater,
      EnsembleInfo ensemble)
      throws IOException {
    Objects.requireNonNull(file, "file");
    byte[] meta = MetadataJson.mapper().writeValueAsBytes(info);
    byte[] section = ensemble == null ? null : MetadataJson.mapper().writeValueAsBytes(ensemble);
    AtomicFiles.write(
        file,
        tmp -> {
          try (OutputStream out = Files.newOutputStream(tmp)) {
            ModelSerializer.writeModel(network, out, withUpdater);
          }
          URI uri = URI.create("jar:" + tmp.toUri());
          try (FileSystem zip = FileSystems.newFileSystem(uri, Map.of())) {
            Files.write(zip.getPath(METADATA_ENTRY), meta);
            if (section != null) {
              Files.write(zip.getPath(ENSEMBLE_ENTRY), section);
            }
          }
        });
  }

  /**
   * Reads a model file: metadata first (refusing other formats), then the network. The file is
   * vetted before anything of it is deserialised (see {@link ModelZip}): only the entries a cxr
   * model has, each below its size cap while it inflates, the JSON within structural limits, the
   * arrays' headers matching the configuration's parameter count before ND4J allocates them.
   *
   * <p>The network is rebuilt here as DL4J's {@code ModelSerializer.restoreComputationGraph} would,
   * but streaming each array from the zip into ND4J: DL4J's reader would hold every entry as a byte
   * array at once (twice the model on the Java heap) and deserialise a {@code preprocessor.bin}
   * entry with a plain {@code ObjectInputStream}.
   *
   * @param file the model file
   * @param withUpdater also restore the optimiser state
   * @return network and metadata
   * @throws CxrDataException when the file is missing, is not a cxr model, has another format or
   *     breaks a limit; the one-line message names the file and the entry
   */
  public static Contents read(Path file, boolean withUpdater) {
    Objects.requireNonNull(file, "file");
    try (ModelZip zip = ModelZip.open(file)) {
      ModelInfo info = readInfo(zip, file);
      zip.requireNetwork();
      ComputationGraphConfiguration conf = configuration(zip);
      long params = parameterCount(zip, conf);
      INDArray coefficients = zip.readArray(ModelZip.COEFFICIENTS, params, params, Double.BYTES);
      conf.setDataType(coefficients.dataType());
      ComputationGraph network = new ComputationGraph(conf);
      try {
        network.init(coefficients, false);
      } catch (RuntimeException ex) {
        throw zip.error(
            ModelZip.COEFFICIENTS, "does not fit the configuration: " + ex.getMessage());
      }
      if (withUpdater && zip.has(ModelZip.UPDATER)) {
        // no optimiser keeps more than 4 values per parameter (AMSGrad: 3)
        INDArray state = zip.readArray(ModelZip.UPDATER, 4 * params, -1, Double.BYTES);
        try {
          network.getUpdater().setStateViewArray(state);
        } catch (RuntimeException ex) {
          throw zip.error(ModelZip.UPDATER, "does not fit the optimiser: " + ex.getMessage());
        }
      }
      return new Contents(network, info);
    }
  }

  private static ComputationGraphConfiguration configuration(ModelZip zip) {
    byte[] json = zip.readJson(ModelZip.CONFIGURATION, CLASS_PREFIXES);
    ComputationGraphConfiguration conf;
    try {
      conf = ComputationGraphConfiguration.fromJson(new String(json, StandardCharsets.UTF_8));
    } catch (RuntimeException ex) {
      String m = ex.getMessage() == null ? ex.toString() : ex.getMessage();
      throw zip.error(
          ModelZip.CONFIGURATION,
          "not a DL4J network configuration (incompatible version?): "
              + m.lines().findFirst().orElse(m));
    }
    if (conf.getNetworkInputs() == null
        || conf.getVertices() == null
        || conf.getVertices().isEmpty()) {
      throw zip.error(ModelZip.CONFIGURATION, "not a ComputationGraph configuration");
    }
    return conf;
  }

  private static long parameterCount(ModelZip zip, ComputationGraphConfiguration conf) {
    long max = (ModelZip.MAX_ARRAY_BYTES - ModelZip.ARRAY_HEADER_BYTES) / Float.BYTES;
    long total = 0;
    try {
      for (GraphVertex v : conf.getVertices().values()) {
        long n = v.numParams(true);
        if (n < 0 || n > max) {
          total = -1;
          break;
        }
        total += n;
      }
    } catch (RuntimeException ex) {
      total = -1;
    }
    if (total < 1 || total > max) {
      throw zip.error(
          ModelZip.CONFIGURATION,
          "describes a network with no or more than " + max + " parameters");
    }
    return total;
  }

  /**
   * Reads only the metadata of a model file.
   *
   * @param file the model file
   * @return its metadata
   * @throws CxrDataException when the file is missing, is not a cxr model, or has another format
   */
  public static ModelInfo readInfo(Path file) {
    Objects.requireNonNull(file, "file");
    try (ModelZip zip = ModelZip.open(file)) {
      return readInfo(zip, file);
    }
  }

  /**
   * Reads the ensemble section of a model file, vetted as the rest of the file.
   *
   * @param file the model file
   * @return the section, or empty for a single model (and for every file written before ensembles)
   * @throws CxrDataException when the file is not a cxr model or the section is malformed
   */
  public static Optional<EnsembleInfo> readEnsemble(Path file) {
    Objects.requireNonNull(file, "file");
    try (ModelZip zip = ModelZip.open(file)) {
      if (!zip.has(ENSEMBLE_ENTRY)) {
        return Optional.empty();
      }
      byte[] json = zip.readJson(ENSEMBLE_ENTRY);
      try {
        return Optional.of(MetadataJson.mapper().readValue(json, EnsembleInfo.class));
      } catch (JsonProcessingException ex) {
        throw new CxrDataException(
            file, -1, ENSEMBLE_ENTRY + ": malformed ensemble section: " + firstLine(ex), ex);
      } catch (IOException ex) {
        throw new CxrDataException(file, -1, "cannot read model: " + ex.getMessage(), ex);
      }
    }
  }

  private static ModelInfo readInfo(ModelZip zip, Path file) {
    byte[] json = zip.readJson(METADATA_ENTRY);
    try {
      JsonNode tree = MetadataJson.mapper().readTree(json);
      JsonNode format = tree.get("format");
      if (format == null || !format.canConvertToInt() || format.asInt() != ModelInfo.FORMAT) {
        throw new CxrDataException(
            file,
            "model metadata format "
                + format
                + " (saved by cxr "
                + tree.path("libraryVersion").asText("?")
                + ") is not supported: this version reads format "
                + ModelInfo.FORMAT
                + "; train the model again with this version");
      }
      return MetadataJson.mapper().treeToValue(MetadataJson.upgrade(tree), ModelInfo.class);
    } catch (JsonProcessingException ex) {
      throw new CxrDataException(file, -1, "malformed model metadata: " + firstLine(ex), ex);
    } catch (IOException ex) {
      throw new CxrDataException(file, -1, "cannot read model: " + ex.getMessage(), ex);
    }
  }

  /**
   * The metadata as the JSON stored in a model file (indented), e.g. for a report.
   *
   * @param info the metadata
   * @return the JSON text
   */
  public static String toJson(ModelInfo info) {
    try {
      return MetadataJson.mapper().writeValueAsString(info);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write model metadata as JSON", e);
    }
  }

  private static String firstLine(JsonProcessingException ex) {
    String m = ex.getOriginalMessage();
    return m == null ? ex.toString() : m.lines().findFirst().orElse(m);
  }
}
