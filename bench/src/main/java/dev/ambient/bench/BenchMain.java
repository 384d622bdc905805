package dev.ambient.bench;

import dev.ambient.bench.report.BenchReport;
import dev.ambient.bench.report.JsonReport;
import dev.ambient.bench.report.MarkdownReport;
import dev.ambient.bench.report.PodCharts;
import dev.ambient.bench.report.PodJson;
import dev.ambient.bench.report.PodMarkdown;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mesh bench [options]}: the side-by-side benchmark of the mesh's modes between pods of a local
 * cluster (with charts), or with {@code --loopback} of proxy pairs on this machine, or with
 * {@code --capture} of what eBPF capture costs. Writes report.json and report.md and prints the markdown. Exit code 0 when the run completed
 * (whatever the targets say), 1 when it could not run, 2 for a bad command line.
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) {
        BenchSettings.Parsed parsed = BenchSettings.parse(args, defaultOutBase(), LocalDateTime.now());
        if (parsed.help()) {
            System.out.print(BenchSettings.USAGE);
            return;
        }
        if (parsed.settings().isEmpty()) {
            parsed.errors().forEach(e -> System.err.println("mesh bench: " + e));
            System.err.print(BenchSettings.USAGE);
            System.exit(2);
        }
        BenchSettings settings = parsed.settings().get();
        try {
            BenchReport report = new Bench(settings, System.out, commandLine(args)).run();
            String markdown = report.pods().isPresent() ? PodMarkdown.render(report)
                    : MarkdownReport.render(report, Bench.BODY_BYTES);
            Files.writeString(settings.outDir().resolve("report.md"), markdown);
            Files.writeString(settings.outDir().resolve("report.json"), report.pods().isPresent()
                    ? PodJson.render(report) : JsonReport.render(report, Bench.BODY_BYTES));
            if (report.pods().isPresent()) {
                PodCharts.write(report.pods().get(), settings.outDir());
            }
            System.out.println();
            System.out.print(markdown);
            System.out.println("bench: wrote " + settings.outDir().resolve("report.md") + ", report.json"
                    + (report.pods().isPresent() ? ", latency.png and memory.png" : "") + " in "
                    + report.elapsed().toSeconds() + " s");
            System.out.flush();
            System.exit(0);
        } catch (BenchException e) {
            System.err.println("mesh bench: " + e.getMessage());
            System.exit(1);
        } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
            // Environment problems surfaced by the libraries (transport, CA files): the message says what.
            System.err.println("mesh bench: " + e.getMessage());
            System.exit(1);
        } catch (IOException e) {
            System.err.println("mesh bench: cannot write the report into " + settings.outDir() + ": " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            System.err.println("mesh bench: interrupted");
            System.exit(130);
        }
    }

    /**
     * bench/target of the build this class was loaded from (the launcher runs the bench jar from
     * there), so reports land in the same place whatever the working directory; else ./bench/target.
     */
    static Path defaultOutBase() {
        try {
            Path location = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path parent = location.getParent();
            if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("target")) {
                return parent;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the working directory
        }
        return Path.of("bench", "target");
    }

    /**
     * How this run was started, class path elided, plus the launcher form of the same run, so the
     * report says how to repeat it.
     */
    static String commandLine(String[] args) {
        List<String> out = new ArrayList<>();
        out.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        out.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        out.addAll(List.of("-cp", "<classpath>", BenchMain.class.getName()));
        out.addAll(List.of(args));
        String launcher = String.join(" ", List.of(args));
        return String.join(" ", out) + "\n# the same through the launcher: ./mesh bench" + (launcher.isEmpty() ? "" : " " + launcher);
    }
}
