package io.dagscope.server.cli;

import io.dagscope.core.snapshot.SnapshotFile;
import io.dagscope.server.app.Dagscope;
import io.dagscope.server.config.Args;
import io.dagscope.server.config.CommonOptions;
import io.dagscope.server.config.Flag;
import io.dagscope.server.config.Settings;
import io.dagscope.server.config.UsageException;
import io.dagscope.server.plugins.PluginLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code dagscope snapshot}: reads the logs once and writes the engine's state and each log's position to a file. */
public final class SnapshotCommand implements Command {

    @Override
    public String name() {
        return "snapshot";
    }

    @Override
    public String summary() {
        return "Read the logs once and write a snapshot: the folded state and where each log was read to.";
    }

    @Override
    public String details() {
        return "The snapshot answers `dagscope query --snapshot FILE` and starts `dagscope serve --snapshot FILE`,\n"
                + "which reads each log on from where the snapshot left it. Snapshots of logs split by DAG merge\n"
                + "with `dagscope merge`. Written atomically, readable by its owner only. Docs: docs/snapshots.md\n"
                + "Example: dagscope snapshot --events logs/orchestrator_events.jsonl --state "
                + "logs/orchestrator_state.jsonl --out state.dgsnap";
    }

    @Override
    public List<Flag> flags() {
        List<Flag> flags = new ArrayList<>(CommonOptions.FLAGS);
        flags.add(Flag.value("out", "FILE", "where to write the snapshot (replaced atomically; required)"));
        return flags;
    }

    @Override
    public int run(Args args, Io io) throws IOException {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("snapshot takes no arguments, got '" + args.positionals().get(0)
                    + "'; see dagscope snapshot --help");
        }
        Path out = outFile(args);
        Settings settings = CommonOptions.resolve(args, io.env(), note -> io.err().println("dagscope: " + note));
        settings.plugins().ifPresent(dir -> PluginLoader.loadInto(dir, io.factories(), io.err()));
        try (Dagscope app = Dagscope.create(settings, io.factories(), false, io.err())) {
            app.startFromSnapshot(Optional.empty(), note -> io.err().println("dagscope: " + note));
            app.ingestor().pollOnce();
            app.ingestor().sources().forEach(s -> {
                if (!s.healthy()) {
                    io.err().println("dagscope: source " + s.name() + " (" + s.location() + "): "
                            + s.error().orElse("unhealthy"));
                }
            });
            SnapshotFile.Header header = SnapshotFile.write(out, app.ingestor(), "dagscope " + Dagscope.version());
            io.out().println("wrote " + out + ": " + header.eventsApplied() + " events from "
                    + header.sources().size() + " source(s), " + Files.size(out) + " bytes");
            header.sources().stream().filter(s -> s.position().isEmpty()).forEach(s -> io.err().println(
                    "dagscope: source " + s.name() + " gave no position (" + s.missing().orElse("?") + "): a server "
                            + "started from this snapshot reads every log from the start"));
            return 0;
        }
    }

    /** The {@code --out} file: given, not a folder, in a folder that exists. */
    static Path outFile(Args args) {
        String text = args.value("out").orElseThrow(() -> new UsageException("--out FILE is required: where to "
                + "write the snapshot"));
        Path out;
        try {
            out = Path.of(text);
        } catch (InvalidPathException e) {
            throw new UsageException("--out '" + text + "' is not a valid path: " + e.getReason());
        }
        if (Files.isDirectory(out)) {
            throw new UsageException("--out " + text + " is a folder; give the snapshot file's path");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UsageException("--out " + text + ": the folder " + parent + " does not exist");
        }
        return out;
    }
}
