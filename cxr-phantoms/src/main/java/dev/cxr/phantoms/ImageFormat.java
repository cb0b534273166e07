package dev.cxr.phantoms;

/** The file format of generated phantom images. */
public enum ImageFormat {
  /** 8-bit gray PNG, as NIH ChestX-ray14 ships its images. */
  PNG("png"),
  /** DICOM Part 10 computed radiography, 12 bits stored in 16, as a hospital's PACS exports. */
  DICOM("dcm");

  private final String extension;

  ImageFormat(String extension) {
    this.extension = extension;
  }

  /**
   * The file-name extension, without the dot.
   *
   * @return e.g. {@code png}
   */
  public String extension() {
    return extension;
  }

  /**
   * A format by its name, ignoring case.
   *
   * @param name {@code png} or {@code dicom}
   * @return the format
   * @throws IllegalArgumentException naming the valid names
   */
  public static ImageFormat parse(String name) {
    for (ImageFormat f : values()) {
      if (f.name().equalsIgnoreCase(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("format must be png or dicom but was '" + name + "'");
  }
}
