/**
 * Image reading for chest radiographs: decoding PNG/JPEG of any common bit depth to gray (DICOM
 * through {@code dev.cxr.core.dicom}, with {@link dev.cxr.core.image.ImageLimits} as its cap),
 * area-averaging resize, per-image min-max normalisation, optional standardisation, and the cache
 * of decoded pixels that keeps later epochs from decoding the PNGs again.
 */
package dev.cxr.core.image;
