package dev.cxr.serve;

import dev.cxr.core.CxrModel;
import dev.cxr.core.provenance.FindingSummary;
import dev.cxr.core.provenance.ModelFile;
import dev.cxr.core.provenance.ModelInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * What the server says about its model: the id every answer carries (file name, SHA-256 of the
 * file's bytes, the cxr version that made it) and, for {@code GET /v1/model}, the findings with
 * their validation figures, thresholds and temperatures, and the whole provenance stored in the
 * file ({@link ModelInfo} as JSON).
 */
final class ModelCard {
  /** JSON for answers: the Jackson copy shaded into ND4J, already on the class path. */
  static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode id;
  private final List<String> findings;
  private final double[] thresholds;
  private final byte[] card;

  private ModelCard(Path file, String sha256, CxrModel model) {
    ModelInfo info = model.info();
    this.findings = info.task().findings();
    this.thresholds = info.validation().thresholds(findings.size());
    this.id = JSON.createObjectNode();
    id.put("name", String.valueOf(file.getFileName()));
    id.put("sha256", sha256);
    id.put("version", info.libraryVersion());
    ObjectNode c = JSON.createObjectNode();
    c.set("model", id);
    c.put("network", info.config().describe().get("network"));
    c.put("imageSize", info.imageSize());
    c.put("multiLabel", info.task().multiLabel());
    c.set("labels", JSON.valueToTree(info.labelNames()));
    c.put("calibrated", info.validation().calibrated());
    c.put("validationAuc", info.validation().aucLine());
    c.put("trainImages", info.trainImages());
    c.put("validationImages", info.validationImages());
    c.put("bestEpoch", info.bestEpoch());
    c.put("dataFingerprint", info.dataFingerprint());
    ArrayNode perFinding = c.putArray("findings");
    for (FindingSummary f : info.validation().perFinding(findings)) {
      ObjectNode o = perFinding.addObject();
      o.put("finding", f.finding());
      number(o, "auc", f.auc());
      number(o, "aucLow", f.aucLow());
      number(o, "aucHigh", f.aucHigh());
      number(o, "threshold", f.threshold());
      number(o, "sensitivity", f.sensitivity());
      number(o, "specificity", f.specificity());
      number(o, "temperature", f.temperature());
    }
    try {
      c.set("provenance", JSON.readTree(ModelFile.toJson(info)));
      this.card = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(c);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the model card as JSON", e);
    }
  }

  /**
   * Reads the model file's hash; the model itself is loaded once, by the caller.
   *
   * @param file the model file
   * @param model the model loaded from it
   * @return the card
   */
  static ModelCard of(Path file, CxrModel model) {
    return new ModelCard(file, sha256(file), model);
  }

  /** A finite number, or null (JSON has no NaN). */
  static void number(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, v);
    } else {
      o.putNull(field);
    }
  }

  /**
   * @return {@code {"name": ..., "sha256": ..., "version": ...}}, shared: do not change it
   */
  ObjectNode id() {
    return id;
  }

  /**
   * @return the task's findings, in order
   */
  List<String> findings() {
    return findings;
  }

  /**
   * @param f index of a finding
   * @return its operating threshold, NaN when the model has none
   */
  double threshold(int f) {
    return thresholds[f];
  }

  /**
   * @return the JSON of {@code GET /v1/model}
   */
  byte[] json() {
    return card.clone();
  }

  private static String sha256(Path file) {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " to hash it: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
