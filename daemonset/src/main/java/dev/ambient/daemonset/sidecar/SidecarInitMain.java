package dev.ambient.daemonset.sidecar;

import dev.ambient.sys.Commands;
import dev.ambient.ztunnel.config.Flags;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code mesh sidecar-init}: the init step of a sidecar pod. Run inside the pod's network namespace
 * before the app starts; installs {@link CaptureRules}. Installing twice is refused rather than
 * stacking duplicate rules.
 */
public final class SidecarInitMain {

    private SidecarInitMain() {}

    public static void main(String[] args) {
        Flags flags = Flags.parse(args, Set.of("probe-source", "exclude-outbound-ports", "exclude-inbound-ports", "mark",
                "proxy-uid"),
                Set.of("help"));
        if (flags.bool("help")) {
            System.out.println("usage: mesh sidecar-init [--probe-source CIDR[,CIDR]] [--exclude-outbound-ports P,P]"
                    + " [--exclude-inbound-ports P,P] [--mark 0x20000] [--proxy-uid UID]   (inside the pod's network namespace;"
                    + " --proxy-uid exempts a proxy that cannot mark its sockets)");
            return;
        }
        CaptureRules rules = new CaptureRules(Integer.decode(flags.get("mark").orElse("0x" + Integer.toHexString(CaptureRules.DEFAULT_MARK))),
                list(flags.get("probe-source").orElse(CaptureRules.LOCAL_PROBE_SOURCE)),
                ports(flags.get("exclude-outbound-ports").orElse("")),
                ports(flags.get("exclude-inbound-ports").orElse("")),
                flags.get("proxy-uid").map(u -> OptionalInt.of(Integer.parseInt(u.strip()))).orElse(OptionalInt.empty()));
        if (Commands.run("iptables", "-w", "-t", "nat", "-S").contains(CaptureRules.OUTPUT_CHAIN)) {
            System.err.println("mesh sidecar-init: this namespace already has the sidecar's capture rules");
            System.exit(1);
        }
        for (List<String> command : rules.commands()) {
            Commands.run(command);
        }
        System.out.println("sidecar capture installed: outbound TCP → 15001, inbound TCP → 15006");
    }

    private static List<String> list(String text) {
        return text.isBlank() ? List.of() : Arrays.stream(text.split(",")).map(String::strip).toList();
    }

    private static List<Integer> ports(String text) {
        List<Integer> out = new ArrayList<>();
        for (String p : list(text)) {
            out.add(Integer.parseInt(p));
        }
        return out;
    }
}
