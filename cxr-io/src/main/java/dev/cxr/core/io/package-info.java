/**
 * Files: the domain exception that names a file and row, atomic writes, the deletion of temporary
 * files at exit ({@link dev.cxr.core.io.ExitCleanup}), the lock of a run's folder ({@link
 * dev.cxr.core.io.RunLock}), the disk-space check ({@link dev.cxr.core.io.DiskSpace}), bounded line
 * reading, and progress of long work.
 *
 * <p>Its own artifact, {@code cxr-io}, below both cxr-core and the phantom generator
 * (cxr-phantoms), which write files the same way and report bad data with the same exception; the
 * package kept the name it had inside cxr-core, so no user's import changed. It uses nothing of
 * cxr.
 */
package dev.cxr.core.io;
