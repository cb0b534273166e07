package dev.cxr.spark;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The TCP sockets this JVM listens on, from Linux's /proc: the LISTEN rows (state 0A) of
 * /proc/net/tcp and /proc/net/tcp6 whose inode is one of this process's file descriptors ({@code
 * /proc/self/fd/N -> socket:[inode]}), so that other processes' sockets do not count.
 */
final class ListeningSockets {
  private static final String LISTEN = "0A";
  private static final Pattern SOCKET = Pattern.compile("socket:\\[(\\d+)]");

  private ListeningSockets() {}

  /** Whether this machine has the /proc files read here (Linux). */
  static boolean available() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
        && Files.isReadable(Path.of("/proc/net/tcp"))
        && Files.isDirectory(Path.of("/proc/self/fd"));
  }

  /** The addresses this process listens on now. */
  static Set<InetSocketAddress> ofThisProcess() throws IOException {
    Set<Long> inodes = socketInodes();
    Set<InetSocketAddress> out = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (Files.isReadable(p)) {
        for (Listener l : parse(Files.readAllLines(p), ByteOrder.nativeOrder())) {
          if (inodes.contains(l.inode())) {
            out.add(l.address());
          }
        }
      }
    }
    return out;
  }

  /** The inodes of this process's sockets. */
  private static Set<Long> socketInodes() throws IOException {
    Set<Long> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          Matcher m = SOCKET.matcher(Files.readSymbolicLink(fd).toString());
          if (m.matches()) {
            inodes.add(Long.parseLong(m.group(1)));
          }
        } catch (NoSuchFileException e) {
          // closed while listed (the listing's own descriptor among them)
        }
      }
    }
    return inodes;
  }

  /** A listening socket: its local address and inode. */
  record Listener(InetSocketAddress address, long inode) {}

  /**
   * The LISTEN rows of a /proc/net/tcp or tcp6 table (header line included).
   *
   * @param lines the table's lines
   * @param order the byte order the kernel printed the address words in (the machine's)
   */
  static List<Listener> parse(List<String> lines, ByteOrder order) throws UnknownHostException {
    List<Listener> out = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
      if (f.length < 10 || !f[0].endsWith(":") || !LISTEN.equals(f[3])) {
        continue;
      }
      String[] hostPort = f[1].split(":");
      out.add(
          new Listener(
              new InetSocketAddress(address(hostPort[0], order), Integer.parseInt(hostPort[1], 16)),
              Long.parseLong(f[9])));
    }
    return out;
  }

  /**
   * An address as /proc prints it: 8 hex digits (IPv4) or 32 (IPv6), each group of 8 one 32-bit
   * word in the kernel's byte order; an IPv4-mapped IPv6 address comes back as IPv4.
   */
  static InetAddress address(String hex, ByteOrder order) throws UnknownHostException {
    ByteBuffer b = ByteBuffer.allocate(hex.length() / 2).order(order);
    for (int i = 0; i < hex.length(); i += 8) {
      b.putInt((int) Long.parseLong(hex.substring(i, i + 8), 16));
    }
    return InetAddress.getByAddress(b.array());
  }
}
