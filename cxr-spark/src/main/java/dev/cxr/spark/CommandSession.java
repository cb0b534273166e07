package dev.cxr.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.SparkSession;
import scala.Option;
import scala.Tuple2;

/**
 * The Spark session the {@code cxr-spark} command starts when no session is running.
 *
 * <p>In local mode ({@code local}, {@code local[N]}, {@code local[*]}, the default) the whole job
 * runs in this process and nothing needs to reach it from the network, so nothing listens beyond
 * 127.0.0.1: the driver's RPC server and its block manager are bound to (and advertise) 127.0.0.1,
 * and the web UI, which would listen on every interface and needs no login, is off unless asked for
 * ({@code --ui}), and then bound to 127.0.0.1 as well. Spark binds its UI to the environment
 * variable {@code SPARK_LOCAL_IP}, read through {@code SparkConf.getenv}, or else to 0.0.0.0; a
 * running JVM cannot set its own environment, so the context gets a {@link SparkConf} that answers
 * {@code SPARK_LOCAL_IP} with 127.0.0.1 ({@link LoopbackConf}). What the user set keeps its value:
 * {@code spark.*} system properties (as spark-submit passes them), and {@code SPARK_LOCAL_IP},
 * which leaves the addresses to Spark as before.
 *
 * <p>Any other master is a cluster: its settings, and spark-submit's, are left as they are.
 */
final class CommandSession {
  /** The address everything binds to in local mode. */
  static final String LOOPBACK = "127.0.0.1";

  static final String BIND_ADDRESS = "spark.driver.bindAddress";
  static final String HOST = "spark.driver.host";
  static final String UI = "spark.ui.enabled";

  private CommandSession() {}

  /**
   * Whether a master URL runs Spark inside this process (Spark's own test, {@code
   * Utils.isLocalMaster}).
   */
  static boolean isLocal(String master) {
    return "local".equals(master) || master.startsWith("local[");
  }

  /**
   * The configuration of the session the command starts.
   *
   * @param base {@code spark.*} settings made by the user ({@code new SparkConf()} reads them from
   *     the system properties)
   * @param appName application name
   * @param master {@code --master}, or null for the one in {@code base}, else {@code local[*]}
   * @param ui {@code --ui}: in local mode, start the web UI (on 127.0.0.1)
   * @param localIp the environment's {@code SPARK_LOCAL_IP}, or null
   * @return for a local master a {@link LoopbackConf} with the loopback settings wherever the user
   *     set nothing; otherwise {@code base} with the name and master only
   */
  static SparkConf conf(SparkConf base, String appName, String master, boolean ui, String localIp) {
    SparkConf conf = base.clone().setAppName(appName);
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    if (!isLocal(conf.get("spark.master"))) {
      return conf;
    }
    LoopbackConf local = new LoopbackConf(localIp == null ? LOOPBACK : null);
    for (Tuple2<String, String> e : conf.getAll()) {
      local.set(e._1(), e._2());
    }
    if (localIp == null) {
      local.setIfMissing(BIND_ADDRESS, LOOPBACK).setIfMissing(HOST, LOOPBACK);
    }
    if (ui) {
      local.set(UI, "true");
    } else {
      local.setIfMissing(UI, "false");
    }
    return local;
  }

  /**
   * Starts the command's session.
   *
   * @param appName application name
   * @param master {@code --master}, or null
   * @param ui {@code --ui}
   * @return a new session; the caller stops it
   */
  @SuppressWarnings("deprecation") // SQLContext.getOrCreate: the public way to wrap our context
  static SparkSession start(String appName, String master, boolean ui) {
    SparkConf conf = conf(new SparkConf(), appName, master, ui, System.getenv("SPARK_LOCAL_IP"));
    if (!(conf instanceof LoopbackConf)) {
      return SparkSession.builder().config(conf).getOrCreate(); // a cluster: as it always was
    }
    // the builder would copy the settings into a plain SparkConf and lose getenv: start the
    // context from our conf, then the session on it
    return SQLContext.getOrCreate(SparkContext.getOrCreate(conf)).sparkSession();
  }

  /** Whether a session is there and not stopped (Spark keeps a stopped one as the active one). */
  static boolean running(Option<SparkSession> session) {
    return session.isDefined() && !session.get().sparkContext().isStopped();
  }

  /**
   * A {@link SparkConf} whose {@code SPARK_LOCAL_IP} is 127.0.0.1, for the web UI's bind address;
   * its clones (the context keeps one) answer the same.
   */
  static final class LoopbackConf extends SparkConf {
    private static final long serialVersionUID = 1L;
    private final String uiAddress;

    /**
     * @param uiAddress what {@code SPARK_LOCAL_IP} reads as, or null for the environment's value
     */
    LoopbackConf(String uiAddress) {
      super(false);
      this.uiAddress = uiAddress;
    }

    @Override
    public String getenv(String name) {
      return uiAddress != null && "SPARK_LOCAL_IP".equals(name) ? uiAddress : super.getenv(name);
    }

    @Override
    public SparkConf clone() {
      LoopbackConf c = new LoopbackConf(uiAddress);
      for (Tuple2<String, String> e : getAll()) {
        c.set(e._1(), e._2());
      }
      return c;
    }
  }
}
