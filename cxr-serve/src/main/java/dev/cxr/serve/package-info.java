/**
 * {@code cxr serve}: a saved cxr model behind HTTP. {@link dev.cxr.serve.CxrServer} starts Jetty 12
 * (core, no servlets), loads the model once and serves a versioned JSON API ({@code POST
 * /v1/predict}, {@code POST /v1/explain}, {@code GET /v1/model}), health checks, Prometheus metrics
 * and a page to try it; {@link dev.cxr.serve.ServeConfig} says how. Concurrent predictions are
 * scored in shared forward passes by one model thread behind a bounded queue; uploads are capped
 * before they are read, read without holding a thread, and timed out. See {@code docs/serve.md}.
 */
package dev.cxr.serve;
