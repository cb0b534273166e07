/**
 * A DICOM Part 10 reader for single-frame radiographs ({@link dev.cxr.core.dicom.DicomReader}): the
 * data set parsed in every uncompressed transfer syntax, deflated, RLE Lossless and JPEG Lossless,
 * the pixels decoded into a {@link dev.cxr.core.dicom.DicomImage} with the modality LUT applied. It
 * knows nothing of the rest of cxr but its one-line errors ({@code io}); the image reading in
 * {@code image} calls it for DICOM files with its own cap on the image size.
 */
package dev.cxr.core.dicom;
