import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small load generator for cxr serve, bounded in time and in count: N client threads post one
 * image to a URL again and again, each waiting for its answer before the next (a closed loop, as a
 * PACS router with N connections would), until the time or the request count runs out.
 *
 * <pre>
 * java bench/ServeLoad.java --url http://127.0.0.1:8080/v1/predict --image x.png \
 *     --clients 4 --seconds 60 [--max-requests 100000] [--type image/png]
 * </pre>
 *
 * Prints one line: clients, requests, requests/s, latency p50/p95/p99 in ms, and the answers by
 * status (200, 503, ...) and transport errors. Only for addresses on this machine.
 */
public final class ServeLoad {
  public static void main(String[] args) throws Exception {
    Map<String, String> a = new TreeMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i], args[i + 1]);
    }
    URI url = URI.create(required(a, "--url"));
    String host = url.getHost();
    if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("[::1]")) {
      throw new IllegalArgumentException("--url must be on this machine (127.0.0.1) but was " + url);
    }
    byte[] image = Files.readAllBytes(Path.of(required(a, "--image")));
    int clients = Integer.parseInt(a.getOrDefault("--clients", "1"));
    double seconds = Double.parseDouble(a.getOrDefault("--seconds", "60"));
    long maxRequests = Long.parseLong(a.getOrDefault("--max-requests", "1000000"));
    String type = a.getOrDefault("--type", "image/png");
    if (clients < 1 || clients > 256 || seconds <= 0 || seconds > 3600 || maxRequests < 1) {
      throw new IllegalArgumentException("--clients 1..256, --seconds (0, 3600], --max-requests >= 1");
    }

    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(120))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(image))
            .build();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    AtomicLong issued = new AtomicLong();
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    List<long[]> latencies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      long[] mine = new long[1 << 20]; // nanoseconds of each successful (200) answer
      int[] count = {0};
      latencies.add(mine);
      Thread t =
          new Thread(
              () -> {
                while (System.nanoTime() < deadline && issued.incrementAndGet() <= maxRequests) {
                  long t0 = System.nanoTime();
                  String outcome;
                  try {
                    HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    outcome = Integer.toString(r.statusCode());
                    if (r.statusCode() == 200 && count[0] < mine.length - 1) {
                      mine[count[0]++] = System.nanoTime() - t0;
                    }
                  } catch (Exception e) {
                    outcome = e.getClass().getSimpleName();
                  }
                  outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                }
                mine[mine.length - 1] = count[0]; // the count, in the last slot
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long ok = 0;
    for (long[] l : latencies) {
      ok += l[l.length - 1];
    }
    long[] all = new long[(int) ok];
    int k = 0;
    for (long[] l : latencies) {
      int n = (int) l[l.length - 1];
      System.arraycopy(l, 0, all, k, n);
      k += n;
    }
    Arrays.sort(all);
    int total = outcomes.values().stream().mapToInt(AtomicInteger::get).sum();
    System.out.println(
        String.format(
            Locale.ROOT,
            "clients=%d image=%s requests=%d ok/s=%.1f p50=%.1fms p95=%.1fms p99=%.1fms answers=%s",
            clients,
            Path.of(a.get("--image")).getFileName(),
            total,
            ok / elapsed,
            pct(all, 0.50),
            pct(all, 0.95),
            pct(all, 0.99),
            new TreeMap<>(outcomes)));
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  private static String required(Map<String, String> a, String name) {
    String v = a.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return v;
  }
}
