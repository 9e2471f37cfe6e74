import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type Received = { to: string; subject: string; raw: string };

/** An SMTP error as a server answers it: `responseCode` is what the client sees (smtp-server sends it as is). */
const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

/**
 * A real SMTP server on a free local port, for the tests and the benchmark. It accepts every mail, except:
 * `refuse(recipient)` may answer an SMTP code and message at RCPT TO (4xx: try later, 5xx: never);
 * `hold(received)` may keep a mail's DATA unanswered until `release()` (a sender stalled mid-exchange).
 * `received` lists the mails it acknowledged, in order.
 */
export async function startSmtpServer(
  options: {
    refuse?: (recipient: string) => { code: number; message: string } | undefined;
    hold?: (count: number) => boolean;
  } = {},
) {
  const received: Received[] = [];
  const held: Array<() => void> = [];
  let seen = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    disableReverseLookup: true,
    // Many pooled connections at once in the benchmark.
    maxClients: 1000,
    // Closing waits for the clients still connected: the tests close theirs first.
    closeTimeout: 1_000,
    onRcptTo(address, _session, callback) {
      const refusal = options.refuse?.(address.address);
      callback(refusal ? smtpError(refusal.code, refusal.message) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const acknowledge = () => {
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address).join(","),
            subject: /^Subject: (.*)$/m.exec(raw)?.[1] ?? "",
            raw,
          });
          callback();
        };
        if (options.hold?.(++seen)) held.push(() => callback(smtpError(421, "Service interrompu")));
        else acknowledge();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** How many mails' DATA it has read (acknowledged or held). */
    seen: () => seen,
    /** Answers the held mails with an error (the stalled sender learns nothing was delivered). */
    release: () => {
      for (const answer of held.splice(0)) answer();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
