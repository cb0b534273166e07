package dev.cxr.serve;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Receives an uploaded image: the raw bytes of a PNG, JPEG or DICOM file, or the first file of a
 * {@code multipart/form-data} form. Everything that can be refused from the headers is refused
 * before a byte of the body is read: the content type (415), the declared length (413) and, when
 * the bodies already being received hold the server's whole upload budget, the request (503). The
 * body is then read without holding a thread (a client sending one byte a second costs a
 * connection, not a worker), counted as it arrives (a chunked body past the limit: 413), and must
 * be complete within the read timeout (408).
 */
final class Upload {
  /** Content types taken as the image's own bytes. */
  static final Set<String> RAW_TYPES =
      Set.of("image/png", "image/jpeg", "application/dicom", "application/octet-stream");

  /** The name of an upload without a file name, in messages: {@code upload: not a PNG ...}. */
  static final String DEFAULT_NAME = "upload";

  /**
   * An uploaded image.
   *
   * @param name its file name (a form's), or {@value #DEFAULT_NAME}
   * @param data the encoded image
   */
  record Image(String name, byte[] data) {}

  private final long maxBytes;
  private final long readTimeoutMillis;
  private final Semaphore budgetKiB;

  /**
   * @param config the limits: {@link ServeConfig#maxUploadBytes()}, {@link
   *     ServeConfig#readTimeout()} and {@link ServeConfig#uploadBudgetBytes()}
   */
  Upload(ServeConfig config) {
    this.maxBytes = config.maxUploadBytes();
    this.readTimeoutMillis = config.readTimeout().toMillis();
    this.budgetKiB = new Semaphore(kib(config.uploadBudgetBytes()));
  }

  /**
   * Checks a request's headers and reads its body.
   *
   * @param request the request
   * @param scheduler the server's timer, for the read timeout
   * @return the image; fails with an {@link ApiError} when refused
   * @throws ApiError when the headers alone refuse it (415, 413, 503)
   */
  CompletableFuture<Image> read(Request request, Scheduler scheduler) {
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    String mime = mimeType(contentType);
    String boundary = null;
    if (mime.equals("multipart/form-data")) {
      boundary = MultiPart.extractBoundary(contentType);
      if (boundary == null || boundary.isEmpty()) {
        throw new ApiError(400, "bad_request", "multipart/form-data without a boundary");
      }
    } else if (!mime.isEmpty() && !RAW_TYPES.contains(mime)) {
      throw new ApiError(
          415,
          "unsupported_type",
          "unsupported content type '"
              + mime
              + "': send the image's bytes as image/png, image/jpeg, application/dicom or"
              + " application/octet-stream, or as a file of a multipart/form-data form");
    }
    long declared = request.getLength(); // -1 when chunked
    if (declared > maxBytes) {
      throw tooLarge("upload of " + declared + " bytes", "the body was not read");
    }
    int reserved = kib(declared >= 0 ? declared : maxBytes);
    if (!budgetKiB.tryAcquire(reserved)) {
      throw ApiError.busy(
          "the server is busy receiving other uploads; try again in "
              + ApiError.RETRY_AFTER_SECONDS
              + " s");
    }
    String parts = boundary;
    CompletableFuture<byte[]> body = new CompletableFuture<>();
    Scheduler.Task timer =
        scheduler.schedule(
            () -> {
              ApiError late =
                  new ApiError(
                      408,
                      "timeout",
                      "the upload did not arrive within "
                          + readTimeoutMillis / 1000.0
                          + " s (the read timeout); the connection is closed");
              if (body.completeExceptionally(late)) {
                request.fail(late); // stops reading; the connection is closed after the answer
              }
            },
            readTimeoutMillis,
            TimeUnit.MILLISECONDS);
    new BodyReader(request, declared, body).run();
    return body.whenComplete(
            (b, e) -> {
              timer.cancel();
              budgetKiB.release(reserved);
            })
        .thenApply(b -> parts == null ? new Image(DEFAULT_NAME, b) : firstFile(b, parts));
  }

  private ApiError tooLarge(String what, String read) {
    return new ApiError(
        413,
        "too_large",
        what
            + " is over the limit of "
            + ServeConfig.formatSize(maxBytes)
            + " (--max-upload); "
            + read);
  }

  /** The lower-case media type without parameters; empty when the header is missing. */
  static String mimeType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  /** The first part of a form that has a file name (or the first part when none has). */
  private Image firstFile(byte[] body, String boundary) {
    MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
    parser.setMaxLength(maxBytes);
    parser.setMaxMemoryFileSize(maxBytes); // in memory: the body is already
    parser.setMaxParts(16);
    MultiPartFormData.Parts form;
    try {
      form = parser.parse(Content.Source.from(ByteBuffer.wrap(body))).get();
    } catch (ExecutionException e) {
      throw ApiError.badRequest(
          "bad_request", "not a readable multipart/form-data body: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiError.badRequest("bad_request", "interrupted while reading the form");
    }
    try (form) {
      MultiPart.Part chosen = null;
      for (MultiPart.Part p : form) {
        if (p.getFileName() != null) {
          chosen = p;
          break;
        }
      }
      if (chosen == null && form.size() > 0) {
        chosen = form.get(0);
      }
      if (chosen == null) {
        throw ApiError.badRequest("bad_request", "the multipart/form-data body has no part");
      }
      ByteBuffer content = Content.Source.asByteBuffer(chosen.getContentSource());
      byte[] data = new byte[content.remaining()];
      content.get(data);
      return new Image(fileName(chosen.getFileName()), data);
    } catch (java.io.IOException e) {
      throw ApiError.badRequest("bad_request", "cannot read the form's file: " + e.getMessage());
    }
  }

  /** The last segment of a client's file name, for messages; never a path on this machine. */
  static String fileName(String given) {
    if (given == null || given.isBlank()) {
      return DEFAULT_NAME;
    }
    String last = given.substring(Math.max(given.lastIndexOf('/'), given.lastIndexOf('\\')) + 1);
    String safe = last.replaceAll("[^A-Za-z0-9._ -]", "_").strip();
    return safe.isEmpty() || safe.chars().allMatch(c -> c == '.') ? DEFAULT_NAME : safe;
  }

  private static int kib(long bytes) {
    return (int) Math.min(Integer.MAX_VALUE, (bytes + 1023) / 1024);
  }

  /**
   * Reads a body as it arrives, in Jetty's demand style: no thread waits for the client. Counts the
   * bytes against the limit as they come, so a chunked body cannot grow past it.
   */
  private final class BodyReader implements Runnable {
    private final Request request;
    private final CompletableFuture<byte[]> result;
    private byte[] buf;
    private int size;

    BodyReader(Request request, long declared, CompletableFuture<byte[]> result) {
      this.request = request;
      this.result = result;
      // grown as bytes arrive: a client that declares 64 MiB and sends one byte costs little
      this.buf =
          new byte
              [(int) Math.min(Math.min(declared >= 0 ? declared : 64 << 10, 1 << 20), maxBytes)];
    }

    @Override
    public void run() {
      while (!result.isDone()) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this);
          return;
        }
        try {
          if (Content.Chunk.isFailure(chunk)) {
            Throwable t = chunk.getFailure();
            result.completeExceptionally(
                t instanceof ApiError
                    ? t
                    : new ApiError(400, "bad_request", "the upload failed: " + t));
            return;
          }
          ByteBuffer b = chunk.getByteBuffer();
          int n = b.remaining();
          if ((long) size + n > maxBytes) {
            result.completeExceptionally(
                tooLarge("upload of more than " + (size + n) + " bytes", "the rest was not read"));
            request.fail(new IllegalStateException("upload over the limit"));
            return;
          }
          if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.min(maxBytes, Math.max(size + n, 2L * buf.length)));
          }
          b.get(buf, size, n);
          size += n;
          if (chunk.isLast()) {
            result.complete(size == buf.length ? buf : Arrays.copyOf(buf, size));
            return;
          }
        } finally {
          chunk.release();
        }
      }
    }
  }
}
