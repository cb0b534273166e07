package dev.cxr.serve;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Closes a connection whose request line and headers have not all arrived within the read timeout.
 *
 * <p>Jetty's idle timeout restarts at every byte, so a client sending its headers one byte a second
 * kept its connection for good: {@code bench/serve-abuse.sh}'s 100 such connections were all still
 * open after 40 s, and 1024 of them (the connection limit) would have shut everyone else out. A
 * body has its own deadline ({@link Upload}, which answers 408); this is the same deadline for the
 * part before it, where no answer can be framed, so the connection is just closed.
 *
 * <p>A sweeper thread looks at every open connection a few times per timeout: one that is part way
 * through a request's headers (Jetty's parser past its start, not yet at the content) is timed from
 * when it was first seen so, and the time restarts when a request completes on it. Jetty's HTTP/1.1
 * connection class is internal to it; the version is pinned in the parent pom.
 */
final class HeaderDeadline implements Connection.Listener, AutoCloseable {
  private final long limitNanos;
  private final Runnable onCut;
  private final Set<HttpConnection> open = ConcurrentHashMap.newKeySet();
  private final Map<HttpConnection, Started> partial = new HashMap<>(); // sweeper thread only
  private final ScheduledExecutorService sweeper;

  /** When a connection was first seen part way through the headers of its request number n. */
  private record Started(long messagesIn, long nanos) {}

  /**
   * @param limit how long a request's line and headers may take to arrive
   * @param onCut told of every connection closed for being too slow
   */
  HeaderDeadline(Duration limit, Runnable onCut) {
    this.limitNanos = limit.toNanos();
    this.onCut = onCut;
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cxr-serve-header-deadline");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(10, Math.min(1000, limit.toMillis() / 4));
    sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public void onOpened(Connection c) {
    if (c instanceof HttpConnection h) {
      open.add(h);
    }
  }

  @Override
  public void onClosed(Connection c) {
    if (c instanceof HttpConnection h) {
      open.remove(h);
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    partial.keySet().retainAll(open);
    for (HttpConnection c : open) {
      HttpParser p = c.getParser();
      if (!p.inHeaderState() || p.isStart()) {
        partial.remove(c); // waiting for a request, or reading or answering one
        continue;
      }
      long n = c.getMessagesIn();
      Started s = partial.get(c);
      if (s == null || s.messagesIn() != n) {
        partial.put(c, new Started(n, now));
      } else if (now - s.nanos() > limitNanos) {
        partial.remove(c);
        c.getEndPoint().close();
        onCut.run();
      }
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
