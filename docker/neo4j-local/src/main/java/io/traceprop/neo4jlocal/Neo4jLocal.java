package io.traceprop.neo4jlocal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import inet.ipaddr.IPAddressString;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs Neo4j Community embedded with the Bolt connector on 127.0.0.1, for local development and
 * tests on machines without Docker.
 *
 * <p>Options (all optional): {@code --port 7687}, {@code --data-dir .traceprop/neo4j/data},
 * {@code --import-dir .traceprop/neo4j/import}, {@code --pagecache 256m},
 * {@code --checkpoint-volume 256m}, {@code --tx-log-rotation 64m},
 * {@code --ip-blocklist CIDR,CIDR,…} (default {@link #DEFAULT_IP_BLOCKLIST}). Authentication is off
 * unless the environment variable {@code NEO4J_PASSWORD} is non-empty; then the {@code neo4j}
 * user gets that password (it is never printed). Prints {@code TRACEPROP_NEO4J_READY <uri>} once
 * Bolt accepts connections and shuts down cleanly on SIGTERM/SIGINT.
 *
 * <p>Hardening against server-side request forgery through {@code LOAD CSV}: URLs whose host
 * resolves into the IP block list (loopback, private, link-local and other non-public ranges) are
 * refused by Neo4j ({@code internal.dbms.cypher_ip_blocklist}, the 5.26 name of the setting), and
 * {@code file:} URLs resolve only inside the import folder ({@code server.directories.import}).
 */
public final class Neo4jLocal {
    /**
     * Address ranges {@code LOAD CSV} may not fetch from unless {@code --ip-blocklist} says otherwise:
     * "this" network, loopback, RFC 1918 private, carrier-grade NAT, link-local (cloud metadata
     * services), multicast and reserved IPv4; IPv6 unspecified, loopback, unique-local, link-local
     * and multicast. Keep in step with {@code cypherIpBlocklist} in src/services/local-neo4j.ts.
     */
    static final String DEFAULT_IP_BLOCKLIST = "0.0.0.0/8,10.0.0.0/8,100.64.0.0/10,127.0.0.0/8,169.254.0.0/16,"
            + "172.16.0.0/12,192.0.0.0/24,192.168.0.0/16,198.18.0.0/15,224.0.0.0/4,240.0.0.0/4,"
            + "::/128,::1/128,fc00::/7,fe80::/10,ff00::/8";

    private Neo4jLocal() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        int port = Integer.parseInt(options.getOrDefault("port", "7687"));
        Path dataDir = Path.of(options.getOrDefault("data-dir", ".traceprop/neo4j/data")).toAbsolutePath();
        Path importDir = Path.of(options.getOrDefault("import-dir", dataDir.resolveSibling("import").toString())).toAbsolutePath();
        String pagecache = options.getOrDefault("pagecache", "256m");
        long checkpointVolume = parseBytes(options.getOrDefault("checkpoint-volume", "256m"));
        long txLogRotation = parseBytes(options.getOrDefault("tx-log-rotation", "64m"));
        List<IPAddressString> ipBlocklist = parseIpBlocklist(options.getOrDefault("ip-blocklist", DEFAULT_IP_BLOCKLIST));
        String password = System.getenv().getOrDefault("NEO4J_PASSWORD", "");
        boolean auth = !password.isEmpty();

        Files.createDirectories(dataDir);
        Files.createDirectories(importDir);
        log("starting Neo4j Community (embedded) in " + dataDir + " on 127.0.0.1:" + port
                + (auth ? " with authentication" : " without authentication"));

        DatabaseManagementService service = new DatabaseManagementServiceBuilder(dataDir)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                // LOAD CSV: file URLs only inside the import folder, never from blocked addresses.
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, importDir)
                .setConfig(GraphDatabaseSettings.allow_file_urls, true)
                .setConfig(GraphDatabaseInternalSettings.cypher_ip_blocklist, ipBlocklist)
                .setConfig(GraphDatabaseSettings.pagecache_memory, parseBytes(pagecache))
                // A local store for development and tests: keep little transaction log history, and
                // checkpoint by volume written (not every 15 minutes or 100k transactions), so that
                // pruning keeps up with bulk ingests: a checkpoint after every --checkpoint-volume of
                // transaction log, in files of --tx-log-rotation, without an IO limit on the flush.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "256M size")
                .setConfig(GraphDatabaseSettings.check_point_policy, GraphDatabaseSettings.CheckpointPolicy.VOLUME)
                .setConfig(GraphDatabaseSettings.check_point_interval_volume, checkpointVolume)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, txLogRotation)
                .setConfig(GraphDatabaseSettings.check_point_iops_limit, -1)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("shutting down");
            service.shutdown();
            log("stopped");
        }, "neo4j-local-shutdown"));

        GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(Duration.ofMinutes(2).toMillis())) {
            log("database did not become available within 2 minutes");
            System.exit(1);
        }
        if (auth) {
            service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j IF EXISTS SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        }
        waitForBolt(port, Duration.ofMinutes(1));
        System.out.println("TRACEPROP_NEO4J_READY bolt://127.0.0.1:" + port);
        System.out.flush();
        Thread.currentThread().join();
    }

    private static void waitForBolt(int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        log("Bolt did not accept connections on port " + port + " within " + timeout.toSeconds() + " s");
        System.exit(1);
    }

    /** Parses a comma-separated list of CIDR ranges, refusing an invalid one with a clear message. */
    static List<IPAddressString> parseIpBlocklist(String text) {
        return Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> {
                    IPAddressString range = new IPAddressString(s);
                    if (!range.isIPAddress()) {
                        log("--ip-blocklist: " + s + " is not an IP address range (CIDR)");
                        System.exit(2);
                    }
                    return range;
                })
                .toList();
    }

    /** Parses sizes such as {@code 256m}, {@code 1g} or a plain byte count. */
    static long parseBytes(String size) {
        String s = size.trim().toLowerCase();
        long unit = 1;
        char last = s.charAt(s.length() - 1);
        if (last == 'k') unit = 1L << 10;
        if (last == 'm') unit = 1L << 20;
        if (last == 'g') unit = 1L << 30;
        if (unit != 1) s = s.substring(0, s.length() - 1);
        return Long.parseLong(s) * unit;
    }

    private static void log(String message) {
        System.err.println("[neo4j-local] " + message);
    }
}
