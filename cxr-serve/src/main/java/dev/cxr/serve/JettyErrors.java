package dev.cxr.serve;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches the API (a malformed or ambiguous URI,
 * headers over the size limit, a request arriving while the server stops): the same JSON and
 * headers as the API's errors, never Jetty's HTML page.
 */
final class JettyErrors extends ErrorHandler {
  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    String reason = HttpStatus.getMessage(code);
    String line =
        message == null || message.isBlank() || message.equals(reason)
            ? reason
            : reason + ": " + message;
    HttpFields.Mutable h = response.getHeaders();
    Answers.headers(h, Answers.JSON_TYPE);
    if (code == 503) {
      h.put("Retry-After", Integer.toString(ApiError.RETRY_AFTER_SECONDS));
    }
    response.write(true, ByteBuffer.wrap(Answers.error(line, code)), callback);
  }
}
