/**
 * The pixel caches: decoded, resized pixels kept so that later epochs, folds and commands do not
 * decode the images again. {@link dev.cxr.core.cache.PixelCache} holds them in memory (spilling to
 * a temporary folder past its budget) in front of an optional persistent {@link
 * dev.cxr.core.cache.DiskPixelCache}: one memory-mapped file per data set and image size, whose
 * format is {@link dev.cxr.core.cache.PixelFileFormat}, named by {@link
 * dev.cxr.core.cache.PixelFileKey} (what the pixels depend on), and listed and pruned by {@link
 * dev.cxr.core.cache.PixelCacheFiles} ({@code cxr cache}). Above {@code image}, whose {@code
 * ImageLoader} fills them; the data package opens the one a command uses ({@code PixelCaches}).
 */
package dev.cxr.core.cache;
