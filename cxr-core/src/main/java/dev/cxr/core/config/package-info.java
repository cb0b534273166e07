/**
 * Configuration: {@link dev.cxr.core.config.PipelineConfig} and its parts, immutable and checked in
 * their constructors, every default in {@link dev.cxr.core.config.PipelineConfig#DEFAULTS} and
 * every limit in {@link dev.cxr.core.config.Limits}, set through {@link
 * dev.cxr.core.config.ConfigBuilder}.
 */
package dev.cxr.core.config;
