package io.traceprop.neo4jlocal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Parses {@code --name value} pairs, refusing unknown names with a clear message. */
final class Options {
    private static final Set<String> KNOWN = Set.of(
            "port", "data-dir", "import-dir", "pagecache", "checkpoint-volume", "tx-log-rotation", "ip-blocklist");

    private Options() {}

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!KNOWN.contains(name) || i + 1 >= args.length) {
                System.err.println("[neo4j-local] usage: --port N --data-dir DIR --import-dir DIR --pagecache SIZE"
                        + " --checkpoint-volume SIZE --tx-log-rotation SIZE --ip-blocklist CIDR,CIDR (got "
                        + args[i] + ")");
                System.exit(2);
            }
            options.put(name, args[i + 1]);
        }
        return options;
    }
}
