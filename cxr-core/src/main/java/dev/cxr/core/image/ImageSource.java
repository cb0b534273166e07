package dev.cxr.core.image;

import dev.cxr.core.io.CxrDataException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an encoded image (PNG, JPEG or DICOM) comes from: a file, read when needed, or bytes
 * already in memory (an upload to {@code cxr serve}, a database blob, a row of Spark's {@code
 * binaryFile} source). Every reader of {@link ImageLoader} and {@link ImageInfo} takes one, so an
 * image in memory is read exactly as a file is, and an explanation can draw its overlay from
 * either.
 */
public final class ImageSource {
  private final Path name;
  private final byte[] data; // null: read the file `name`

  ImageSource(Path name, byte[] data) {
    this.name = Objects.requireNonNull(name, "name");
    this.data = data;
  }

  /**
   * An image file, read each time the image is needed.
   *
   * @param file a PNG, JPEG or DICOM file
   * @return the source
   */
  public static ImageSource file(Path file) {
    return new ImageSource(file, null);
  }

  /**
   * An image held in memory. The array is kept, not copied: do not change it afterwards.
   *
   * @param name the image's name (a path, URI or upload name), used in error messages
   * @param data the encoded image
   * @return the source
   */
  public static ImageSource bytes(String name, byte[] data) {
    Objects.requireNonNull(name, "name");
    return new ImageSource(messageName(name), Objects.requireNonNull(data, "data"));
  }

  /**
   * @return the file, or the name given to the bytes as a path (a name that is not a valid path
   *     keeps only its file-name characters)
   */
  public Path name() {
    return name;
  }

  /**
   * @return whether the image is held in memory rather than read from a file
   */
  public boolean inMemory() {
    return data != null;
  }

  /** The encoded bytes: the file's, read now, or those held. */
  byte[] read() {
    if (data == null) {
      return ImageLoader.readBytes(name);
    }
    if (data.length == 0) {
      throw new CxrDataException(name, "image is empty (0 bytes)");
    }
    return data;
  }

  /** A URI such as {@code hdfs://host/a.png} is a valid Unix path; elsewhere keep the file name. */
  private static Path messageName(String name) {
    try {
      return Path.of(name);
    } catch (InvalidPathException e) {
      return Path.of(name.replaceAll("[^A-Za-z0-9._-]", "_"));
    }
  }

  @Override
  public String toString() {
    return name.toString();
  }
}
