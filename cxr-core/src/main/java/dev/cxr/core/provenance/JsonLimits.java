package dev.cxr.core.provenance;

import java.io.IOException;
import org.nd4j.shade.jackson.core.JsonFactory;
import org.nd4j.shade.jackson.core.JsonParser;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.core.JsonToken;

/**
 * The structural limits a JSON entry of a model file must keep before any object mapper binds it
 * (the shaded Jackson 2.13 has no read constraints of its own): a streaming pass, without
 * recursion, over the tokens checks the nesting depth, the length of every name, string and number,
 * and, in DL4J's configuration, that every {@code "@class"} type name is in an allowed package.
 */
final class JsonLimits {
  /** Deepest nesting allowed (a DL4J configuration nests 6 deep). */
  static final int MAX_DEPTH = 64;

  /** Longest name or string value allowed, in characters. */
  static final int MAX_STRING_CHARS = 64 << 10;

  /** Longest number allowed, in characters (big numbers are slow to convert). */
  static final int MAX_NUMBER_CHARS = 100;

  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonLimits() {}

  /**
   * Checks a JSON document against the limits.
   *
   * @param json the document
   * @param classPrefixes the allowed prefixes of {@code "@class"} values; none allows no type name
   * @return what is wrong, or null when the document keeps the limits
   */
  static String problem(byte[] json, String... classPrefixes) {
    try (JsonParser p = FACTORY.createParser(json)) {
      int depth = 0;
      boolean typeName = false;
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        switch (t) {
          case START_OBJECT, START_ARRAY -> {
            if (++depth > MAX_DEPTH) {
              return "JSON nested deeper than " + MAX_DEPTH;
            }
          }
          case END_OBJECT, END_ARRAY -> depth--;
          case FIELD_NAME -> {
            if (p.getTextLength() > MAX_STRING_CHARS) {
              return "JSON name longer than " + MAX_STRING_CHARS + " characters";
            }
            typeName = "@class".equals(p.getCurrentName());
          }
          case VALUE_STRING -> {
            if (p.getTextLength() > MAX_STRING_CHARS) {
              return "JSON string longer than " + MAX_STRING_CHARS + " characters";
            }
            if (typeName && !allowed(p.getText(), classPrefixes)) {
              return "type " + p.getText() + " is not a DL4J, ND4J or cxr class; refused";
            }
          }
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
            if (p.getTextLength() > MAX_NUMBER_CHARS) {
              return "JSON number longer than " + MAX_NUMBER_CHARS + " characters";
            }
          }
          default -> {
            // true, false, null and embedded values: nothing to bound
          }
        }
        if (t != JsonToken.FIELD_NAME) {
          typeName = false;
        }
      }
      return null;
    } catch (JsonProcessingException ex) {
      String m = ex.getOriginalMessage();
      return "malformed JSON: " + (m == null ? ex : m.lines().findFirst().orElse(m));
    } catch (IOException ex) {
      return "unreadable JSON: " + ex.getMessage();
    }
  }

  private static boolean allowed(String type, String... prefixes) {
    for (String prefix : prefixes) {
      if (type.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
