import { desc } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { emailOutbox } from "#db/schema";
import { csrfToken } from "~/lib/csrf.server";
import { publicUrl } from "~/lib/route-params.server";
import { action as forgottenPassword } from "~/routes/mot-de-passe-oublie";
import { createUser } from "../helpers/fixtures";

/** Links in e-mails come from PUBLIC_URL only, never from the Host or X-Forwarded-Host of the request. */
const saved = {
  PUBLIC_URL: process.env.PUBLIC_URL,
  PORT: process.env.PORT,
  DATABASE_URL: process.env.DATABASE_URL,
};
afterEach(() => Object.assign(process.env, saved));

/** Asks a password reset through the page, as a browser sent to `evil.example` (or through a proxy naming it). */
async function askResetFromEvilHost(email: string): Promise<string> {
  const { token, setCookie } = await csrfToken(new Request("http://evil.example/mot-de-passe-oublie"));
  await forgottenPassword({
    request: new Request("http://evil.example/mot-de-passe-oublie", {
      method: "POST",
      headers: {
        host: "evil.example",
        "x-forwarded-host": "evil.example",
        cookie: setCookie!.split(";")[0]!,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ email, csrf: token }),
    }),
    params: {},
    context: {},
  } as never);
  const [mail] = await db.select().from(emailOutbox).orderBy(desc(emailOutbox.id)).limit(1);
  return mail!.text;
}

describe("links in e-mails", () => {
  it("use PUBLIC_URL, whatever host the request names", async () => {
    const user = await createUser("mel", ["gestionnaire"]);
    process.env.PUBLIC_URL = "https://flux.example.fr/";
    const text = await askResetFromEvilHost(user.email);
    expect(text).toContain("https://flux.example.fr/reinitialiser/");
    expect(text).not.toContain("evil.example");
  });

  it("without PUBLIC_URL on the embedded database, point to http://localhost:<PORT>", async () => {
    const user = await createUser("mel", ["gestionnaire"]);
    delete process.env.PUBLIC_URL;
    delete process.env.DATABASE_URL;
    process.env.PORT = "4567";
    expect(publicUrl()).toBe("http://localhost:4567");
    const text = await askResetFromEvilHost(user.email);
    expect(text).toContain("http://localhost:4567/reinitialiser/");
    expect(text).not.toContain("evil.example");
  });

  it("without PUBLIC_URL on PostgreSQL, stop the server with a French message; a malformed one too", () => {
    delete process.env.PUBLIC_URL;
    process.env.DATABASE_URL = "postgres://flux@db.example/flux";
    expect(() => publicUrl()).toThrow(
      /PUBLIC_URL manque : sur PostgreSQL, donnez l'adresse publique du portail/,
    );
    process.env.PUBLIC_URL = "flux.example.fr";
    expect(() => publicUrl()).toThrow(/PUBLIC_URL invalide/);
  });
});
