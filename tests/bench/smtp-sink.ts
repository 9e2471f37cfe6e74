/**
 * The benchmark's SMTP server, in a process of its own (the sender and the server do not share a core): it accepts
 * every mail, tells its parent its address, and on request how many mails it received.
 */
import { startSmtpServer } from "../helpers/smtp";

const server = await startSmtpServer();
process.send?.({ url: server.url });
process.on("message", async (message) => {
  if (message === "count") process.send?.({ count: server.received.length });
  if (message === "stop") {
    await server.close();
    process.exit(0);
  }
});
