package dev.cxr.core.provenance;

import dev.cxr.augment.CxrAugmentation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.shade.jackson.core.JsonGenerator;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.DeserializationContext;
import org.nd4j.shade.jackson.databind.DeserializationFeature;
import org.nd4j.shade.jackson.databind.JsonDeserializer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.JsonSerializer;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.SerializerProvider;
import org.nd4j.shade.jackson.databind.module.SimpleModule;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The JSON binding of {@link ModelInfo}: Jackson (the copy shaded into ND4J, already on the class
 * path) maps the records field by field, so no field is listed by hand. Two types need a word:
 * paths are written as the text the user gave (relative paths stay relative), and an augmentation
 * as its own JSON form ({@link CxrAugmentation#toJson()}). Unknown fields are refused, so a file
 * from a newer format is never half-read.
 */
final class MetadataJson {
  private static final ObjectMapper MAPPER = create();

  private MetadataJson() {}

  /** The shared mapper (thread-safe once configured). */
  static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Fills in the fields that format 2 gained after its first release, so that older files of the
   * same format still load: {@code validation.temperature} (calibration), 1 when absent.
   *
   * @param tree the metadata as read
   * @return the same tree, completed
   */
  static JsonNode upgrade(JsonNode tree) {
    if (tree.get("validation") instanceof ObjectNode v && !v.has("temperature")) {
      v.put("temperature", ValidationSummary.UNCALIBRATED);
    }
    return tree;
  }

  private static ObjectMapper create() {
    SimpleModule module = new SimpleModule("cxr-provenance");
    module.addSerializer(Path.class, new PathSerializer());
    module.addDeserializer(Path.class, new PathDeserializer());
    module.addSerializer(CxrAugmentation.class, new AugmentationSerializer());
    module.addDeserializer(CxrAugmentation.class, new AugmentationDeserializer());
    return new ObjectMapper()
        .registerModule(module)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }

  private static final class PathSerializer extends JsonSerializer<Path> {
    @Override
    public void serialize(Path value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(value.toString());
    }

    @Override
    public Class<Path> handledType() {
      return Path.class;
    }
  }

  private static final class PathDeserializer extends JsonDeserializer<Path> {
    @Override
    public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return Path.of(p.getValueAsString());
    }
  }

  private static final class AugmentationSerializer extends JsonSerializer<CxrAugmentation> {
    @Override
    public void serialize(CxrAugmentation value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      serializers.defaultSerializeValue(value.toJson(), gen);
    }

    @Override
    public Class<CxrAugmentation> handledType() {
      return CxrAugmentation.class;
    }
  }

  private static final class AugmentationDeserializer extends JsonDeserializer<CxrAugmentation> {
    @Override
    public CxrAugmentation deserialize(JsonParser p, DeserializationContext ctxt)
        throws IOException {
      Map<String, Object> json = p.readValueAs(new TypeReference<Map<String, Object>>() {});
      return CxrAugmentation.fromJson(json);
    }
  }
}
