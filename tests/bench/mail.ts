import { type ChildProcess, fork } from "node:child_process";
import path from "node:path";
import type { BenchSuite } from "./suites";

/**
 * The mail sender (issue 17): a letters' wave queues 200 000 mails (decision 0003); all must leave in ≤ 10 minutes.
 * The mails are queued straight into the outbox (the size of a real letter's mail), then one sender, as the server's
 * job runs it, delivers them to a local SMTP server running in its own process (`smtp-sink.ts`), which acknowledges
 * every mail. BENCH_MAILS changes the count (a quick try).
 */
const MAILS = Number(process.env.BENCH_MAILS ?? 200_000);

let sink: ChildProcess | undefined;
let sinkUrl = "";

/** A message from the sink process, the next one that has `key`. */
const fromSink = <T>(key: string) =>
  new Promise<T>((resolve) => {
    const listen = (message: Record<string, T>) => {
      if (!(key in message)) return;
      sink!.off("message", listen);
      resolve(message[key]!);
    };
    sink!.on("message", listen);
  });

export const mailSuite: BenchSuite = {
  name: "Courriels (mail) — envoi de la boîte d'envoi",
  timings: [
    {
      name: `Envoi de ${MAILS.toLocaleString("fr-FR")} courriels en attente à un serveur SMTP local`,
      targetMs: 600_000,
      setUp: async ({ sql }) => {
        await sql`delete from email_outbox`;
        await sql`
          insert into email_outbox ("to", subject, text)
          select 'signataire' || g || '@bailleur' || (g % 500) || '.exemple.fr',
            'Courrier valant avenant réputé accepté (' || g || ')',
            repeat('Le courrier valant avenant est réputé accepté à l''issue du délai de deux mois. ', 8)
              || E'\n\nVoir le courrier : https://portail-flux.lille.fr/avenants/' || g
          from generate_series(1, ${MAILS}) g`;
        await sql`analyze email_outbox`;
        sink = fork(path.join(import.meta.dirname, "smtp-sink.ts"), { execArgv: ["--import", "tsx"] });
        sinkUrl = await fromSink<string>("url");
      },
      run: async ({ sql }) => {
        const { db } = await import("#db/client.server");
        const { deliverOutbox, smtpTransport } = await import("#emails/outbox.server");
        const transport = smtpTransport(sinkUrl)!;
        const started = performance.now();
        try {
          const counts = await deliverOutbox(db, transport);
          const seconds = (performance.now() - started) / 1000;
          sink!.send("count");
          const received = await fromSink<number>("count");
          const [left] = await sql<
            { n: number }[]
          >`select count(*)::int as n from email_outbox where sent_at is null`;
          console.log(
            `${counts.sent} envoyés (${received} reçus par le serveur SMTP, ${left!.n} restants) en ` +
              `${seconds.toFixed(1)} s : ${Math.round(counts.sent / seconds)} courriels/s.`,
          );
          if (counts.sent !== MAILS || received !== MAILS || left!.n !== 0)
            throw new Error(`Envoi incomplet : ${JSON.stringify(counts)}.`);
        } finally {
          transport.close();
          sink!.send("stop");
        }
      },
    },
  ],
};
