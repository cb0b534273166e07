package dev.cxr.core.dicom;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import dev.cxr.core.io.CxrDataException;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes one frame of JPEG Lossless (ISO 10918-1 process 14, DICOM PS3.5 A.4.1: transfer syntaxes
 * 1.2.840.10008.1.2.4.57 and .70) with the TwelveMonkeys JPEG reader, asked for by its provider
 * class so that the choice does not depend on the ImageIO registry order (the JDK's own JPEG reader
 * cannot read process 14).
 */
final class JpegLossless {
  private JpegLossless() {}

  /** The unsigned samples of the frame, interleaved, checked against the header's geometry. */
  static int[] decode(Path file, byte[] frame, int rows, int cols, int samples) {
    ImageReader reader = null;
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(frame))) {
      JPEGImageReaderSpi spi =
          IIORegistry.getDefaultInstance().getServiceProviderByClass(JPEGImageReaderSpi.class);
      if (spi == null) {
        throw new CxrDataException(file, "JPEG Lossless decoder (TwelveMonkeys) is not installed");
      }
      reader = spi.createReaderInstance(null);
      reader.setInput(in);
      int w = reader.getWidth(0);
      int h = reader.getHeight(0);
      if (w != cols || h != rows) {
        throw new CxrDataException(
            file,
            "JPEG frame is " + w + " x " + h + " but the DICOM header says " + cols + " x " + rows);
      }
      Raster r = reader.readRaster(0, null);
      if (r.getNumBands() != samples) {
        throw new CxrDataException(
            file, "JPEG frame has " + r.getNumBands() + " components, expected " + samples);
      }
      return r.getPixels(r.getMinX(), r.getMinY(), w, h, (int[]) null);
    } catch (IOException | RuntimeException e) {
      if (e instanceof CxrDataException c) {
        throw c;
      }
      throw new CxrDataException(
          file, -1, "JPEG Lossless Pixel Data cannot be decoded: " + e.getMessage(), e);
    } finally {
      if (reader != null) {
        reader.dispose();
      }
    }
  }
}
