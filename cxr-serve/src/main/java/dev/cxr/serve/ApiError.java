package dev.cxr.serve;

/**
 * A request the server refuses or cannot serve: the HTTP status and the one line the client gets as
 * {@code {"error": "...", "status": N}} (for bad images, the line {@code cxr predict} prints after
 * {@code error: }). {@link #kind()} is the label of the error counter in {@code /metrics}.
 */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Seconds a client is asked to wait before trying again after a 503. */
  static final int RETRY_AFTER_SECONDS = 1;

  private final int status;
  private final String kind;

  ApiError(int status, String kind, String message) {
    super(message, null, false, false); // an answer to a client, not a bug: no stack trace
    this.status = status;
    this.kind = kind;
  }

  /**
   * @return the HTTP status
   */
  int status() {
    return status;
  }

  /**
   * @return what kind of error, e.g. {@code bad_image}, {@code queue_full}
   */
  String kind() {
    return kind;
  }

  static ApiError badRequest(String kind, String message) {
    return new ApiError(400, kind, message);
  }

  static ApiError busy(String message) {
    return new ApiError(503, "queue_full", message);
  }
}
