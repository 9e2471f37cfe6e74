import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { emailOutbox } from "#db/schema";
import {
  checkResetToken,
  RESETS_PER_ACCOUNT,
  RESETS_PER_ADDRESS,
  requestPasswordReset,
  resetPassword,
} from "~/models/password-resets.server";
import { loader as resetLoader } from "~/routes/reinitialiser.$token";
import { outcome } from "../helpers/clients";
import { BASE_URL, createUser, lastLinkMailedTo, responseError } from "../helpers/fixtures";

const mailsTo = async (to: string) =>
  (await db.select().from(emailOutbox).where(eq(emailOutbox.to, to))).length;

describe("password resets", () => {
  it("mail at most 3 links an hour to one account, even asked in parallel from many addresses", async () => {
    const user = await createUser("vilogia", ["lecteur"]);
    const now = new Date("2026-05-04T08:00:00Z");
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        requestPasswordReset(user.email, BASE_URL, { ip: `192.0.2.${i}`, now }),
      ),
    );
    expect(await mailsTo(user.email)).toBe(RESETS_PER_ACCOUNT);
    // An hour later, a link may be asked again.
    await requestPasswordReset(user.email, BASE_URL, {
      ip: "192.0.2.1",
      now: new Date(now.getTime() + 3601_000),
    });
    expect(await mailsTo(user.email)).toBe(RESETS_PER_ACCOUNT + 1);
  });

  it("mail at most 10 links an hour asked from one address, across accounts", async () => {
    const users = await Promise.all(Array.from({ length: 12 }, () => createUser("clesence", ["lecteur"])));
    for (const user of users) await requestPasswordReset(user.email, BASE_URL, { ip: "203.0.113.20" });
    const sent = await Promise.all(users.map((user) => mailsTo(user.email)));
    expect(sent.reduce((a, b) => a + b, 0)).toBe(RESETS_PER_ADDRESS);
    // Another address is not held back.
    await requestPasswordReset(users[11]!.email, BASE_URL, { ip: "203.0.113.21" });
    expect(await mailsTo(users[11]!.email)).toBe(1);
  });

  it("keep only the latest link working, and a used link voids every other", async () => {
    const user = await createUser("vilogia", ["lecteur"]);
    await requestPasswordReset(user.email, BASE_URL, { ip: "192.0.2.30" });
    const first = await lastLinkMailedTo(user.email, "reinitialiser");
    await requestPasswordReset(user.email, BASE_URL, { ip: "192.0.2.30" });
    const second = await lastLinkMailedTo(user.email, "reinitialiser");
    expect((await responseError(checkResetToken(first))).status).toBe(410);
    // The link's page answers HTTP 410 (the model's refusal goes through the one mapping).
    const page = resetLoader({
      request: new Request(`${BASE_URL}/reinitialiser/${first}`),
      params: { token: first },
      context: {},
    });
    expect(await outcome(page)).toEqual({ status: 410 });
    await checkResetToken(second);

    // Used: the older one stays dead, and so does any other.
    await resetPassword(second, "un-tout-nouveau-mot-de-passe");
    expect((await responseError(resetPassword(first, "encore-un-autre-mot-de-passe"))).status).toBe(410);
  });
});
