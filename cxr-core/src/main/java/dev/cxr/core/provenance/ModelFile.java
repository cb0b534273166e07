package dev.cxr.core.provenance;

import dev.cxr.core.io.AtomicFiles;
import dev.cxr.core.io.CxrDataException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;

/**
 * One model file: DL4J's {@link ModelSerializer} zip with an extra {@value #METADATA_ENTRY} entry
 * holding the {@link ModelInfo}. Written atomically (a crash mid-write leaves any previous file
 * intact); read with the metadata format checked before anything else.
 */
public final class ModelFile {
  /** Name of the metadata entry inside the model zip. */
  public static final String METADATA_ENTRY = "cxr-model.json";

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
    Objects.requireNonNull(file, "file");
    byte[] meta = MetadataJson.mapper().writeValueAsBytes(info);
    AtomicFiles.write(
        file,
        tmp -> {
          try (OutputStream out = Files.newOutputStream(tmp)) {
            ModelSerializer.writeModel(network, out, withUpdater);
          }
          URI uri = URI.create("jar:" + tmp.toUri());
          try (FileSystem zip = FileSystems.newFileSystem(uri, Map.of())) {
            Files.write(zip.getPath(METADATA_ENTRY), meta);
          }
        });
  }

  /**
   * Reads a model file: metadata first (refusing other formats), then the network.
   *
   * @param file the model file
   * @param withUpdater also restore the optimiser state
   * @return network and metadata
   * @throws CxrDataException when the file is missing, is not a cxr model, or has another format
   */
  public static Contents read(Path file, boolean withUpdater) {
    ModelInfo info = readInfo(file);
    try {
      return new Contents(
          ModelSerializer.restoreComputationGraph(file.toFile(), withUpdater), info);
    } catch (IOException | RuntimeException ex) {
      throw new CxrDataException(
          file, -1, "cannot restore the network (incompatible version?): " + ex.getMessage(), ex);
    }
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
    if (!Files.isRegularFile(file)) {
      throw new CxrDataException(file, "model file not found");
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry e = zip.getEntry(METADATA_ENTRY);
      if (e == null) {
        throw new CxrDataException(
            file,
            zip.getEntry("configuration.json") != null
                ? "a DL4J model without cxr metadata (" + METADATA_ENTRY + "), not a cxr model"
                : "not a cxr model (no " + METADATA_ENTRY + ")");
      }
      JsonNode tree;
      try (InputStream in = zip.getInputStream(e)) {
        tree = MetadataJson.mapper().readTree(in);
      }
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
      return MetadataJson.mapper().treeToValue(tree, ModelInfo.class);
    } catch (ZipException ze) {
      throw new CxrDataException(file, "not a cxr model (not a zip file)");
    } catch (JsonProcessingException ex) {
      throw new CxrDataException(file, -1, "malformed model metadata: " + firstLine(ex), ex);
    } catch (IOException ex) {
      throw new CxrDataException(file, -1, "cannot read model: " + ex.getMessage(), ex);
    }
  }

  private static String firstLine(JsonProcessingException ex) {
    String m = ex.getOriginalMessage();
    return m == null ? ex.toString() : m.lines().findFirst().orElse(m);
  }
}
