package dev.cxr.serve;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * What every answer shares, whoever writes it (the API or Jetty's own error handler): the strict
 * Content-Security-Policy, {@code nosniff}, and the error body {@code {"error": "one line",
 * "status": N}}.
 */
final class Answers {
  /** Nothing from elsewhere, no inline code: the page's script and style are its own files. */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  static final String JSON_TYPE = "application/json";

  private static final HttpField CSP_FIELD =
      new PreEncodedHttpField("Content-Security-Policy", CSP);
  private static final HttpField NO_SNIFF =
      new PreEncodedHttpField("X-Content-Type-Options", "nosniff");

  private Answers() {}

  /** Puts the content type and the headers every answer carries. */
  static void headers(HttpFields.Mutable h, String type) {
    h.put(HttpHeader.CONTENT_TYPE, type);
    h.put(CSP_FIELD);
    h.put(NO_SNIFF);
  }

  /** The body of an error answer. */
  static byte[] error(String line, int status) {
    ObjectNode o = ModelCard.JSON.createObjectNode();
    o.put("error", line);
    o.put("status", status);
    return bytes(o);
  }

  static byte[] bytes(ObjectNode o) {
    try {
      return ModelCard.JSON.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
