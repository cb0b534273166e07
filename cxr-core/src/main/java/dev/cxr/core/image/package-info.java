/**
 * Image reading for chest radiographs: decoding PNG/JPEG of any common bit depth to gray,
 * area-averaging resize, per-image min-max normalisation, optional standardisation, and the cache
 * of decoded pixels that keeps later epochs from decoding the PNGs again.
 */
package dev.cxr.core.image;
