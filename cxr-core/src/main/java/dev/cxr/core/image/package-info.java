/**
 * Image reading for chest radiographs: decoding PNG/JPEG of any common bit depth to gray (DICOM
 * through {@code dev.cxr.core.dicom}, with {@link dev.cxr.core.image.ImageLimits} as its cap),
 * area-averaging resize into a compact {@link dev.cxr.core.image.ResizedImage}, per-image min-max
 * normalisation and optional standardisation. The caches that keep the resized pixels between
 * epochs are in {@code dev.cxr.core.cache}.
 */
package dev.cxr.core.image;
