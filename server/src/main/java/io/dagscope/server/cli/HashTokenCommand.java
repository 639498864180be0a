package io.dagscope.server.cli;

import io.dagscope.server.config.Args;
import io.dagscope.server.config.Flag;
import io.dagscope.server.config.UsageException;
import io.dagscope.server.http.Authenticator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code dagscope hash-token}: reads a token from stdin and prints its SHA-256, for the {@code --auth} file. */
public final class HashTokenCommand implements Command {

    @Override
    public String name() {
        return "hash-token";
    }

    @Override
    public String summary() {
        return "Read a token from stdin and print its SHA-256 hex, as the serve --auth file lists it.";
    }

    @Override
    public String details() {
        return "Only the first line is read; its line ending is not part of the token. Reading from stdin keeps the\n"
                + "token out of ps and shell history. Example:\n"
                + "  openssl rand -hex 32 > token.txt && dagscope hash-token < token.txt";
    }

    @Override
    public List<Flag> flags() {
        return List.of();
    }

    @Override
    public int run(Args args, Io io) throws IOException {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("hash-token reads the token from stdin and takes no arguments (a token on the "
                    + "command line would leak through ps and shell history)");
        }
        byte[] head = io.in().readNBytes(64 * 1024);
        String text = new String(head, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        String token = nl < 0 ? text : text.substring(0, nl);
        if (token.endsWith("\r")) {
            token = token.substring(0, token.length() - 1);
        }
        if (token.isEmpty()) {
            throw new UsageException("no token on stdin: pipe one in, e.g. dagscope hash-token < token.txt");
        }
        io.out().println(Authenticator.sha256Hex(token));
        return 0;
    }
}
