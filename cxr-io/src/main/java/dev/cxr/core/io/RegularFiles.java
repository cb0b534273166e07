package dev.cxr.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The check every reader of user files makes before opening one: it must be a regular file (a
 * symbolic link to one is fine). Opening a named pipe blocks until something writes to it, and a
 * device can be read forever, so either would hang a command; both are refused, named, unread.
 */
public final class RegularFiles {
  private RegularFiles() {}

  /**
   * Checks that {@code file} is a regular file, following symbolic links.
   *
   * @param file the file about to be opened
   * @param what what it is meant to be, for the message (e.g. {@code "image file"})
   * @return {@code file}
   * @throws CxrDataException naming the file when it is missing, a directory, a named pipe, a
   *     socket or a device
   */
  public static Path require(Path file, String what) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new CxrDataException(file, what + " is missing");
    } catch (IOException e) {
      throw new CxrDataException(file, -1, "cannot read " + what + ": " + e.getMessage(), e);
    }
    if (!a.isRegularFile()) {
      throw new CxrDataException(
          file, what + " is " + kind(a) + ", not a regular file; refused unread");
    }
    return file;
  }

  /**
   * What a non-regular file is, in words.
   *
   * @param a its attributes
   * @return e.g. {@code "a directory"}
   */
  public static String kind(BasicFileAttributes a) {
    if (a.isDirectory()) {
      return "a directory";
    }
    return a.isOther() ? "a named pipe, socket or device" : "not a file";
  }
}
