package dev.cxr.core.io;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Unusable input data: a missing or unreadable image, a malformed labels file, an unknown label, a
 * split that cannot be made. The message is one line that names the file and, where there is one,
 * the row, so that the command line can print it as is.
 */
public class CxrDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long row;
  private final String reason;

  /**
   * Creates an exception about a whole file (or about no file at all when {@code file} is null).
   *
   * @param file the file concerned, may be null
   * @param message what is wrong, without the file name (it is prepended)
   */
  public CxrDataException(Path file, String message) {
    this(file, -1, message, null);
  }

  /**
   * Creates an exception about a row of a file.
   *
   * @param file the file concerned, may be null
   * @param row the 1-based line number in the file, or -1 when none applies
   * @param message what is wrong
   * @param cause the underlying exception, may be null
   */
  public CxrDataException(Path file, long row, String message, Throwable cause) {
    super(format(file, row, message), cause);
    this.file = file;
    this.row = row;
    this.reason = message;
  }

  private static String format(Path file, long row, String message) {
    StringBuilder sb = new StringBuilder();
    if (file != null) {
      sb.append(file);
      if (row > 0) {
        sb.append(", row ").append(row);
      }
      sb.append(": ");
    }
    return sb.append(message).toString();
  }

  /**
   * @return the file this is about, if any
   */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /**
   * @return what is wrong, without the file name and row in front
   */
  public String reason() {
    return reason;
  }

  /**
   * @return the 1-based row number, or -1 when the problem is not about one row
   */
  public long row() {
    return row;
  }
}
