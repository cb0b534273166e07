/**
 * cxr-core: the composition root of the cxr library. Its data generator reads NIH ChestX-ray14
 * images and labels into DL4J batches; {@code CxrPipeline} composes data, augmentation, ResNet and
 * loss into one fluent builder.
 */
package dev.cxr.core;
