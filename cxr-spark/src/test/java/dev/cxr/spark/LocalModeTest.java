package dev.cxr.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In local mode the command's Spark is reachable from this machine only: the driver and block
 * manager on 127.0.0.1, the web UI off, or with {@code --ui} on 127.0.0.1 (issue 31).
 */
class LocalModeTest {
  private static final String NOT_LINUX =
      "skipped: reads the JVM's listening sockets from Linux's /proc/net/tcp{,6} and /proc/self/fd,"
          + " which this OS does not have";

  @TempDir static Path shared;
  static Fixture fixture;

  @TempDir Path dir;
  private SparkSession spark;

  @BeforeAll
  static void setUp() throws IOException {
    assertThat(
            CommandSession.running(SparkSession.getActiveSession())
                || CommandSession.running(SparkSession.getDefaultSession()))
        .as("another test class left a Spark session running")
        .isFalse();
    fixture = Fixture.create(shared);
  }

  @AfterEach
  void stop() {
    if (spark != null) {
      spark.stop();
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  private static List<InetSocketAddress> beyondLoopback(Set<InetSocketAddress> listening) {
    return listening.stream().filter(a -> !a.getAddress().isLoopbackAddress()).toList();
  }

  @Test
  void theSessionBindsToLoopbackWithTheUiOff() throws IOException {
    spark = CommandSession.start("local-mode-test", "local[1]", false);
    SparkConf conf = spark.sparkContext().getConf();
    assertThat(conf.get(CommandSession.BIND_ADDRESS)).isEqualTo("127.0.0.1");
    assertThat(conf.get(CommandSession.HOST)).isEqualTo("127.0.0.1");
    assertThat(conf.get(CommandSession.UI)).isEqualTo("false");
    assertThat(spark.sparkContext().uiWebUrl().isEmpty()).isTrue();
    assertThat(spark.sparkContext().isLocal()).isTrue();
    if (ListeningSockets.available()) {
      Set<InetSocketAddress> listening = ListeningSockets.ofThisProcess();
      assertThat(listening).as("driver RPC and block manager").hasSizeGreaterThanOrEqualTo(2);
      assertThat(beyondLoopback(listening)).as("listening beyond loopback").isEmpty();
    }
  }

  @Test
  void withUiTheUiIsOnAndOnLoopback() throws IOException {
    spark = CommandSession.start("local-mode-test", "local[1]", true);
    SparkConf conf = spark.sparkContext().getConf();
    assertThat(conf.get(CommandSession.UI)).isEqualTo("true");
    assertThat(conf.get(CommandSession.BIND_ADDRESS)).isEqualTo("127.0.0.1");
    // Spark binds the UI to SPARK_LOCAL_IP as its conf reads it
    assertThat(conf).isInstanceOf(CommandSession.LoopbackConf.class);
    assertThat(conf.getenv("SPARK_LOCAL_IP")).isEqualTo("127.0.0.1");
    int port = spark.sparkContext().ui().get().boundPort();
    assertThat(spark.sparkContext().uiWebUrl().get()).isEqualTo("http://127.0.0.1:" + port);
    if (ListeningSockets.available()) {
      Set<InetSocketAddress> listening = ListeningSockets.ofThisProcess();
      assertThat(listening).extracting(InetSocketAddress::getPort).contains(port);
      assertThat(beyondLoopback(listening)).as("listening beyond loopback").isEmpty();
    }
  }

  @Test
  void noSocketOfARunListensBeyondLoopback() throws Exception {
    assumeTrue(ListeningSockets.available(), NOT_LINUX);
    Set<InetSocketAddress> seen = ConcurrentHashMap.newKeySet();
    ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor();
    poll.scheduleWithFixedDelay(
        () -> {
          try {
            seen.addAll(ListeningSockets.ofThisProcess());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
    int code;
    try {
      code =
          CxrSparkCli.run(
              "score",
              "--model",
              fixture.modelFile().toString(),
              "--images",
              fixture.images().toString(),
              "--out",
              dir.resolve("scores.parquet").toString(),
              "--master",
              "local[2]",
              "--ui");
    } finally {
      poll.shutdown();
      assertThat(poll.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(code).isZero();
    assertThat(seen).as("driver RPC, block manager and UI").hasSizeGreaterThanOrEqualTo(3);
    assertThat(beyondLoopback(seen)).as("listening beyond loopback").isEmpty();
  }

  @Test
  void theSocketCheckTellsLoopbackFromEveryInterface() throws IOException {
    // rows as Linux prints them on a little-endian machine (header; LISTEN; an established row)
    List<String> tcp =
        List.of(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid"
                + "  timeout inode",
            "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0"
                + "        0 1001 1 0000000000000000 100 0 0 10 0",
            "   1: 00000000:0FC8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  0"
                + "        0 1002 1 0000000000000000 100 0 0 10 0",
            "   2: 020200C0:B3F1 020200C0:0016 01 00000000:00000000 00:00000000 00000000  0"
                + "        0 1003 1 0000000000000000 20 4 30 10 -1");
    List<ListeningSockets.Listener> v4 = ListeningSockets.parse(tcp, ByteOrder.LITTLE_ENDIAN);
    assertThat(v4).hasSize(2);
    assertThat(v4.get(0).address()).isEqualTo(new InetSocketAddress("127.0.0.1", 8080));
    assertThat(v4.get(0).inode()).isEqualTo(1001);
    assertThat(v4.get(1).address().getAddress().isAnyLocalAddress()).isTrue(); // 0.0.0.0:4040
    assertThat(v4.get(1).address().getAddress().isLoopbackAddress()).isFalse();
    String any6 = "00000000000000000000000000000000";
    String mappedLoopback = "0000000000000000FFFF00000100007F";
    String mappedLan = "0000000000000000FFFF0000020200C0";
    String loopback6 = "00000000000000000000000001000000";
    assertThat(ListeningSockets.address(any6, ByteOrder.LITTLE_ENDIAN).isLoopbackAddress())
        .isFalse();
    assertThat(ListeningSockets.address(mappedLoopback, ByteOrder.LITTLE_ENDIAN).getHostAddress())
        .isEqualTo("127.0.0.1");
    assertThat(ListeningSockets.address(mappedLan, ByteOrder.LITTLE_ENDIAN).getHostAddress())
        .isEqualTo("192.0.2.2");
    assertThat(ListeningSockets.address(loopback6, ByteOrder.LITTLE_ENDIAN).isLoopbackAddress())
        .isTrue();
    InetSocketAddress everyInterface =
        new InetSocketAddress(ListeningSockets.address(any6, ByteOrder.LITTLE_ENDIAN), 4040);
    assertThat(beyondLoopback(Set.of(v4.get(0).address(), everyInterface)))
        .containsExactly(everyInterface);
  }

  @Test
  void onlyLocalMastersGetLoopbackSettingsAndTheUsersSettingsStay() {
    for (String m : List.of("local", "local[2]", "local[*]", "local[4,3]")) {
      assertThat(CommandSession.isLocal(m)).as(m).isTrue();
    }
    for (String m :
        List.of("yarn", "spark://h:7077", "k8s://https://h:6443", "local-cluster[2,1,1024]")) {
      assertThat(CommandSession.isLocal(m)).as(m).isFalse();
      SparkConf c = CommandSession.conf(new SparkConf(false), "a", m, true, null);
      assertThat(c).as(m).isNotInstanceOf(CommandSession.LoopbackConf.class);
      assertThat(c.get("spark.master")).isEqualTo(m);
      for (String key :
          List.of(CommandSession.BIND_ADDRESS, CommandSession.HOST, CommandSession.UI)) {
        assertThat(c.contains(key)).as(m + " " + key).isFalse();
      }
    }
    // spark-submit's master (a system property) when there is no --master
    SparkConf submitted = new SparkConf(false).setMaster("yarn").set(CommandSession.UI, "true");
    assertThat(CommandSession.conf(submitted, "a", null, false, null).get(CommandSession.UI))
        .isEqualTo("true");
    // local by default; what the user set stays
    SparkConf user =
        new SparkConf(false).set(CommandSession.HOST, "10.1.2.3").set(CommandSession.UI, "true");
    SparkConf c = CommandSession.conf(user, "a", null, false, null);
    assertThat(c.get("spark.master")).isEqualTo("local[*]");
    assertThat(c.get(CommandSession.HOST)).isEqualTo("10.1.2.3");
    assertThat(c.get(CommandSession.BIND_ADDRESS)).isEqualTo("127.0.0.1");
    assertThat(c.get(CommandSession.UI)).isEqualTo("true");
    // SPARK_LOCAL_IP set: Spark's addresses as before, the UI still off
    SparkConf ip = CommandSession.conf(new SparkConf(false), "a", "local[2]", false, "10.1.2.3");
    assertThat(ip.contains(CommandSession.BIND_ADDRESS)).isFalse();
    assertThat(ip.contains(CommandSession.HOST)).isFalse();
    assertThat(ip.get(CommandSession.UI)).isEqualTo("false");
  }
}
