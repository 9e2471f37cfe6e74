/**
 * The benchmark's SMTP server, in a process of its own (the sender and the server do not share a core): it accepts
 * every mail and counts it without keeping it (200 000 mails would be some 500 MB of text), tells its parent its
 * address, and on request how many mails it received.
 */
import { smtpSink } from "./mix";

const server = await smtpSink();
process.send?.({ url: server.url });
process.on("message", async (message) => {
  if (message === "count") process.send?.({ count: server.delivered() });
  if (message === "stop") {
    await server.close();
    process.exit(0);
  }
});
