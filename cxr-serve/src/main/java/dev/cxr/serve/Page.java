package dev.cxr.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The page: three files from the class path, served with {@link Answers#CSP}. */
final class Page {
  /** Resource name, path served at, content type. */
  static final String[][] FILES = {
    {"index.html", "/", "text/html; charset=utf-8"},
    {"app.js", "/app.js", "text/javascript; charset=utf-8"},
    {"app.css", "/app.css", "text/css; charset=utf-8"},
  };

  private Page() {}

  static byte[] read(String name) {
    try (InputStream in = Page.class.getResourceAsStream("page/" + name)) {
      if (in == null) {
        throw new IllegalStateException("page/" + name + " is missing from the cxr-serve jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
