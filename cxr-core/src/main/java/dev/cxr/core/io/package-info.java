/**
 * Files: the domain exception that names a file and row, atomic writes, the deletion of temporary
 * files at exit ({@link dev.cxr.core.io.ExitCleanup}), the lock of a run's folder ({@link
 * dev.cxr.core.io.RunLock}), the disk-space check ({@link dev.cxr.core.io.DiskSpace}), and progress
 * of long work. The lowest package of cxr-core; every other one may use it.
 */
package dev.cxr.core.io;
